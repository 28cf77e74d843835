"""Statistical process control: the XmR chart of NHS England's "Making Data Count".

The method is the one the NHSRplotthedots R package (version 0.2.2, September 2025) computes,
written down in full so that a reader can check any chart by hand:

1. The series, in time order, is split into **segments** where the process is known to have
   changed (``rebase``: the package's ``ptd_rebase``); without a rebase it is one segment. Each
   segment has its own mean, screening, limits and rules: nothing crosses a segment's edge.
2. A segment of fewer than ``MIN_POINTS`` (12) points gets no limits and its points are not
   assessed; from 12 to 14 points its limits are **trial** limits (``STABLE_POINTS``, 15).
3. The mean of the segment's points; moving ranges ``mR(i) = |x(i) - x(i-1)|`` and their mean
   mR̄. A moving range of ``3.267 × mR̄`` or more is screened out and mR̄ is recomputed, once,
   from the ranges kept, so one wild month does not widen the limits for every other.
4. Process limits ``mean ± 2.66 mR̄``; near-limit lines ``mean ± (2/3)(2.66) mR̄``.
5. A point is special cause when any rule fires for it (all that fire are recorded):
   ``outside_limits`` (strictly beyond a process limit), ``shift`` (in a run of 7 or more
   on one side of the mean; a point on the mean breaks the run), ``trend`` (in a run of 7 or
   more each strictly higher, or each strictly lower, than the one before; a tie breaks it),
   ``two_of_three`` (beyond a near-limit line but not outside the process limit, in a window
   of 3 consecutive points all on that side of the mean of which 2 or more are also there).
6. Which way a special point signals (``side``) is decided by the first rule that fired for it
   in the package's order: outside the limits, trend, two of three, shift. A trend point
   signals the way its trend moves (up: high, down: low), whichever side of the mean it lies
   on (the package's pull request 180, October 2023); a point in two trends, at a peak or a
   trough, takes the later one. Every other rule signals the point's own side of the mean.
   High is improvement when the direction is up, concern when it is down, neutral when neutral.
7. A segment's variation is its latest point's: ``common_cause`` or ``<kind>_<side>``; the
   chart's is its latest segment's.
8. Assurance compares a target with the latest segment's process limits (see :func:`assurance`).

A flat segment (every moving range 0) has its limits on the mean and no special cause; the
package gives it no limits at all (its mR̄ screens to nothing), with the same verdict.

Pure functions over floats: no I/O, no printing, nothing rounded (callers round for display),
and nothing imported from the rest of stratctl, so the rating engine can call it freely.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal, get_args

from stratctl.numbers import number

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

MIN_POINTS = 12
"""A segment of fewer points has no limits: limits from so short a series mislead more than they tell."""
STABLE_POINTS = 15
"""From this many points a segment's limits are no longer trial limits, and its assurance counts."""
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
PRECEDENCE: tuple[Rule, ...] = ("outside_limits", "trend", "two_of_three", "shift")
"""The order in which the first rule that fired for a point decides which way it signals (the package's)."""

_DIRECTIONS: tuple[Direction, ...] = get_args(Direction)


@dataclass(frozen=True, slots=True)
class SpcPoint:
    """One point of a chart and what the rules say about it.

    Attributes:
        value: The point as given.
        special: Whether any rule fired for it.
        rules: The rules that fired, in the order of ``RULES``; empty for common cause.
        side: Which way it signals, ``"high"`` or ``"low"``: a trend's direction for a point
            whose first rule (in ``PRECEDENCE``) is a trend, else its side of the mean. None
            for common cause.
        kind: Improvement, concern or neutral; None for common cause.
        assessed: False for a point of a segment too short for limits (nothing fired, nothing
            could have).
    """

    value: float
    special: bool
    rules: tuple[Rule, ...]
    side: Side | None
    kind: Kind | None
    assessed: bool = True

    @property
    def decided_by(self) -> Rule | None:
        """The rule that decides which way the point signals: the first that fired, in ``PRECEDENCE``."""
        return next((rule for rule in PRECEDENCE if rule in self.rules), None)


@dataclass(frozen=True, slots=True)
class SpcLimits:
    """A segment's centre line and limits, and the moving ranges they were set from.

    Attributes:
        mean: The mean of the segment's points (the centre line).
        moving_ranges: ``moving_ranges[k] = |x[k+1] - x[k]|`` within the segment, before screening.
        dropped_ranges: Indexes into ``moving_ranges`` screened out as ``3.267 × mR̄`` or more.
        moving_range_mean: mR̄ after screening, from which the limits are set.
        upper: Upper process limit, ``mean + 2.66 mR̄``.
        lower: Lower process limit, ``mean - 2.66 mR̄``.
        upper_near: Upper near-limit line, ``mean + (2/3)(2.66) mR̄``.
        lower_near: Lower near-limit line, ``mean - (2/3)(2.66) mR̄``.
    """

    mean: float
    moving_ranges: tuple[float, ...]
    dropped_ranges: tuple[int, ...]
    moving_range_mean: float
    upper: float
    lower: float
    upper_near: float
    lower_near: float


@dataclass(frozen=True, slots=True)
class SpcSegment:
    """A stretch of the series between recalculations, judged on its own.

    Attributes:
        start: The index in the whole series of the segment's first point.
        points: The segment's points, in time order.
        limits: Its lines; None for a segment of fewer than ``MIN_POINTS`` points.
        variation: What its latest point shows; None without limits.
    """

    start: int
    points: tuple[SpcPoint, ...]
    limits: SpcLimits | None
    variation: Variation | None

    @property
    def end(self) -> int:
        """The index in the whole series just past the segment's last point."""
        return self.start + len(self.points)

    @property
    def trial(self) -> bool:
        """Whether its limits are trial limits: set from 12 to 14 points, revised with each new one."""
        return self.limits is not None and len(self.points) < STABLE_POINTS


@dataclass(frozen=True, slots=True)
class SpcChart:
    """An XmR chart: each segment's limits and the rules' verdict on every point.

    Attributes:
        direction: Which way is better: ``"up"``, ``"down"`` or ``"neutral"``.
        segments: The segments in time order; at least one has limits.
    """

    direction: Direction
    segments: tuple[SpcSegment, ...]

    @property
    def points(self) -> tuple[SpcPoint, ...]:
        """Every point of every segment, in time order."""
        return tuple(p for segment in self.segments for p in segment.points)

    @property
    def latest(self) -> SpcSegment:
        """The segment holding the latest point: the process as it runs now."""
        return self.segments[-1]

    @property
    def limits(self) -> SpcLimits | None:
        """The latest segment's lines; None while it is too short for limits."""
        return self.latest.limits

    @property
    def variation(self) -> Variation | None:
        """What the latest point shows; None while the latest segment is too short for limits."""
        return self.latest.variation

    @property
    def trial(self) -> bool:
        """Whether the latest segment's limits are trial limits."""
        return self.latest.trial


def segment_starts(count: int, rebase: Sequence[int] = ()) -> tuple[int, ...]:
    """Where each segment of a series of `count` points begins: 0, then each rebase index.

    Raises:
        ValueError: A rebase index outside the series.
    """
    for index in rebase:
        if not 0 <= index < count:
            raise ValueError(f"a rebase at point {index + 1} is outside the series of {count} points")
    return tuple(sorted({0, *rebase})) if count else ()


def xmr_chart(values: Sequence[float], direction: Direction, *, rebase: Sequence[int] = ()) -> SpcChart | None:
    """The XmR chart of a series, or None when no segment has ``MIN_POINTS`` points.

    Args:
        values: The measure's values in time order, oldest first.
        direction: ``"up"`` if higher is better, ``"down"`` if lower is, else ``"neutral"``.
        rebase: Indexes (0-based) of the points from which the limits are recalculated; a
            rebase at the first point changes nothing.

    Returns:
        The chart, or None for a series too short to chart (see :func:`too_few_points`).

    Raises:
        ValueError: A value is not a finite number, the direction is not one of the three, or
            a rebase index lies outside the series.
    """
    if direction not in _DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(_DIRECTIONS)}, not {direction!r}")
    xs = [float(v) for v in values]
    if not all(math.isfinite(x) for x in xs):
        # A NaN compares false with everything, so it would silently pass every rule.
        raise ValueError("SPC needs finite numbers: a value is NaN or infinite")
    if len(xs) < MIN_POINTS:
        return None  # no segment can have limits
    starts = segment_starts(len(xs), rebase)
    bounds = list(zip(starts, (*starts[1:], len(xs)), strict=True))
    segments = tuple(_segment(xs[a:b], a, direction) for a, b in bounds)
    if not any(s.limits is not None for s in segments):
        return None
    return SpcChart(direction=direction, segments=segments)


def assurance(
    chart: SpcChart, *, target: float | None = None, between: tuple[float, float] | None = None
) -> Assurance | None:
    """Whether the process as it runs will meet its standard: pass, fail, or hit and miss.

    Judged against the latest segment's limits. A standard ``{at_least: v}`` or ``{at_most: v}``
    is passed as ``target=v``; a standard ``{between: [lo, hi]}`` as ``between=(lo, hi)``.
    Comparisons with the limits are strict, so a target exactly on a limit is hit and miss (for a
    flat process, whose limits lie on its mean, a target equal to its value).

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
        The assurance, or None when the direction is neutral, there is no standard, or the
        latest segment is too short for limits.

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
    limits = chart.limits
    if chart.direction == "neutral" or limits is None:
        return None  # without a better way, or without limits, there is nothing to pass or fail
    if between is not None:
        lo, hi = between
        return "pass" if lo < limits.lower and hi > limits.upper else "hit_and_miss"
    if target is None:
        return None
    if target > limits.upper:
        return "fail" if chart.direction == "up" else "pass"
    if target < limits.lower:
        return "pass" if chart.direction == "up" else "fail"
    return "hit_and_miss"


def too_few_points(count: int, since: str | None = None) -> str:
    """The trace line for a series, or a latest segment, too short to chart.

    Args:
        count: How many points the series (or the segment) has.
        since: The period the latest segment starts at, when limits were recalculated there.

    Returns:
        ``"SPC needs 12 points, has N"``, or ``"... since the recalculation at P, has N"``.
    """
    if since is not None:
        return f"SPC needs {MIN_POINTS} points since the recalculation at {since}, has {count}"
    return f"SPC needs {MIN_POINTS} points, has {count}"


def trace(
    chart: SpcChart,
    *,
    target: float | None = None,
    between: tuple[float, float] | None = None,
    labels: Sequence[str] | None = None,
    show: Callable[[float], str] | None = None,
    show_point: Callable[[float], str] | None = None,
) -> list[str]:
    """Lines for ``stratctl explain``: how the chart was reached, numbers to at most 2 decimals.

    Points are numbered from 1, as a reader counts them, or named by `labels` (their periods).

    Args:
        chart: The chart to explain.
        target: The target, as for :func:`assurance`.
        between: The band, as for :func:`assurance`.
        labels: A name for each point (its period), written beside its number.
        show: How to write a statistic (a mean, a limit; a duration's minutes and seconds);
            default `numbers.number` (at most 2 decimals, as a reason writes them).
        show_point: How to write a point's value; default as `show`.

    Returns:
        For each segment: where it runs, its moving ranges screened out, the mean and limits
        (trial or not), and every special-cause point with the rules that fired and which way it
        signals; then the variation and the assurance.
    """
    written = show or number
    point_written = show_point or written
    numbers = range(1, len(chart.points) + 1)
    names = [str(i) for i in numbers] if labels is None else list(labels)
    counted = (
        [str(i) for i in numbers]
        if labels is None
        else [f"{i}, {label}" for i, label in zip(numbers, labels, strict=True)]
    )
    n = len(chart.points)
    several = len(chart.segments) > 1
    lines = [f"SPC (XmR) over {n} points, direction {chart.direction}"]
    if labels is None:
        lines.append("points: " + ", ".join(f"{i}: {number(p.value)}" for i, p in enumerate(chart.points, start=1)))
    if several:
        lines.append(
            f"limits recalculated at {', '.join(names[s.start] for s in chart.segments[1:])}: "
            f"{len(chart.segments)} segments, each with its own mean, limits and rules"
        )
    for segment in chart.segments:
        lines.extend(_segment_trace(segment, names, counted, written, point_written, several))
    lines.append(f"variation (latest point, {names[n - 1]}): {chart.variation or 'none'}")
    result = assurance(chart, target=target, between=between)
    if between is not None:
        standard = f"between {written(between[0])} and {written(between[1])}"
    elif target is not None:
        standard = f"target {written(target)}"
    else:
        standard = "no target"
    if result is None:
        if chart.limits is None:
            why = "the latest segment has no limits"
        else:
            why = "direction neutral" if chart.direction == "neutral" else standard
        lines.append(f"assurance: none ({why})")
    else:
        lines.append(f"assurance ({standard}): {result}")
    return lines


def _segment_trace(
    segment: SpcSegment,
    names: Sequence[str],
    counted: Sequence[str],
    written: Callable[[float], str],
    point_written: Callable[[float], str],
    several: bool,
) -> list[str]:
    first, last = names[segment.start], names[segment.end - 1]
    head = "  " if several else ""
    lines: list[str] = [f"segment {first} to {last} ({len(segment.points)} points):"] if several else []
    limits = segment.limits
    if limits is None:
        return [*lines, f"{head}{too_few_points(len(segment.points))}: no limits, its points not assessed"]
    if limits.dropped_ranges:
        screened = ", ".join(
            f"{names[segment.start + k]} to {names[segment.start + k + 1]} ({written(limits.moving_ranges[k])})"
            for k in limits.dropped_ranges
        )
        lines.append(
            f"{head}moving ranges screened out (3.267 × mean moving range or more): {screened};"
            f" mean moving range recomputed from the other {len(limits.moving_ranges) - len(limits.dropped_ranges)}"
        )
    trial = f" (trial limits: {len(segment.points)} points, fewer than {STABLE_POINTS})" if segment.trial else ""
    lines += [
        f"{head}mean {written(limits.mean)}, mean moving range {written(limits.moving_range_mean)}",
        f"{head}process limits {written(limits.lower)} to {written(limits.upper)}"
        f" (mean ± 2.66 × {written(limits.moving_range_mean)}){trial}",
        f"{head}near-limit lines {written(limits.lower_near)} to {written(limits.upper_near)}",
    ]
    special = [(segment.start + i, p) for i, p in enumerate(segment.points) if p.special]
    if not special:
        lines.append(f"{head}no special cause: every point is common cause")
    for i, p in special:
        how = f" (a trend {'rising' if p.side == 'high' else 'falling'})" if p.decided_by == "trend" else ""
        lines.append(f"point {counted[i]} ({point_written(p.value)}): {', '.join(p.rules)}: {p.kind} {p.side}{how}")
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


def _segment(xs: Sequence[float], start: int, direction: Direction) -> SpcSegment:
    """One segment's limits and verdicts; no limits and nothing assessed under ``MIN_POINTS`` points."""
    if len(xs) < MIN_POINTS:
        unassessed = tuple(SpcPoint(x, False, (), None, None, assessed=False) for x in xs)
        return SpcSegment(start=start, points=unassessed, limits=None, variation=None)
    limits = _limits(xs)
    mean = limits.mean
    sides = [_sign(x - mean) for x in xs]
    fired: list[set[Rule]] = [set() for _ in xs]
    for i, x in enumerate(xs):
        if x > limits.upper or x < limits.lower:
            fired[i].add("outside_limits")
    for run_start, run_end, _ in _runs(sides):
        if run_end - run_start >= RUN_LENGTH:
            for i in range(run_start, run_end):
                fired[i].add("shift")
    trend_of = _trends(xs, fired)
    _two_of_three(xs, sides, limits, fired)
    points = tuple(
        _point(x, side, trend, rules, direction)
        for x, side, trend, rules in zip(xs, sides, trend_of, fired, strict=True)
    )
    latest = points[-1]
    variation: Variation = "common_cause"
    if latest.side is not None and latest.kind is not None:
        variation = _VARIATIONS[latest.kind, latest.side]
    return SpcSegment(start=start, points=points, limits=limits, variation=variation)


def _limits(xs: Sequence[float]) -> SpcLimits:
    # A measure that never moved has its value as its mean, exactly: summing, say, fifteen 0.1s in
    # binary floats and dividing need not give 0.1 back, and a mean a hair off every point would
    # put them all on one side (a shift) and outside the collapsed limits. Otherwise fsum, which
    # is correctly rounded: the mean does not depend on the order of the points.
    mean = xs[0] if all(x == xs[0] for x in xs) else math.fsum(xs) / len(xs)
    ranges = [abs(b - a) for a, b in pairwise(xs)]
    first_mean = math.fsum(ranges) / len(ranges)
    if first_mean == 0:
        # A flat series: every range is 0, so every range would be "3.267 × 0 or more" and
        # nothing would be left to average (the package is left with no limits at all).
        # Nothing is screened; mR̄ stays 0, so the limits and near-limit lines all equal the
        # mean, and (every point being on the mean) no rule fires: the chart is all common cause.
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
    return SpcLimits(
        mean=mean,
        moving_ranges=tuple(ranges),
        dropped_ranges=tuple(dropped),
        moving_range_mean=mr_mean,
        upper=mean + LIMIT_FACTOR * mr_mean,
        lower=mean - LIMIT_FACTOR * mr_mean,
        upper_near=mean + NEAR_FACTOR * mr_mean,
        lower_near=mean - NEAR_FACTOR * mr_mean,
    )


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
    does.
    """
    steps = [_sign(b - a) for a, b in pairwise(xs)]
    trend_of = [0] * len(xs)
    for start, end, key in _runs(steps):
        if end - start >= RUN_LENGTH - 1:
            for i in range(start, end + 1):  # steps start..end-1 join points start..end
                fired[i].add("trend")
                trend_of[i] = key
    return trend_of


def _two_of_three(xs: Sequence[float], sides: Sequence[int], limits: SpcLimits, fired: list[set[Rule]]) -> None:
    """Mark the two-of-three points in ``fired``.

    Within one run of points on one side of the mean, any 3 consecutive points make a window
    all on that side. Two near points (beyond the near-limit line, inside the process limit)
    share such a window when they are at most 2 apart and their run has 3 points or more.
    A point outside the process limit does not count towards the two: it is flagged by
    outside_limits already, and NHSRplotthedots counts only the points between the lines.
    """
    near = [(limits.upper_near < x <= limits.upper) or (limits.lower <= x < limits.lower_near) for x in xs]
    for start, end, _ in _runs(sides):
        if end - start < 3:
            continue
        close = [i for i in range(start, end) if near[i]]
        for a, b in pairwise(close):
            if b - a <= 2:
                fired[a].add("two_of_three")
                fired[b].add("two_of_three")


def _point(x: float, side: int, trend: int, fired: set[Rule], direction: Direction) -> SpcPoint:
    if not fired:
        return SpcPoint(value=x, special=False, rules=(), side=None, kind=None)
    rules = tuple(r for r in RULES if r in fired)
    first = next(rule for rule in PRECEDENCE if rule in fired)
    # A trend signals the way it moves; every other rule needs the point off the mean, so its
    # side is never 0 where that rule decides.
    high = (trend if first == "trend" else side) > 0
    kind: Kind = "neutral" if direction == "neutral" else "improvement" if high == (direction == "up") else "concern"
    return SpcPoint(value=x, special=True, rules=rules, side="high" if high else "low", kind=kind)
