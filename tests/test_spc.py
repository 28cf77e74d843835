"""stratctl.spc: the rule cases (spc_cases.yaml), properties, and a second implementation to agree with."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from stratctl import spc

CASES = Path(__file__).parent / "spc_cases.yaml"
LINES = ("mean", "moving_range_mean", "upper", "lower", "upper_near", "lower_near")


# --- the rule cases --------------------------------------------------------------------------


def _cases() -> list[Any]:
    cases = YAML(typ="safe", pure=True).load(CASES.read_text(encoding="utf-8"))
    return [pytest.param(case, id=case["name"]) for case in cases]


def _expected_special(table: dict[Any, str]) -> dict[int, tuple[str, tuple[str, ...]]]:
    """{"10-16": "improvement_high shift"} -> {10: ("improvement_high", ("shift",)), ...}."""
    expected = {}
    for key, text in table.items():
        first, _, last = str(key).partition("-")
        as_, *rules = text.split()
        for number in range(int(first), int(last or first) + 1):
            expected[number] = (as_, tuple(rules))
    return expected


@pytest.mark.parametrize("case", _cases())
def test_spc_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    chart = spc.xmr_chart(case["values"], case["direction"])
    if expect.get("none"):
        assert chart is None
        assert spc.too_few_points(len(case["values"])) == expect["trace"]
        return
    assert chart is not None and chart.limits is not None
    assert chart.trial == expect.get("trial", False)
    for line in LINES:
        assert getattr(chart.limits, line) == pytest.approx(expect[line], abs=0.005), line
    assert [[k + 1, k + 2] for k in chart.limits.dropped_ranges] == expect["screened"]
    found = {number: (f"{p.kind}_{p.side}", p.rules) for number, p in enumerate(chart.points, start=1) if p.special}
    assert found == _expected_special(expect["special"])
    assert all(p.side is None and p.kind is None and p.rules == () for p in chart.points if not p.special)
    assert chart.variation == expect["variation"]
    between = tuple(case["between"]) if case.get("between") else None
    assert spc.assurance(chart, target=case.get("target"), between=between) == expect["assurance"]


def test_the_cases_cover_every_rule_variation_and_assurance() -> None:
    """The case file is the method's specification: every outcome must appear in it at least once."""
    cases = YAML(typ="safe", pure=True).load(CASES.read_text(encoding="utf-8"))
    charted = [case["expect"] for case in cases if not case["expect"].get("none")]
    rules = {rule for e in charted for text in e["special"].values() for rule in text.split()[1:]}
    assert rules == set(spc.RULES)
    assert {e["variation"] for e in charted} == {
        "common_cause",
        "improvement_high",
        "improvement_low",
        "concern_high",
        "concern_low",
        "neutral_high",
        "neutral_low",
    }
    assert {e["assurance"] for e in charted} == {"pass", "fail", "hit_and_miss", None}


@pytest.mark.parametrize("value", [0.1, 0.7, 92.3, 99.9, -3.3])
@pytest.mark.parametrize("count", [15, 24, 36])
def test_a_measure_that_never_moved_is_common_cause(value: float, count: int) -> None:
    """Fifteen 0.1s summed in binary floats and divided by 15 need not give 0.1 back; the mean must."""
    chart = spc.xmr_chart([value] * count, "up")
    assert chart is not None and chart.limits is not None
    assert (chart.limits.mean, chart.limits.upper, chart.limits.lower) == (value, value, value)
    assert not any(p.special for p in chart.points)
    assert chart.variation == "common_cause"


# --- trace -----------------------------------------------------------------------------------


def test_trace_names_the_numbers_the_rules_and_the_points_that_fired() -> None:
    chart = spc.xmr_chart([9, 11] * 7 + [20], "up")
    assert chart is not None
    assert spc.trace(chart, target=12) == [
        "SPC (XmR) over 15 points, direction up",
        "points: " + ", ".join(f"{i}: {9 if i % 2 else 11}" for i in range(1, 15)) + ", 15: 20",
        "moving ranges screened out (3.267 × mean moving range or more): 14 to 15 (9);"
        " mean moving range recomputed from the other 13",
        "mean 10.67, mean moving range 2",
        "process limits 5.35 to 15.99 (mean ± 2.66 × 2)",
        "near-limit lines 7.12 to 14.21",
        "point 15 (20): outside_limits: improvement high",
        "variation (latest point, 15): improvement_high",
        "assurance (target 12): hit_and_miss",
    ]


def test_trace_of_a_quiet_neutral_chart_says_so() -> None:
    chart = spc.xmr_chart([9, 11] * 8, "neutral")
    assert chart is not None
    lines = spc.trace(chart, target=10)
    assert "no special cause: every point is common cause" in lines
    assert lines[-2:] == ["variation (latest point, 16): common_cause", "assurance: none (direction neutral)"]
    assert not any("trial" in line for line in lines)
    assert not any(line.startswith("moving ranges screened") for line in lines)


def test_trace_shows_a_value_just_below_zero_as_zero() -> None:
    chart = spc.xmr_chart([-0.001, 0.001] * 8, "up")
    assert chart is not None
    assert not re.search(r"-0(?![.0-9])", " ".join(spc.trace(chart, between=(-0.001, 0.001))))  # never "-0"
    assert spc.trace(chart, between=(-0.001, 0.001))[-1] == "assurance (between 0 and 0): hit_and_miss"


# --- what the functions refuse ---------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_value_that_is_not_finite_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        spc.xmr_chart([1.0] * 14 + [bad], "up")
    with pytest.raises(ValueError, match="finite"):
        spc.xmr_chart([bad], "up")


def test_an_unknown_direction_is_refused() -> None:
    with pytest.raises(ValueError, match="direction"):
        sideways: Any = "sideways"  # a direction the type does not allow, as a record could hold
        spc.xmr_chart([1.0] * 15, sideways)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": 1.0, "between": (0.0, 2.0)}, "not both"),
        ({"between": (2.0, 0.0)}, "low to high"),
        ({"between": (0.0, math.nan)}, "finite"),
        ({"target": math.inf}, "finite"),
    ],
)
def test_a_standard_that_makes_no_sense_is_refused(kwargs: dict[str, Any], message: str) -> None:
    chart = spc.xmr_chart([9, 11] * 8, "up")
    assert chart is not None
    with pytest.raises(ValueError, match=message):
        spc.assurance(chart, **kwargs)


# --- properties ------------------------------------------------------------------------------

# Integer series: their sums are exact in floats, so a point on the mean is exactly on it
# however the series is shifted or scaled. Random walks make runs and trends; spikes make
# points outside the limits and beyond the near lines.
_walks = st.lists(st.integers(-3, 3), min_size=15, max_size=40).map(
    lambda steps: [sum(steps[: i + 1]) for i in range(len(steps))]
)
_noise = st.lists(st.integers(-20, 20), min_size=15, max_size=40)
_spiky = st.lists(st.sampled_from([-40, -9, -8, -1, 0, 0, 1, 1, 8, 9, 40]), min_size=15, max_size=40)
series = st.one_of(_walks, _noise, _spiky)
directions = st.sampled_from(["up", "down", "neutral"])


def _flags(chart: spc.SpcChart) -> list[tuple[bool, tuple[str, ...], str | None, str | None]]:
    return [(p.special, p.rules, p.side, p.kind) for p in chart.points]


def _lines(chart: spc.SpcChart) -> spc.SpcLimits:
    assert chart.limits is not None
    return chart.limits


def _clear_of_the_lines(chart: spc.SpcChart) -> bool:
    """No point within rounding of a limit or near line, and no range within rounding of the screen.

    A point exactly on a line in exact arithmetic may land on either side of it in floats once
    the series is shifted or scaled; the cases file pins what happens exactly on a line. When
    mR̄ is 0 every line is the mean itself, which integer series hit exactly.
    """
    scale = 1e-9 * max(1.0, *(abs(p.value) for p in chart.points))
    limits = _lines(chart)
    if limits.moving_range_mean > 0:
        lines = (limits.upper, limits.lower, limits.upper_near, limits.lower_near)
        if any(abs(p.value - line) < scale for p in chart.points for line in lines):
            return False
    first_mean = sum(limits.moving_ranges) / len(limits.moving_ranges)
    return first_mean == 0 or all(abs(r - 3.267 * first_mean) >= scale for r in limits.moving_ranges)


@given(series, directions, st.integers(-(10**6), 10**6))
@example([1] * 15, "up", 5)
def test_shifting_every_value_shifts_the_lines_and_changes_no_flag(
    values: list[int], direction: spc.Direction, shift: int
) -> None:
    chart = spc.xmr_chart(values, direction)
    assert chart is not None
    assume(_clear_of_the_lines(chart))
    moved = spc.xmr_chart([v + shift for v in values], direction)
    assert moved is not None
    for line in ("mean", "upper", "lower", "upper_near", "lower_near"):
        assert getattr(_lines(moved), line) == pytest.approx(getattr(_lines(chart), line) + shift, rel=1e-9, abs=1e-6)
    assert _lines(moved).moving_range_mean == pytest.approx(_lines(chart).moving_range_mean, rel=1e-9, abs=1e-9)
    assert _lines(moved).dropped_ranges == _lines(chart).dropped_ranges
    assert _flags(moved) == _flags(chart)
    assert moved.variation == chart.variation


@given(series, directions, st.sampled_from([0.25, 0.5, 2, 3, 7, 10, 1000]))
def test_scaling_by_a_positive_constant_scales_the_lines_and_changes_no_flag(
    values: list[int], direction: spc.Direction, factor: float
) -> None:
    chart = spc.xmr_chart(values, direction)
    assert chart is not None
    assume(_clear_of_the_lines(chart))
    scaled = spc.xmr_chart([v * factor for v in values], direction)
    assert scaled is not None
    for line in LINES:
        assert getattr(_lines(scaled), line) == pytest.approx(getattr(_lines(chart), line) * factor, rel=1e-9, abs=1e-9)
    assert _lines(scaled).dropped_ranges == _lines(chart).dropped_ranges
    assert _flags(scaled) == _flags(chart)
    assert scaled.variation == chart.variation


_SWAPPED = {"improvement": "concern", "concern": "improvement", None: None}


@given(series, st.integers(-60, 60), st.integers(-60, 60), st.integers(0, 60))
def test_reversing_the_direction_swaps_improvement_and_concern_and_pass_and_fail(
    values: list[int], target: int, low: int, width: int
) -> None:
    up, down = spc.xmr_chart(values, "up"), spc.xmr_chart(values, "down")
    assert up is not None and down is not None
    assert [(p.special, p.rules, p.side) for p in up.points] == [(p.special, p.rules, p.side) for p in down.points]
    assert [_SWAPPED[p.kind] for p in up.points] == [p.kind for p in down.points]
    assert up.variation is not None
    kind, _, side = up.variation.partition("_")
    assert down.variation == (up.variation if kind == "common" else f"{_SWAPPED[kind]}_{side}")
    assert {"pass": "fail", "fail": "pass", "hit_and_miss": "hit_and_miss"}[
        spc.assurance(up, target=target) or ""
    ] == spc.assurance(down, target=target)
    band = (float(low), float(low + width))
    assert spc.assurance(up, between=band) == spc.assurance(down, between=band)


@given(series, directions)
def test_the_same_series_gives_the_same_chart(values: list[int], direction: spc.Direction) -> None:
    first = spc.xmr_chart(values, direction)
    again = spc.xmr_chart(tuple(values), direction)
    assert first == again
    assert first is not None and again is not None
    assert spc.trace(first, target=0) == spc.trace(again, target=0)


@given(st.lists(st.floats(-1e6, 1e6), max_size=11), directions)
def test_fewer_than_twelve_points_give_no_chart(values: list[float], direction: spc.Direction) -> None:
    assert spc.xmr_chart(values, direction) is None
    assert spc.too_few_points(len(values)) == f"SPC needs 12 points, has {len(values)}"


@given(st.lists(st.integers(-20, 20), min_size=12, max_size=30), directions)
def test_from_twelve_to_fourteen_points_the_limits_are_trial_limits(
    values: list[int], direction: spc.Direction
) -> None:
    chart = spc.xmr_chart(values, direction)
    assert chart is not None and chart.limits is not None
    assert chart.trial == (len(values) < 15)
    assert any("trial limits" in line for line in spc.trace(chart)) == chart.trial


# --- a second implementation -----------------------------------------------------------------
# Written from the method, not from spc.py, in another style: it slides a window over every
# position and tests each rule's window outright, where spc.py measures runs once. The lines
# use the method's formulas as it states them, with a correctly rounded sum, so both give the
# same floats and the flags can be compared on every series, points exactly on a line included.


class Reference:
    def __init__(self, values: list[float], direction: str) -> None:
        self.direction = direction
        self._set_lines(values)
        rules, trend = self._rules_fired(values)
        self.points: list[tuple[bool, tuple[str, ...], str | None, str | None]] = [
            self._point(fired, trend_sign, value > self.centre)
            for fired, trend_sign, value in zip(rules, trend, values, strict=True)
        ]
        last = self.points[-1]
        self.variation = "common_cause" if not last[0] else f"{last[3]}_{last[2]}"

    def _set_lines(self, values: list[float]) -> None:
        """The mean, the average moving range (screened of large ranges), and the limits and near-limit lines."""
        n = len(values)
        self.centre = values[0] if max(values) == min(values) else math.fsum(values) / n
        ranges = [abs(values[i] - values[i - 1]) for i in range(1, n)]
        average = math.fsum(ranges) / len(ranges)
        if average > 0:
            keep = [r for r in ranges if not r >= 3.267 * average]
            average = math.fsum(keep) / len(keep)
        self.amr = average
        self.ucl = self.centre + 2.66 * average
        self.lcl = self.centre - 2.66 * average
        self.unear = self.centre + (2 / 3) * 2.66 * average
        self.lnear = self.centre - (2 / 3) * 2.66 * average

    def _rules_fired(self, values: list[float]) -> tuple[list[set[str]], list[int]]:
        """Each point's rules, and the sign of the last trend through it (0 if none)."""
        above = [v > self.centre for v in values]
        below = [v < self.centre for v in values]
        trending, trend = self._trend(values)
        points = {
            "outside_limits": {i for i, v in enumerate(values) if v > self.ucl or v < self.lcl},
            "shift": self._shift(above, below),
            "trend": trending,
            "two_of_three": self._two_of_three(values, above, below),
        }
        rules = [{rule for rule, marked in points.items() if i in marked} for i in range(len(values))]
        return rules, trend

    @staticmethod
    def _shift(above: list[bool], below: list[bool]) -> set[int]:
        """Every point of a window of seven on one side of the mean."""
        marked: set[int] = set()
        for s in range(len(above) - 6):
            if all(above[s : s + 7]) or all(below[s : s + 7]):
                marked.update(range(s, s + 7))
        return marked

    @staticmethod
    def _trend(values: list[float]) -> tuple[set[int], list[int]]:
        """Every point of a window of seven each higher (or each lower) than the one before, and its sign."""
        marked: set[int] = set()
        trend = [0] * len(values)
        for s in range(len(values) - 6):
            for sign in (1, -1):
                if all((values[i + 1] - values[i]) * sign > 0 for i in range(s, s + 6)):
                    for i in range(s, s + 7):
                        marked.add(i)
                        trend[i] = sign  # windows are met in time order: the later trend wins
        return marked, trend

    def _two_of_three(self, values: list[float], above: list[bool], below: list[bool]) -> set[int]:
        """The points close to a limit in a window of three on one side where two or three are."""
        high_close = [self.unear < v <= self.ucl for v in values]
        low_close = [self.lcl <= v < self.lnear for v in values]
        marked: set[int] = set()
        for s in range(len(values) - 2):
            for same_side, close in ((above, high_close), (below, low_close)):
                if all(same_side[s : s + 3]) and sum(close[s : s + 3]) >= 2:
                    marked.update(i for i in range(s, s + 3) if close[i])
        return marked

    def _point(
        self, fired: set[str], trend_sign: int, above: bool
    ) -> tuple[bool, tuple[str, ...], str | None, str | None]:
        """(signals, its rules in the method's order, high or low, improvement, concern or neutral)."""
        if not fired:
            return (False, (), None, None)
        # The first rule to fire, in the method's order, says which way the point signals:
        # a trend the way it moves, the others the point's own side of the mean.
        first = next(r for r in ("outside_limits", "trend", "two_of_three", "shift") if r in fired)
        rising = trend_sign == 1 if first == "trend" else above
        side = "high" if rising else "low"
        if self.direction == "neutral":
            kind = "neutral"
        elif (side == "high") == (self.direction == "up"):
            kind = "improvement"
        else:
            kind = "concern"
        order = ["outside_limits", "shift", "trend", "two_of_three"]
        return (True, tuple(r for r in order if r in fired), side, kind)

    @classmethod
    def of(cls, values: list[float], direction: str) -> Reference | None:
        return cls(values, direction) if len(values) >= 12 else None

    def assurance(self, target: float | None, band: tuple[float, float] | None) -> str | None:
        if self.direction == "neutral":
            return None
        if band is not None:
            inside_both = band[0] < self.lcl and band[1] > self.ucl
            return "pass" if inside_both else "hit_and_miss"
        if target is None:
            return None
        if target > self.ucl:
            return {"up": "fail", "down": "pass"}[self.direction]
        if target < self.lcl:
            return {"up": "pass", "down": "fail"}[self.direction]
        return "hit_and_miss"


def test_the_reference_agrees_with_a_hand_worked_case() -> None:
    """The second implementation is itself checked against a case worked by hand (spc_cases.yaml)."""
    ref = Reference([9.0, 18.0] * 6 + [4, 5, 6, 7, 8, 9, 10, 9, 8, 7, 6, 5, 4], "neutral")
    assert (ref.centre, round(ref.ucl, 2), round(ref.lcl, 2)) == (10.0, 23.85, -3.85)
    assert [p[0] for p in ref.points] == [False] * 12 + [True] * 13
    assert [p[2] for p in ref.points[12:]] == ["high"] * 6 + ["low"] * 7
    assert ref.variation == "neutral_low"


_PEAK_ON_THE_MEAN = [9, 18] * 6 + [4, 5, 6, 7, 8, 9, 10, 9, 8, 7, 6, 5, 4]
_TREND_THROUGH_THE_MEAN = [12, 8] * 4 + [7, 8, 9, 10, 11, 12, 13]
_standards = st.one_of(
    st.none(),
    st.integers(-60, 60).map(lambda t: (float(t), None)),
    st.tuples(st.integers(-60, 60), st.integers(0, 80)).map(lambda b: (None, (float(b[0]), float(b[0] + b[1])))),
)


@given(
    st.one_of(
        series,
        st.lists(st.integers(-20, 20), max_size=16),
        st.lists(st.floats(-1e3, 1e3, allow_subnormal=False), min_size=13, max_size=40),
    ),
    directions,
    _standards,
)
@example(_PEAK_ON_THE_MEAN, "up", None)
@example(_TREND_THROUGH_THE_MEAN, "down", (240.0, None))
@example([0.1] * 24, "up", (0.1, None))
@example([9, 11] * 6 + [9, 16, 16, 9], "up", None)  # two near points in a run of two
@example([5] + [826, 0] * 6 + [826, 4093], "up", None)  # a range of exactly 3.267 mR̄
@example([1, 2] * 5 + [1], "up", (1.0, None))  # one point short
def test_an_independent_implementation_gives_the_same_chart(
    values: list[float], direction: spc.Direction, standard: tuple[float | None, tuple[float, float] | None] | None
) -> None:
    chart = spc.xmr_chart(values, direction)
    ref = Reference.of([float(v) for v in values], direction)
    if ref is None:
        assert chart is None
        return
    assert chart is not None
    pairs = {
        "mean": ref.centre,
        "moving_range_mean": ref.amr,
        "upper": ref.ucl,
        "lower": ref.lcl,
        "upper_near": ref.unear,
        "lower_near": ref.lnear,
    }
    for line, theirs in pairs.items():
        assert getattr(_lines(chart), line) == pytest.approx(theirs, rel=1e-9, abs=1e-9), line
    assert _flags(chart) == ref.points
    assert chart.variation == ref.variation
    target, band = standard or (None, None)
    assert spc.assurance(chart, target=target, between=band) == ref.assurance(target, band)


# --- recalculated limits --------------------------------------------------------------------


def test_a_rebased_series_has_a_mean_limits_and_rules_for_each_segment() -> None:
    """Worked by hand. Points 1-15: 9, 11 alternating, then 10: S = 7*9 + 7*11 + 10 = 150,
    mean 10; fourteen ranges: thirteen 2s and |10-11| = 1: 27/14 = 1.9286; 3.267 × that = 6.30,
    none screened. L = 5.13: 4.87 to 15.13. Points 16-30: 19, 21 alternating, then 20: mean 20,
    the same mR̄: 14.87 to 25.13. The jump from 10 to 19 lies between the segments: it is no
    moving range of either. Unrebased, all 30 points share a mean of 15, the first 15 points
    lie below it and the last 15 above: 30 points of special cause, each a shift.
    """
    values = [9.0, 11.0] * 7 + [10.0] + [19.0, 21.0] * 7 + [20.0]
    whole = spc.xmr_chart(values, "up")
    assert whole is not None and whole.limits is not None
    assert whole.limits.mean == 15
    assert sum(p.special for p in whole.points) == 30
    chart = spc.xmr_chart(values, "up", rebase=[15])
    assert chart is not None
    first, second = chart.segments
    assert (first.start, first.end, second.start, second.end) == (0, 15, 15, 30)
    assert first.limits is not None and second.limits is not None
    assert (first.limits.mean, second.limits.mean) == (10, 20)
    assert first.limits.moving_range_mean == second.limits.moving_range_mean == pytest.approx(27 / 14)
    assert (round(first.limits.lower, 2), round(first.limits.upper, 2)) == (4.87, 15.13)
    assert (round(second.limits.lower, 2), round(second.limits.upper, 2)) == (14.87, 25.13)
    assert len(first.limits.moving_ranges) == len(second.limits.moving_ranges) == 14
    assert not any(p.special for p in chart.points)
    assert chart.variation == "common_cause"
    assert chart.limits == second.limits
    lines = spc.trace(chart, target=22)
    assert "limits recalculated at 16: 2 segments, each with its own mean, limits and rules" in lines
    first_at = lines.index("segment 1 to 15 (15 points):")
    assert lines[first_at + 1] == "  mean 10, mean moving range 1.93"
    second_at = lines.index("segment 16 to 30 (15 points):")
    assert lines[second_at + 2] == "  process limits 14.87 to 25.13 (mean ± 2.66 × 1.93)"
    assert lines[-1] == "assurance (target 22): hit_and_miss"


def test_a_segment_of_fewer_than_twelve_points_has_no_limits_and_the_chart_no_variation() -> None:
    values = [9.0, 11.0] * 8 + [30.0, 31.0, 29.0]
    chart = spc.xmr_chart(values, "down", rebase=[16])
    assert chart is not None
    assert chart.segments[0].limits is not None and chart.segments[1].limits is None
    assert not any(p.assessed or p.special for p in chart.segments[1].points)
    assert chart.variation is None and spc.assurance(chart, target=10) is None
    assert spc.trace(chart, target=10)[-1] == "assurance: none (the latest segment has no limits)"
    assert spc.xmr_chart([1.0] * 11 + [2.0] * 11, "up", rebase=[11]) is None


@pytest.mark.parametrize("rebase", [[-1], [19]])
def test_a_rebase_outside_the_series_is_refused(rebase: list[int]) -> None:
    with pytest.raises(ValueError, match="outside the series"):
        spc.xmr_chart([1.0] * 19, "up", rebase=rebase)


def test_a_trend_signals_the_way_it_moves_and_a_point_outside_the_limits_its_side() -> None:
    """Outside the limits is read first, then a trend: a point above the upper limit at the start
    of a falling trend is high; the trend's other points are low, above the mean as they are."""
    values = [20.0, 16, 21, 17, 20, 16, 19, 40, 38, 36, 34, 32, 30, 28, 18, 21, 17]
    chart = spc.xmr_chart(values, "up")
    assert chart is not None and chart.limits is not None
    outside = [i for i, p in enumerate(chart.points) if "outside_limits" in p.rules]
    trend = [i for i, p in enumerate(chart.points) if "trend" in p.rules]
    assert trend == list(range(7, 15))  # 40 down to 18: eight points falling
    for i in trend:
        point = chart.points[i]
        expected = "high" if i in outside else "low"
        assert (point.side, point.decided_by) == (expected, "outside_limits" if i in outside else "trend")
        assert point.kind == ("improvement" if expected == "high" else "concern")
