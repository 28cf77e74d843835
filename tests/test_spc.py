"""stratctl.spc: the rule cases (spc_cases.yaml), the trace, and what is refused."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
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
    assert chart is not None
    for line in LINES:
        assert getattr(chart, line) == pytest.approx(expect[line], abs=0.005), line
    assert [[k + 1, k + 2] for k in chart.dropped_ranges] == expect["screened"]
    found = {
        number: (f"{p.kind}_{p.side}", p.rules) for number, p in enumerate(chart.points, start=1) if p.special
    }
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
        "common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low", "neutral_high",
        "neutral_low",
    }
    assert {e["assurance"] for e in charted} == {"pass", "fail", "hit_and_miss", None}


@pytest.mark.parametrize("value", [0.1, 0.7, 92.3, 99.9, -3.3])
@pytest.mark.parametrize("count", [15, 24, 36])
def test_a_measure_that_never_moved_is_common_cause(value: float, count: int) -> None:
    """Fifteen 0.1s summed in binary floats and divided by 15 need not give 0.1 back; the mean must."""
    chart = spc.xmr_chart([value] * count, "up")
    assert chart is not None
    assert (chart.mean, chart.upper, chart.lower) == (value, value, value)
    assert not any(p.special for p in chart.points)
    assert chart.variation == "common_cause"


# --- trace -----------------------------------------------------------------------------------


def test_trace_names_the_numbers_the_rules_and_the_points_that_fired() -> None:
    chart = spc.xmr_chart([9, 11] * 7 + [20], "up")
    assert chart is not None
    assert spc.trace(chart, target=12) == [
        "SPC (XmR) over 15 points, direction up",
        "points: " + ", ".join(f"{i}: {9 if i % 2 else 11}.00" for i in range(1, 15)) + ", 15: 20.00",
        "moving ranges screened out (3.267 × mean moving range or more): points 14-15 (9.00);"
        " mean moving range recomputed from the other 13",
        "mean 10.67, mean moving range 2.00",
        "process limits 5.35 to 15.99 (mean ± 2.66 × 2.00)",
        "near-limit lines 7.12 to 14.21",
        "point 15 (20.00): outside_limits: improvement high",
        "variation (latest point, 15): improvement_high",
        "assurance (target 12.00): hit_and_miss",
    ]


def test_trace_of_a_quiet_neutral_chart_says_so() -> None:
    chart = spc.xmr_chart([9, 11] * 8, "neutral")
    assert chart is not None
    lines = spc.trace(chart, target=10)
    assert "no special cause: every point is common cause" in lines
    assert lines[-2:] == ["variation (latest point, 16): common_cause", "assurance: none (direction neutral)"]
    assert not any(line.startswith("moving ranges screened") for line in lines)


def test_trace_shows_a_value_just_below_zero_as_zero() -> None:
    chart = spc.xmr_chart([-0.001, 0.001] * 8, "up")
    assert chart is not None
    assert "-0.00" not in " ".join(spc.trace(chart, between=(-0.001, 0.001)))
    assert spc.trace(chart, between=(-0.001, 0.001))[-1] == "assurance (between 0.00 and 0.00): hit_and_miss"


# --- what the functions refuse ---------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_value_that_is_not_finite_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        spc.xmr_chart([1.0] * 14 + [bad], "up")


def test_an_unknown_direction_is_refused() -> None:
    with pytest.raises(ValueError, match="direction"):
        spc.xmr_chart([1.0] * 15, "sideways")  # type: ignore[arg-type]


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
