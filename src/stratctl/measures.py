"""Measures at a reporting point: each one's points, signal, reason and SPC chart.

Pure functions over records, like the rest of the rating engine: no I/O, no printing. Every
measure, wherever it is recorded (an objective, a strategic objective's success measures, a
strategy commitment), is evaluated here, by the rules in README.md ("How a position is computed"):

- a number target, `kind: continuous`: the latest value already meets it (G), else a least-squares
  line through the points, x the period's running index (quarter or month), is read at the period
  of the target date: meeting it G; else the shortfall, the gap left as a share of the distance
  from the first point to the target: within the tolerance A, beyond it R;
- a number target, `kind: level` (whole stages): already there G; else the stages still to climb
  at the pace so far (stages gained a period since the first point): reached by the target date
  G, within a quarter after it (three months, monthly) A, later or never R;
- a standard to hold (`at_least`, `at_most`, `between`): the latest value against it, met G,
  missed by no more than the tolerance (as a share of the standard's value) A, else R; where the
  latest SPC segment has 15 points or more, the SPC assurance instead: pass G, hit and miss A,
  fail R;
- a standard `over: year`: the mean of the year's actuals so far against it, by the same rules
  (the assurance is shown beside it, never instead: the standard is about the year's mean);
- `accumulates: year` (year-to-date totals): a number target rated on the year's own totals (and
  the baseline where it is the year's start: rollover writes 0 at the period before it);
- `direction: neutral`, or up or down with no target (watched): no signal.

Actuals before the span (from `history_from`) are history: charted and counted by SPC, never
rated; a number target's projection starts at the baseline. Every measure with 12 points or more
(in its latest segment, where `rebase` recalculates the limits) also gets an XmR chart
(stratctl.spc), whose variation and assurance are reported beside the signal; from 12 to 14
points its limits are trial limits. A duration (`unit: "mm:ss"`) is computed in seconds. Values are
written in words by stratctl.measure_words; a result is shown (status line, explain's trace, JSON)
by stratctl.measure_readout.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from stratctl import spc as xmr
from stratctl.measure_words import (
    ASSURANCE_SHORT,
    VARIATION_SHORT,
    gap_text,
    percent_beside,
    period_count,
    stage_count,
    standard_text,
    statistic_text,
    value_text,
)
from stratctl.periods import FinancialYear, Month, Quarter, ReportingPoint, month_containing, quarter_containing
from stratctl.records import Measure, Objective, Standard, Trust
from stratctl.spc import Assurance, SpcChart, Variation

Signal = Literal["R", "A", "G"]
Period = Quarter | Month

ASSURANCE_SIGNAL: dict[str, Signal] = {"pass": "G", "hit_and_miss": "A", "fail": "R"}
"""A standard's signal where SPC applies."""


@dataclass(frozen=True, slots=True)
class MeasureResult:
    """One measure at a reporting point: what a status line, the JSON, a chart and `explain` show.

    Attributes:
        measure: The measure as recorded.
        points: (period label, value) of the baseline and actuals at or before the reporting
            point, oldest first: `2021/22 Q3` for a quarterly measure, `2022-04` for a monthly one.
        latest: The latest point's value, or None with no points.
        latest_period: The latest point's period label.
        signal: G, A or R; None where the rules give none (neutral, too few points).
        reason: Why, in words; quotes the latest value whenever there is one.
        target_period: The period the target is due in (the one containing the target date).
        projection: (period label, value) where the trend line reaches at the target period,
            for a continuous measure with a number target and two points or more.
        spc: The XmR chart, with 12 points or more (in a segment).
        variation: The chart's variation, with a chart whose latest segment has limits.
        assurance: The chart's assurance against the target or standard, with a chart and a target.
        upto: The last period counted: the reporting point's quarter, or its month for a monthly measure.
        history: How many of `points`, the oldest, are history: before the record's span (or the
            baseline), charted and counted by SPC but never rated.
        provisional: The labels of the points whose values are provisional.
        notes: (period label, note) of each note on a point, oldest first.
        year_mean: For a standard `over: year`: the mean of the year's actuals so far and how many
            periods it covers; None otherwise, or with no actual in the year yet.
    """

    measure: Measure
    points: tuple[tuple[str, float], ...]
    latest: float | None
    latest_period: str | None
    signal: Signal | None
    reason: str
    target_period: str
    projection: tuple[str, float] | None
    spc: SpcChart | None
    variation: Variation | None
    assurance: Assurance | None
    upto: str
    history: int = 0
    provisional: frozenset[str] = frozenset()
    notes: tuple[tuple[str, str], ...] = ()
    year_mean: tuple[float, int] | None = None

    @property
    def id(self) -> str:
        return self.measure.id

    @property
    def rebased_at(self) -> tuple[str, ...]:
        """The periods from which the chart's limits were recalculated, oldest first."""
        if self.spc is None:
            return ()
        return tuple(self.points[s.start][0] for s in self.spc.segments[1:])

    @property
    def latest_provisional(self) -> bool:
        """Whether the latest value is provisional."""
        return self.latest_period is not None and self.latest_period in self.provisional


# --- the points -----------------------------------------------------------------------------


def points_upto(measure: Measure, upto: Period) -> list[tuple[Period, float]]:
    """The measure's baseline and actuals at or before `upto`, oldest first.

    `upto` is a quarter for a quarterly measure and a month for a monthly one; the model refuses
    a period of the other kind, so every key compares with it. An actual for the baseline's own
    period is refused too (M006); were one there, the actual would count.
    """
    points: dict[Period, float] = {p: v for p, v in measure.actuals.items() if type(p) is type(upto) and p <= upto}
    baseline = measure.baseline
    if baseline is not None:
        period = baseline.period
        if type(period) is type(upto) and period <= upto:
            points.setdefault(period, baseline.value)
    return sorted(points.items(), key=lambda item: item[0].index)


def project(points: Sequence[tuple[Period, float]], at: Period) -> float:
    """A least-squares line through (period index, value), read at period `at`."""
    xs = [p.index for p, _ in points]
    ys = [v for _, v in points]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return mean_y + slope * (at.index - mean_x)


def meets(value: float, target: float, direction: str) -> bool:
    """`value` reaches `target` going `direction` (up: at or above; down: at or below)."""
    # A projection is arithmetic on decimals read from YAML: 1.0, 0.9, 0.8 projects to 0.7 plus
    # a rounding error of 1e-16, which must not turn an exact hit into a miss.
    if math.isclose(value, target, rel_tol=1e-12, abs_tol=1e-9):
        return True
    return value >= target if direction == "up" else value <= target


# --- evaluation -----------------------------------------------------------------------------


def evaluate_measure(
    measure: Measure,
    point: ReportingPoint,
    target_date: date,
    tolerance: float,
    *,
    span_start: date | None = None,
) -> MeasureResult:
    """A measure at `point`, against its target due on `target_date`.

    `tolerance` is the trust's (trust.yaml `measure_tolerance`); the measure's own, if it has one,
    is used instead. `span_start` is the first day of the record's span: actuals before it (and
    before the baseline) are history, charted and counted by SPC, never rated.
    """
    monthly = measure.cadence == "monthly"
    upto: Period = month_containing(point.as_of) if monthly else point.quarter
    due: Period = month_containing(target_date) if monthly else quarter_containing(target_date, point.start_month)
    points = points_upto(measure, upto)
    history = _history_count(measure, points, span_start, point.start_month)
    rated = points[history:]
    if measure.accumulates is not None:
        rated = _year_to_date(measure, rated, _year_of(upto, point.start_month), point.start_month)
    tolerance = measure.tolerance if measure.tolerance is not None else tolerance
    chart = _chart(measure, points)
    target, standard = measure.target, measure.standard
    assurance: Assurance | None = None
    if chart is not None:
        assurance = _assurance(chart, measure)
    projection: tuple[str, float] | None = None
    year_mean: tuple[float, int] | None = None
    signal: Signal | None
    if measure.direction == "neutral" or target is None:
        signal, reason = None, _unrated_reason(measure, points)
    elif standard is not None and standard.over == "year":
        in_year = _in_year(measure, points, _year_of(upto, point.start_month), point.start_month)
        if in_year:
            year_mean = (math.fsum(v for _, v in in_year) / len(in_year), len(in_year))
        signal, reason = _year_signal(measure, standard, in_year, _year_of(upto, point.start_month), tolerance)
    elif standard is not None:
        signal, reason = _standard_signal(measure, standard, rated or points, tolerance, chart, assurance)
    elif len(rated) < 2:
        signal, reason = None, _insufficient(measure, rated, upto)
    elif measure.kind == "level":
        assert isinstance(target, float)
        signal, reason = _level_signal(measure, target, rated, due, monthly)
    else:
        assert isinstance(target, float)
        value = project(rated, due)
        projection = (str(due), value)
        signal, reason = _number_signal(measure, target, rated, due, value, tolerance)
    labelled = tuple((str(p), v) for p, v in points)
    if chart is not None and chart.trial and chart.limits is not None:
        reason += f"; SPC on trial limits ({len(chart.latest.points)} points, fewer than {xmr.STABLE_POINTS})"
    latest = labelled[-1] if labelled else None
    shown = {label for label, _ in labelled}
    return MeasureResult(
        measure=measure,
        points=labelled,
        latest=latest[1] if latest else None,
        latest_period=latest[0] if latest else None,
        signal=signal,
        reason=reason,
        target_period=str(due),
        projection=projection,
        spc=chart,
        variation=chart.variation if chart is not None else None,
        assurance=assurance,
        upto=str(upto),
        history=history,
        provisional=frozenset(str(p) for p in measure.provisional) & shown,
        notes=tuple(
            (str(p), text) for p, text in sorted(measure.notes.items(), key=lambda i: i[0].index) if str(p) in shown
        ),
        year_mean=year_mean,
    )


def evaluate_all(
    measures: Iterable[Measure],
    point: ReportingPoint,
    target_date: date,
    tolerance: float,
    *,
    span_start: date | None = None,
) -> tuple[MeasureResult, ...]:
    """Each of `measures` at `point`, in the order recorded."""
    return tuple(evaluate_measure(m, point, target_date, tolerance, span_start=span_start) for m in measures)


def strategy_end(trust: Trust) -> date:
    """Where strategic success measures and commitments' measures are due: the strategy's last day,
    else the trust year's."""
    plan = trust.latest_plan  # of a strategy replaced mid-year, the one in force now
    year = plan.end if plan is not None else trust.year
    return year.quarter(4).last_day(trust.year_start_month)


def strategy_start(trust: Trust) -> date | None:
    """The first day of the strategy's period: success measures' actuals before it are history."""
    period = trust.strategy_period
    return period[0].quarter(1).first_day(trust.year_start_month) if period is not None else None


def objective_measures(objective: Objective, point: ReportingPoint, tolerance: float) -> tuple[MeasureResult, ...]:
    """An objective's measures at `point`, due by its target date; actuals before its first year are history."""
    return evaluate_all(
        objective.measures,
        point,
        objective.target_date(point.start_month),
        tolerance,
        span_start=objective.year.quarter(1).first_day(point.start_month),
    )


# --- which points count -----------------------------------------------------------------------


def _history_count(
    measure: Measure, points: Sequence[tuple[Period, float]], span_start: date | None, start_month: int
) -> int:
    """How many of the oldest points are history: before the baseline, or (without one) before the span."""
    baseline = measure.baseline
    if baseline is not None:
        first = baseline.period
        return sum(1 for p, _ in points if type(p) is type(first) and p < first)
    if span_start is None:
        return 0
    first_day = span_start
    return sum(1 for p, _ in points if _last_day(p, start_month) < first_day)


def _last_day(period: Period, start_month: int) -> date:
    return period.last_day() if isinstance(period, Month) else period.last_day(start_month)


def _year_of(period: Period, start_month: int) -> FinancialYear:
    return period.financial_year(start_month) if isinstance(period, Month) else period.year


def _in_year(
    measure: Measure, points: Sequence[tuple[Period, float]], year: FinancialYear, start_month: int
) -> list[tuple[Period, float]]:
    """The year's actuals so far (the baseline is not an actual of the year)."""
    baseline = measure.baseline.period if measure.baseline is not None else None
    return [(p, v) for p, v in points if p != baseline and _year_of(p, start_month) == year]


def _year_to_date(
    measure: Measure, points: Sequence[tuple[Period, float]], year: FinancialYear, start_month: int
) -> list[tuple[Period, float]]:
    """A year-to-date total's points: the year's totals, from the baseline where it is the year's own
    start (a baseline in the year, or at the period before it, as rollover writes 0 there).

    Earlier years' totals climbed through their own year and restarted: they are not this year's trend.
    """
    baseline = measure.baseline.period if measure.baseline is not None else None
    first = year.quarter(1) if isinstance(baseline, Quarter) or baseline is None else None
    start = first if first is not None else month_containing(year.quarter(1).first_day(start_month))

    def counts(period: Period) -> bool:
        if _year_of(period, start_month) == year:
            return True
        return period == baseline and type(period) is type(start) and period.index == start.index - 1

    return [(p, v) for p, v in points if counts(p)]


def _chart(measure: Measure, points: Sequence[tuple[Period, float]]) -> SpcChart | None:
    """The XmR chart of every point (history included), split at each rebase period it reaches.

    Year-to-date totals get none: they climb through each year and restart at 0, so their limits
    would describe the calendar, not the process.
    """
    if measure.accumulates is not None or len(points) < xmr.MIN_POINTS:
        return None
    index = {p: i for i, (p, _) in enumerate(points)}
    rebase = sorted({index[p] for p in measure.rebase if p in index})
    return xmr.xmr_chart([v for _, v in points], measure.direction, rebase=rebase)


def _assurance(chart: SpcChart, measure: Measure) -> Assurance | None:
    target = measure.target
    if target is None or measure.direction == "neutral":
        return None
    if isinstance(target, Standard):
        if target.between is not None:
            return xmr.assurance(chart, between=(target.between[0], target.between[1]))
        # The standard says which way is better (M007 warns where the direction disagrees).
        sense: xmr.Direction = "up" if target.kind == "at_least" else "down"
        return xmr.assurance(replace(chart, direction=sense), target=target.values[0])
    return xmr.assurance(chart, target=target)


def _latest(measure: Measure, points: Sequence[tuple[Period, float]]) -> str:
    period, value = points[-1]
    return f"is {value_text(measure, value)} in {period} (latest)"


def _unrated_reason(measure: Measure, points: Sequence[tuple[Period, float]]) -> str:
    if measure.direction == "neutral":
        why = "direction neutral, charted without a target: no signal"
    else:
        better = "higher" if measure.direction == "up" else "lower"
        why = f"watched ({better} is better, no target): charted with SPC, no signal"
    if not points:
        return f"measure {measure.id}: {why}; no data yet"
    return f"measure {measure.id} {_latest(measure, points)}; {why}"


def _insufficient(measure: Measure, points: Sequence[tuple[Period, float]], upto: Period) -> str:
    reason = f"measure {measure.id}: insufficient data (fewer than two points by {upto})"
    if points:
        reason += f"; the latest is {value_text(measure, points[-1][1])} in {points[-1][0]}"
    return reason


def _number_signal(
    measure: Measure,
    target: float,
    points: Sequence[tuple[Period, float]],
    due: Period,
    projection: float,
    tolerance: float,
) -> tuple[Signal, str]:
    latest_period, latest = points[-1]
    shown_target = value_text(measure, target)
    if meets(latest, target, measure.direction):
        return (
            "G",
            f"G: measure {measure.id} is {value_text(measure, latest)} in {latest_period}, "
            f"meeting the target {shown_target}",
        )
    first = points[0][1]
    if first == target:
        return "R", (
            f"R: measure {measure.id} started at the target {shown_target} and is now "
            f"{value_text(measure, latest)} in {latest_period} (latest)"
        )
    now = _latest(measure, points)
    if meets(projection, target, measure.direction):
        return "G", (
            f"G: measure {measure.id} {now}; projects {value_text(measure, projection)} at {due}, "
            f"meeting the target {shown_target}"
        )
    shortfall = abs(target - projection) / abs(target - first)
    signal: Signal = "A" if shortfall <= tolerance else "R"
    compare = "within" if signal == "A" else "exceeds"
    return signal, (
        f"{signal}: measure {measure.id} {now}; projects {value_text(measure, projection)} at {due} against "
        f"{shown_target}; shortfall {percent_beside(shortfall, tolerance)} {compare} {tolerance:.0%}"
    )


def _level_signal(
    measure: Measure, target: float, points: Sequence[tuple[Period, float]], due: Period, monthly: bool
) -> tuple[Signal, str]:
    """Whole stages: the pace so far (stages gained a period since the first point) against the time left."""
    first_period, first = points[0]
    latest_period, latest = points[-1]
    now = f"is at {value_text(measure, latest)} in {latest_period} (latest)"
    shown_target = value_text(measure, target)
    if meets(latest, target, measure.direction):
        return "G", f"G: measure {measure.id} {now}, meeting the target {shown_target}"
    sign = 1 if measure.direction == "up" else -1
    gained = round((latest - first) * sign)
    remaining = round((target - latest) * sign)
    elapsed = latest_period.index - first_period.index
    since = f"in {period_count(elapsed, monthly)} since {first_period}"
    if gained <= 0:
        moved = "no stage gained" if gained == 0 else f"{stage_count(-gained)} lost"
        return "R", f"R: measure {measure.id} {now}; {moved} {since}: at that pace it never reaches {shown_target}"
    needed = -(-remaining * elapsed // gained)  # whole periods, rounded up: the period the pace reaches it in
    reached_index = latest_period.index + needed
    reached = Month.from_index(reached_index) if monthly else Quarter.from_index(reached_index)
    slack = 3 if monthly else 1
    signal: Signal
    if reached_index <= due.index:
        signal, when = "G", f"by the target's {due}"
    elif reached_index <= due.index + slack:
        late = reached_index - due.index
        signal, when = (
            "A",
            f"{period_count(late, monthly)} after the target's {due}, within {period_count(slack, monthly)}",
        )
    else:
        signal, when = "R", f"more than {period_count(slack, monthly)} after the target's {due}"
    return signal, (
        f"{signal}: measure {measure.id} {now}; {stage_count(gained)} gained {since}: at that pace it reaches "
        f"{shown_target} in {reached}, {when}"
    )


def _standard_signal(
    measure: Measure,
    standard: Standard,
    points: Sequence[tuple[Period, float]],
    tolerance: float,
    chart: SpcChart | None,
    assurance: Assurance | None,
) -> tuple[Signal | None, str]:
    shown = standard_text(measure, standard)
    if not points:
        return None, f"measure {measure.id}: no data yet against the standard {shown}"
    now = _latest(measure, points)
    if chart is not None and assurance is not None and chart.limits is not None and not chart.trial:
        signal = ASSURANCE_SIGNAL[assurance]
        lines = chart.limits
        # A level's limits fall between stages: they are in its trace, not in a reason that counts stages.
        limits = (
            ""
            if measure.kind == "level"
            else (f" (process limits {statistic_text(measure, lines.lower)} to {statistic_text(measure, lines.upper)})")
        )
        counted = len(chart.latest.points)
        since = f" since {_period_of(chart, points)}" if len(chart.segments) > 1 else ""
        variation = VARIATION_SHORT[chart.variation] if chart.variation else "no variation"
        return signal, (
            f"{signal}: measure {measure.id} {now}; SPC over {counted} points{since}: {ASSURANCE_SHORT[assurance]} "
            f"against the standard {shown}{limits}, {variation}"
        )
    latest = points[-1][1]
    miss = standard_miss(standard, latest)
    if miss is None:
        return "G", f"G: measure {measure.id} {now}, meeting the standard {shown}"
    gap, bound = miss
    share = gap / abs(bound) if bound != 0 else math.inf
    signal = "A" if share <= tolerance else "R"
    compare = "within" if signal == "A" else "beyond"
    shown_share = percent_beside(share, tolerance) if math.isfinite(share) else "all"
    return signal, (
        f"{signal}: measure {measure.id} {now}, missing the standard {shown} by {gap_text(measure, gap)} "
        f"({shown_share} of {value_text(measure, bound)}, {compare} the tolerance {tolerance:.0%})"
    )


def _period_of(chart: SpcChart, points: Sequence[tuple[Period, float]]) -> str:
    """The period the latest segment starts at, where the limits were last recalculated."""
    return str(points[-len(chart.latest.points)][0])


def _year_signal(
    measure: Measure,
    standard: Standard,
    in_year: Sequence[tuple[Period, float]],
    year: FinancialYear,
    tolerance: float,
) -> tuple[Signal | None, str]:
    """A standard `over: year`: the mean of the year's actuals so far, by the standard's rules."""
    shown = standard_text(measure, standard)
    if not in_year:
        return None, f"measure {measure.id}: no actual yet in {year} to judge the standard {shown}"
    mean = math.fsum(v for _, v in in_year) / len(in_year)
    count = period_count(len(in_year), measure.cadence == "monthly")
    latest_period, latest = in_year[-1]
    now = (
        f"averages {value_text(measure, mean)} over {count} of {year} to {latest_period} "
        f"(latest {value_text(measure, latest)})"
    )
    miss = standard_miss(standard, mean)
    if miss is None:
        return "G", f"G: measure {measure.id} {now}, meeting the standard {shown}"
    gap, bound = miss
    share = gap / abs(bound) if bound != 0 else math.inf
    signal: Signal = "A" if share <= tolerance else "R"
    compare = "within" if signal == "A" else "beyond"
    shown_share = percent_beside(share, tolerance) if math.isfinite(share) else "all"
    return signal, (
        f"{signal}: measure {measure.id} {now}, missing the standard {shown} by "
        f"{gap_text(measure, gap)} ({shown_share} of {value_text(measure, bound)}, {compare} the tolerance "
        f"{tolerance:.0%})"
    )


def standard_miss(standard: Standard, value: float) -> tuple[float, float] | None:
    """None where `value` holds the standard; else (how far it is off, the bound it misses)."""
    if standard.between is not None:
        low, high = standard.between
        if not meets(value, low, "up"):
            return low - value, low
        if not meets(value, high, "down"):
            return value - high, high
        return None
    bound = standard.values[0]
    if standard.kind == "at_least":
        return None if meets(value, bound, "up") else (bound - value, bound)
    return None if meets(value, bound, "down") else (value - bound, bound)


__all__ = [
    "ASSURANCE_SIGNAL",
    "MeasureResult",
    "Period",
    "Signal",
    "evaluate_all",
    "evaluate_measure",
    "meets",
    "objective_measures",
    "points_upto",
    "project",
    "standard_miss",
    "strategy_end",
    "strategy_start",
]
