"""A measure's values in words: with its unit, as a whole stage, against its target or standard.

The reasons the rating engine gives (stratctl.measures), explain's trace, the status line and the
Board paper all write a measure's numbers here, so a value reads the same wherever it is shown.
"""

from __future__ import annotations

import math

from stratctl.numbers import duration, number, with_unit
from stratctl.records import Measure, Standard

__all__ = [
    "ASSURANCE_SHORT",
    "PROVISIONAL_MARK",
    "PROVISIONAL_NOTE",
    "VARIATION_SHORT",
    "gap_text",
    "percent_beside",
    "period_count",
    "point_text",
    "provisional_mark",
    "stage_count",
    "standard_text",
    "statistic_text",
    "target_text",
    "value_text",
]

VARIATION_SHORT: dict[str, str] = {
    "common_cause": "common cause",
    "improvement_high": "improvement (high)",
    "improvement_low": "improvement (low)",
    "concern_high": "concern (high)",
    "concern_low": "concern (low)",
    "neutral_high": "special cause (high)",
    "neutral_low": "special cause (low)",
}
"""A chart's variation in the few words a status line has room for."""

ASSURANCE_SHORT: dict[str, str] = {"pass": "pass", "fail": "fail", "hit_and_miss": "hit and miss"}
"""A chart's assurance in the words a status line and a reason use."""


def value_text(measure: Measure, value: float) -> str:
    """A value of this measure: a whole stage for a level (never a fraction), minutes and seconds for
    a duration (its value is in seconds), else with its unit."""
    if measure.duration:
        return duration(value)
    if measure.kind == "level":
        stage = str(round(value))
        return f"{stage} {measure.unit}" if measure.unit else f"stage {stage}"
    return with_unit(number(value), measure.unit or "")


def statistic_text(measure: Measure, value: float) -> str:
    """A statistic (a limit, a gap) in the measure's unit; not rounded to a stage, which it is not."""
    if measure.duration:
        return duration(value)
    return with_unit(number(value), "" if measure.kind == "level" else measure.unit or "")


def point_text(measure: Measure, value: float) -> str:
    """A point's value in a list of points, without its unit: a whole stage for a level."""
    if measure.duration:
        return duration(value)
    return str(round(value)) if measure.kind == "level" else number(value)


def standard_text(measure: Measure, standard: Standard) -> str:
    """`at least 95%`, `at most 18 weeks`, `between 92% and 96%`; `at most 30:00 on the year's average`."""
    over = " on the year's average" if standard.over == "year" else ""
    if standard.between is not None:
        low, high = value_text(measure, standard.between[0]), value_text(measure, standard.between[1])
        return f"between {low} and {high}{over}"
    return f"{standard.kind.replace('_', ' ')} {value_text(measure, standard.values[0])}{over}"


def target_text(measure: Measure) -> str:
    """The target in words: `76%`, `at least 95%`, `between 92% and 96%`, or `no target`."""
    target = measure.target
    if target is None:
        return "no target"
    if isinstance(target, Standard):
        return standard_text(measure, target)
    return value_text(measure, target)


def gap_text(measure: Measure, gap: float) -> str:
    """How far a value is off: in percentage points for a measure in %, else in the measure's unit."""
    if measure.duration:
        return duration(gap)
    if (measure.unit or "").startswith("%") and measure.kind != "level":
        return f"{number(gap)} percentage point{'' if gap == 1 else 's'}"
    return statistic_text(measure, gap)


def period_count(count: int, monthly: bool) -> str:
    """`1 quarter`, `3 months`."""
    word = "month" if monthly else "quarter"
    return f"{count} {word}{'' if count == 1 else 's'}"


def stage_count(count: int) -> str:
    """`1 stage`, `2 stages`."""
    return f"{count} stage{'' if count == 1 else 's'}"


def percent_beside(share: float, tolerance: float) -> str:
    """`share` as a percentage with as many decimals (up to three) as it takes not to read as the
    tolerance it is compared with: 10.2% beyond a 10% tolerance, never "10% beyond 10%"."""
    shown_tolerance = f"{tolerance:.0%}"
    if math.isclose(share, tolerance, rel_tol=1e-9, abs_tol=1e-12):
        return shown_tolerance  # exactly at the tolerance: the same words are right
    for decimals in range(4):
        shown = f"{share:.{decimals}%}"
        if shown != shown_tolerance and (decimals == 0 or not shown.rstrip("%").endswith("0")):
            return shown
    return shown


PROVISIONAL_MARK = "p"
"""The mark after a provisional value in every table and chart, explained in a footnote."""
PROVISIONAL_NOTE = "p: provisional, may be revised"
"""The footnote a table or chart with a provisional value carries."""


def provisional_mark(provisional: bool) -> str:
    """` (p)` after a provisional value in plain text; "" otherwise."""
    return f" ({PROVISIONAL_MARK})" if provisional else ""
