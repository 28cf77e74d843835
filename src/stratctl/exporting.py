"""`export`: the tracker, the risk register and the measures as tables a Board office can filter.

Columns follow the trust's own tracker, plus the id, the quarter and the computed
position, so that `import tracker` reads an export back without changing a record. The
measures' values are a long table in the layout `import measures` reads (record, measure,
period, value, provisional, note), so it too reads an export back without changing a record.
"""

from __future__ import annotations

from collections.abc import Iterator

from stratctl.measure_words import ASSURANCE_SHORT, VARIATION_SHORT, target_text, value_text
from stratctl.measures import MeasureResult
from stratctl.numbers import duration
from stratctl.status import Status
from stratctl.vocabulary import ARROWS, TRACKER_HEADINGS, label

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
    "Strategic Risk",
    "Current Risk Score",
    "Target Risk Score",
    "Id",
    "Title",
    "Lead",
    "Band",
    "Trend",
    "Distance To Target",
    "Appetite",
    "Above Appetite",
    "Threatens",
]


def _position(letter: str | None) -> str:
    return "Complete" if letter == "C" else (letter or "")


def tables(status: Status) -> dict[str, list[list[str]]]:
    """The tracker and the risk register, each a header row and one row per record, in a stable order."""
    priorities = {p.id: p for p in status.trust.priorities}
    tracker = [TRACKER_HEADER]
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
                label(update.progress) if update else "",
                (update.comment or "") if update else "",
                objective.due.strftime("%d/%m/%Y") if objective.due else "",
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
    risks = [RISK_HEADER]
    for risk, scored in status.risks:
        risks.append(
            [
                f"{risk.id}: {risk.description or risk.title}",
                str(scored.score),
                str(scored.target_score),
                risk.id,
                risk.title,
                risk.lead,
                scored.band,
                scored.trend,
                str(scored.distance_to_target),
                risk.appetite or "",
                "yes" if scored.above_appetite else "",
                " ".join(risk.threatens),
            ]
        )
    return {"Tracker": tracker, "Risks": risks, **measure_tables(status)}


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


def measure_tables(status: Status) -> dict[str, list[list[str]]]:
    """One row per measure (its reading at the point), and one per value (the layout import measures reads)."""
    summary = [MEASURE_HEADER]
    values = [VALUE_HEADER]
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
            shown = duration(value) if measure.duration else _plain_number(value)
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


def _plain_number(value: float) -> str:
    """The value as recorded, in full: 72.1, 12640 (never rounded: import reads it back unchanged)."""
    return str(int(value)) if value.is_integer() else repr(value)
