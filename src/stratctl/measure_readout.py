"""A measure's result read out: one line for `status`, the whole trace for `explain`, and its
entry in `status --format json`.

The rating engine (stratctl.measures) evaluates; this module only shows what it found.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from stratctl import spc as xmr
from stratctl.measure_words import ASSURANCE_SHORT, VARIATION_SHORT, point_text, target_text
from stratctl.measures import MeasureResult
from stratctl.numbers import number
from stratctl.records import Measure, Standard
from stratctl.spc import SpcChart

__all__ = ["measure_json", "measure_trace", "summary"]


def summary(result: MeasureResult) -> str:
    """`ed-4-hour G (common cause, hit and miss)`: one measure on a status line."""
    words = []
    if result.spc is not None:
        words.append(VARIATION_SHORT[result.spc.variation])
        if result.assurance is not None:
            words.append(ASSURANCE_SHORT[result.assurance])
    else:
        words.append(f"{len(result.points)} of {xmr.MIN_POINTS} points for SPC")
    return f"{result.id} {result.signal or 'none'} ({', '.join(words)})"


def measure_trace(result: MeasureResult) -> list[str]:
    """Every line `stratctl explain` prints for the measure: its points, the reason and, with a chart, its SPC."""
    measure = result.measure
    unit = f", {measure.unit}" if measure.unit else ""
    lines = [
        f"measure {measure.id} ({measure.name}{unit}): {measure.cadence}, {measure.kind}, "
        f"direction {measure.direction}; "
        f"target {target_text(measure)}"
        + (f", due {result.target_period}" if isinstance(measure.target, float) else ""),
    ]
    baseline = str(measure.baseline.period) if measure.baseline is not None else None
    shown = [f"{p}: {point_text(measure, v)}{' (baseline)' if p == baseline else ''}" for p, v in result.points]
    lines.append(f"points ({len(result.points)} by {result.upto}): " + (", ".join(shown) if shown else "none"))
    lines.append(result.reason)
    if result.projection is not None:
        lines.append(
            f"trend line (least squares over the points) at {result.projection[0]}: {number(result.projection[1])}"
        )
    chart = result.spc
    if chart is None:
        lines.append(xmr.too_few_points(len(result.points)))
        return lines
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
    for line in xmr.trace(chart, target=target, between=between):
        if line.startswith("points: "):
            continue  # listed above, with their periods
        if line.startswith("point "):
            continue  # listed below, with their periods
        if line.startswith("variation "):
            lines.extend(_special_lines(result, chart))
        lines.append(line)
    return lines


def _special_lines(result: MeasureResult, chart: SpcChart) -> list[str]:
    lines = []
    for count, (point, (period, _)) in enumerate(zip(chart.points, result.points, strict=True), start=1):
        if point.special:
            lines.append(
                f"point {count}, {period} ({point_text(result.measure, point.value)}): "
                f"{', '.join(point.rules)}: {point.kind} {point.side}"
            )
    return lines


def _json_number(measure: Measure, value: float) -> float | int:
    """A value for the JSON: a whole number for a level, else the float as recorded (full precision)."""
    return round(value) if measure.kind == "level" else value


def _target_json(measure: Measure) -> float | int | dict[str, Any] | None:
    target = measure.target
    if target is None:
        return None
    if isinstance(target, Standard):
        if target.between is not None:
            return {"between": [_json_number(measure, target.between[0]), _json_number(measure, target.between[1])]}
        return {target.kind: _json_number(measure, target.values[0])}
    return _json_number(measure, target)


def measure_json(result: MeasureResult) -> dict[str, Any]:
    """One measure's entry in `status --format json`: its signal, latest value, target and SPC."""
    measure = result.measure
    chart = result.spc
    spc_json: dict[str, Any] | None = None
    if chart is not None:
        spc_json = {
            "points": len(chart.points),
            "mean": chart.mean,
            "lower": chart.lower,
            "upper": chart.upper,
            "lower_near": chart.lower_near,
            "upper_near": chart.upper_near,
            "moving_range_mean": chart.moving_range_mean,
            "dropped_ranges": list(chart.dropped_ranges),
            "variation": chart.variation,
            "assurance": result.assurance,
            # Each special-cause point by its period (its value is in `points`), with the rules that fired.
            "special": [
                {"period": period, "rules": list(p.rules), "kind": p.kind, "side": p.side}
                for p, (period, _) in zip(chart.points, result.points, strict=True)
                if p.special
            ],
        }
    return {
        "id": measure.id,
        "name": measure.name,
        "unit": measure.unit,
        "direction": measure.direction,
        "cadence": measure.cadence,
        "kind": measure.kind,
        "signal": result.signal,
        "latest": None if result.latest is None else _json_number(measure, result.latest),
        "latest_period": result.latest_period,
        "target": _target_json(measure),
        "target_period": result.target_period,
        "projection": None
        if result.projection is None
        else {
            "period": result.projection[0],
            "value": result.projection[1],
        },
        "reason": result.reason,
        # period -> value, oldest first, the baseline included: the shape of the record's `actuals`.
        "points": {period: _json_number(measure, value) for period, value in result.points},
        "baseline_period": str(measure.baseline.period) if measure.baseline is not None else None,
        "spc": spc_json,
    }
