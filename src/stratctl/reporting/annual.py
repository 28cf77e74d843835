"""The annual public report: how the trust delivered on its objectives over the year, for the public.

The trust promises "an annual public report on how we have delivered on our objectives": each
priority's and strategic objective's outcome for the year in plain words, every objective's
position quarter by quarter, what continues into next year or was carried forward into it, and
what was carried forward from the year before.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from stratctl.periods import Quarter, ReportingPoint
from stratctl.rating import final_position, rate_objective
from stratctl.records import Objective
from stratctl.reporting.board import StrategyOverview
from stratctl.reporting.measure_views import MeasureView, measure_view
from stratctl.reporting.provenance import Provenance
from stratctl.status import Status

YEAR_END_OUTCOMES = {"C": "Delivered", "G": "Achieved at year end", "A": "Partly achieved", "R": "Not achieved"}
OUTCOME_ORDER = (
    "Delivered",
    "Achieved at year end",
    "Partly achieved",
    "Not achieved",
    "Continues",
    "No year-end update",
    "No update",
)
SENTENCE_WORDS = {
    "Continues": "continue into the next year",
    "No year-end update": "with no year-end update yet",
    "No update": "with no update",
    "Achieved at year end": "achieved at year end",
}
PUBLIC_WORDS = {"C": "Complete", "G": "On track", "A": "At risk", "R": "Off track", "none": "No update", "—": "—"}
"""A position as the public report writes it: the word first, the letter beside it."""


@dataclass(frozen=True)
class AnnualRow:
    id: str
    title: str
    lead: str
    priority: str
    by_quarter: tuple[str, ...]  # reported position at the end of Q1..Q4 ("—": no update that quarter)
    outcome: str
    comment: str
    continues_to: str = ""  # a multi-year objective's last year, when it runs past this one
    carried_from: str = ""  # the year of the objective it continues ("carried forward from 2022/23")
    carried_final: str = ""  # where that objective ended
    carried_into: str = ""  # the id of the next year's objective that continues this one
    supports: tuple[str, ...] = ()
    measures: tuple[MeasureView, ...] = ()  # where its measures ended the year

    @property
    def outcome_kind(self) -> str:
        """The outcome without its detail, for counting: `Continues to 2024/25 (...)` is `Continues`."""
        head = self.outcome.split(" (")[0]
        return "Continues" if head.startswith("Continues") else head


@dataclass(frozen=True, slots=True)
class Outcomes:
    """How many objectives ended the year each way, in a fixed order."""

    counts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)

    @property
    def sentence(self) -> str:
        """`3 delivered, 2 partly achieved and 1 continues`: the outcomes a public reader is told."""
        parts = [f"{count} {SENTENCE_WORDS.get(words, words.lower())}" for words, count in self.counts if count]
        if not parts:
            return "none"
        return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _outcomes(rows: list[AnnualRow]) -> Outcomes:
    tally = Counter(row.outcome_kind for row in rows)
    return Outcomes(tuple((words, tally[words]) for words in OUTCOME_ORDER if tally[words]))


@dataclass(frozen=True, slots=True)
class AnnualPriority:
    id: str
    title: str
    statement: str
    rows: tuple[AnnualRow, ...]
    outcomes: Outcomes


@dataclass(frozen=True, slots=True)
class AnnualStrategic:
    id: str
    title: str
    theme: str  # the theme's title ("" without themes)
    outcomes: Outcomes
    objectives: tuple[str, ...]  # titles
    measures: tuple[MeasureView, ...] = ()  # its success measures at the year's end


@dataclass(frozen=True)
class AnnualReport:
    trust_name: str
    short_name: str
    year: str
    provenance: Provenance
    priorities: tuple[AnnualPriority, ...]
    outcomes: dict[str, int]
    latest_quarter: str | None  # the last quarter of the year with any update: "Q3" while Q4 is unreported
    quarters: tuple[str, ...] = ("Q1", "Q2", "Q3", "Q4")
    strategy: StrategyOverview | None = None
    strategic_objectives: tuple[AnnualStrategic, ...] = ()
    carried_forward: tuple[AnnualRow, ...] = ()  # this year's objectives that continue, or were carried, into the next
    carried_in: tuple[AnnualRow, ...] = ()  # objectives carried forward into this year from the last
    overall: Outcomes = Outcomes(())

    @property
    def unfinished(self) -> bool:
        """No objective has a Q4 update yet: the outcomes are not final."""
        return self.latest_quarter != self.quarters[-1]

    @property
    def paper_title(self) -> str:
        return f"How we delivered on our objectives in {self.year}"


def build_annual_report(
    status: Status, provenance: Provenance, lineage: dict[str, Objective] | None = None
) -> AnnualReport:
    """Each objective's reported position in each quarter it was updated, and where the year ended.

    A quarter without an update of its own shows "—" rather than a carried-forward position,
    and an objective with no Q4 update has no outcome yet: the report never claims one. A
    multi-year objective that runs on "continues to" its last year; a carried-forward one names
    the year it was carried from and where its predecessor ended.
    """
    trust = status.trust
    year = status.point.quarter.year
    start, tolerance = trust.year_start_month, trust.measure_tolerance
    lineage = lineage or {}
    successors = {o.carried_from: o.id for o in lineage.values() if o.carried_from}
    rows: dict[str, AnnualRow] = {}
    for objective, rating in status.objectives:
        if not objective.active_in(year):
            continue
        updated = {u.quarter for u in objective.updates}
        positions: list[str] = []
        for number in range(1, 5):
            quarter = Quarter(year, number)
            if quarter in updated:
                positions.append(rate_objective(objective, ReportingPoint.end_of(quarter, start), tolerance).reported)
            else:
                positions.append("—")
        final = rate_objective(objective, ReportingPoint.end_of(Quarter(year, 4), start), tolerance)
        complete = final.update is not None and final.update.progress == "complete"
        continues = objective.last_year > year and not complete
        if continues and final.update is not None and final.update.quarter == Quarter(year, 4):
            outcome = f"Continues to {objective.last_year} (year end: {final.reported})"
        elif final.update is not None and (complete or final.update.quarter == Quarter(year, 4)):
            outcome = YEAR_END_OUTCOMES.get(final.reported, "No update")
        elif final.update is not None:
            outcome = f"No year-end update (latest {final.update.quarter.label}: {final.reported})"
        else:
            outcome = "No update"
        predecessor = lineage.get(objective.carried_from or "")
        rows[objective.id] = AnnualRow(
            objective.id,
            objective.title,
            objective.lead,
            objective.priority,
            tuple(positions),
            outcome,
            (final.update.comment or "") if final.update else "",
            continues_to=str(objective.last_year) if continues else "",
            carried_from=str(predecessor.last_year) if predecessor is not None else "",
            carried_final=final_position(predecessor, start, tolerance) if predecessor is not None else "",
            carried_into=successors.get(objective.id, ""),
            supports=tuple(objective.supports),
            measures=tuple(measure_view(m, objective.id) for m in rating.measures),
        )
    all_rows = list(rows.values())
    priorities = tuple(
        AnnualPriority(p.id, p.title, p.statement or "", tuple(members), _outcomes(members))
        for p in trust.priorities
        if (members := [r for r in all_rows if r.priority == p.id]) or p.applies_in(year)
    )
    themes = {t.id: t.title for t in trust.themes}
    strategic = tuple(
        AnnualStrategic(
            s.id,
            s.title,
            themes.get(s.theme or "", ""),
            _outcomes(members),
            tuple(r.title for r in members),
            tuple(measure_view(m, s.id) for m in status.strategic_measures.get(s.id, ())),
        )
        for s in status.strategic_objectives_in_view(during=year)
        for members in [[r for r in all_rows if s.id in r.supports]]
    )
    outcomes: dict[str, int] = {}
    for row in all_rows:
        key = row.outcome.split(" (")[0]
        outcomes[key] = outcomes.get(key, 0) + 1
    reported = [number for row in all_rows for number, p in enumerate(row.by_quarter, 1) if p != "—"]
    latest = f"Q{max(reported)}" if reported else None
    plan = status.plan  # in force at the year's end: a strategy replaced in the year is the new one
    return AnnualReport(
        trust.name,
        trust.short_name,
        str(year),
        provenance,
        priorities,
        dict(sorted(outcomes.items())),
        latest,
        strategy=StrategyOverview(plan.title, str(plan.start), str(plan.end), plan.vision or "", tuple(plan.values))
        if plan
        else None,
        strategic_objectives=strategic,
        carried_forward=tuple(r for r in all_rows if r.carried_into or r.continues_to),
        carried_in=tuple(r for r in all_rows if r.carried_from),
        overall=_outcomes(all_rows),
    )
