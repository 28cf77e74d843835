"""`export`: the tracker, the risk register and the measures as tables a Board office can filter, sort and sum.

The tracker's columns follow the trust's own tracker, plus the id, the quarter, the executive's
title and the computed position; the risk register's are a BAF summary's (vocabulary.RISK_HEADINGS).
`import tracker` and `import risks` read an export back without changing a record; the measures'
values are a long table in the layout `import measures` reads (record, measure, period, value,
provisional, note), so it too reads back unchanged. Cells are typed:
a score or a count is a whole number, a date a date (a date cell in XLSX, ISO 8601 in CSV), and
everything else text; a list (controls, actions ...) is one bulleted line an item.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from stratctl.measure_words import ASSURANCE_SHORT, VARIATION_SHORT, target_text, value_text
from stratctl.measures import MeasureResult
from stratctl.numbers import duration
from stratctl.rating import rating_in_force
from stratctl.records import Rating, Risk, Trust
from stratctl.records.risk import Assurance
from stratctl.spreadsheet import Cell
from stratctl.status import Status
from stratctl.vocabulary import ARROWS, RISK_HEADINGS, TRACKER_HEADINGS, label

TRACKER_HEADER = [
    *TRACKER_HEADINGS.values(),
    "Reported Position",
    "Computed Position",
    "Trend",
    "Stale",
]
MEASURE_HEADER = [
    "Record",
    "Measure",
    "Name",
    "Unit",
    "Cadence",
    "Target",
    "Latest",
    "Latest Period",
    "Provisional",
    "Signal",
    "Year Mean",
    "Variation",
    "Assurance",
    "Limits Recalculated From",
    "Reason",
]
VALUE_HEADER = ["Record", "Measure", "Period", "Value", "Provisional", "Note"]
RISK_HEADER = [
    *RISK_HEADINGS.values(),
    "Band",
    "Trend",
    "Distance To Target",
    "Above Appetite",
]
NO_LEAD = "Not yet named"
"""A risk's lead title where the trust has not yet named its lead: as the paper says it."""
NOT_GIVEN = "—"
"""An action's owner or date the record does not give, keeping its line beside the action's."""
BULLET = "• "
LINE_WORDS = {1: "1st line", 2: "2nd line", 3: "3rd line"}
RATING_WORDS = {"positive": "positive assurance", "limited": "limited assurance", "none": "no assurance"}


def _position(letter: str | None) -> str:
    return "Complete" if letter == "C" else (letter or "")


def tables(status: Status) -> dict[str, list[list[Cell]]]:
    """The tracker, the risk register and the measures: each a header row and one row per record,
    in the Board's order."""
    return {"Tracker": _tracker(status), "Risks": _risks(status), **measure_tables(status)}


def _tracker(status: Status) -> list[list[Cell]]:
    priorities = {p.id: p for p in status.trust.priorities}
    titles = {e.id: e.title for e in status.trust.executives}
    tracker: list[list[Cell]] = [list(TRACKER_HEADER)]
    quarter = status.point.quarter
    # beside a priority, the risks on the quarter's BAF: one closed or not yet opened is not cited then
    on_baf = {k.id for k, _ in status.risks} | {k for k, r in status.every_risk.items() if r.on_baf(quarter)}
    for objective, rating in status.in_tracker_order(status.objectives):
        priority = priorities.get(objective.priority)
        update = rating.update
        tracker.append(
            [
                objective.id,
                str(update.quarter) if update else "",
                priority.title if priority else objective.priority,
                " ".join(r for r in priority.risks if r in on_baf or r not in status.every_risk) if priority else "",
                objective.title,
                objective.lead,
                titles.get(objective.lead, ""),
                label(update.progress) if update else "",
                (update.comment or "") if update else "",
                objective.due,
                # the Board's declared arrow with its position, as the tracker writes it (A↓): import keeps both
                _position(update.projected) + (ARROWS[update.trend] if update.projected and update.trend else "")
                if update
                else "",
                (update.rationale or "") if update else "",
                _position(rating.reported) if rating.reported != "none" else "",
                _position(rating.computed) if rating.computed != "none" else "",
                rating.trend,
                "yes" if rating.stale else "",
            ]
        )
    return tracker


def _risks(status: Status) -> list[list[Cell]]:
    trust = status.trust
    risks: list[list[Cell]] = [list(RISK_HEADER)]
    for risk, scored in status.risks:
        current, _ = rating_in_force(risk, status.point.quarter)
        risks.append(
            [
                risk.id,
                risk.title,
                _one_line(risk.description or ""),
                risk.lead or "",
                _lead_title(risk, trust),
                "\n".join(_committee_title(name, trust) for name in risk.committees),
                ", ".join(risk.threatens),
                risk.appetite or "",
                *_rating_cells(risk.inherent),
                *_rating_cells(current),
                *_rating_cells(risk.target),
                risk.target_date,
                _bulleted(risk.controls),
                _bulleted(risk.gaps),
                _bulleted(_assurance_text(a) for a in risk.assurances),
                _bulleted(risk.assurance_gaps),
                _bulleted(a.title for a in risk.actions),
                "\n".join(a.owner or NOT_GIVEN for a in risk.actions),
                "\n".join(a.due.isoformat() if a.due else NOT_GIVEN for a in risk.actions),
                "\n".join(a.done.isoformat() if a.done else NOT_GIVEN for a in risk.actions),
                scored.band,
                scored.trend,
                scored.distance_to_target,
                "yes" if scored.above_appetite else "",
            ]
        )
    return risks


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _bulleted(items: Iterable[str]) -> str:
    """One line an item, each with a bullet, so an item that starts `1.` or `-` reads back as written."""
    return "\n".join(BULLET + _one_line(item) for item in items)


def _lead_title(risk: Risk, trust: Trust) -> str:
    if risk.lead is None:
        return NO_LEAD
    return next((e.title for e in trust.executives if e.id == risk.lead), risk.lead)


def _committee_title(name: str, trust: Trust) -> str:
    """A committee by its title where trust.yaml lists it (the import finds it by title), else as the risk writes it."""
    return next((c.title for c in trust.committees if c.id == name), name)


def _rating_cells(rating: Rating | None) -> list[Cell]:
    """Likelihood, consequence and score: whole numbers, or empty where the record gives none."""
    if rating is None:
        return [None, None, None]
    return [rating.likelihood, rating.consequence, rating.value]


def _assurance_text(assurance: Assurance) -> str:
    """`2nd line: Quality committee reports (limited assurance)`: as a BAF summary writes it, and as import reads it."""
    text = _one_line(assurance.source)
    if assurance.line is not None:
        text = f"{LINE_WORDS[assurance.line]}: {text}"
    if assurance.rating is not None:
        text = f"{text} ({RATING_WORDS[assurance.rating]})"
    return text


def _measures(status: Status) -> Iterator[tuple[str, MeasureResult]]:
    """Every measure in the view with the record that holds it: objectives, strategic objectives, commitments."""
    for objective, rating in status.in_tracker_order(status.objectives):
        for result in rating.measures:
            yield objective.id, result
    for strategic in status.trust.strategic_objectives:
        for result in status.strategic_measures.get(strategic.id, ()):
            yield strategic.id, result
    for commitment in status.commitments:
        for result in commitment.measures:
            yield f"{commitment.strategy}.{commitment.id}", result


def measure_tables(status: Status) -> dict[str, list[list[Cell]]]:
    """One row per measure (its reading at the point), and one per value (the layout import measures reads)."""
    summary: list[list[Cell]] = [list(MEASURE_HEADER)]
    values: list[list[Cell]] = [list(VALUE_HEADER)]
    for record, result in _measures(status):
        measure = result.measure
        mean = ""
        if result.year_mean is not None:
            mean = f"{value_text(measure, result.year_mean[0])} over {result.year_mean[1]}"
        summary.append(
            [
                record,
                measure.id,
                measure.name,
                measure.unit or "",
                measure.cadence,
                target_text(measure) if measure.target is not None else "",
                value_text(measure, result.latest) if result.latest is not None else "",
                result.latest_period or "",
                "yes" if result.latest_provisional else "",
                result.signal or "",
                mean,
                VARIATION_SHORT[result.variation] if result.variation else "",
                ASSURANCE_SHORT[result.assurance] if result.assurance else "",
                " ".join(result.rebased_at),
                result.reason,
            ]
        )
        notes = dict(result.notes)
        baseline = str(measure.baseline.period) if measure.baseline is not None else None
        for period, value in result.points:
            if period == baseline:
                continue  # a baseline is no actual: import would refuse it as one
            shown: Cell = duration(value) if measure.duration else value  # a number cell: a spreadsheet sums it
            values.append(
                [
                    record,
                    measure.id,
                    period,
                    shown,
                    "yes" if period in result.provisional else "",
                    notes.get(period, ""),
                ]
            )
    return {"Measures Summary": summary, "Measures": values}
