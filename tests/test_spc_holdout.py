"""stratctl.spc against NHSRplotthedots 0.2.2 on a hold-out set of 74 series, point by point.

tests/spc_holdout/series.csv and meta.csv hold the series (scripts/make_spc_holdout.py);
ptd_points.csv and ptd_summary.csv hold what the package's own R code computed for them
(scripts/ptd_reference.R). Two checks:

1. The Python port of the package (tests/ptd_port.py) gives what the package gave, on every
   point: so the port can stand in for it on series R never saw (the property test below).
2. stratctl.spc gives what the package gives, on every point of every segment it charts,
   except where docs/rating.md decides otherwise; each such point is named and its reason
   checked, so a difference the contract does not explain fails.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stratctl import spc
from tests import ptd_port

HOLDOUT = Path(__file__).parent / "spc_holdout"
DIRECTION = {"increase": "up", "decrease": "down", "neutral": "neutral"}
ASSURANCE = {"consistent_pass": "pass", "consistent_fail": "fail", "inconsistent": "hit_and_miss"}
RULE_OF_LABEL = {"Above UCL": "outside_limits", "Below LCL": "outside_limits", "7 Point Trend": "trend"}


@dataclass(frozen=True)
class Series:
    name: str
    direction: str  # the package's word: increase, decrease, neutral
    target: float | None
    values: tuple[float, ...]
    rebase: tuple[int, ...]  # 0-based indexes of the points that start a segment


@dataclass(frozen=True)
class PackageRow:
    rebase_group: int
    mean: float
    lpl: float
    upl: float
    special_cause_type: str
    point_type: str
    short_group_warning: bool


def _float(text: str) -> float:
    return math.nan if text == "NA" else float(text)


def _load() -> tuple[list[Series], dict[str, list[PackageRow]], dict[str, tuple[str, str | None]]]:
    values: dict[str, list[float]] = defaultdict(list)
    rebase: dict[str, list[int]] = defaultdict(list)
    with (HOLDOUT / "series.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["rebase"] == "1":
                rebase[row["series"]].append(len(values[row["series"]]))
            values[row["series"]].append(float(row["value"]))
    series = []
    with (HOLDOUT / "meta.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["series"]
            target = None if row["target"] == "NA" else float(row["target"])
            series.append(Series(name, row["direction"], target, tuple(values[name]), tuple(rebase[name])))
    package: dict[str, list[PackageRow]] = defaultdict(list)
    with (HOLDOUT / "ptd_points.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            package[row["series"]].append(
                PackageRow(
                    int(row["rebase_group"]),
                    _float(row["mean"]),
                    _float(row["lpl"]),
                    _float(row["upl"]),
                    row["special_cause_type"],
                    row["point_type"],
                    row["short_group_warning"] == "TRUE",
                )
            )
    summary: dict[str, tuple[str, str | None]] = {}
    with (HOLDOUT / "ptd_summary.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            summary[row["series"]] = (row["variation"], None if row["assurance"] == "NA" else row["assurance"])
    return series, package, summary


SERIES, PACKAGE, SUMMARY = _load()


def _same(ours: float, theirs: float) -> bool:
    if math.isnan(theirs):
        return math.isnan(ours)
    return math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-12)


def test_the_hold_out_set_is_the_one_the_package_was_run_on() -> None:
    assert len(SERIES) == 74
    assert {s.name for s in SERIES} == set(PACKAGE) == set(SUMMARY)
    assert all(len(PACKAGE[s.name]) == len(s.values) for s in SERIES)
    assert sum(len(s.values) for s in SERIES) == 1673


@pytest.mark.parametrize("series", SERIES, ids=lambda s: s.name)
def test_the_port_gives_what_the_package_gave(series: Series) -> None:
    rows = ptd_port.ptd_spc(series.values, series.direction, series.rebase)
    theirs = PACKAGE[series.name]
    for i, (ours, row) in enumerate(zip(rows, theirs, strict=True), start=1):
        where = f"{series.name} point {i}"
        assert ours.rebase_group == row.rebase_group, where
        assert _same(ours.mean_col, row.mean) and _same(ours.lpl, row.lpl) and _same(ours.upl, row.upl), where
        assert ours.special_cause_type == row.special_cause_type, where
        assert ours.point_type == row.point_type, where
        assert ours.short_group_warning == row.short_group_warning, where
    variation, assurance = SUMMARY[series.name]
    assert ptd_port.variation_icon(rows, series.direction) == variation
    assert ptd_port.assurance_type(rows, series.direction, series.target) == assurance


# --- stratctl.spc against the package ---------------------------------------------------------


def _package_reading(row: PackageRow) -> tuple[str, str | None, str | None]:
    """(point type, side, deciding rule) of a package row, in stratctl's words."""
    label = row.special_cause_type
    if label == "Common Cause":
        return "common_cause", None, None
    side = "high" if ("Above" in label or "Increasing" in label) else "low"
    rule = next((r for prefix, r in RULE_OF_LABEL.items() if label.startswith(prefix)), None)
    if rule is None:
        rule = "two_of_three" if label.startswith("2 in 3") else "shift"
    return row.point_type, side, rule


def _our_type(point: spc.SpcPoint) -> str:
    if not point.special:
        return "common_cause"
    if point.kind == "neutral":
        return f"special_cause_neutral_{point.side}"
    return f"special_cause_{point.kind}"


def _tie_between_trends(values: tuple[float, ...], start: int, index: int, chart: spc.SpcChart) -> bool:
    """The package's one known slip: a point ending a trend, followed by a tie and a new trend.

    R/ptd_calculate_point_type.R takes the step to the right for a point whose neighbour is also
    in a trend, and writes a step of 0 (the tie) as "Decreasing". The point belongs only to the
    trend it ends; docs/rating.md says stratctl labels it by that trend.
    """
    points = chart.points
    return (
        index + 1 < len(values)
        and values[index + 1] == values[index]
        and "trend" in points[index].rules
        and "trend" in points[index + 1].rules
        and points[index].decided_by == "trend"
    )


def compare(series: Series) -> tuple[int, int, list[str]]:
    """(points compared, points agreeing, each difference with the contract's reason for it)."""
    chart = spc.xmr_chart(series.values, DIRECTION[series.direction], rebase=series.rebase)  # type: ignore[arg-type]
    rows = PACKAGE[series.name]
    explained: list[str] = []
    if chart is None:
        # Every segment is shorter than 12: the package charts it with a warning, stratctl does not.
        assert all(row.short_group_warning for row in rows)
        assert all(len(seg) < spc.MIN_POINTS for seg in _segments(series))
        return len(rows), 0, [f"{series.name}: every segment under 12 points: no chart"]
    compared = agreed = 0
    for segment in chart.segments:
        group = rows[segment.start : segment.end]
        assert {row.rebase_group for row in group} == {group[0].rebase_group}
        if segment.limits is None:
            assert len(segment.points) < spc.MIN_POINTS and all(row.short_group_warning for row in group)
            assert not any(p.special or p.assessed for p in segment.points)
            compared += len(group)
            explained.append(f"{series.name}: a segment of {len(group)} points: no limits")
            continue
        limits = segment.limits
        for offset, (point, row) in enumerate(zip(segment.points, group, strict=True)):
            compared += 1
            where = f"{series.name} point {segment.start + offset + 1}"
            flat = math.isnan(row.upl)
            if flat:
                # A flat segment: the package's screening leaves no moving range, so no limits.
                assert limits.moving_range_mean == 0 and limits.upper == limits.lower == limits.mean, where
                assert _same(limits.mean, row.mean), where
            else:
                assert _same(limits.mean, row.mean), where
                assert _same(limits.upper, row.upl) and _same(limits.lower, row.lpl), where
            theirs = _package_reading(row)
            ours = (_our_type(point), point.side, point.decided_by)
            if ours == theirs:
                agreed += 1
                continue
            index = segment.start + offset
            assert _tie_between_trends(series.values, segment.start, index, chart), f"{where}: {ours} != {theirs}"
            assert row.special_cause_type == "7 Point Trend (Decreasing)", where
            explained.append(f"{where}: ends a trend before a tie: the package reads the tie as decreasing")
    variation, assurance = SUMMARY[series.name]
    if chart.limits is None:
        assert chart.variation is None
        explained.append(f"{series.name}: the latest segment has no limits: no variation")
    else:
        assert chart.variation == variation or any("before a tie" in e for e in explained), series.name
        ours_assurance = _assurance(chart, series)
        if math.isnan(rows[-1].upl) and assurance is not None:
            # A flat latest segment: the package's missing limits make every target "inconsistent";
            # stratctl's limits lie on the value, so the target is compared with the value itself.
            assert ours_assurance == _flat_assurance(series, chart), series.name
            if ours_assurance != ASSURANCE[assurance]:
                explained.append(f"{series.name}: flat: assurance by the value, not inconsistent")
        else:
            assert ours_assurance == (ASSURANCE[assurance] if assurance else None), series.name
    return compared, agreed, explained


def _segments(series: Series) -> list[tuple[float, ...]]:
    starts = spc.segment_starts(len(series.values), series.rebase)
    ends = (*starts[1:], len(series.values))
    return [series.values[a:b] for a, b in zip(starts, ends, strict=True)]


def _assurance(chart: spc.SpcChart, series: Series) -> str | None:
    return spc.assurance(chart, target=series.target)


def _flat_assurance(series: Series, chart: spc.SpcChart) -> str | None:
    assert chart.limits is not None and series.target is not None
    value, up = chart.limits.mean, series.direction == "increase"
    if series.target > value:
        return "fail" if up else "pass"
    if series.target < value:
        return "pass" if up else "fail"
    return "hit_and_miss"


@pytest.mark.parametrize("series", SERIES, ids=lambda s: s.name)
def test_stratctl_gives_what_the_package_gives_but_where_the_contract_decides(series: Series) -> None:
    compared, agreed, explained = compare(series)
    assert compared == len(series.values)
    assert agreed + sum(1 for e in explained if " point " in e) <= compared


def test_across_the_set_every_difference_is_one_the_contract_names() -> None:
    """The figures the documentation quotes, and every outcome the rules can give is in the set."""
    compared = agreed = 0
    reasons: list[str] = []
    for series in SERIES:
        c, a, e = compare(series)
        compared, agreed = compared + c, agreed + a
        reasons += e
    kinds = {r.split(": ", 1)[1] for r in reasons}
    assert kinds <= {
        "every segment under 12 points: no chart",
        "a segment of 11 points: no limits",
        "a segment of 10 points: no limits",
        "a segment of 6 points: no limits",
        "the latest segment has no limits: no variation",
        "ends a trend before a tie: the package reads the tie as decreasing",
        "flat: assurance by the value, not inconsistent",
    } | {f"a segment of {n} points: no limits" for n in range(1, 12)}
    assert compared == 1673
    point_differences = sum(1 for r in reasons if "before a tie" in r)
    unassessed = sum(int(r.split("a segment of ")[1].split()[0]) for r in reasons if "a segment of" in r)
    unassessed += sum(len(s.values) for s in SERIES if spc.xmr_chart(s.values, "up", rebase=s.rebase) is None)
    assert agreed == compared - point_differences - unassessed
    assert 1 <= point_differences <= 4  # the tie series, both directions
    labels = {row.special_cause_type.split(" (")[0] for rows in PACKAGE.values() for row in rows}
    assert {"Above UCL", "Below LCL", "7 Point Trend", "2 in 3 Above CL", "2 in 3 Below CL"} <= labels
    assert {"7 Points Above CL", "7 Points Below CL", "Common Cause"} <= labels
    assert {v for v, _ in SUMMARY.values()} == {
        "common_cause",
        "improvement_high",
        "improvement_low",
        "concern_high",
        "concern_low",
        "neutral_high",
        "neutral_low",
    }
    assert {a for _, a in SUMMARY.values()} == {"consistent_pass", "consistent_fail", "inconsistent", None}


# --- beyond the set: the port stands in for the package -----------------------------------------

_walks = st.lists(st.integers(-3, 3), min_size=12, max_size=40).map(
    lambda steps: [float(sum(steps[: i + 1])) for i in range(len(steps))]
)
_noise = st.lists(st.integers(-20, 20).map(float), min_size=12, max_size=40)


@given(st.one_of(_walks, _noise), st.sampled_from(["increase", "decrease", "neutral"]), st.data())
@example([1.0, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1], "increase", None)
def test_on_any_series_stratctl_reads_every_point_as_the_port_does(
    values: list[float], direction: str, data: st.DataObject | None
) -> None:
    rebase: list[int] = []
    if data is not None and len(values) >= 25:
        rebase = [data.draw(st.integers(12, len(values) - 12))]
    chart = spc.xmr_chart(values, DIRECTION[direction], rebase=rebase)  # type: ignore[arg-type]
    rows = ptd_port.ptd_spc(values, direction, rebase)
    assert chart is not None
    for segment in chart.segments:
        assert segment.limits is not None
        for offset, point in enumerate(segment.points):
            index = segment.start + offset
            row = rows[index]
            theirs = _package_reading(
                PackageRow(
                    row.rebase_group, row.mean_col, row.lpl, row.upl, row.special_cause_type, row.point_type, False
                )
            )
            ours = (_our_type(point), point.side, point.decided_by)
            if ours != theirs:
                assert _tie_between_trends(tuple(values), segment.start, index, chart)
