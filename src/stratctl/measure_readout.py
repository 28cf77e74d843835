"""A measure's result read out: one line for `status`, the whole trace for `explain`, and its
entry in `status --format json`.

The rating engine (stratctl.measures) evaluates; this module only shows what it found.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from stratctl import spc as xmr
from stratctl.measure_words import (
    ASSURANCE_SHORT,
    PROVISIONAL_NOTE,
    VARIATION_SHORT,
    period_count,
    point_text,
    provisional_mark,
    target_text,
    value_text,
)
from stratctl.measures import MeasureResult
from stratctl.numbers import number
from stratctl.records import Measure, Standard
from stratctl.spc import SpcChart

__all__ = ["measure_json", "measure_trace", "summary"]


def summary(result: MeasureResult) -> str:
    """`ed-4-hour G (common cause, hit and miss)`: one measure on a status line."""
    words = []
    chart = result.spc
    if chart is not None and chart.variation is not None:
        words.append(VARIATION_SHORT[chart.variation])
        if result.assurance is not None:
            words.append(ASSURANCE_SHORT[result.assurance])
        if chart.trial:
            words.append("trial limits")
    elif result.measure.accumulates is not None:
        words.append("year-to-date totals, no SPC")
    else:
        counted = len(chart.latest.points) if chart is not None else len(result.points)
        words.append(f"{counted} of {xmr.MIN_POINTS} points for SPC")
    if result.measure.watched:
        words.append("watched")
    if result.latest is not None and result.latest_provisional:
        words.append(f"latest {value_text(result.measure, result.latest)}{provisional_mark(True)}: provisional")
    return f"{result.id} {result.signal or 'none'} ({', '.join(words)})"


def measure_trace(result: MeasureResult) -> list[str]:
    """Every line `stratctl explain` prints for the measure: its points, the reason and, with a chart, its SPC."""
    measure = result.measure
    lines = [_heading(result), *_points_lines(result), result.reason]
    if result.projection is not None:
        lines.append(
            f"trend line (least squares over the points) at {result.projection[0]}: "
            f"{value_text(measure, result.projection[1]) if measure.duration else number(result.projection[1])}"
        )
    chart = result.spc
    if chart is None:
        if measure.accumulates is not None:
            lines.append("no SPC: year-to-date totals climb through each year and restart at 0")
        else:
            lines.append(xmr.too_few_points(len(result.points)))
        return lines
    return lines + _spc_lines(result, chart)


def _heading(result: MeasureResult) -> str:
    measure = result.measure
    unit = f", {measure.unit}" if measure.unit else ""
    extras = [
        words
        for words, on in (
            ("year-to-date totals", measure.accumulates is not None),
            ("watched", measure.watched),
            ("a duration, computed in seconds", measure.duration),
        )
        if on
    ]
    return (
        f"measure {measure.id} ({measure.name}{unit}): {measure.cadence}, {measure.kind}, "
        f"direction {measure.direction}; target {target_text(measure)}"
        + (f", due {result.target_period}" if isinstance(measure.target, float) else "")
        + (f" ({', '.join(extras)})" if extras else "")
    )


def _points_lines(result: MeasureResult) -> list[str]:
    """The points with their periods (baseline, history and provisional marked), the notes, the year's mean."""
    measure = result.measure
    baseline = str(measure.baseline.period) if measure.baseline is not None else None
    history = {label for label, _ in result.points[: result.history]}
    shown = []
    for p, v in result.points:
        tags = [t for t, on in (("baseline", p == baseline), ("history", p in history)) if on]
        tag = f" ({', '.join(tags)})" if tags else ""
        shown.append(f"{p}: {point_text(measure, v)}{provisional_mark(p in result.provisional)}{tag}")
    lines = [f"points ({len(result.points)} by {result.upto}): " + (", ".join(shown) if shown else "none")]
    if result.provisional:
        lines.append(PROVISIONAL_NOTE)
    lines.extend(f"note on {period}: {note}" for period, note in result.notes)
    if result.year_mean is not None:
        mean, count = result.year_mean
        periods = period_count(count, measure.cadence == "monthly")
        lines.append(f"the year's mean so far: {value_text(measure, mean)} over {periods}")
    return lines


def _spc_lines(result: MeasureResult, chart: SpcChart) -> list[str]:
    """The chart's trace, against the standard or target as the assurance reads it."""
    measure = result.measure
    standard = measure.standard
    target: float | None = None
    between: tuple[float, float] | None = None
    if standard is not None and standard.between is not None:
        between = (standard.between[0], standard.between[1])
    elif standard is not None:
        target = standard.values[0]
        chart = replace(chart, direction="up" if standard.kind == "at_least" else "down")
    elif isinstance(measure.target, float):
        target = measure.target
    labels = [label for label, _ in result.points]
    show = (lambda v: point_text(measure, v)) if measure.duration else None
    lines = xmr.trace(
        chart, target=target, between=between, labels=labels, show=show, show_point=lambda v: point_text(measure, v)
    )
    if chart.limits is None:
        since = labels[chart.latest.start] if len(chart.segments) > 1 else None
        lines.append(xmr.too_few_points(len(chart.latest.points), since))
    return lines


def _json_number(measure: Measure, value: float) -> float | int:
    """A value for the JSON: a whole number for a level, else the float as recorded (full precision;
    seconds for a duration)."""
    return round(value) if measure.kind == "level" else value


def _target_json(measure: Measure) -> float | int | dict[str, Any] | None:
    target = measure.target
    if target is None:
        return None
    if isinstance(target, Standard):
        entry: dict[str, Any]
        if target.between is not None:
            entry = {"between": [_json_number(measure, target.between[0]), _json_number(measure, target.between[1])]}
        else:
            entry = {target.kind: _json_number(measure, target.values[0])}
        if target.over is not None:
            entry["over"] = target.over
        return entry
    return _json_number(measure, target)


def _spc_json(result: MeasureResult, chart: SpcChart) -> dict[str, Any]:
    limits = chart.limits
    labels = [label for label, _ in result.points]
    segments = []
    for segment in chart.segments:
        lines = segment.limits
        segments.append(
            {
                "from": labels[segment.start],
                "to": labels[segment.end - 1],
                "points": len(segment.points),
                "mean": lines.mean if lines else None,
                "lower": lines.lower if lines else None,
                "upper": lines.upper if lines else None,
                "trial": segment.trial,
                "variation": segment.variation,
            }
        )
    return {
        # the latest segment's: the process as it runs now
        "points": len(chart.latest.points),
        "mean": limits.mean if limits else None,
        "lower": limits.lower if limits else None,
        "upper": limits.upper if limits else None,
        "lower_near": limits.lower_near if limits else None,
        "upper_near": limits.upper_near if limits else None,
        "moving_range_mean": limits.moving_range_mean if limits else None,
        "dropped_ranges": list(limits.dropped_ranges) if limits else [],
        # the same moving ranges screened out, each as the two periods it joins
        "screened": [
            [labels[chart.latest.start + k], labels[chart.latest.start + k + 1]] for k in limits.dropped_ranges
        ]
        if limits
        else [],
        "trial": chart.trial,
        "variation": chart.variation,
        "assurance": result.assurance,
        "rebased_at": list(result.rebased_at),
        "segments": segments,
        # Each special-cause point by its period (its value is in `points`), with the rules that fired.
        "special": [
            {"period": period, "rules": list(p.rules), "kind": p.kind, "side": p.side}
            for p, (period, _) in zip(chart.points, result.points, strict=True)
            if p.special
        ],
    }


def measure_json(result: MeasureResult) -> dict[str, Any]:
    """One measure's entry in `status --format json`: its signal, latest value, target and SPC."""
    measure = result.measure
    chart = result.spc
    return {
        "id": measure.id,
        "name": measure.name,
        "unit": measure.unit,
        "direction": measure.direction,
        "cadence": measure.cadence,
        "kind": measure.kind,
        "watched": measure.watched,
        "accumulates": measure.accumulates,
        "signal": result.signal,
        "latest": None if result.latest is None else _json_number(measure, result.latest),
        "latest_text": None if result.latest is None else value_text(measure, result.latest),
        "latest_period": result.latest_period,
        "latest_provisional": result.latest_provisional,
        "target": _target_json(measure),
        "target_period": result.target_period,
        "projection": None
        if result.projection is None
        else {
            "period": result.projection[0],
            "value": result.projection[1],
        },
        "year_mean": None
        if result.year_mean is None
        else {"value": result.year_mean[0], "periods": result.year_mean[1]},
        "reason": result.reason,
        # period -> value, oldest first, the baseline and history included: the shape of the record's `actuals`.
        "points": {period: _json_number(measure, value) for period, value in result.points},
        "history": [period for period, _ in result.points[: result.history]],
        "baseline_period": str(measure.baseline.period) if measure.baseline is not None else None,
        "provisional": sorted(result.provisional),
        "notes": dict(result.notes),
        "spc": _spc_json(result, chart) if chart is not None else None,
    }
