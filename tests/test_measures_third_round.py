"""Measures as a year that changes reads them: history, recalculated limits, the year's average,
year-to-date totals, durations, provisional values, notes and watched measures.

Every expected value is worked by hand in the comment beside it, never by calling the code under test.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from stratctl.measure_readout import measure_json, measure_trace, summary
from stratctl.measures import MeasureResult, evaluate_measure
from stratctl.numbers import duration, read_duration
from stratctl.periods import Month, ReportingPoint
from stratctl.records import Measure
from tests.conftest import FIXTURES

TOLERANCE = 0.10


def measure(**fields: Any) -> Measure:
    base: dict[str, Any] = {"id": "m", "name": "M", "direction": "up", "cadence": "monthly"}
    base.update(fields)
    return Measure.model_validate(base)


def months(first: str, values: list[Any]) -> dict[str, Any]:
    start = Month.parse(first)
    return {str(Month.from_index(start.index + i)): v for i, v in enumerate(values)}


def at(day: date, m: Measure, due: date = date(2026, 3, 31), span_start: date | None = None) -> MeasureResult:
    return evaluate_measure(m, ReportingPoint.on(day), due, TOLERANCE, span_start=span_start)


# --- durations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(2088, "34:48"), (1800, "30:00"), (59.5, "1:00"), (3725, "62:05"), (0, "0:00"), (-90, "-1:30"), (4.4, "0:04")],
)
def test_a_duration_is_written_as_minutes_and_seconds(seconds: float, text: str) -> None:
    assert duration(seconds) == text


@pytest.mark.parametrize("text", ["34:60", "1:02:03", "34.48", "34:8", ":30", "abc", ""])
def test_a_duration_that_is_not_minutes_and_seconds_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        read_duration(text)


def test_a_duration_measure_is_computed_in_seconds_and_shown_in_minutes_and_seconds() -> None:
    # "34:48" is 34 * 60 + 48 = 2088 s; 31.5 (minutes) is 1890 s; the standard "30:00" is 1800 s.
    # Latest 1890 against at most 1800: missed by 90 s = 1:30, 90 / 1800 = 5%, within 10%: A.
    m = measure(
        unit="mm:ss",
        direction="down",
        target={"at_most": "30:00"},
        actuals={"2025-04": "34:48", "2025-05": 31.5},
    )
    assert m.actuals[Month(2025, 4)] == 2088 and m.actuals[Month(2025, 5)] == 1890
    result = at(date(2025, 5, 31), m)
    assert result.signal == "A"
    assert "is 31:30 in 2025-05 (latest), missing the standard at most 30:00 by 1:30 (5% of 30:00" in result.reason
    assert "points (2 by 2025-05): 2025-04: 34:48, 2025-05: 31:30" in measure_trace(result)
    shown = measure_json(result)
    assert (shown["latest"], shown["latest_text"], shown["target"]) == (1890, "31:30", {"at_most": 1800})


# --- the year's average -----------------------------------------------------------------------


def test_a_standard_over_the_year_is_judged_on_the_mean_of_the_years_actuals() -> None:
    # 2025/26 so far: Apr 33:00 (1980), May 31:00 (1860), Jun 29:00 (1740): mean 5580 / 3 = 1860 s = 31:00.
    # Against at most 30:00 (1800): 60 s over, 60 / 1800 = 3.3%, within 10%: A, though June alone meets it.
    # March (2024/25) is last year's: not in the mean.
    m = measure(
        unit="mm:ss",
        direction="down",
        target={"at_most": "30:00", "over": "year"},
        actuals={"2025-03": "45:00", "2025-04": "33:00", "2025-05": "31:00", "2025-06": "29:00"},
    )
    result = at(date(2025, 6, 30), m)
    assert result.signal == "A"
    assert result.year_mean == (1860, 3)
    assert "averages 31:00 over 3 months of 2025/26 to 2025-06 (latest 29:00)" in result.reason
    assert "missing the standard at most 30:00 on the year's average by 1:00 (3% of 30:00" in result.reason
    assert measure_json(result)["year_mean"] == {"value": 1860, "periods": 3}


def test_a_year_average_missing_beyond_the_tolerance_is_red_where_the_latest_month_is_not() -> None:
    # Apr 40:00 (2400), May 38:00 (2280), Jun 29:30 (1770): mean 6450 / 3 = 2150 s = 35:50. Over 30:00 by
    # 350 s, 350 / 1800 = 19.4%, beyond 10%: R. The latest month alone (29:30) would meet it: G.
    values = {"2025-04": "40:00", "2025-05": "38:00", "2025-06": "29:30"}
    yearly = at(
        date(2025, 6, 30),
        measure(unit="mm:ss", direction="down", target={"at_most": "30:00", "over": "year"}, actuals=values),
    )
    latest = at(date(2025, 6, 30), measure(unit="mm:ss", direction="down", target={"at_most": "30:00"}, actuals=values))
    assert (yearly.signal, latest.signal) == ("R", "G")
    assert (
        "averages 35:50 over 3 months" in yearly.reason
        and "by 5:50 (19% of 30:00, beyond the tolerance 10%)" in yearly.reason
    )


def test_a_quarterly_standard_over_the_year_counts_quarters() -> None:
    # 2025/26 Q1 94, Q2 96: mean 95, at least 95: met, G.
    m = Measure.model_validate(
        {
            "id": "m",
            "name": "M",
            "direction": "up",
            "target": {"at_least": 95, "over": "year"},
            "actuals": {"2024/25 Q4": 80, "2025/26 Q1": 94, "2025/26 Q2": 96},
        }
    )
    result = evaluate_measure(m, ReportingPoint.on(date(2025, 9, 30)), date(2026, 3, 31), TOLERANCE)
    assert result.signal == "G" and "averages 95 over 2 quarters of 2025/26" in result.reason


# --- year-to-date totals ----------------------------------------------------------------------


def test_year_to_date_totals_are_rated_on_the_years_own_totals() -> None:
    # A two-year objective's savings to date: 2024/25 climbs 2, 5, 9, 11.5 and restarts; 2025/26 so far
    # Q1 3, Q2 6. Only this year's totals count (x = 1, 2 for Q1, Q2): slope 3, the line through
    # (1, 3), (2, 6) reads 12 at Q4 (x = 4), meeting the target 12: G. Last year's totals, read with
    # them, would pull the line down.
    m = Measure.model_validate(
        {
            "id": "cip",
            "name": "Savings to date",
            "direction": "up",
            "accumulates": "year",
            "target": 12,
            "baseline": {"quarter": "2024/25 Q1", "value": 2},
            "actuals": {"2024/25 Q2": 5, "2024/25 Q3": 9, "2024/25 Q4": 11.5, "2025/26 Q1": 3, "2025/26 Q2": 6},
        }
    )
    result = evaluate_measure(m, ReportingPoint.on(date(2025, 9, 30)), date(2026, 3, 31), TOLERANCE)
    assert result.projection is not None and result.projection[0] == "2025/26 Q4"
    assert pytest.approx(12) == result.projection[1]
    assert result.signal == "G"
    assert result.spc is None
    assert "no SPC: year-to-date totals climb through each year and restart at 0" in measure_trace(result)


def test_a_successors_year_to_date_total_counts_its_zero_at_the_year_before() -> None:
    # As rollover writes it: 0 at 2025/26 Q4, the period before 2026/27's first. Q1 2.5: through
    # (0, 0), (1, 2.5) the line reads 10 at Q4 (x = 4), against 12: short by 2 of 12 from 0: 16.7%: R.
    m = Measure.model_validate(
        {
            "id": "cip",
            "name": "Savings to date",
            "direction": "up",
            "accumulates": "year",
            "target": 12,
            "baseline": {"quarter": "2025/26 Q4", "value": 0},
            "actuals": {"2026/27 Q1": 2.5},
        }
    )
    result = evaluate_measure(m, ReportingPoint.on(date(2026, 6, 30)), date(2027, 3, 31), TOLERANCE)
    assert result.projection is not None and result.projection[0] == "2026/27 Q4"
    assert pytest.approx(10) == result.projection[1]
    assert result.signal == "R"


def test_accumulates_takes_no_over_and_over_takes_a_standard() -> None:
    with pytest.raises(ValueError, match="takes no over"):
        measure(accumulates="year", target={"at_least": 3, "over": "year"})
    with pytest.raises(ValueError, match="a number target is reached by its due date and takes no over"):
        measure(target={"over": "year"})


# --- history ----------------------------------------------------------------------------------


def test_history_counts_for_spc_but_the_projection_starts_at_the_baseline() -> None:
    # 12 months of history (2024-04 to 2025-03, 10 and 12 alternating), the baseline 2025-03 is one of
    # them... no: the baseline is a month of its own, 2025-03 = 11, with history 2024-03 to 2025-02 (12
    # points) and actuals 2025-04, 2025-05 (11, 12). SPC: 12 + 1 + 2 = 15 points. The projection uses
    # the baseline and the two actuals: (0, 11), (1, 11), (2, 12): slope 0.5, mean x 1, mean y 11.333;
    # read at 2026-03 (x = 12): 11.333 + 0.5 * 11 = 16.83 against 20: shortfall 3.17 / 9 = 35%: R.
    history = months("2024-03", [10, 12] * 6)
    m = measure(
        history_from="2024-03",
        baseline={"month": "2025-03", "value": 11},
        target=20,
        actuals={**history, "2025-04": 11, "2025-05": 12},
    )
    result = at(date(2025, 5, 31), m, span_start=date(2025, 4, 1))
    assert result.history == 12
    assert result.spc is not None and len(result.spc.points) == 15 and not result.spc.trial
    assert result.projection is not None and result.projection[0] == "2026-03"
    assert pytest.approx(11 + 1 / 3 + 5.5) == result.projection[1]
    assert result.signal == "R"
    assert measure_json(result)["history"] == list(history)
    assert "2024-03: 10 (history)" in measure_trace(result)[1]


# --- recalculated limits -----------------------------------------------------------------------


def test_a_rebased_measure_has_two_sets_of_limits_in_its_json_and_trace() -> None:
    # 15 months at 9, 11 alternating then 10 (mean 10), and from 2025-07 15 months at 19, 21 then 20
    # (mean 20): each segment its own mean; mR̄ 27/14 = 1.93 in each, limits mean ± 5.13.
    values = [9, 11] * 7 + [10] + [19, 21] * 7 + [20]
    m = measure(
        direction="down", rebase=["2025-07"], notes={"2025-07": "New triage model"}, actuals=months("2024-04", values)
    )
    result = at(date(2026, 9, 30), m, due=date(2027, 3, 31))
    shown = measure_json(result)["spc"]
    assert [s["from"] for s in shown["segments"]] == ["2024-04", "2025-07"]
    assert [s["mean"] for s in shown["segments"]] == [10, 20]
    assert [round(s["upper"], 2) for s in shown["segments"]] == [15.13, 25.13]
    assert shown["rebased_at"] == ["2025-07"] and shown["mean"] == 20 and shown["special"] == []
    trace = measure_trace(result)
    assert "limits recalculated at 2025-07: 2 segments, each with its own mean, limits and rules" in trace
    assert "note on 2025-07: New triage model" in trace
    # Unrebased, the same values are all special cause: 15 below a mean of 15 and 15 above.
    plain = at(date(2026, 9, 30), measure(direction="down", actuals=months("2024-04", values)), due=date(2027, 3, 31))
    assert plain.spc is not None and sum(p.special for p in plain.spc.points) == 30


def test_a_recalculation_too_recent_for_limits_says_so() -> None:
    m = measure(rebase=["2025-04"], actuals=months("2024-01", [9, 11] * 8 + [30, 31, 29]))
    result = at(date(2025, 6, 30), m)
    assert result.spc is not None and result.variation is None
    assert "SPC needs 12 points since the recalculation at 2025-04, has 3" in measure_trace(result)
    assert "3 of 12 points for SPC" in summary(result)


# --- watched measures, trial limits, provisional values -------------------------------------------


def test_a_watched_measure_has_no_signal_but_spc_with_improvement_and_concern() -> None:
    # 12 months alternating 5, 7 (mean 6, mR̄ 2, upper 11.32) then 14: above the upper limit. Direction
    # down, so high is concern.
    m = measure(direction="down", actuals=months("2025-04", [5, 7] * 6 + [14]))
    result = at(date(2026, 4, 30), m)
    assert m.watched and result.signal is None
    assert "watched (lower is better, no target): charted with SPC, no signal" in result.reason
    assert result.variation == "concern_high"


def test_trial_limits_are_named_in_the_reason_and_the_standard_keeps_its_own_signal() -> None:
    # 13 months: trial limits (fewer than 15). Latest 11 against at least 12: 1 / 12 = 8.3%: A, the
    # latest value's signal, not the assurance.
    m = measure(target={"at_least": 12}, actuals=months("2025-04", [9, 11] * 6 + [11]))
    result = at(date(2026, 4, 30), m)
    assert result.signal == "A" and result.spc is not None and result.spc.trial
    assert result.reason.endswith("; SPC on trial limits (13 points, fewer than 15)")
    assert measure_json(result)["spc"]["trial"] is True


def test_a_provisional_latest_value_is_marked_everywhere_it_is_read() -> None:
    m = measure(target=20, provisional=["2025-05"], actuals={"2025-04": 10, "2025-05": 12})
    result = at(date(2025, 5, 31), m)
    assert result.latest_provisional and result.provisional == {"2025-05"}
    assert "2025-05: 12 (p)" in measure_trace(result)[1]
    assert "p: provisional, may be revised" in measure_trace(result)
    assert "latest 12 (p): provisional" in summary(result)
    assert measure_json(result)["provisional"] == ["2025-05"] and measure_json(result)["latest_provisional"]


# --- rollover ----------------------------------------------------------------------------------


def test_rollover_restarts_year_to_date_totals_at_zero_and_writes_durations_back_as_minutes_and_seconds() -> None:
    from ruamel.yaml import YAML

    from stratctl.authoring.rollover import successor_text
    from stratctl.periods import FinancialYear, Quarter
    from stratctl.records import Objective

    objective = Objective.model_validate(
        {
            "id": "savings",
            "title": "Deliver the savings",
            "year": "2025/26",
            "priority": "p",
            "lead": "CFO",
            "measures": [
                {
                    "id": "cip",
                    "name": "Savings to date",
                    "direction": "up",
                    "accumulates": "year",
                    "target": 12,
                    "actuals": {"2025/26 Q3": 8.5, "2025/26 Q4": 11},
                },
                {
                    "id": "wait",
                    "name": "Handover",
                    "unit": "mm:ss",
                    "direction": "down",
                    "cadence": "monthly",
                    "rebase": ["2026-02"],
                    "provisional": ["2026-03"],
                    "notes": {"2026-02": "Cohort area"},
                    "target": {"at_most": "15:00", "over": "year"},
                    "actuals": {"2026-02": "16:10", "2026-03": "15:05"},
                },
            ],
        }
    )
    text = successor_text(objective, "savings-2026-27", FinancialYear(2026), 4, Quarter.parse("2025/26 Q4"))
    data = YAML(typ="safe", pure=True).load(text)
    cip, wait = data["measures"]
    # A year-to-date total starts the new year at 0, before its first quarter: not at last year's 11.
    assert cip["baseline"] == {"quarter": "2025/26 Q4", "value": 0} and cip["actuals"] == {}
    # The last actual, 15:05, becomes the baseline, written as it is read (905 s, not the number 905).
    assert wait["baseline"] == {"month": "2026-03", "value": "15:05"}
    assert wait["target"] == {"at_most": "15:00", "over": "year"}
    assert not {"rebase", "provisional", "notes"} & set(wait)
    assert Objective.model_validate(data).measures[1].target.values == (900.0,)  # type: ignore[union-attr]


# --- end to end, on a hold-out-like ambulance trust ----------------------------------------------

C2_MONTHS = {
    # 2023/24 and 2024/25: history and the year before, limits recalculated from April 2024
    **months(
        "2023-04",
        ["33:10", "34:05", "35:40", "36:20", "35:05", "36:45", "38:30", "40:10", "44:20", "41:05", "37:50", "36:15"],
    ),
    **months(
        "2024-04",
        ["37:30", "36:10", "37:45", "36:50", "35:55", "36:35", "38:05", "39:40", "42:10", "39:15", "37:20", "36:05"],
    ),
    # 2025/26 as the updates describe it: 38 minutes in June, 35 in September, 31 in December, 29 in March
    **months(
        "2025-04",
        ["38:40", "38:20", "38:00", "36:50", "36:10", "35:00", "33:40", "32:20", "31:00", "30:30", "29:40", "29:00"],
    ),
}


def test_the_ambulance_trusts_c2_mean_is_red_on_the_years_average_in_minutes_and_seconds_with_two_sets_of_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stratctl: Any
) -> None:
    # 2025/26's twelve months sum to 2320 + 2300 + 2280 + 2210 + 2170 + 2100 + 2020 + 1940 + 1860 + 1830
    # + 1780 + 1740 = 24550 s: a mean of 2045.8 s, 34:06, over 30:00 by 245.8 s, 13.7% of 1800:
    # beyond 10%: R, though March alone (29:00) meets the standard.
    root = tmp_path / "ambulance"
    shutil.copytree(FIXTURES / "ambulance", root)
    monkeypatch.chdir(root)
    objective = root / "data" / "objectives" / "c2-mean-response.yaml"
    lines = [
        "measures:",
        "  - id: c2-mean",
        "    name: Category 2 mean response time",
        '    unit: "mm:ss"',
        "    direction: down",
        "    cadence: monthly",
        "    history_from: 2023-04",
        "    rebase: [2024-04]",
        '    target: {at_most: "30:00", over: year}',
        "    provisional: [2026-03]",
        "    notes: {2024-04: New triage model}",
        "    actuals:",
        *(f'      {period}: "{value}"' for period, value in C2_MONTHS.items()),
    ]
    text = objective.read_text(encoding="utf-8").replace("updates:\n", "\n".join(lines) + "\nupdates:\n")
    objective.write_text(text, encoding="utf-8")
    assert stratctl("validate").exit_code in (0, 1)
    assert "c2-mean-response.yaml" not in " ".join(
        line for line in stratctl("validate").stdout.splitlines() if " error " in line or ": M0" in line
    )
    status = json.loads(stratctl("status", "--format", "json", "--quarter", "2025/26 Q4").stdout)
    (c2,) = next(o for o in status["objectives"] if o["id"] == "c2-mean-response")["measures"]
    assert c2["signal"] == "R"
    assert c2["year_mean"] == {"value": pytest.approx(24550 / 12), "periods": 12}
    assert "averages 34:06 over 12 months of 2025/26 to 2026-03 (latest 29:00)" in c2["reason"]
    assert "beyond the tolerance 10%" in c2["reason"]
    assert (c2["latest_text"], c2["latest_provisional"]) == ("29:00", True)
    assert [s["from"] for s in c2["spc"]["segments"]] == ["2023-04", "2024-04"]
    assert c2["history"] == list(months("2023-04", [0] * 24))  # before 2025/26, the objective's year
    paper = tmp_path / "paper.html"
    assert stratctl("report", "--quarter", "2025/26 Q4", "--format", "html", "--output", str(paper)).exit_code == 0
    html = paper.read_text(encoding="utf-8")
    figure = html[html.index("<figcaption>Category 2 mean response time</figcaption>") :]
    figure = figure[: figure.index("</figure>")]
    assert figure.count('class="mean"') == 2 and figure.count('class="upl"') == 2
    assert "Limits recalculated from Apr 2024." in figure
    assert "29:00 p (provisional)" in figure and "1: Apr 2024: New triage model" in figure
    assert "Category 2 mean response time</strong>: 29:00 p (2026-03)" in html
    assert "p: provisional, may be revised" in html


def test_diff_gives_a_durations_values_in_minutes_and_seconds_and_names_the_new_fields() -> None:
    from stratctl.changeset import diff_models

    before = measure(unit="mm:ss", direction="down", actuals={"2025-04": "34:48"})
    after = measure(
        unit="mm:ss",
        direction="down",
        rebase=["2025-05"],
        provisional=["2025-05"],
        notes={"2025-05": "New triage model"},
        actuals={"2025-04": "34:30", "2025-05": "31:05"},
    )
    edits = {edit.label: (edit.action, edit.before, edit.after) for edit in diff_models(before, after)}
    assert edits["actual 2025-04"] == ("changed", "34:48", "34:30")
    assert edits["actual 2025-05"] == ("added", None, "31:05")
    assert edits["rebase"] == ("added", None, "2025-05")
    assert edits["provisional"] == ("added", None, "2025-05")
    assert edits["note 2025-05"] == ("added", None, "New triage model")


def test_update_records_a_durations_actual_given_as_minutes_and_seconds(repo: Path, stratctl: Any) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "updates:\n",
        'measures:\n  - id: wait\n    name: Wait\n    unit: "mm:ss"\n    direction: down\n'
        '    target: {at_most: "15:00"}\nupdates:\n',
    )
    path.write_text(text, encoding="utf-8")
    outcome = stratctl("update", "talent", "--quarter", "Q3", "--progress", "on-track", "--comment", "x",
                       "--actual", "wait=15:42", "--replace")  # fmt: skip
    assert outcome.exit_code == 0, outcome.stderr
    assert '      2021/22 Q3: "15:42"\n' in path.read_text(encoding="utf-8")
