"""Rules about risk ratings on the 5x5 matrix (likelihood x consequence)."""

from __future__ import annotations

from collections.abc import Iterator

from stratctl.findings import Finding, Loc, Severity
from stratctl.records import Rating, Risk
from stratctl.repository import Repository
from stratctl.rules.registry import BoardWords, rule

POSSIBLE_SCORES = frozenset(a * b for a in range(1, 6) for b in range(1, 6))


def _ratings(risk: Risk) -> Iterator[tuple[Loc, Rating]]:
    """Each rating in the record, where a mistake in it is reported: `current` only where it is not
    the latest review's rating written again (one mistake, one finding, at the review)."""
    latest = max(risk.reviews, key=lambda review: review.quarter, default=None)
    if risk.inherent is not None:
        yield ("inherent",), risk.inherent
    if latest is None or latest.current != risk.current:
        yield ("current",), risk.current
    yield ("target",), risk.target
    for index, review in enumerate(risk.reviews):
        yield ("reviews", index, "current"), review.current


@rule("K001", "incomplete-rating", Severity.ERROR)
def incomplete_rating(repo: Repository) -> Iterator[Finding]:
    """A rating gives a score, or both likelihood and consequence (or all three).

    Bad:
        current: {likelihood: 4}
    Good:
        current: {likelihood: 4, consequence: 5}
    """
    for loaded in repo.risks:
        for loc, rating in _ratings(loaded.record):
            if rating.value is None:
                yield incomplete_rating.finding(
                    loaded.file, "a rating needs a score, or both likelihood and consequence", loc=loc
                )


@rule("K002", "score-not-product", Severity.ERROR)
def score_not_product(repo: Repository) -> Iterator[Finding]:
    """A stated score equals likelihood x consequence.

    Bad:
        current: {likelihood: 4, consequence: 5, score: 16}
    Good:
        current: {likelihood: 4, consequence: 5, score: 20}
    """
    for loaded in repo.risks:
        for loc, rating in _ratings(loaded.record):
            likelihood, consequence, score = rating.likelihood, rating.consequence, rating.score
            if likelihood is None or consequence is None or score is None:
                continue
            product = likelihood * consequence
            if score != product:
                yield score_not_product.finding(
                    loaded.file,
                    f"score {score} is not likelihood x consequence ({likelihood} x {consequence} = {product})",
                    loc=(*loc, "score"),
                )


@rule("K003", "impossible-score", Severity.ERROR)
def impossible_score(repo: Repository) -> Iterator[Finding]:
    """A score must be a product of two numbers from 1 to 5.

    The possible scores are 1 2 3 4 5 6 8 9 10 12 15 16 20 25.

    Bad:
        current: {score: 7}
    Good:
        current: {score: 8}
    """
    for loaded in repo.risks:
        for loc, rating in _ratings(loaded.record):
            if rating.score is not None and rating.score not in POSSIBLE_SCORES:
                lower = max(s for s in POSSIBLE_SCORES if s < rating.score)
                higher = min((s for s in POSSIBLE_SCORES if s > rating.score), default=25)
                yield impossible_score.finding(
                    loaded.file,
                    f"no likelihood x consequence gives {rating.score}: the nearest scores are {lower} and {higher}",
                    loc=(*loc, "score"),
                )


@rule("K004", "target-above-current", Severity.ERROR)
def target_above_current(repo: Repository) -> Iterator[Finding]:
    """The target score is not above the current score: a target is where the risk is brought down to.

    Bad:
        current: {score: 8}
        target: {score: 12}
    Good:
        current: {score: 12}
        target: {score: 8}
    """
    for loaded in repo.risks:
        risk = loaded.record
        current, target = risk.current.value, risk.target.value
        if current is not None and target is not None and target > current:
            yield target_above_current.finding(
                loaded.file,
                f"target score {target} is above the current score {current}: the risk is already below its "
                f"target; lower the target to {current} or less, or propose to the Board that the risk is closed",
                loc=("target",),
            )


@rule(
    "K005",
    "current-above-inherent",
    Severity.WARNING,
    board=BoardWords(
        "{n} strategic risk is rated above its inherent score",
        "{n} strategic risks are rated above their inherent score",
        "all",
    ),
)
def current_above_inherent(repo: Repository) -> Iterator[Finding]:
    """The current score is not above the inherent score: controls should not make a risk worse.

    Bad:
        inherent: {score: 12}
        current: {score: 16}
    Good:
        inherent: {score: 20}
        current: {score: 16}
    """
    for loaded in repo.risks:
        risk = loaded.record
        if risk.inherent is None:
            continue
        inherent, current = risk.inherent.value, risk.current.value
        if inherent is not None and current is not None and current > inherent:
            yield current_above_inherent.finding(
                loaded.file, f"current score {current} is above the inherent score {inherent}", loc=("current",)
            )


@rule("K006", "current-not-latest-review", Severity.ERROR)
def current_not_latest_review(repo: Repository) -> Iterator[Finding]:
    """`current` is the rating of the latest review, so the two never disagree.

    Bad:
        current: {score: 16}
        reviews:
          - {quarter: 2021/22 Q3, current: {score: 20}}
    Good:
        current: {score: 20}
        reviews:
          - {quarter: 2021/22 Q3, current: {score: 20}}
    """
    for loaded in repo.risks:
        risk = loaded.record
        if not risk.reviews:
            continue
        latest = max(range(len(risk.reviews)), key=lambda i: risk.reviews[i].quarter)
        review = risk.reviews[latest]
        if (
            review.current.value is not None
            and risk.current.value is not None
            and review.current.value != risk.current.value
        ):
            yield current_not_latest_review.finding(
                loaded.file,
                f"current score {risk.current.value} differs from the latest review "
                f"({review.quarter}: {review.current.value})",
                loc=("current",),
            )


@rule("K007", "inverted-risk-band", Severity.ERROR)
def inverted_risk_band(repo: Repository) -> Iterator[Finding]:
    """A risk band in trust.yaml runs from its `min` up to its `max`: a band whose min is above its max
    holds no score at all, and every score it was meant for is reported as unbanded.

    Bad:
        risk_bands:
          - {name: high, min: 12, max: 8}
    Good:
        risk_bands:
          - {name: high, min: 8, max: 12}
    """
    if repo.trust is None:
        return
    for index, band in enumerate(repo.trust.record.risk_bands):
        if band.min > band.max:
            yield inverted_risk_band.finding(
                repo.trust.file,
                f"risk band {band.name!r} runs from {band.min} down to {band.max}: its min must not be above its max "
                f"(did you mean min: {band.max}, max: {band.min}?)",
                loc=("risk_bands", index),
            )


@rule(
    "K008",
    "risk-not-reviewed",
    Severity.WARNING,
    speaks_of="latest quarter",
    board=BoardWords(
        "{n} strategic risk has no review for the quarter", "{n} strategic risks have no review for the quarter"
    ),
)
def risk_not_reviewed(repo: Repository) -> Iterator[Finding]:
    """Every risk on the BAF has a review for the latest quarter reported, as the BAF is reviewed each quarter.

    The latest quarter is the latest that any objective's update names. A risk not yet opened by
    then, or closed by then, is not on that quarter's BAF and needs no review. A review records the rating
    the Board saw that quarter; without one, a later review would change what that quarter's paper shows.

    Bad:
        current: {score: 15}
        reviews: []
    Good:
        current: {score: 15}
        reviews:
          - {quarter: 2021/22 Q3, current: {score: 15}}
    """
    latest = repo.latest_quarter()
    if latest is None:
        return
    for loaded in repo.risks:
        risk = loaded.record
        if not risk.on_baf(latest):
            continue  # not yet opened, or closed: the Board reviews the BAF it has, not the old one
        if any(review.quarter == latest for review in risk.reviews):
            continue
        last = max((review.quarter for review in risk.reviews), default=None)
        if last is not None and last > latest:
            continue  # reviewed since: the BAF is ahead of the tracker
        options = (
            f"--likelihood {risk.current.likelihood} --consequence {risk.current.consequence}"
            if risk.current.likelihood is not None and risk.current.consequence is not None
            else f"--score {risk.current.value}"
        )
        yield risk_not_reviewed.finding(
            loaded.file,
            f"no review for {latest}"
            + (f" (the latest is {last})" if last else " (no reviews yet)")
            + f': record the rating the Board sees (stratctl update {risk.id} --quarter "{latest}" {options})',
            loc=("reviews",) if risk.reviews else ("current",),
            on_key=bool(risk.reviews),
        )
