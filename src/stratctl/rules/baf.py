"""Rules about a risk's time on the Board Assurance Framework: when it opened, when it closed, and
the objectives and priorities that still cite it after it closed."""

from __future__ import annotations

from collections.abc import Iterator

from stratctl.findings import Finding, Severity
from stratctl.periods import Quarter
from stratctl.records import Risk
from stratctl.repository import Repository
from stratctl.rules.registry import BoardWords, rule


@rule("K009", "review-off-the-baf", Severity.ERROR)
def review_off_the_baf(repo: Repository) -> Iterator[Finding]:
    """A risk's reviews fall in the quarters it is on the BAF: none before `opened`, none after `closed`.

    A review in the closing quarter itself is the Board's last look at the risk before closing it,
    and is kept; a later one belongs to the risk that took its place.

    Bad:
        opened: 2025/26 Q3
        reviews:
          - {quarter: 2025/26 Q2, current: {score: 12}}
    Good:
        opened: 2025/26 Q3
        reviews:
          - {quarter: 2025/26 Q3, current: {score: 12}}
    """
    for loaded in repo.risks:
        risk = loaded.record
        if risk.opened is not None and risk.closed is not None and risk.closed.quarter <= risk.opened:
            continue  # K010 says what is wrong with the dates; every review would be reported again here
        for index, review in enumerate(risk.reviews):
            if risk.opened is not None and review.quarter < risk.opened:
                message = f"a review for {review.quarter}, before the risk opened in {risk.opened}"
            elif risk.closed is not None and review.quarter > risk.closed.quarter:
                message = (
                    f"a review for {review.quarter}, after the risk closed in {risk.closed.quarter}"
                    + _successors_hint(risk)
                )
            else:
                continue
            yield review_off_the_baf.finding(loaded.file, message, loc=("reviews", index, "quarter"))


@rule("K010", "closed-before-opened", Severity.ERROR)
def closed_before_opened(repo: Repository) -> Iterator[Finding]:
    """A risk closes after it opened: `closed.quarter` is later than `opened`.

    A risk closed in the quarter it opened, or before, was never on the BAF.

    Bad:
        opened: 2025/26 Q3
        closed: {quarter: 2025/26 Q2, reason: BAF rebuilt}
    Good:
        opened: 2025/26 Q3
        closed: {quarter: 2026/27 Q1, reason: Target reached}
    """
    for loaded in repo.risks:
        risk = loaded.record
        if risk.opened is not None and risk.closed is not None and risk.closed.quarter <= risk.opened:
            yield closed_before_opened.finding(
                loaded.file,
                f"closed in {risk.closed.quarter}, but opened in {risk.opened}: a risk closes in a later quarter "
                "than it opened",
                loc=("closed", "quarter"),
            )


@rule(
    "K011",
    "cites-closed-risk",
    Severity.WARNING,
    board=BoardWords(
        "{n} objective or priority still cites a strategic risk that has left the BAF",
        "{n} objectives or priorities still cite strategic risks that have left the BAF",
        "all",
    ),
)
def cites_closed_risk(repo: Repository) -> Iterator[Finding]:
    """An objective or priority cites a risk only while it is on the BAF: a risk closed within the
    objective's years (or the priority's) has successors to cite instead.

    Bad:
        # risks/SR1.yaml: closed: {quarter: 2025/26 Q2, reason: BAF rebuilt, successors: [SR2, SR3]}
        year: 2025/26
        risks: [SR1]
    Good:
        year: 2025/26
        risks: [SR2, SR3]
    """
    risks = {loaded.record.id: loaded.record for loaded in repo.risks}
    for loaded in repo.objectives:
        objective = loaded.record
        if objective.until is not None and objective.until < objective.year:
            continue  # no span (L002)
        last = objective.last_year.quarter(4)
        for index, risk_id in enumerate(objective.risks):
            risk = risks.get(risk_id)
            if risk is not None and risk.closed is not None and risk.closed.quarter <= last:
                yield cites_closed_risk.finding(
                    loaded.file,
                    f"cites risk {risk_id}, closed in {risk.closed.quarter} ({risk.closed.reason})"
                    + _successors_hint(risk),
                    loc=("risks", index),
                )
    if repo.trust is None:
        return
    for p_index, priority in enumerate(repo.trust.record.priorities):
        ends = priority.until or priority.year
        for index, risk_id in enumerate(priority.risks):
            risk = risks.get(risk_id)
            if risk is None or risk.closed is None:
                continue
            if ends is None or risk.closed.quarter <= ends.quarter(4):
                yield cites_closed_risk.finding(
                    repo.trust.file,
                    f"priority {priority.id} cites risk {risk_id}, closed in {risk.closed.quarter} "
                    f"({risk.closed.reason})" + _successors_hint(risk),
                    loc=("priorities", p_index, "risks", index),
                )


@rule(
    "K012",
    "public-action-private-risk",
    Severity.WARNING,
    board=BoardWords(
        "{n} action marked for the public annual report belongs to a risk that is not published",
        "{n} actions marked for the public annual report belong to risks that are not published",
        "none",
    ),
)
def public_action_private_risk(repo: Repository) -> Iterator[Finding]:
    """An action marked `public` belongs to a risk marked `public`: the public annual report lists a
    risk's public actions under the risk, and leaves out a risk the trust has not made public, so
    the action would silently go unpublished.

    Bad:
        public: false
        actions:
          - {title: Open the discharge lounge, public: true}
    Good:
        public: true
        actions:
          - {title: Open the discharge lounge, public: true}
    """
    for loaded in repo.risks:
        risk = loaded.record
        if risk.public:
            continue
        for index, action in enumerate(risk.actions):
            if action.public:
                yield public_action_private_risk.finding(
                    loaded.file,
                    f"the action {action.title!r} is marked public, but its risk is not, so the public annual "
                    "report leaves both out: mark the risk `public: true`, or take `public` off the action",
                    loc=("actions", index, "public"),
                )


def _successors_hint(risk: Risk) -> str:
    if risk.closed is None or not risk.closed.successors:
        return ": it has no successors on the BAF"
    named = ", ".join(risk.closed.successors)
    return f": its successor{'s are' if len(risk.closed.successors) > 1 else ' is'} {named}"


def baf_span(risk: Risk) -> tuple[Quarter | None, Quarter | None]:
    """The first and last quarters a risk is on the BAF (None: open at that end)."""
    last = risk.closed.quarter.previous() if risk.closed is not None else None
    return risk.opened, last
