"""What a quarter asks of each executive, and what they have not yet given.

Each quarter the strategy office asks every executive for what they lead: an update on each of
their objectives still open, the values of their measures for the periods the quarter covers,
and a review of each strategic risk they lead. `asks_for` says what is asked (the request
workbooks are built from it); `outstanding` what is still missing (the chase list). Both are pure
functions of the records and the quarter: no file is read, nothing is printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from stratctl.periods import Month, Quarter, months_of
from stratctl.rating import latest_update, rating_in_force
from stratctl.records import Executive, Measure, Objective, Rating, Review, Risk, Update
from stratctl.repository import Repository

Period = Quarter | Month
OwnerKind = Literal["objective", "strategic objective", "commitment"]

RECENT_QUARTERS, RECENT_MONTHS = 4, 6
"""How many earlier values a request shows beside a measure's empty cells: a year of quarters, half a year of months."""


@dataclass(frozen=True)
class ObjectiveAsk:
    """An objective the executive leads: last quarter's update shown, this quarter's asked for."""

    id: str
    title: str
    priority: str  # the priority's title, as the tracker groups objectives
    due: date  # its target date: `due`, else the end of its span
    last: Update | None  # the latest update before the quarter
    given: Update | None  # the quarter's own update, if the records hold one already


@dataclass(frozen=True)
class MeasureAsk:
    """One period's value of one measure: a quarter, or a month of the quarter for a monthly measure."""

    owner_kind: OwnerKind
    owner_id: str  # an objective's or strategic objective's id, or `strategy.commitment`
    owner_title: str
    measure: Measure
    period: Period
    recent: tuple[tuple[Period, float], ...]  # the values before the quarter's periods, oldest first
    given: float | None  # the value the records hold for the period already

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.owner_kind, self.owner_id, self.measure.id, str(self.period))


@dataclass(frozen=True)
class MilestoneAsk:
    """A milestone not yet done on one of the executive's objectives: its done date may be given."""

    objective_id: str
    index: int  # its place in the objective's milestones
    title: str
    due: date


@dataclass(frozen=True)
class RiskAsk:
    """A strategic risk the executive leads: its rating in force before the quarter, and the quarter's review."""

    id: str
    title: str
    last: Rating
    last_quarter: Quarter | None  # the review the last rating comes from (None: the risk's `current`)
    target: Rating
    given: Review | None  # the quarter's own review, if the records hold one already


@dataclass(frozen=True)
class ExecutiveAsk:
    """Everything one executive is asked for in one quarter."""

    executive: Executive
    quarter: Quarter
    objectives: tuple[ObjectiveAsk, ...] = ()
    measures: tuple[MeasureAsk, ...] = ()
    milestones: tuple[MilestoneAsk, ...] = ()
    risks: tuple[RiskAsk, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.objectives or self.measures or self.milestones or self.risks)


def asks_for(repository: Repository, quarter: Quarter, leads: Iterable[str] | None = None) -> list[ExecutiveAsk]:
    """What `quarter` asks of each executive (or of those in `leads`), in trust.yaml's order.

    An objective is asked about when it is active in the quarter's year and was not already
    complete before the quarter (a complete objective is never stale). Its measures are asked for
    the quarter (a monthly measure: each month of it). Every risk the executive leads is asked for
    its review. An executive who leads nothing is still listed, with an empty ask.
    """
    if repository.trust is None:
        return []
    trust = repository.trust.record
    wanted = set(leads) if leads is not None else None
    priorities = {p.id: p.title for p in trust.priorities}
    priority_order = {p.id: index for index, p in enumerate(trust.priorities)}
    start = trust.year_start_month
    asks = []
    for executive in trust.executives:
        if wanted is not None and executive.id not in wanted:
            continue
        objectives: list[ObjectiveAsk] = []
        measures: list[MeasureAsk] = []
        milestones: list[MilestoneAsk] = []
        for loaded in sorted(  # the tracker's order: by priority as trust.yaml lists them, then `order`, then id
            repository.objectives,
            key=lambda o: (priority_order.get(o.record.priority, len(priority_order)), o.record.tracker_order),
        ):
            objective = loaded.record
            if objective.lead != executive.id or not _open_in(objective, quarter):
                continue
            last = latest_update(objective, quarter.previous())
            given = next((u for u in objective.updates if u.quarter == quarter), None)
            objectives.append(
                ObjectiveAsk(
                    objective.id,
                    objective.title,
                    priorities.get(objective.priority, objective.priority),
                    objective.target_date(start),
                    last,
                    given,
                )
            )
            measures += _measure_asks("objective", objective.id, objective.title, objective.measures, quarter, start)
            milestones += [
                MilestoneAsk(objective.id, index, milestone.title, milestone.due)
                for index, milestone in enumerate(objective.milestones)
                if milestone.done is None
            ]
        for strategic in trust.strategic_objectives:
            if strategic.lead == executive.id and strategic.in_force_at(quarter):
                measures += _measure_asks(
                    "strategic objective", strategic.id, strategic.title, strategic.measures, quarter, start
                )
        for strategy in sorted((s.record for s in repository.strategies), key=lambda s: s.id):
            if strategy.lead != executive.id or strategy.status == "retired":
                continue
            for commitment in strategy.commitments:
                measures += _measure_asks(
                    "commitment",
                    f"{strategy.id}.{commitment.id}",
                    commitment.title,
                    commitment.measures,
                    quarter,
                    start,
                )
        risks = [
            _risk_ask(risk.record, quarter)
            for risk in sorted(repository.risks, key=lambda r: r.record.id)
            if risk.record.lead == executive.id and risk.record.on_baf(quarter)  # a closed risk is reviewed no more
        ]
        asks.append(
            ExecutiveAsk(executive, quarter, tuple(objectives), tuple(measures), tuple(milestones), tuple(risks))
        )
    return asks


def _open_in(objective: Objective, quarter: Quarter) -> bool:
    """Active in the quarter's year, started by it (`start`), and not complete before it."""
    if not objective.active_in(quarter.year) or objective.starts_after(quarter):
        return False
    before = latest_update(objective, quarter.previous())
    return before is None or before.progress != "complete"


def _measure_asks(
    owner_kind: OwnerKind,
    owner_id: str,
    owner_title: str,
    measures: Sequence[Measure],
    quarter: Quarter,
    start_month: int,
) -> list[MeasureAsk]:
    asks: list[MeasureAsk] = []
    for measure in measures:
        periods: tuple[Period, ...] = months_of(quarter, start_month) if measure.cadence == "monthly" else (quarter,)
        first = periods[0]
        earlier = sorted(
            ((p, v) for p, v in measure.actuals.items() if type(p) is type(first) and p < first),
            key=lambda item: item[0].index,
        )
        recent = tuple(earlier[-(RECENT_MONTHS if measure.cadence == "monthly" else RECENT_QUARTERS) :])
        asks.extend(
            MeasureAsk(owner_kind, owner_id, owner_title, measure, period, recent, measure.actuals.get(period))
            for period in periods
        )
    return asks


def _risk_ask(risk: Risk, quarter: Quarter) -> RiskAsk:
    last, last_quarter = rating_in_force(risk, quarter.previous())
    given = next((r for r in risk.reviews if r.quarter == quarter), None)
    return RiskAsk(risk.id, risk.title, last, last_quarter, risk.target, given)


def unled_risks(repository: Repository, quarter: Quarter) -> tuple[RiskAsk, ...]:
    """The risks on the quarter's BAF that name no lead (an imported BAF table may give none) and have no
    review for it: no executive is asked for them, so the strategy office must name a lead or review them."""
    return tuple(
        _risk_ask(risk.record, quarter)
        for risk in sorted(repository.risks, key=lambda r: r.record.id)
        if risk.record.lead is None
        and risk.record.on_baf(quarter)
        and not any(r.quarter == quarter for r in risk.record.reviews)
    )


def outstanding(asks: Iterable[ExecutiveAsk]) -> list[ExecutiveAsk]:
    """What each executive has not yet given: objectives without the quarter's update, measures
    without the period's value, risks without the quarter's review. Milestones are never owed (one
    not done is simply not done yet). Executives who owe nothing are left out."""
    owing = []
    for ask in asks:
        missing = replace(
            ask,
            objectives=tuple(o for o in ask.objectives if o.given is None),
            measures=tuple(m for m in ask.measures if m.given is None),
            milestones=(),
            risks=tuple(r for r in ask.risks if r.given is None),
        )
        if not missing.empty:
            owing.append(missing)
    return owing
