"""Measures: standards, levels, monthly trends, SPC, and where their signals show.

Every expected value is worked by hand in the comment beside it, never by calling the code under test.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stratctl.measure_readout import measure_json, measure_trace, summary
from stratctl.measures import MeasureResult, evaluate_measure
from stratctl.periods import Month, Quarter, ReportingPoint
from stratctl.rating import ORDER, compute_position, rate_objective
from stratctl.records import Measure, Objective
from tests.conftest import Stratctl, snapshot

Q3 = ReportingPoint.end_of(Quarter.parse("2021/22 Q3"))  # as of 2021-12-31
Q4 = ReportingPoint.end_of(Quarter.parse("2021/22 Q4"))  # as of 2022-03-31
DUE = date(2022, 3, 31)  # in 2021/22 Q4, and in month 2022-03
TOLERANCE = 0.10


def measure(**fields: Any) -> Measure:
    base: dict[str, Any] = {"id": "m", "name": "M", "direction": "up"}
    base.update(fields)
    return Measure.model_validate(base)


def quarterly(**values: float) -> dict[str, float]:
    """Q2=19.2 -> {"2021/22 Q2": 19.2}."""
    return {f"2021/22 {q}": v for q, v in values.items()}


def rate(m: Measure, point: ReportingPoint = Q3, due: date = DUE, tolerance: float = TOLERANCE) -> MeasureResult:
    return evaluate_measure(m, point, due, tolerance)


# --- standards without SPC: the latest value against the standard -----------------------------

STANDARD_CASES = [
    # (name, target, direction, latest, signal, phrase). The miss is a share of the standard's value.
    ("at least, met", {"at_least": 95}, "up", 96.0, "G", "meeting the standard at least 95%"),
    ("at least, met exactly", {"at_least": 95}, "up", 95.0, "G", "meeting the standard"),
    # 95 - 90 = 5, and 5 / 95 = 5.3%: within 10%.
    (
        "at least, missed within tolerance",
        {"at_least": 95},
        "up",
        90.0,
        "A",
        "by 5 percentage points (5% of 95%, within the tolerance 10%)",
    ),
    # 95 - 80 = 15, and 15 / 95 = 15.8%: beyond 10%.
    ("at least, missed beyond tolerance", {"at_least": 95}, "up", 80.0, "R", "(16% of 95%, beyond the tolerance 10%)"),
    ("at most, met", {"at_most": 18}, "down", 17.0, "G", "meeting the standard at most 18%"),
    # 19 - 18 = 1, and 1 / 18 = 5.6%: within.
    ("at most, missed within tolerance", {"at_most": 18}, "down", 19.0, "A", "(6% of 18%, within"),
    # 21 - 18 = 3, and 3 / 18 = 16.7%: beyond.
    ("at most, missed beyond tolerance", {"at_most": 18}, "down", 21.0, "R", "(17% of 18%, beyond"),
    ("between, inside", {"between": [92, 96]}, "down", 94.0, "G", "meeting the standard between 92% and 96%"),
    # Above the band: 97 - 96 = 1, and 1 / 96 = 1.0%: within.
    ("between, just above", {"between": [92, 96]}, "down", 97.0, "A", "by 1 percentage point (1% of 96%"),
    # Below the band: 92 - 80 = 12, and 12 / 92 = 13.0%: beyond.
    ("between, far below", {"between": [92, 96]}, "down", 80.0, "R", "by 12 percentage points (13% of 92%"),
]


@pytest.mark.parametrize(
    ("name", "target", "direction", "latest", "signal", "phrase"), STANDARD_CASES, ids=[c[0] for c in STANDARD_CASES]
)
def test_a_standard_is_the_latest_value_against_it(
    name: str, target: dict[str, Any], direction: str, latest: float, signal: str, phrase: str
) -> None:
    result = rate(measure(unit="%", direction=direction, target=target, actuals=quarterly(Q2=50.0, Q3=latest)))
    assert result.signal == signal, result.reason
    assert result.reason.startswith(f"{signal}: measure m is {latest:g}% in 2021/22 Q3 (latest)"), result.reason
    assert phrase in result.reason
    assert result.spc is None and result.assurance is None and result.projection is None


def test_one_actual_is_enough_to_hold_a_standard_to() -> None:
    # A standard compares the latest value alone: no trend is needed. 93 against at least 95: 2 / 95 = 2.1%.
    result = rate(measure(target={"at_least": 95}, actuals=quarterly(Q3=93.0)))
    assert result.signal == "A"


def test_a_standard_at_zero_has_no_share_to_miss_by() -> None:
    # at most 0 (never events): any miss is R, since no share of 0 is within a tolerance.
    result = rate(measure(direction="down", target={"at_most": 0}, tolerance=0.5, actuals=quarterly(Q3=1.0)))
    assert result.signal == "R" and "(all of 0, beyond the tolerance 50%)" in result.reason


# --- standards with SPC: the assurance decides --------------------------------------------------

ALTERNATING = {str(Month.from_index(Month(2021, 4).index + i)): (10.0 if i % 2 == 0 else 12.0) for i in range(15)}
"""15 months, 2021-04 to 2022-06: 10, 12, 10, ..., 10 (eight 10s and seven 12s).

By hand: mean = (8 x 10 + 7 x 12) / 15 = 164 / 15 = 10.9333; every moving range is 2, so mR-bar = 2
(none is 3.267 x 2 = 6.53 or more, none is screened); process limits 10.9333 -/+ 2.66 x 2 =
5.6133 to 16.2533; near-limit lines 10.9333 -/+ 3.5467 = 7.3867 to 14.48. The points alternate
sides of the mean and direction, and none is beyond a near-limit line: every point is common cause.
"""
JUNE = ReportingPoint.end_of(Quarter.parse("2022/23 Q1"))  # as of 2022-06-30: all 15 months


def spc_measure(**fields: Any) -> Measure:
    return measure(cadence="monthly", actuals=ALTERNATING, **fields)


SPC_CASES = [
    # (name, fields, signal, assurance, what the latest value alone would have given)
    # 5 is below the lower limit 5.6133: an up process consistently passes it.
    ("at least below the limits: pass", {"target": {"at_least": 5}}, "G", "pass", "G"),
    # 10 is inside the limits: hit and miss, A, although the latest (10) meets it.
    ("at least inside the limits: hit and miss", {"target": {"at_least": 10}}, "A", "hit_and_miss", "G"),
    # 17 is above the upper limit 16.2533: fail, R; the latest alone, 17 - 10 = 7, is 41% of 17: within 50%, A.
    ("at least above the limits: fail", {"target": {"at_least": 17}, "tolerance": 0.5}, "R", "fail", "A"),
    # Going down, 17 above the upper limit always passes.
    ("at most above the limits: pass", {"direction": "down", "target": {"at_most": 17}}, "G", "pass", "G"),
    # 10.5 is inside the limits: hit and miss, although the latest (10) is below it.
    (
        "at most inside the limits: hit and miss",
        {"direction": "down", "target": {"at_most": 10.5}},
        "A",
        "hit_and_miss",
        "G",
    ),
    # A band holding both limits (4 < 5.6133, 18 > 16.2533) passes.
    ("between around the limits: pass", {"target": {"between": [4, 18]}}, "G", "pass", "G"),
    # A band inside the limits is hit and miss (never fail), although the latest (10) is in it.
    ("between inside the limits: hit and miss", {"target": {"between": [9, 11]}}, "A", "hit_and_miss", "G"),
]


@pytest.mark.parametrize(("name", "fields", "signal", "assurance", "without"), SPC_CASES, ids=[c[0] for c in SPC_CASES])
def test_with_15_points_the_spc_assurance_decides_a_standard(
    name: str, fields: dict[str, Any], signal: str, assurance: str, without: str
) -> None:
    result = rate(spc_measure(**fields), JUNE)
    assert result.spc is not None and result.spc.limits is not None
    assert result.spc.limits.mean == pytest.approx(164 / 15)
    assert result.spc.limits.lower == pytest.approx(5.61333, abs=1e-4)
    assert result.spc.limits.upper == pytest.approx(16.25333, abs=1e-4)
    assert result.variation == "common_cause"
    assert (result.signal, result.assurance) == (signal, assurance), result.reason
    assert "SPC over 15 points" in result.reason and "2022-06 (latest)" in result.reason
    # Without the first month, 14 points: trial limits, so the latest value (10, in 2022-06) decides.
    fourteen = measure(cadence="monthly", actuals=dict(list(ALTERNATING.items())[1:]), **fields)
    fewer = rate(fourteen, JUNE)
    assert fewer.spc is not None and fewer.spc.trial and fewer.signal == without
    assert "SPC on trial limits (14 points, fewer than 15)" in fewer.reason
    assert any("(trial limits: 14 points, fewer than 15)" in line for line in measure_trace(fewer))
    # With 11, no chart at all.
    eleven = rate(measure(cadence="monthly", actuals=dict(list(ALTERNATING.items())[4:]), **fields), JUNE)
    assert eleven.spc is None and eleven.signal == without
    assert "SPC needs 12 points, has 11" in measure_trace(eleven)


def test_a_number_target_keeps_its_projection_and_reports_spc_beside_it() -> None:
    # The same 15 months against a number target of 11 due 2022-06 (x = 14, x from 0 in 2021-04).
    # The latest (10) misses it. Least squares: mean x 7; sum (x - 7)(y - mean y) is sum (x - 7) y,
    # and the 12s at odd x (x - 7 = -6, -4, -2, 0, 2, 4, 6) add up to 0: the slope is 0, so the line
    # reads the mean, 10.9333, anywhere. Short of 11 by 0.0667, of a distance of 1 from the first
    # point (10): 7%, within 10%: A. SPC only reports beside it: 11 lies inside the limits.
    result = rate(spc_measure(target=11), JUNE, due=date(2022, 6, 30))
    assert result.signal == "A"
    assert "projects 10.93 at 2022-06 against 11; shortfall 7% within 10%" in result.reason
    assert result.projection is not None
    assert result.projection[0] == "2022-06" and result.projection[1] == pytest.approx(164 / 15)
    assert (result.assurance, result.variation) == ("hit_and_miss", "common_cause")
    assert "SPC" not in result.reason


# --- levels: whole stages, by pace ------------------------------------------------------------

LEVEL_CASES = [
    # (name, baseline Q1, actuals, target, signal, phrase); the target is due in 2021/22 Q4.
    # 2 -> 4 in 2 quarters: 1 stage a quarter; 1 stage to go: reached in Q4, the target's quarter.
    (
        "pace reaches it by the target",
        2,
        {"Q2": 3, "Q3": 4},
        5,
        "G",
        "reaches stage 5 in 2021/22 Q4, by the target's 2021/22 Q4",
    ),
    # 3 -> 4 in 2 quarters: half a stage a quarter; 1 to go takes 2 quarters: 2022/23 Q1, one after Q4.
    (
        "pace reaches it a quarter late",
        3,
        {"Q3": 4},
        5,
        "A",
        "reaches stage 5 in 2022/23 Q1, 1 quarter after the target's 2021/22 Q4",
    ),
    # 3 -> 4 in 2 quarters, 2 to go takes 4 quarters: 2022/23 Q3, three after Q4.
    ("pace reaches it much later", 3, {"Q3": 4}, 6, "R", "reaches stage 6 in 2022/23 Q3, more than 1 quarter after"),
    (
        "no stage gained",
        3,
        {"Q2": 3, "Q3": 3},
        5,
        "R",
        "no stage gained in 2 quarters since 2021/22 Q1: at that pace it never reaches stage 5",
    ),
    ("stages lost", 4, {"Q3": 3}, 5, "R", "1 stage lost in 2 quarters"),
    ("already there", 4, {"Q3": 5}, 5, "G", "is at stage 5 in 2021/22 Q3 (latest), meeting the target stage 5"),
]


@pytest.mark.parametrize(
    ("name", "baseline", "actuals", "target", "signal", "phrase"), LEVEL_CASES, ids=[c[0] for c in LEVEL_CASES]
)
def test_a_level_climbs_whole_stages_at_its_pace(
    name: str, baseline: int, actuals: dict[str, int], target: int, signal: str, phrase: str
) -> None:
    m = measure(
        id="himss",
        kind="level",
        target=target,
        baseline={"quarter": "2021/22 Q1", "value": baseline},
        actuals=quarterly(**actuals),
    )
    result = rate(m)
    assert result.signal == signal, result.reason
    assert phrase in result.reason, result.reason
    assert result.projection is None  # a level is not projected by a straight line
    # Never a fractional stage: no decimal point anywhere in the reason or the JSON.
    assert not re.search(r"\d\.\d", result.reason)
    shown = measure_json(result)
    assert shown["latest"] == list(actuals.values())[-1] and isinstance(shown["latest"], int)
    assert shown["target"] == target and isinstance(shown["target"], int)
    assert all(isinstance(value, int) for value in shown["points"].values())


@pytest.mark.parametrize(
    ("first_month", "signal"),
    [
        # Stage 3 in first_month, 4 in 2021-12; target 5 due 2022-03; A allows three months late.
        ("2021-10", "G"),  # 1 stage in 2 months: 2 more months, reached 2022-02
        ("2021-08", "A"),  # 1 stage in 4 months: reached 2022-04, one month late
        ("2021-04", "R"),  # 1 stage in 8 months: reached 2022-08, five months late
    ],
)
def test_a_monthly_level_may_be_three_months_late_for_amber(first_month: str, signal: str) -> None:
    m = measure(
        kind="level", cadence="monthly", target=5, baseline={"month": first_month, "value": 3}, actuals={"2021-12": 4}
    )
    assert rate(m).signal == signal


# --- neutral: charted, never rated ------------------------------------------------------------


def test_a_neutral_measure_has_no_signal_but_gets_spc_with_15_points() -> None:
    result = rate(spc_measure(direction="neutral"), JUNE)
    assert result.signal is None and "direction neutral" in result.reason
    assert result.spc is not None and result.variation == "common_cause" and result.assurance is None
    shown = measure_json(result)
    assert shown["signal"] is None and shown["target"] is None
    assert shown["spc"]["points"] == 15 and shown["spc"]["assurance"] is None
    # In an objective, a neutral measure neither lifts nor lowers the position, and says why.
    objective = Objective.model_validate(
        {
            "id": "o",
            "title": "O",
            "year": "2021/22",
            "until": "2022/23",
            "priority": "p",
            "lead": "L",
            "measures": [
                {"id": "m", "name": "M", "direction": "neutral", "cadence": "monthly", "actuals": ALTERNATING}
            ],
            "updates": [{"quarter": "2022/23 Q1", "progress": "on-track"}],
        }
    )
    position, reasons = compute_position(objective, JUNE)
    assert position == "G" and any("direction neutral" in r for r in reasons)


# --- a monthly trend line is read at the month of the target date --------------------------------


@pytest.mark.parametrize(
    ("target", "due", "signal", "phrase"),
    [
        # 60, 62, 64 in 2021-10 to 2021-12: 2 a month, so 2022-03 (three months on) reads 70.
        (70.0, DUE, "G", "is 64% in 2021-12 (latest); projects 70% at 2022-03, meeting the target 70%"),
        # Against 71: 1 short of 71 - 60 = 11 from the first point: 9% within 10%.
        (71.0, DUE, "A", "projects 70% at 2022-03 against 71%; shortfall 9% within 10%"),
        # Against 75: 5 short of 15: 33%.
        (75.0, DUE, "R", "shortfall 33% exceeds 10%"),
        # Due 2022-02-15: the month containing it, 2022-02, reads 68; 2 short of 10 is 20%.
        (70.0, date(2022, 2, 15), "R", "projects 68% at 2022-02 against 70%; shortfall 20% exceeds 10%"),
    ],
)
def test_a_monthly_measure_projects_to_the_due_month(target: float, due: date, signal: str, phrase: str) -> None:
    m = measure(unit="%", cadence="monthly", target=target, actuals={"2021-10": 60, "2021-11": 62, "2021-12": 64})
    result = rate(m, due=due)
    assert result.signal == signal and phrase in result.reason, result.reason
    assert result.projection is not None and result.projection[0] == str(Month(due.year, due.month))


def test_a_monthly_measure_counts_the_months_up_to_the_as_of_date() -> None:
    # As of 2021-11-15, November's actual counts (as a quarter's does mid-quarter) and December's does not.
    m = measure(cadence="monthly", target=70, actuals={"2021-10": 60, "2021-11": 62, "2021-12": 64})
    result = rate(m, ReportingPoint.on(date(2021, 11, 15)))
    assert result.points == (("2021-10", 60.0), ("2021-11", 62.0))


# --- the latest actual is always quoted ------------------------------------------------------


def test_the_latest_actual_is_quoted_beside_the_projection() -> None:
    # 20, 16, 14, 12 weeks in Q1-Q4: x = 0..3, mean x 1.5, mean y 15.5, Sxx 5, Sxy -13, slope -2.6;
    # due 2022-06-30 (2022/23 Q1, x = 4): 15.5 - 2.6 x 2.5 = 9. Against 8: 1 short of 12 (20 - 8), 8%.
    m = measure(
        id="x",
        unit="weeks",
        direction="down",
        target=8,
        baseline={"quarter": "2021/22 Q1", "value": 20},
        actuals=quarterly(Q2=16, Q3=14, Q4=12),
    )
    result = rate(m, Q4, due=date(2022, 6, 30))
    assert result.reason == (
        "A: measure x is 12 weeks in 2021/22 Q4 (latest); projects 9 weeks at 2022/23 Q1 against 8 weeks; "
        "shortfall 8% within 10%"
    )
    assert (result.latest, result.latest_period) == (12.0, "2021/22 Q4")


def test_too_few_points_still_quote_the_latest() -> None:
    result = rate(measure(target=5, actuals=quarterly(Q3=17.55)))
    assert result.signal is None
    assert (
        result.reason
        == "measure m: insufficient data (fewer than two points by 2021/22 Q3); the latest is 17.55 in 2021/22 Q3"
    )


# --- the trace `explain` prints --------------------------------------------------------------


def test_the_trace_lists_points_the_reason_and_the_spc_working() -> None:
    result = rate(spc_measure(name="ED four hours", unit="%", target={"at_least": 10}), JUNE)
    trace = "\n".join(measure_trace(result))
    assert measure_trace(result)[0].startswith(
        "measure m (ED four hours, %): monthly, continuous, direction up; target at least 10%"
    )
    assert "points (15 by 2022-06): 2021-04: 10, 2021-05: 12," in trace
    assert result.reason in measure_trace(result)
    # spc.trace's own lines, to at most 2 decimals: the numbers worked out above.
    assert "mean 10.93, mean moving range 2" in trace
    assert "process limits 5.61 to 16.25 (mean ± 2.66 × 2)" in trace
    assert "near-limit lines 7.39 to 14.48" in trace
    assert "no special cause: every point is common cause" in trace
    assert "variation (latest point, 2022-06): common_cause" in trace
    assert "assurance (target 10): hit_and_miss" in trace


def test_the_trace_names_each_special_point_by_its_period() -> None:
    # The first 14 months alternate 10 and 12, then 40 in 2022-06. Moving ranges: thirteen of 2 and
    # one of 28; their mean 54 / 14 = 3.857, and 28 is 3.267 x 3.857 = 12.6 or more: screened out,
    # so mR-bar is 2. Mean (7 x 10 + 7 x 12 + 40) / 15 = 194 / 15 = 12.933: limits 7.613 to 18.253.
    # 40 is outside them (improvement, high, going up); the first 14 all lie below the mean, a run
    # of 14 on one side: a shift, concern (low).
    values = dict(list(ALTERNATING.items())[:14]) | {"2022-06": 40.0}
    result = rate(measure(cadence="monthly", target={"at_least": 5}, actuals=values), JUNE)
    trace = "\n".join(measure_trace(result))
    assert "moving ranges screened out (3.267 × mean moving range or more): 2022-05 to 2022-06 (28)" in trace
    assert "point 1, 2021-04 (10): shift: concern low" in trace
    assert "point 15, 2022-06 (40): outside_limits: improvement high" in trace
    shown = measure_json(result)["spc"]
    assert shown["variation"] == "improvement_high" and shown["dropped_ranges"] == [13]
    assert shown["mean"] == pytest.approx(194 / 15)
    assert shown["special"][-1] == {
        "period": "2022-06",
        "rules": ["outside_limits"],
        "kind": "improvement",
        "side": "high",
    }
    assert measure_json(result)["points"]["2022-06"] == 40.0
    assert [p["period"] for p in shown["special"][:-1]] == list(values)[:14]
    assert all(p["rules"] == ["shift"] and (p["kind"], p["side"]) == ("concern", "low") for p in shown["special"][:-1])


# --- a better latest actual never worsens the signal ----------------------------------------

values = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)


@given(
    direction=st.sampled_from(["up", "down"]),
    target=st.one_of(
        values.map(lambda v: {"number": v}),
        values.map(lambda v: {"at_least": v}),
        values.map(lambda v: {"at_most": v}),
        st.tuples(values, values).map(lambda b: {"between": sorted(b)}),
    ),
    baseline=values,
    q2=values,
    q3=values,
    step=st.floats(min_value=0, max_value=1),
)
@example(direction="down", target={"number": 5.0}, baseline=21.0, q2=19.2, q3=17.55, step=0.5)
def test_a_better_latest_actual_never_worsens_the_signal(
    direction: str, target: dict[str, Any], baseline: float, q2: float, q3: float, step: float
) -> None:
    """Without SPC (three points), for number targets and standards: moving the latest toward what is
    better (up or down by the direction, toward the band's middle for between) never lowers the signal."""
    kind, value = next(iter(target.items()))
    if kind == "at_least":
        direction = "up"
    elif kind == "at_most":
        direction = "down"
    goal = (value[0] + value[1]) / 2 if kind == "between" else (100.0 if direction == "up" else 0.0)
    better = q3 + (goal - q3) * step

    def signal(latest: float) -> int:
        m = measure(
            direction=direction,
            target=value if kind == "number" else target,
            baseline={"quarter": "2021/22 Q1", "value": baseline},
            actuals=quarterly(Q2=q2, Q3=latest),
        )
        found = rate(m).signal
        assert found is not None
        return ORDER[found]

    assert signal(better) >= signal(q3)


@given(
    direction=st.sampled_from(["up", "down"]),
    first=st.integers(0, 7),
    latest=st.integers(0, 7),
    target=st.integers(0, 7),
    gain=st.integers(0, 3),
)
def test_a_higher_stage_never_worsens_a_level(direction: str, first: int, latest: int, target: int, gain: int) -> None:
    better = latest + gain if direction == "up" else latest - gain

    def signal(now: int) -> int:
        m = measure(
            direction=direction,
            kind="level",
            target=target,
            baseline={"quarter": "2021/22 Q1", "value": first},
            actuals=quarterly(Q3=now),
        )
        found = rate(m).signal
        assert found is not None
        return ORDER[found]

    assert signal(better) >= signal(latest)


# --- in an objective, a strategic objective, a commitment: rated and shown ----------------------


def test_an_objectives_measures_are_rated_even_when_the_position_stops_early() -> None:
    objective = Objective.model_validate(
        {
            "id": "o",
            "title": "O",
            "year": "2021/22",
            "priority": "p",
            "lead": "L",
            "due": DUE.isoformat(),
            "measures": [
                {"id": "m", "name": "M", "direction": "up", "target": {"at_least": 95}, "actuals": quarterly(Q3=80.0)}
            ],
            "updates": [{"quarter": "2021/22 Q3", "progress": "complete"}],
        }
    )
    rating = rate_objective(objective, Q3)
    assert rating.computed == "C"
    assert [(m.id, m.signal) for m in rating.measures] == [("m", "R")]  # 15 / 95 = 16%: beyond 10%


STRATEGY = "strategy: {title: Our strategy 2021-24, start: 2021/22, end: 2023/24}\n"
SHMI = """\
    measures:
      - id: shmi
        name: Summary Hospital-level Mortality Indicator
        direction: down
        baseline: {quarter: 2021/22 Q1, value: 110}
        target: 100
        actuals: {2021/22 Q2: 106, 2021/22 Q3: 104}
"""
VACANCIES = """\
    measures:
      - id: vacancy-rate
        name: Vacancy rate
        unit: "%"
        direction: down
        target: {at_most: 8}
        actuals: {2021/22 Q3: 9.5}
"""


def _with_measures(repo: Path, strategy: bool) -> None:
    """SO1 gets a success measure (and trust.yaml a strategy period, if asked); people.pipeline a measure."""
    trust = repo / "data" / "trust.yaml"
    text = trust.read_text(encoding="utf-8")
    text = text.replace("strategic_objectives:\n", (STRATEGY if strategy else "") + "strategic_objectives:\n")
    text = text.replace("    title: Outstanding care\n", "    title: Outstanding care\n" + SHMI)
    trust.write_text(text, encoding="utf-8")
    people = repo / "data" / "strategies" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + VACANCIES, encoding="utf-8")


def _json(stratctl: Stratctl) -> dict[str, Any]:
    outcome = stratctl("status", "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    status: dict[str, Any] = json.loads(outcome.stdout)
    return status


@pytest.mark.parametrize(
    ("strategy", "signal", "phrase"),
    [
        # 110, 106, 104 in Q1-Q3: x 0..2, mean x 1, mean y 106.67, Sxx 2, Sxy -6, slope -3.
        # Due at the strategy's end, 2023/24 Q4 (x = 11): 106.67 - 3 x 10 = 76.67, meeting 100: G.
        (True, "G", "projects 76.67 at 2023/24 Q4, meeting the target 100"),
        # With no strategy period, due at the trust year's end, 2021/22 Q4 (x = 3): 106.67 - 3 x 2 = 100.67;
        # 0.67 short of 10 (110 - 100) is 7%: A.
        (False, "A", "projects 100.67 at 2021/22 Q4 against 100; shortfall 7% within 10%"),
    ],
)
def test_success_and_commitment_measures_are_rated_and_in_the_json(
    repo: Path, stratctl: Stratctl, strategy: bool, signal: str, phrase: str
) -> None:
    _with_measures(repo, strategy)
    validated = stratctl("validate")
    assert validated.exit_code == 0, validated.stdout
    status = _json(stratctl)
    so1 = next(s for s in status["strategic_objectives"] if s["id"] == "SO1")
    assert [(m["id"], m["signal"], m["latest"]) for m in so1["measures"]] == [("shmi", signal, 104.0)]
    assert phrase in so1["measures"][0]["reason"]
    assert next(s for s in status["strategic_objectives"] if s["id"] == "SO2")["measures"] == []
    pipeline = next(c for c in status["commitments"] if c["id"] == "pipeline")
    # 9.5 against at most 8: 1.5 / 8 = 19%, beyond 10%: R.
    assert [(m["id"], m["signal"], m["target"]) for m in pipeline["measures"]] == [
        ("vacancy-rate", "R", {"at_most": 8})
    ]
    text = stratctl("status").stdout
    assert f"shmi {signal} (3 of 12 points for SPC)" in text and "vacancy-rate R" in text


def test_a_commitments_own_measure_worsens_its_status(repo: Path, stratctl: Stratctl) -> None:
    # people.pipeline is delivered by cancer-standards (declared A at Q3) and talent (declared G): A.
    before = next(c for c in _json(stratctl)["commitments"] if c["id"] == "pipeline")
    assert (before["status"], before["measures"]) == ("A", [])
    _with_measures(repo, strategy=False)
    after = next(c for c in _json(stratctl)["commitments"] if c["id"] == "pipeline")
    assert after["status"] == "R"  # the worst of A, G and its measure's R
    explained = stratctl("explain", "people.pipeline").stdout
    assert (
        "measure vacancy-rate (Vacancy rate, %): quarterly" in explained
        and "R: measure vacancy-rate is 9.5%" in explained
    )


def test_an_objectives_measures_are_in_the_json_and_explained(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "updates:\n",
            """\
measures:
  - id: himss-stage
    name: HIMSS EMRAM stage
    direction: up
    kind: level
    baseline: {quarter: 2021/22 Q1, value: 3}
    target: 5
    actuals: {2021/22 Q3: 4}
updates:
""",
        ),
        encoding="utf-8",
    )
    talent = next(o for o in _json(stratctl)["objectives"] if o["id"] == "talent")
    # 3 -> 4 in two quarters, one stage to go: reached 2022/23 Q1, a quarter after Q4: A.
    assert talent["measures"][0] | {"reason": None} == {
        "id": "himss-stage",
        "name": "HIMSS EMRAM stage",
        "unit": None,
        "direction": "up",
        "cadence": "quarterly",
        "kind": "level",
        "signal": "A",
        "latest": 4,
        "latest_period": "2021/22 Q3",
        "target": 5,
        "target_period": "2021/22 Q4",
        "reason": None,
        "projection": None,
        "spc": None,
        "points": {"2021/22 Q1": 3, "2021/22 Q3": 4},
        "baseline_period": "2021/22 Q1",
        "watched": False,
        "accumulates": None,
        "latest_text": "stage 4",
        "latest_provisional": False,
        "year_mean": None,
        "history": [],
        "provisional": [],
        "notes": {},
    }
    assert talent["computed"] == "A"
    explained = stratctl("explain", "talent").stdout
    assert "points (2 by 2021/22 Q3): 2021/22 Q1: 3 (baseline), 2021/22 Q3: 4" in explained
    assert "SPC needs 12 points, has 2" in explained
    assert "talent: measure himss-stage A (2 of 12 points for SPC)" in stratctl("status").stdout


def test_a_summary_line_names_variation_and_assurance() -> None:
    result = rate(spc_measure(id="ed-4-hour", target={"at_least": 10}), JUNE)
    assert summary(result) == "ed-4-hour A (common cause, hit and miss)"


def test_json_keeps_spc_figures_at_full_precision() -> None:
    shown = measure_json(rate(spc_measure(target={"at_least": 10}), JUNE))
    assert shown["spc"]["mean"] == 164 / 15  # not rounded to 10.93
    assert shown["spc"]["upper"] == pytest.approx(164 / 15 + 5.32)
    assert shown["target"] == {"at_least": 10}
    assert json.loads(json.dumps(shown)) == shown


def test_update_refuses_a_quarters_actual_for_a_monthly_measure(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "updates:\n",
            """\
measures:
  - id: ed
    name: ED
    direction: up
    cadence: monthly
    target: {at_least: 76}
updates:
""",
        ),
        encoding="utf-8",
    )
    before = snapshot(repo)
    outcome = stratctl(
        "update", "talent", "--quarter", "Q4", "--progress", "on-track", "--comment", "c", "--actual", "ed=80"
    )
    assert outcome.exit_code == 2 and "measure ed is monthly" in outcome.stderr
    assert snapshot(repo) == before


def test_a_bad_measure_stops_every_command_that_reads_the_records(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "updates:\n",
            """\
measures:
  - {id: ed, name: ED, direction: up, cadence: monthly, target: {at_least: 76}, actuals: {2021/22 Q3: 80}}
updates:
""",
        ),
        encoding="utf-8",
    )
    before = snapshot(repo)
    outcome = stratctl("validate")
    assert outcome.exit_code == 1 and "M002" in outcome.stdout
    for command in (["status"], ["update", "talent", "--quarter", "Q4", "--progress", "on-track", "--comment", "c"]):
        assert stratctl(*command).exit_code == 2, command
    assert stratctl("report").exit_code == 1  # a paper is refused with the findings, as validate gives them
    assert snapshot(repo) == before


def test_a_level_held_to_a_standard_with_spc_counts_whole_stages_in_its_reason() -> None:
    # Stages 3 and 4 alternating over 15 months: mean (8 x 3 + 7 x 4) / 15 = 3.47, every moving range 1,
    # limits 3.47 -/+ 2.66 = 0.81 to 6.13. At least 2 lies inside them: hit and miss, A. The limits
    # fall between stages, so the reason leaves them to the trace.
    series = {period: (3.0 if value == 10.0 else 4.0) for period, value in ALTERNATING.items()}
    result = rate(measure(kind="level", cadence="monthly", target={"at_least": 2}, actuals=series), JUNE)
    assert (result.signal, result.assurance) == ("A", "hit_and_miss")
    assert not re.search(r"\d\.\d", result.reason), result.reason
    assert measure_json(result)["target"] == {"at_least": 2}


@pytest.mark.parametrize(
    ("share", "tolerance", "shown"),
    [
        (0.102, 0.10, "10.2%"),  # beyond 10%: never shown as "10%"
        (0.0995, 0.10, "9.95%"),  # within: never shown as "10%" either
        (0.10, 0.10, "10%"),  # exactly at it
        (0.20, 0.10, "20%"),
    ],
)
def test_a_share_is_never_shown_as_its_tolerance_unless_it_is(share: float, tolerance: float, shown: str) -> None:
    from stratctl.measure_words import percent_beside

    assert percent_beside(share, tolerance) == shown
