"""Statistical process control: the XmR chart of NHS England's "Making Data Count".

The method is the one the NHSRplotthedots R package computes, written down in full so that
a reader can check any chart by hand:

1. At least ``MIN_POINTS`` (15) points in time order; with fewer there is no chart.
2. The mean of all points; moving ranges ``mR(i) = |x(i) - x(i-1)|`` and their mean mR̄.
   A moving range of ``3.267 × mR̄`` or more is screened out and mR̄ is recomputed, once,
   from the ranges kept, so one wild month does not widen the limits for every other.
3. Process limits ``mean ± 2.66 mR̄``; near-limit lines ``mean ± (2/3)(2.66) mR̄``.
4. A point is special cause when any rule fires for it (all that fire are recorded):
   ``outside_limits`` (strictly beyond a process limit), ``shift`` (in a run of 7 or more
   on one side of the mean; a point on the mean breaks the run), ``trend`` (in a run of 7 or
   more each strictly higher, or each strictly lower, than the one before; a tie breaks it),
   ``two_of_three`` (beyond a near-limit line but not outside the process limit, in a window
   of 3 consecutive points all on that side of the mean of which 2 or more are also there).
5. A special-cause point is improvement on the side of the mean the direction favours,
   concern on the other, neutral when the direction is neutral. The side is the point's
   own, even in a trend: a rising trend still below the mean is low. (NHSRplotthedots
   labels trend points by the trend's direction instead; this method does so only for a
   point exactly on the mean, which has no side of its own.)
6. The chart's variation is the latest point's: ``common_cause`` or ``<kind>_<side>``.
7. Assurance compares a target with the process limits (see :func:`assurance`).

Pure functions over floats: no I/O, no printing, nothing rounded (callers round for display),
and nothing imported from the rest of stratctl, so the rating engine can call it freely.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

Direction = Literal["up", "down", "neutral"]
Rule = Literal["outside_limits", "shift", "trend", "two_of_three"]
Side = Literal["high", "low"]
Kind = Literal["improvement", "concern", "neutral"]
Variation = Literal[
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
]
Assurance = Literal["pass", "fail", "hit_and_miss"]

MIN_POINTS = 15
"""Fewer points than this give no chart: limits from a short series mislead more than they tell."""
SCREEN_FACTOR = 3.267
"""A moving range this many times mR̄ or more is screened out before the limits are set."""
LIMIT_FACTOR = 2.66
"""Process limits lie this many mR̄ from the mean (3 sigma, with sigma estimated as mR̄ / 1.128)."""
NEAR_FACTOR = 2 / 3 * LIMIT_FACTOR
"""Near-limit lines lie this many mR̄ from the mean (2 sigma)."""
RUN_LENGTH = 7
"""Points in a row on one side of the mean, or rising or falling, that make a shift or trend."""
RULES: tuple[Rule, ...] = get_args(Rule)
"""Every rule, in the order a point's rules are listed."""

_DIRECTIONS: tuple[Direction, ...] = get_args(Direction)


@dataclass(frozen=True, slots=True)
class SpcPoint:
    """One point of a chart and what the rules say about it.

    Attributes:
        value: The point as given.
        special: Whether any rule fired for it.
        rules: The rules that fired, in the order of ``RULES``; empty for common cause.
        side: ``"high"`` above the mean, ``"low"`` below; for a point exactly on the mean
            (only a trend can make one special) the direction of its trend. None for
            common cause.
        kind: Improvement, concern or neutral; None for common cause.
    """

    value: float
    special: bool
    rules: tuple[Rule, ...]
    side: Side | None
    kind: Kind | None


@dataclass(frozen=True, slots=True)
class SpcChart:
    """An XmR chart: the limits the series sets itself and the rules' verdict on every point.

    Attributes:
        points: Every point, in time order.
        direction: Which way is better: ``"up"``, ``"down"`` or ``"neutral"``.
        mean: The mean of all points (the centre line).
        moving_ranges: ``moving_ranges[k] = |x[k+1] - x[k]|``, before screening.
        dropped_ranges: Indexes into ``moving_ranges`` screened out as ``3.267 × mR̄`` or more.
        moving_range_mean: mR̄ after screening, from which the limits are set.
        upper: Upper process limit, ``mean + 2.66 mR̄``.
        lower: Lower process limit, ``mean - 2.66 mR̄``.
        upper_near: Upper near-limit line, ``mean + (2/3)(2.66) mR̄``.
        lower_near: Lower near-limit line, ``mean - (2/3)(2.66) mR̄``.
        variation: What the latest point shows.
    """

    points: tuple[SpcPoint, ...]
    direction: Direction
    mean: float
    moving_ranges: tuple[float, ...]
    dropped_ranges: tuple[int, ...]
    moving_range_mean: float
    upper: float
    lower: float
    upper_near: float
    lower_near: float
    variation: Variation


def xmr_chart(values: Sequence[float], direction: Direction) -> SpcChart | None:
    """The XmR chart of a series, or None when it has fewer than ``MIN_POINTS`` points.

    Args:
        values: The measure's values in time order, oldest first.
        direction: ``"up"`` if higher is better, ``"down"`` if lower is, else ``"neutral"``.

    Returns:
        The chart, or None for a series too short to chart (see :func:`too_few_points`).

    Raises:
        ValueError: A value is not a finite number, or the direction is not one of the three.
    """
    if direction not in _DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(_DIRECTIONS)}, not {direction!r}")
    xs = [float(v) for v in values]
    if not all(math.isfinite(x) for x in xs):
        # A NaN compares false with everything, so it would silently pass every rule.
        raise ValueError("SPC needs finite numbers: a value is NaN or infinite")
    if len(xs) < MIN_POINTS:
        return None

    if all(x == xs[0] for x in xs):
        # A measure that never moved has its value as its mean, exactly: summing, say, fifteen
        # 0.1s in binary floats and dividing need not give 0.1 back, and a mean a hair off
        # every point would put them all on one side (a shift) and outside the collapsed limits.
        mean = xs[0]
    else:
        # fsum is correctly rounded: the mean does not depend on the order of the points.
        mean = math.fsum(xs) / len(xs)
    ranges = [abs(b - a) for a, b in zip(xs, xs[1:], strict=False)]
    first_mean = math.fsum(ranges) / len(ranges)
    if first_mean == 0:
        # A flat series: every range is 0, so every range would be "3.267 × 0 or more" and
        # nothing would be left to average. Nothing is screened; mR̄ stays 0, so the limits
        # and near-limit lines all equal the mean, and (every point being on the mean) no
        # rule fires: the chart is all common cause.
        dropped: list[int] = []
        mr_mean = 0.0
    else:
        threshold = SCREEN_FACTOR * first_mean
        dropped = [k for k, r in enumerate(ranges) if r >= threshold]
        kept = [r for r in ranges if r < threshold]
        # Something is always kept: if every range were 3.267 × their mean or more, their
        # mean would be at least 3.267 times itself. What is kept may all be 0 (a flat
        # series with one jump); then the limits collapse onto the mean and every point off
        # it is outside them: against a process that otherwise never moves, every change is
        # special, which is what the method's formulas give.
        mr_mean = math.fsum(kept) / len(kept)

    upper, lower = mean + LIMIT_FACTOR * mr_mean, mean - LIMIT_FACTOR * mr_mean
    upper_near, lower_near = mean + NEAR_FACTOR * mr_mean, mean - NEAR_FACTOR * mr_mean

    sides = [_sign(x - mean) for x in xs]
    fired: list[set[Rule]] = [set() for _ in xs]
    for i, x in enumerate(xs):
        if x > upper or x < lower:
            fired[i].add("outside_limits")
    for start, end, _ in _runs(sides):
        if end - start >= RUN_LENGTH:
            for i in range(start, end):
                fired[i].add("shift")
    trend_of = _trends(xs, fired)
    _two_of_three(xs, sides, upper, lower, upper_near, lower_near, fired)

    points = tuple(
        _point(x, side, trend, rules, direction)
        for x, side, trend, rules in zip(xs, sides, trend_of, fired, strict=True)
    )
    latest = points[-1]
    variation: Variation = "common_cause"
    if latest.side is not None and latest.kind is not None:
        variation = _VARIATIONS[latest.kind, latest.side]
    return SpcChart(
        points=points,
        direction=direction,
        mean=mean,
        moving_ranges=tuple(ranges),
        dropped_ranges=tuple(dropped),
        moving_range_mean=mr_mean,
        upper=upper,
        lower=lower,
        upper_near=upper_near,
        lower_near=lower_near,
        variation=variation,
    )


def assurance(
    chart: SpcChart, *, target: float | None = None, between: tuple[float, float] | None = None
) -> Assurance | None:
    """Whether the process as it runs will meet its standard: pass, fail, or hit and miss.

    A standard ``{at_least: v}`` or ``{at_most: v}`` is passed as ``target=v``; a standard
    ``{between: [lo, hi]}`` as ``between=(lo, hi)``. Comparisons with the limits are strict,
    so a target exactly on a limit is hit and miss.

    For a target, with direction up: a target above the upper limit is ``fail`` (the process
    consistently falls short), below the lower limit ``pass``, else ``hit_and_miss``; with
    direction down, the reverse. A band is ``pass`` when it holds both limits (lo below the
    lower, hi above the upper), else ``hit_and_miss``; a band is never ``fail``, as the method
    states, even one lying wholly beyond the limits.

    Args:
        chart: The measure's chart.
        target: The single value to reach.
        between: The band to stay within, low bound first.

    Returns:
        The assurance, or None when the direction is neutral or there is no standard.

    Raises:
        ValueError: Both a target and a band, a bound that is not finite, or a band whose
            low bound is above its high bound.
    """
    if target is not None and between is not None:
        raise ValueError("a standard is a target or a band, not both")
    if between is not None:
        lo, hi = between
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError("a band's bounds must be finite numbers")
        if lo > hi:
            raise ValueError(f"a band runs low to high: {lo} is above {hi}")
    if target is not None and not math.isfinite(target):
        raise ValueError("a target must be a finite number")
    if chart.direction == "neutral":
        return None  # without a better way there is nothing to pass or fail
    if between is not None:
        lo, hi = between
        return "pass" if lo < chart.lower and hi > chart.upper else "hit_and_miss"
    if target is None:
        return None
    if target > chart.upper:
        return "fail" if chart.direction == "up" else "pass"
    if target < chart.lower:
        return "pass" if chart.direction == "up" else "fail"
    return "hit_and_miss"


def too_few_points(count: int) -> str:
    """The trace line for a series too short to chart.

    Args:
        count: How many points the series has.

    Returns:
        ``"SPC needs 15 points, has N"``.
    """
    return f"SPC needs {MIN_POINTS} points, has {count}"


def trace(chart: SpcChart, *, target: float | None = None, between: tuple[float, float] | None = None) -> list[str]:
    """Lines for ``stratctl explain``: how the chart was reached, numbers to 2 decimals.

    Points are numbered from 1, as a reader counts them.

    Args:
        chart: The chart to explain.
        target: The target, as for :func:`assurance`.
        between: The band, as for :func:`assurance`.

    Returns:
        One line each for the points, the moving ranges, the mean and limits, every
        special-cause point with the rules that fired for it, the variation and the assurance.
    """
    n = len(chart.points)
    lines = [
        f"SPC (XmR) over {n} points, direction {chart.direction}",
        "points: " + ", ".join(f"{i}: {_num(p.value)}" for i, p in enumerate(chart.points, start=1)),
    ]
    if chart.dropped_ranges:
        screened = ", ".join(f"points {k + 1}-{k + 2} ({_num(chart.moving_ranges[k])})" for k in chart.dropped_ranges)
        lines.append(
            f"moving ranges screened out (3.267 × mean moving range or more): {screened};"
            f" mean moving range recomputed from the other {len(chart.moving_ranges) - len(chart.dropped_ranges)}"
        )
    lines += [
        f"mean {_num(chart.mean)}, mean moving range {_num(chart.moving_range_mean)}",
        f"process limits {_num(chart.lower)} to {_num(chart.upper)} (mean ± 2.66 × {_num(chart.moving_range_mean)})",
        f"near-limit lines {_num(chart.lower_near)} to {_num(chart.upper_near)}",
    ]
    special = [(i, p) for i, p in enumerate(chart.points, start=1) if p.special]
    if not special:
        lines.append("no special cause: every point is common cause")
    for i, p in special:
        lines.append(f"point {i} ({_num(p.value)}): {', '.join(p.rules)}: {p.kind} {p.side}")
    lines.append(f"variation (latest point, {n}): {chart.variation}")
    result = assurance(chart, target=target, between=between)
    if between is not None:
        standard = f"between {_num(between[0])} and {_num(between[1])}"
    elif target is not None:
        standard = f"target {_num(target)}"
    else:
        standard = "no target"
    if result is None:
        why = "direction neutral" if chart.direction == "neutral" else standard
        lines.append(f"assurance: none ({why})")
    else:
        lines.append(f"assurance ({standard}): {result}")
    return lines


# --- the rules ----------------------------------------------------------------------------

_VARIATIONS: dict[tuple[Kind, Side], Variation] = {
    ("improvement", "high"): "improvement_high",
    ("improvement", "low"): "improvement_low",
    ("concern", "high"): "concern_high",
    ("concern", "low"): "concern_low",
    ("neutral", "high"): "neutral_high",
    ("neutral", "low"): "neutral_low",
}


def _sign(d: float) -> int:
    return (d > 0) - (d < 0)


def _runs(keys: Sequence[int]) -> list[tuple[int, int, int]]:
    """Maximal runs of one non-zero key: ``(start, end, key)``, end exclusive. A 0 breaks a run."""
    runs: list[tuple[int, int, int]] = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start] != 0:
                runs.append((start, i, keys[start]))
            start = i
    return runs


def _trends(xs: Sequence[float], fired: list[set[Rule]]) -> list[int]:
    """Mark the trend points in ``fired``; return each point's trend direction (+1, -1, 0 none).

    A trend is a run of steps all rising or all falling; 7 points make 6 steps. A peak or a
    trough ends one trend and starts the next, so it belongs to both: it takes the direction
    of the later one (runs are visited in order and the later overwrites), as NHSRplotthedots
    does. That direction matters only for a point exactly on the mean.
    """
    steps = [_sign(b - a) for a, b in zip(xs, xs[1:], strict=False)]
    trend_of = [0] * len(xs)
    for start, end, key in _runs(steps):
        if end - start >= RUN_LENGTH - 1:
            for i in range(start, end + 1):  # steps start..end-1 join points start..end
                fired[i].add("trend")
                trend_of[i] = key
    return trend_of


def _two_of_three(
    xs: Sequence[float],
    sides: Sequence[int],
    upper: float,
    lower: float,
    upper_near: float,
    lower_near: float,
    fired: list[set[Rule]],
) -> None:
    """Mark the two-of-three points in ``fired``.

    Within one run of points on one side of the mean, any 3 consecutive points make a window
    all on that side. Two near points (beyond the near-limit line, inside the process limit)
    share such a window when they are at most 2 apart and their run has 3 points or more.
    A point outside the process limit does not count towards the two: it is flagged by
    outside_limits already, and NHSRplotthedots counts only the points between the lines.
    """
    near = [(upper_near < x <= upper) or (lower <= x < lower_near) for x in xs]
    for start, end, _ in _runs(sides):
        if end - start < 3:
            continue
        close = [i for i in range(start, end) if near[i]]
        for a, b in zip(close, close[1:], strict=False):
            if b - a <= 2:
                fired[a].add("two_of_three")
                fired[b].add("two_of_three")


def _point(x: float, side: int, trend: int, fired: set[Rule], direction: Direction) -> SpcPoint:
    if not fired:
        return SpcPoint(value=x, special=False, rules=(), side=None, kind=None)
    # Only a trend can make a point on the mean special (every other rule needs it off the
    # mean), so `side or trend` is never 0 here: such a point takes its trend's direction.
    high = (side or trend) > 0
    kind: Kind
    if direction == "neutral":
        kind = "neutral"
    else:
        kind = "improvement" if high == (direction == "up") else "concern"
    return SpcPoint(
        value=x,
        special=True,
        rules=tuple(r for r in RULES if r in fired),
        side="high" if high else "low",
        kind=kind,
    )


def _num(x: float) -> str:
    # Round first, then add 0.0, so a value just below zero shows as 0.00, not -0.00.
    return f"{round(x, 2) + 0.0:.2f}"
