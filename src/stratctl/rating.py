"""Projected year-end positions, trends and risk scores, by the rules in docs/rating.md.

Pure functions over records: no I/O, no printing. Every result carries the
reasons that produced it, in words a Board secretary can read aloud.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, cast

from stratctl.measures import MeasureResult, objective_measures
from stratctl.periods import Quarter, ReportingPoint
from stratctl.records import Objective, Rating, Risk, Trust, Update
from stratctl.repository import Repository
from stratctl.vocabulary import DeclaredTrend, Position

Reported = Literal["R", "A", "G", "C", "none"]
Trend = Literal["up", "down", "same", "new"]
RiskTrend = Literal["increased", "decreased", "same", "new"]

ORDER: dict[str, int] = {"R": 0, "A": 1, "G": 2, "C": 3}
PROGRESS_SIGNAL: dict[str, Position] = {"on-track": "G", "behind": "A", "at-risk": "R", "not-started": "A"}
MILESTONE_RED_AFTER_DAYS = 90
DEFAULT_TOLERANCE = 0.10


def worst(positions: Iterable[str]) -> str | None:
    ranked = [p for p in positions if p in ORDER]
    return min(ranked, key=ORDER.__getitem__) if ranked else None


# --- objectives ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ObjectiveRating:
    """An objective's position at a reporting point, with the reasons for it."""

    id: str
    computed: Reported
    declared: Position | None
    reported: Reported
    trend: Trend
    stale: bool
    reasons: tuple[str, ...]
    update: Update | None
    previous_reported: Reported = "none"
    measures: tuple[MeasureResult, ...] = ()
    """Every measure of the objective at the reporting point, with or without a signal."""
    starts: Quarter | None = None
    """The objective's `start`, where the reporting point comes before it: on the tracker, not yet reported."""
    declared_trend: DeclaredTrend | None = None
    """The trend the quarter's update declares, shown or not (docs/rating.md, Declared trend)."""
    computed_trend: Trend = "new"
    """The trend the positions give, before a declared trend stands in for `new`."""

    @property
    def differs(self) -> bool:
        """The Board declared a position other than the evidence gives."""
        return self.declared is not None and self.declared != self.computed


def latest_update(objective: Objective, quarter: Quarter) -> Update | None:
    """The latest update whose quarter is at or before `quarter`."""
    found = None
    for update in objective.updates:
        if update.quarter <= quarter and (found is None or update.quarter >= found.quarter):
            found = update
    return found


def compute_position(
    objective: Objective,
    point: ReportingPoint,
    tolerance: float = DEFAULT_TOLERANCE,
    measures: Sequence[MeasureResult] | None = None,
) -> tuple[Reported, list[str]]:
    """The position the evidence gives at `point`, and why (docs/rating.md, rules 1 to 4).

    `measures`: the objective's measures already evaluated at `point` (stratctl.measures), when
    the caller has them; otherwise they are evaluated here, and only if rule 4 is reached.
    """
    if measures is not None:
        given = measures
        return _position(objective, point, lambda: given)
    return _position(objective, point, lambda: objective_measures(objective, point, tolerance))


def _position(
    objective: Objective, point: ReportingPoint, measures_at_point: Callable[[], Sequence[MeasureResult]]
) -> tuple[Reported, list[str]]:
    """compute_position, with the objective's measures at `point` asked for only if rule 4 is reached."""
    if objective.starts_after(point.quarter):
        return "none", [f"none: starts {objective.start}"]
    update = latest_update(objective, point.quarter)
    if update is None:
        return "none", [f"none: no update at or before {point.quarter}"]
    if update.progress == "complete":
        return "C", [f"C: reported complete in {update.quarter}"]
    target_date = objective.target_date(point.start_month)
    if target_date < point.as_of:
        return "R", [
            f"R: target date {target_date.isoformat()} passed without completion (as of {point.as_of.isoformat()})"
        ]
    signals: list[tuple[Position, str]] = []
    progress = PROGRESS_SIGNAL[update.progress]
    signals.append((progress, f"{progress}: progress is {update.progress} ({update.quarter})"))
    results = measures_at_point()
    signals.extend((result.signal, result.reason) for result in results if result.signal is not None)
    signals.extend(milestone_signals(objective, point.as_of))
    position = cast(Position, worst(p for p, _ in signals))  # progress always gives a signal
    ordered = sorted(signals, key=lambda s: ORDER[s[0]])
    reasons = [reason for _, reason in ordered]
    reasons.extend(result.reason for result in results if result.signal is None)
    if objective.last_year > point.quarter.year:
        reasons.append(
            f"projected to {target_date.isoformat()}, the end of its span ({objective.year} to {objective.last_year}), "
            f"not to the end of {point.quarter.year}"
        )
    return position, reasons


def milestone_signals(objective: Objective, as_of: date) -> list[tuple[Position, str]]:
    signals: list[tuple[Position, str]] = []
    for milestone in objective.milestones:
        done_in_time = milestone.done is not None and milestone.done <= as_of
        if done_in_time or milestone.due >= as_of:
            continue
        late = (as_of - milestone.due).days
        position: Position = "R" if late > MILESTONE_RED_AFTER_DAYS else "A"
        signals.append(
            (
                position,
                f"{position}: milestone {milestone.title!r} was due {milestone.due.isoformat()}, {late} days overdue",
            )
        )
    return signals


def rate_objective(
    objective: Objective,
    point: ReportingPoint,
    tolerance: float = DEFAULT_TOLERANCE,
    carried: Reported | None = None,
    *,
    memo: RatingMemo | None = None,
) -> ObjectiveRating:
    """Computed, declared and reported positions, trend and staleness at `point`, and its measures.

    `carried` is the final reported position of the objective this one was carried forward
    from: until the objective has a position of its own before `point`, its trend compares with that.
    `memo`: the repository's (memo_of), so that what a rule or another view computed is not computed again.
    """
    if memo is not None:
        return memo.rating(objective, point, tolerance, carried)
    return _rate(objective, point, tolerance, carried, RatingMemo())


def _rate(
    objective: Objective, point: ReportingPoint, tolerance: float, carried: Reported | None, memo: RatingMemo
) -> ObjectiveRating:
    measures = memo.measures(objective, point, tolerance)
    computed, reasons = memo.position(objective, point, tolerance)
    update = latest_update(objective, point.quarter)
    declared = update.projected if update is not None else None
    reported: Reported = declared if declared is not None else computed
    previous = _reported_at(objective, point.previous(), tolerance, memo)
    if previous == "none" and carried is not None and carried != "none":
        previous = carried
        reasons = [*reasons, f"carried forward from {objective.carried_from}, which ended at {carried}"]
    trend: Trend
    if previous == "none" or reported == "none":
        trend = "new"
    elif ORDER[reported] > ORDER[previous]:
        trend = "up"
    elif ORDER[reported] < ORDER[previous]:
        trend = "down"
    else:
        trend = "same"
    computed_trend = trend
    declared_trend = update.trend if update is not None and update.quarter == point.quarter else None
    if declared_trend is not None and trend == "new" and reported != "none":
        # No earlier position to compute a direction from: the Board's own arrow is the one shown.
        trend = declared_trend
        reasons = [*reasons, f"trend {declared_trend}: declared by the Board, with no earlier position to compute one"]
    stale = is_stale(objective, point.quarter)
    if declared is not None and declared != computed:
        assert update is not None  # a declared position comes from an update
        why = f"; the Board's rationale: {update.rationale}" if update.rationale else "; no rationale given"
        reasons = [f"declared {declared} by the Board; the evidence gives {computed}{why}", *reasons]
    return ObjectiveRating(
        objective.id,
        computed,
        declared,
        reported,
        trend,
        stale,
        tuple(reasons),
        update,
        previous,
        measures,
        objective.start if objective.starts_after(point.quarter) else None,
        declared_trend,
        computed_trend,
    )


def final_position(
    objective: Objective, start_month: int = 4, tolerance: float = DEFAULT_TOLERANCE, *, memo: RatingMemo | None = None
) -> Reported:
    """The reported position an objective ended its span on: as of the end of its last year."""
    point = ReportingPoint.end_of(objective.last_year.quarter(4), start_month)
    return _reported_at(objective, point, tolerance, memo if memo is not None else RatingMemo())


def _reported_at(objective: Objective, point: ReportingPoint, tolerance: float, memo: RatingMemo) -> Reported:
    update = latest_update(objective, point.quarter)
    if update is not None and update.projected is not None:
        return update.projected
    return memo.position(objective, point, tolerance)[0]


_Key = tuple[int, ReportingPoint, float]


class RatingMemo:
    """Work done once: each objective's measures, position and rating at a reporting point, computed
    the first time a rule or a view asks and handed to every later one.

    A quarter's positions are asked for many times over: by the rules (P001 and P002 at each update's
    quarter, P008 a whole rating there), then by `status`, `explain` and the paper at the reporting
    point and the quarter before it. Each depends on the objective record alone (and the point and
    tolerance; a rating also on `carried`), and records are frozen, so an answer never goes stale.
    Entries are keyed by the record's identity, which they hold so that it is never reused while the
    memo lives; one memo belongs to one repository (memo_of), so nothing leaks to another.
    """

    __slots__ = ("_measures", "_positions", "_ratings")

    def __init__(self) -> None:
        self._measures: dict[_Key, tuple[Objective, tuple[MeasureResult, ...]]] = {}
        self._positions: dict[_Key, tuple[Objective, Reported, tuple[str, ...]]] = {}
        self._ratings: dict[tuple[_Key, Reported | None], tuple[Objective, ObjectiveRating]] = {}

    def measures(self, objective: Objective, point: ReportingPoint, tolerance: float) -> tuple[MeasureResult, ...]:
        """The objective's measures at `point` (stratctl.measures.objective_measures)."""
        key = (id(objective), point, tolerance)
        found = self._measures.get(key)
        if found is None:
            found = self._measures[key] = (objective, objective_measures(objective, point, tolerance))
        return found[1]

    def position(self, objective: Objective, point: ReportingPoint, tolerance: float) -> tuple[Reported, list[str]]:
        """compute_position's answer: its measures evaluated (once) only if rule 4 is reached."""
        key = (id(objective), point, tolerance)
        found = self._positions.get(key)
        if found is None:
            position, reasons = _position(objective, point, lambda: self._measured(objective, point, tolerance))
            found = self._positions[key] = (objective, position, tuple(reasons))
        return found[1], list(found[2])

    def _measured(self, objective: Objective, point: ReportingPoint, tolerance: float) -> tuple[MeasureResult, ...]:
        """The measures a position needs: the memo's where a rating asked for them, else evaluated and
        let go. The rules ask for a position at every update's quarter; keeping each quarter's measure
        results and charts too would hold memory a national paper cannot spare (a rating keeps its own)."""
        found = self._measures.get((id(objective), point, tolerance))
        return found[1] if found is not None else objective_measures(objective, point, tolerance)

    def rating(
        self, objective: Objective, point: ReportingPoint, tolerance: float, carried: Reported | None
    ) -> ObjectiveRating:
        """rate_objective's answer."""
        key = ((id(objective), point, tolerance), carried)
        found = self._ratings.get(key)
        if found is None:
            found = self._ratings[key] = (objective, _rate(objective, point, tolerance, carried, self))
        return found[1]


def memo_of(repository: Repository) -> RatingMemo:
    """The repository's memo of positions, made on first use: shared by its rules and views."""
    memo = repository.derived.get("ratings")
    if not isinstance(memo, RatingMemo):
        memo = repository.derived["ratings"] = RatingMemo()
    return memo


def is_stale(objective: Objective, quarter: Quarter) -> bool:
    """No update for `quarter` itself, the objective is not complete, and it has started."""
    if objective.starts_after(quarter):
        return False  # agreed in-year: nothing was due from it yet
    update = latest_update(objective, quarter)
    if update is not None and update.progress == "complete":
        return False
    return update is None or update.quarter < quarter


# --- risks --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RiskRating:
    id: str
    score: int | None
    target_score: int | None
    band: str
    trend: RiskTrend
    distance_to_target: int | None
    appetite: str | None
    appetite_limit: int | None
    above_appetite: bool
    previous_score: int | None
    reasons: tuple[str, ...] = field(default=())


def rating_in_force(risk: Risk, quarter: Quarter) -> tuple[Rating, Quarter | None]:
    """The latest review at or before `quarter`, else `current` (with no quarter)."""
    found = None
    for review in risk.reviews:
        if review.quarter <= quarter and (found is None or review.quarter >= found.quarter):
            found = review
    return (found.current, found.quarter) if found else (risk.current, None)


def _rating_text(rating: Rating) -> str:
    """`16 (likelihood 4 x consequence 4)`, or the score alone where only a score is given."""
    if rating.likelihood is not None and rating.consequence is not None:
        return f"{rating.value} (likelihood {rating.likelihood} × consequence {rating.consequence})"
    return str(rating.value)


def _source(review_quarter: Quarter | None, quarter: Quarter) -> str:
    """Where a rating in force comes from, in words."""
    if review_quarter is None:
        return f"from the current rating (no review by {quarter})"
    return f"from the {review_quarter} review"


def band_of(score: int | None, trust: Trust) -> str:
    if score is None:
        return "unscored"
    return next((b.name for b in trust.risk_bands if b.min <= score <= b.max), "unbanded")


def rate_risk(risk: Risk, point: ReportingPoint, trust: Trust) -> RiskRating:
    """Score, band, trend, distance to target and appetite at `point`.

    The score is the rating in force (docs/rating.md): the latest review by then, else `current`. The
    trend compares it with the rating in force at the previous quarter, with one exception: when
    the risk's reviews only begin after that quarter, `current` (which equals the latest review)
    would be a later score standing in for an earlier one, and a Q3 paper would change when Q4's
    review is added. Such a risk is `new`; a risk with no reviews at all compares `current` with
    itself, `same`.
    """
    rating, quarter = rating_in_force(risk, point.quarter)
    score = rating.value
    reasons = [f"score {_rating_text(rating)} {_source(quarter, point.quarter)}"]
    previous_quarter = point.quarter.previous()
    previous_rating, previous_source = rating_in_force(risk, previous_quarter)
    previous_score = previous_rating.value if previous_source is not None or not risk.reviews else None
    opened_now = risk.opened is not None and risk.opened >= point.quarter
    if opened_now:
        previous_score = None  # not on the BAF before: nothing to compare with
    trend: RiskTrend
    if previous_score is None or score is None:
        trend = "new"
        first = min(r.quarter for r in risk.reviews) if risk.reviews else None
        if opened_now:
            reasons.append(f"new: opened in {risk.opened}")
        elif first is not None and first <= point.quarter:
            reasons.append(f"new: first reviewed in {first}")
        elif first is not None:  # never a later quarter's name in an earlier paper
            reasons.append(f"new: not reviewed by {point.quarter}")
        else:
            reasons.append(f"new: no rating in force at {previous_quarter}")
    else:
        trend = "increased" if score > previous_score else "decreased" if score < previous_score else "same"
        reasons.append(
            f"{trend}: {previous_score} at {previous_quarter} {_source(previous_source, previous_quarter)}, {score} now"
        )
    target = risk.target.value
    limit = trust.risk_appetite.get(risk.appetite) if risk.appetite else None
    above = limit is not None and score is not None and score > limit
    if limit is not None:
        reasons.append(f"{'above' if above else 'within'} appetite: {risk.appetite} tolerates scores up to {limit}")
    return RiskRating(
        risk.id,
        score,
        target,
        band_of(score, trust),
        trend,
        None if score is None or target is None else score - target,
        risk.appetite,
        limit,
        above,
        previous_score,
        tuple(reasons),
    )
