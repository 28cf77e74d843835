"""The public annual report: what the trust set out to do in a year and what it delivered, for patients
and the public (`report --year Y --audience public`).

Built from the Board's annual report (stratctl.reporting.annual), then put into plain words and
grouped by strategic objective (under its theme, where the trust has themes). It carries no internal
identifier: every record is named by its title, every executive by their role, every period in
months, and no chart or anchor is named after a record. Nothing of the Board Assurance Framework
appears unless the trust marked it `public: true` (a risk, and an action under a public risk). The
words about each objective are the trust's own, from its records: the strategic objective's
description, the priority's statement, the last update's comment.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from stratctl.measure_words import target_text, value_text
from stratctl.measures import MeasureResult
from stratctl.periods import FinancialYear, Month, Quarter, months_of, parse_period
from stratctl.rating import band_of
from stratctl.records import Action, Objective, Risk, Trust
from stratctl.reporting.annual import AnnualReport, AnnualRow, build_annual_report
from stratctl.reporting.board import StrategyOverview, long_date
from stratctl.reporting.measure_views import MeasureView
from stratctl.reporting.provenance import Provenance
from stratctl.status import Status

STANDING = {"C": "complete", "G": "on track", "A": "at risk", "R": "off track"}
"""A position in the words a patient reads; the letters never appear alone."""

OUTCOME_WORDS = {
    "Delivered": "Delivered",
    "Achieved at year end": "Achieved by the end of the year",
    "Partly achieved": "Partly achieved",
    "Not achieved": "Not achieved",
}
"""Where an objective ended a year it was due to finish in."""

MEASURE_STANDING = {
    "G": "on track to meet its target",
    "A": "at risk of missing its target",
    "R": "off track: not on course to meet its target",
}
"""Where a measure stands against its target or standard."""


@dataclass(frozen=True, slots=True)
class PublicMeasure:
    """One measure in words, and its chart (named by its place in the report, never by its id)."""

    name: str
    sentence: str  # where it started, where it is, the target, and where that leaves it
    view: MeasureView  # the paper's chart for the HTML and PDF


@dataclass(frozen=True, slots=True)
class PublicObjective:
    """One objective of the year: what the trust set out to do, how it ended, in the trust's words."""

    title: str
    lead: str  # the executive's role ("Chief Nurse"), never their id
    outcome: str  # a sentence: "Delivered", "Continues into 2023/24: on track at the end of this year"
    journey: str  # "on track (April to June 2021), at risk (October to December 2021)"; "" with no update
    comment: str  # the trust's own words: the latest update's comment ("" without one)
    measures: tuple[PublicMeasure, ...] = ()
    carried_from: str = ""  # "2021/22": the year of the objective it continues


@dataclass(frozen=True, slots=True)
class PublicGoal:
    """A strategic objective (or, for a trust without them, a priority) and the year's objectives under it."""

    title: str
    description: str  # the trust's own words about it ("" without)
    summary: str  # "3 objectives: 2 delivered and 1 partly achieved"
    measures: tuple[PublicMeasure, ...]
    objectives: tuple[PublicObjective, ...]  # described here, in full
    also: tuple[tuple[str, str], ...] = ()  # (objective, the goal it is described under) for the rest


@dataclass(frozen=True, slots=True)
class PublicTheme:
    """A theme and its strategic objectives; a trust without themes has one with no title."""

    title: str
    statement: str
    goals: tuple[PublicGoal, ...]


@dataclass(frozen=True, slots=True)
class PublicAction:
    title: str
    when: str  # "done 20 January 2022", "due 31 March 2022", ""


@dataclass(frozen=True, slots=True)
class PublicRisk:
    """A risk the trust marked public, with only what `public: true` publishes (docs/records.md)."""

    title: str
    description: str
    threatens: tuple[str, ...]  # the strategic objectives' titles
    level: str  # "high (20 out of 25) at the end of the year, down from 25 at the end of June 2021"
    aim: str  # "to bring it down to moderate (10 out of 25) by 31 March 2022"
    actions: tuple[PublicAction, ...]


@dataclass(frozen=True)
class PublicReport:
    trust_name: str
    year: str  # "2021/22"
    year_words: str  # "April 2021 to March 2022"
    unfinished: bool  # no objective has a year-end update yet
    reported_to: str  # "the end of December 2021": the last quarter with an update ("" with none)
    records_date: str  # the day of the commit the records were read at ("" outside git, or uncommitted)
    strategy: StrategyOverview | None
    objective_count: int
    summary: str  # "5 delivered and 25 still waiting for their end-of-year report"
    themes: tuple[PublicTheme, ...]
    looking_ahead: tuple[str, ...]  # titles of the objectives that continue into next year
    risks: tuple[PublicRisk, ...]

    @property
    def paper_title(self) -> str:
        return f"What we set out to do in {self.year}, and what we delivered"


def build_public_report(status: Status, provenance: Provenance, lineage: dict[str, Objective]) -> PublicReport:
    """The public annual report for the year of `status.point` (a point at the end of the year's Q4)."""
    trust = status.trust
    year = status.point.quarter.year
    start = trust.year_start_month
    annual = build_annual_report(status, provenance, lineage)
    counter = itertools.count(1)  # chart ids by place in the report: the same for the same records
    executives = {e.id: e.title for e in trust.executives}
    rows = [row for priority in annual.priorities for row in priority.rows]
    shown = {row.id: _objective(row, year, start, executives, counter) for row in rows}
    themes = _themes(status, annual, rows, shown, counter)
    latest = Quarter(year, int(annual.latest_quarter[1:])) if annual.latest_quarter else None
    return PublicReport(
        trust.name,
        str(year),
        _year_words(year, start),
        annual.unfinished,
        f"the end of {_month_year(latest.last_day(start))}" if latest is not None else "",
        _records_date(provenance),
        annual.strategy,
        len(shown),
        outcome_sentence(shown.values()),
        themes,
        tuple(row.title for row in annual.carried_forward),
        tuple(_public_risks(status, year)),
    )


# --- objectives -----------------------------------------------------------------------------


def _objective(
    row: AnnualRow, year: FinancialYear, start: int, executives: dict[str, str], counter: Iterator[int]
) -> PublicObjective:
    return PublicObjective(
        row.title,
        executives.get(row.lead, ""),
        _outcome(row, year, start),
        ", ".join(
            f"{STANDING[p]} ({quarter_words(Quarter(year, n), start)})"
            for n, p in enumerate(row.by_quarter, 1)
            if p in STANDING
        ),
        row.comment,
        tuple(_measure(view.result, counter, start) for view in row.measures),
        row.carried_from,
    )


def _outcome(row: AnnualRow, year: FinancialYear, start: int) -> str:
    """How the objective ended the year, in a sentence without a position letter."""
    kind = row.outcome_kind
    if kind == "Continues":
        where = STANDING.get(row.by_quarter[-1], "")  # the year's last update is its fourth quarter's
        return f"Continues into {row.continues_to}" + (f": {where} at the end of this year" if where else "")
    if kind in OUTCOME_WORDS:
        return OUTCOME_WORDS[kind]
    reported = [(n, p) for n, p in enumerate(row.by_quarter, 1) if p in STANDING]
    if kind == "No year-end update" and reported:
        number, position = reported[-1]
        return (
            f"No end-of-year report yet: at its latest report ({quarter_words(Quarter(year, number), start)}) "
            f"it was {STANDING[position]}"
        )
    return "Not yet reported on"


# --- strategic objectives and themes --------------------------------------------------------


def _themes(
    status: Status,
    annual: AnnualReport,
    rows: list[AnnualRow],
    shown: dict[str, PublicObjective],
    counter: Iterator[int],
) -> tuple[PublicTheme, ...]:
    trust = status.trust
    year = status.point.quarter.year
    start = trust.year_start_month
    strategic = status.strategic_objectives_in_view(during=year)
    if not strategic:  # a trust without strategic objectives: its priorities group the objectives
        goals = tuple(
            _goal(p.title, p.statement or "", (), [shown[r.id] for r in p.rows]) for p in annual.priorities if p.rows
        )
        return (PublicTheme("", "", goals),) if goals else ()
    goals_by_theme: dict[str, list[PublicGoal]] = {}
    described: dict[str, str] = {}  # an objective supporting several is described under the first, named under the rest
    for objective in strategic:
        members = [r.id for r in rows if objective.id in r.supports]
        measures = tuple(_measure(m, counter, start) for m in status.strategic_measures.get(objective.id, ()))
        also = tuple((shown[m].title, described[m]) for m in members if m in described)
        here = [m for m in members if m not in described]
        described.update(dict.fromkeys(here, objective.title))
        goal = _goal(objective.title, objective.description or "", measures, [shown[m] for m in members])
        goals_by_theme.setdefault(objective.theme or "", []).append(
            PublicGoal(goal.title, goal.description, goal.summary, measures, tuple(shown[m] for m in here), also)
        )
    in_view = {s.id for s in strategic}
    others = [shown[r.id] for r in rows if not set(r.supports) & in_view]
    themes = [
        PublicTheme(t.title, t.statement or "", tuple(goals_by_theme[t.id]))
        for t in trust.themes
        if t.id in goals_by_theme
    ]
    untitled = goals_by_theme.get("", []) + ([_goal("Our other objectives", "", (), others)] if others else [])
    if untitled:
        themes.append(PublicTheme("", "", tuple(untitled)))
    return tuple(themes)


def _goal(
    title: str, description: str, measures: tuple[PublicMeasure, ...], objectives: list[PublicObjective]
) -> PublicGoal:
    return PublicGoal(title, description, _summary(objectives), measures, tuple(objectives))


SUMMARY_WORDS = (
    ("Delivered", "{n} delivered"),
    ("Achieved by the end of the year", "{n} achieved by the end of the year"),
    ("Partly achieved", "{n} partly achieved"),
    ("Not achieved", "{n} not achieved"),
    ("Continues", "{n} continuing into the next year"),
    ("No end-of-year report yet", "{n} still waiting for {their} end-of-year report"),
    ("Not yet reported on", "{n} not yet reported on"),
)
"""How many objectives ended the year each way, in this order, as a sentence counts them."""


def outcome_sentence(objectives: Iterable[PublicObjective]) -> str:
    """`2 delivered, 1 partly achieved and 3 still waiting for their end-of-year report`."""
    tally: dict[str, int] = {}
    for objective in objectives:
        head = objective.outcome.split(":")[0]
        key = "Continues" if head.startswith("Continues") else head
        tally[key] = tally.get(key, 0) + 1
    parts = [
        words.format(n=tally[key], their="their" if tally[key] != 1 else "its")
        for key, words in SUMMARY_WORDS
        if tally.get(key)
    ]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _summary(objectives: list[PublicObjective]) -> str:
    """`3 objectives: 2 delivered and 1 partly achieved.`"""
    if not objectives:
        return "We set no objective under this in the year."
    return f"{len(objectives)} objective{'s' if len(objectives) != 1 else ''}: {outcome_sentence(objectives)}."


# --- measures -------------------------------------------------------------------------------


def _measure(result: MeasureResult, counter: Iterator[int], start: int) -> PublicMeasure:
    measure = result.measure
    parts: list[str] = []
    first = result.points[0] if result.points else None
    if first is not None and len(result.points) > 1:
        parts.append(f"It started at {value_text(measure, first[1])} ({period_words(first[0], start)})")
    if result.latest is not None and result.latest_period is not None:
        verb = "and was" if parts else "It was"
        parts.append(f"{verb} {value_text(measure, result.latest)} in {period_words(result.latest_period, start)}")
    else:
        parts.append("No value has been recorded yet")
    sentence = " ".join(parts) + "."
    if measure.target is not None:
        sentence += f" The target is {target_text(measure)}."
    if measure.duration:  # 18:40 could be read as a time of day
        sentence += " Times are in minutes and seconds."
    if result.signal in MEASURE_STANDING:
        sentence += f" It is {MEASURE_STANDING[result.signal]}."
    return PublicMeasure(measure.name, sentence, MeasureView(result, f"measure-{next(counter)}"))


# --- risks ----------------------------------------------------------------------------------


def _public_risks(status: Status, year: FinancialYear) -> Iterator[PublicRisk]:
    """The risks the trust marked public that were on the BAF in any quarter of the year, in id order."""
    trust = status.trust
    titles = {s.id: s.title for s in trust.strategic_objectives}
    for risk_id in sorted(status.every_risk):
        risk = status.every_risk[risk_id]
        quarters = [q for q in (year.quarter(n) for n in range(1, 5)) if risk.on_baf(q)]
        if not risk.public or not quarters:
            continue
        yield PublicRisk(
            risk.title,
            risk.description or "",
            tuple(titles[s] for s in risk.threatens if s in titles),
            _risk_level(risk, trust, quarters),
            _risk_aim(risk, trust),
            tuple(_action(a, year.quarter(4).last_day(trust.year_start_month)) for a in risk.actions if a.public),
        )


def _risk_level(risk: Risk, trust: Trust, quarters: list[Quarter]) -> str:
    """The risk's score at its latest review of the year, and at its first where that differs: only
    what the Board recorded in the year, never a later quarter's score, nor an earlier year's."""
    start = trust.year_start_month
    reviews = [r for r in risk.reviews if r.quarter in quarters and r.current.value is not None]
    if not reviews:
        score = risk.current.value
        return f"Its level: {_score_words(score, trust)}, its latest score." if score is not None else ""
    first, last = reviews[0], reviews[-1]
    assert first.current.value is not None and last.current.value is not None  # kept above
    words = f"Its level: {_score_words(last.current.value, trust)} in {quarter_words(last.quarter, start)}"
    if first.current.value != last.current.value:
        change = "down" if last.current.value < first.current.value else "up"
        words += f", {change} from {first.current.value} in {quarter_words(first.quarter, start)}"
    elif first is not last:
        words += f", the same as in {quarter_words(first.quarter, start)}"
    return words + "."


def _risk_aim(risk: Risk, trust: Trust) -> str:
    score = risk.target.value
    if score is None:
        return ""
    by = f" by {long_date(risk.target_date)}" if risk.target_date is not None else ""
    return f"We aim to bring it down to {_score_words(score, trust)}{by}."


def _score_words(score: int, trust: Trust) -> str:
    band = band_of(score, trust)
    return f"{band} ({score} out of 25)" if band not in ("unbanded", "unscored") else f"{score} out of 25"


def _action(action: Action, year_end: date) -> PublicAction:
    """The action as it stood at the year's end: one done after it was still open in that year's report."""
    if action.done is not None and action.done <= year_end:
        return PublicAction(action.title, f"done {long_date(action.done)}")
    return PublicAction(action.title, f"due {long_date(action.due)}" if action.due is not None else "")


# --- periods in words -----------------------------------------------------------------------


def quarter_words(quarter: Quarter, start: int) -> str:
    """`April to June 2021`; `December 2021 to February 2022` across a new year."""
    first, _, last = months_of(quarter, start)
    if first.year == last.year:
        return f"{first.first_day():%B} to {last.first_day():%B} {last.year}"
    return f"{_month_year(first.first_day())} to {_month_year(last.first_day())}"


def period_words(label: str, start: int) -> str:
    """A measure's period as a reader says it: `April to June 2021`, `April 2022`."""
    period = parse_period(label)
    return _month_year(period.first_day()) if isinstance(period, Month) else quarter_words(period, start)


def _year_words(year: FinancialYear, start: int) -> str:
    first = months_of(year.quarter(1), start)[0]
    last = months_of(year.quarter(4), start)[2]
    return f"{_month_year(first.first_day())} to {_month_year(last.first_day())}"


def _end_of(quarter: Quarter, start: int) -> str:
    return f"the end of {_month_year(quarter.last_day(start))}"


def _month_year(day: date) -> str:
    return f"{day:%B %Y}"


def _records_date(provenance: Provenance) -> str:
    """The day of the commit the records were read at; "" when they are not all committed."""
    if provenance.committed is None or provenance.dirty:
        return ""
    return long_date(date.fromisoformat(provenance.committed[:10]))
