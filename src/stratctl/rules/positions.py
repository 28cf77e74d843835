"""Rules that need the rating engine: declared positions, narratives, staleness, coverage."""

from __future__ import annotations

from collections.abc import Iterator

from stratctl.findings import Finding, Severity
from stratctl.periods import ReportingPoint
from stratctl.rating import DEFAULT_TOLERANCE, is_stale, memo_of, rate_objective
from stratctl.repository import Repository
from stratctl.rules.registry import BoardWords, rule
from stratctl.status import predecessor_final


def _tolerance_and_start(repo: Repository) -> tuple[float, int]:
    if repo.trust is None:
        return DEFAULT_TOLERANCE, 4
    return repo.trust.record.measure_tolerance, repo.trust.record.year_start_month


@rule(
    "P001",
    "declared-differs",
    Severity.WARNING,
    asks_for="rationale",
    board=BoardWords(
        "{n} objective is declared at a position its evidence does not give, with no reason recorded",
        "{n} objectives are declared at positions their evidence does not give, with no reason recorded",
        "first clause",
    ),
)
def declared_differs(repo: Repository) -> Iterator[Finding]:
    """A declared position that differs from the evidence needs a rationale.

    The report shows both; the rationale tells the Board why its judgement
    differs from what progress, dates, milestones and measures give. Complete
    progress declared other than C is not reported here: P003 makes it an error.

    Bad:
        - quarter: 2021/22 Q3
          progress: behind
          projected: G
    Good:
        - quarter: 2021/22 Q3
          progress: behind
          projected: G
          rationale: Recovery plan agreed with NHSE; delivery expected by March.
    """
    tolerance, start = _tolerance_and_start(repo)
    memo = memo_of(repo)  # the positions computed here are the ones status and the paper show again
    for loaded in repo.objectives:
        objective = loaded.record
        if objective.until is not None and objective.until < objective.year:
            continue  # no span to compute a position over: L002 is the finding to fix first
        for index, update in enumerate(objective.updates):
            if update.projected is None or update.rationale or update.progress == "complete":
                continue
            if objective.starts_after(update.quarter):
                continue  # an update before the objective's start: L011 (or L012) is the finding
            computed, _ = memo.position(objective, ReportingPoint.end_of(update.quarter, start), tolerance)
            if computed != update.projected:
                yield declared_differs.finding(
                    loaded.file,
                    f"declared {update.projected}, computed {computed} for {update.quarter}: "
                    f'add a rationale (stratctl explain {objective.id} --quarter "{update.quarter}")',
                    loc=("updates", index, "projected"),
                )


@rule("P002", "exception-without-comment", Severity.ERROR, asks_for="comment")
def exception_without_comment(repo: Repository) -> Iterator[Finding]:
    """A reported R or A needs a comment: every exception to the Board has a narrative.

    Bad:
        - quarter: 2021/22 Q3
          progress: at-risk
    Good:
        - quarter: 2021/22 Q3
          progress: at-risk
          comment: Contract award delayed to January; go-live moves to Q1.
    """
    tolerance, start = _tolerance_and_start(repo)
    memo = memo_of(repo)
    for loaded in repo.objectives:
        objective = loaded.record
        for index, update in enumerate(objective.updates):
            if update.comment and update.comment.strip():
                continue
            reported = (
                update.projected or memo.position(objective, ReportingPoint.end_of(update.quarter, start), tolerance)[0]
            )
            if reported in ("R", "A"):
                yield exception_without_comment.finding(
                    loaded.file,
                    f"reported {reported} for {update.quarter} without a comment: "
                    "say what is happening and what is being done",
                    loc=("updates", index),
                )


@rule("P003", "complete-not-declared-c", Severity.ERROR, asks_for="projected")
def complete_not_declared_c(repo: Repository) -> Iterator[Finding]:
    """Progress `complete` is declared C (or not declared at all).

    Bad:
        - quarter: 2021/22 Q3
          progress: complete
          projected: G
    Good:
        - quarter: 2021/22 Q3
          progress: complete
          projected: C
    """
    for loaded in repo.objectives:
        for index, update in enumerate(loaded.record.updates):
            if update.progress == "complete" and update.projected not in (None, "C"):
                yield complete_not_declared_c.finding(
                    loaded.file,
                    f"progress is complete but the declared position is {update.projected}: declare C",
                    loc=("updates", index, "projected"),
                )


@rule(
    "P004",
    "stale-objective",
    Severity.WARNING,
    speaks_of="latest quarter",
    board=BoardWords("{n} objective has no update for the quarter", "{n} objectives have no update for the quarter"),
)
def stale_objective(repo: Repository) -> Iterator[Finding]:
    """Every open objective of the year has an update for the latest quarter reported.

    The latest quarter is the latest that any update in the repository names.

    Bad:
        updates:
          - {quarter: 2021/22 Q2, progress: on-track}
    Good:
        updates:
          - {quarter: 2021/22 Q2, progress: on-track}
          - {quarter: 2021/22 Q3, progress: on-track}
    """
    latest = repo.latest_quarter()
    if latest is None:
        return
    for loaded in repo.objectives:
        objective = loaded.record
        if not objective.active_in(latest.year) or not is_stale(objective, latest):
            continue
        last = objective.updates[-1].quarter if objective.updates else None
        yield stale_objective.finding(
            loaded.file,
            f"no update for {latest}" + (f" (the latest is {last})" if last else " (no updates yet)"),
            loc=("updates",) if objective.updates else (),
            on_key=bool(objective.updates),
        )


@rule(
    "P005",
    "commitment-not-planned",
    Severity.WARNING,
    board=BoardWords(
        "{n} commitment of the enabling strategies is not yet planned: no objective delivers it",
        "{n} commitments of the enabling strategies are not yet planned: no objective delivers them",
    ),
)
def commitment_not_planned(repo: Repository) -> Iterator[Finding]:
    """Each strategy commitment is delivered by at least one objective (its `delivers`).

    Bad:
        # no objective says delivers: [digital.cyber-security-plan]
    Good:
        # data/objectives/cyber-plan.yaml
        delivers: [digital.cyber-security-plan]
    """
    if repo.unreadable.get("objective"):
        return  # an objective that could not be read may be the one that delivers it: its error comes first
    delivered = {ref for o in repo.objectives for ref in o.record.delivers}
    for loaded in repo.strategies:
        strategy = loaded.record
        for index, commitment in enumerate(strategy.commitments):
            if f"{strategy.id}.{commitment.id}" not in delivered:
                # A commitment with measures of its own is rated by them alone (stratctl.status).
                outcome = (
                    "its status will come from its own measures alone"
                    if commitment.measures
                    else "it will be reported as not planned"
                )
                yield commitment_not_planned.finding(
                    loaded.file,
                    f"no objective delivers {strategy.id}.{commitment.id} ({commitment.title}): {outcome}",
                    loc=("commitments", index, "id"),
                )


@rule(
    "P006",
    "risk-threatens-nothing",
    Severity.WARNING,
    board=BoardWords(
        "{n} strategic risk names no strategic objective it threatens",
        "{n} strategic risks name no strategic objective they threaten",
    ),
)
def risk_threatens_nothing(repo: Repository) -> Iterator[Finding]:
    """A strategic risk names the strategic objectives it threatens.

    Bad:
        threatens: []
    Good:
        threatens: [SO1, SO4]
    """
    for loaded in repo.risks:
        if not loaded.record.threatens:
            yield risk_threatens_nothing.finding(
                loaded.file, "threatens no strategic objective: say which it puts at risk", loc=("threatens",)
            )


@rule(
    "P009",
    "risk-without-lead",
    Severity.WARNING,
    asks_for="lead",
    board=BoardWords(
        "{n} strategic risk has no executive lead named yet",
        "{n} strategic risks have no executive lead named yet",
    ),
)
def risk_without_lead(repo: Repository) -> Iterator[Finding]:
    """A strategic risk names the executive who leads it.

    A risk imported from a BAF table that gives no lead is left without one rather than given an
    executive who may not own it: the paper says the lead is not yet named, and this warning stays
    until the trust names one.

    Bad:
        id: "103350"
        title: Patient flow
        current: {score: 20}
    Good:
        id: "103350"
        title: Patient flow
        lead: COO
        current: {score: 20}
    """
    for loaded in repo.risks:
        if loaded.record.lead is None:
            yield risk_without_lead.finding(
                loaded.file, "no lead: name the executive who leads the risk (lead: ID from trust.yaml's executives)"
            )


@rule(
    "P007",
    "objective-supports-nothing",
    Severity.WARNING,
    board=BoardWords(
        "{n} objective names no strategic objective it supports",
        "{n} objectives name no strategic objective they support",
    ),
)
def objective_supports_nothing(repo: Repository) -> Iterator[Finding]:
    """Where trust.yaml lists strategic objectives, each supporting objective names those it supports.

    The strategy section of the paper and the annual report count each strategic objective's
    supporting objectives from `supports`: an objective that names none is missing from both.

    Bad:
        supports: []
    Good:
        supports: [SO1]
    """
    if repo.trust is None or not repo.trust.record.strategic_objectives:
        return
    choices = ", ".join(s.id for s in repo.trust.record.strategic_objectives)
    for loaded in repo.objectives:
        if not loaded.record.supports:
            yield objective_supports_nothing.finding(
                loaded.file,
                f"supports no strategic objective, so the strategy section does not count it: say which ({choices})",
                loc=("supports",) if "supports" in loaded.record.model_fields_set else (),
            )


@rule(
    "P008",
    "declared-trend-differs",
    Severity.WARNING,
    board=BoardWords(
        "{n} objective's declared direction of travel differs from the one its positions give",
        "{n} objectives' declared directions of travel differ from the ones their positions give",
        "first clause",
    ),
)
def declared_trend_differs(repo: Repository) -> Iterator[Finding]:
    """A declared `trend` agrees with the trend the positions give, where an earlier position exists.

    A declared trend stands in only where there is nothing to compute one from (the objective's
    first reported quarter, or a tracker imported with its arrows); elsewhere the computed trend
    is shown, and a declared one that says otherwise is a mistake in one of the two.

    Bad:
        - {quarter: 2021/22 Q2, progress: on-track, projected: G}
        - {quarter: 2021/22 Q3, progress: behind, projected: A, trend: up}
    Good:
        - {quarter: 2021/22 Q2, progress: on-track, projected: G}
        - {quarter: 2021/22 Q3, progress: behind, projected: A, trend: down}
    """
    tolerance, start = _tolerance_and_start(repo)
    memo = memo_of(repo)
    by_id = {o.record.id: o.record for o in repo.objectives}
    for loaded in repo.objectives:
        objective = loaded.record
        if objective.until is not None and objective.until < objective.year:
            continue  # no span (L002)
        for index, update in enumerate(objective.updates):
            if update.trend is None or not objective.active_in(update.quarter.year):
                continue
            point = ReportingPoint.end_of(update.quarter, start)
            carried = predecessor_final(objective, by_id, point, tolerance, memo)
            rating = rate_objective(objective, point, tolerance, carried, memo=memo)
            if rating.computed_trend not in ("new", update.trend):
                yield declared_trend_differs.finding(
                    loaded.file,
                    f"declared trend {update.trend}, but the positions give {rating.computed_trend} "
                    f"({rating.previous_reported} at {update.quarter.previous()}, "
                    f"{rating.reported} at {update.quarter}): the computed trend is shown",
                    loc=("updates", index, "trend"),
                )
