"""The rules of docs/rating.md, one table row each, and properties of the engine."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stratctl.periods import Quarter, ReportingPoint
from stratctl.rating import ORDER, compute_position, rate_objective, rate_risk
from stratctl.records import Objective, Risk, Trust

Q3 = ReportingPoint.end_of(Quarter.parse("2021/22 Q3"))
TRUST = Trust.model_validate(
    {
        "name": "T",
        "short_name": "T",
        "year": "2021/22",
        "risk_appetite": {"cautious": 12},
    }
)


def objective(**fields: Any) -> Objective:
    base: dict[str, Any] = {
        "id": "o",
        "title": "An objective",
        "year": "2021/22",
        "priority": "p",
        "lead": "L",
        "due": "2022-03-31",
        "updates": [{"quarter": "2021/22 Q3", "progress": "on-track", "comment": "c"}],
    }
    base.update(fields)
    return Objective.model_validate(base)


def measure(
    direction: str = "down", target: float = 5.0, baseline: float | None = 21.0, **actuals: float
) -> dict[str, Any]:
    return {
        "id": "m",
        "name": "M",
        "direction": direction,
        "target": target,
        **({"baseline": {"quarter": "2021/22 Q1", "value": baseline}} if baseline is not None else {}),
        "actuals": {f"2021/22 {q}": v for q, v in actuals.items()},
    }


def update(quarter: str, progress: str = "on-track", **extra: Any) -> dict[str, Any]:
    return {"quarter": f"2021/22 {quarter}", "progress": progress, "comment": "c", **extra}


CASES = [
    # (name, objective fields, expected position, a phrase the first reason contains)
    ("1. no update at or before Q", {"updates": [update("Q4")]}, "none", "no update"),
    ("2. complete progress", {"updates": [update("Q3", "complete")]}, "C", "complete"),
    (
        "3. target date passed",
        {"due": "2021-12-01"},
        "R",
        "target date 2021-12-01 passed without completion (as of 2021-12-31)",
    ),
    ("3. target date on the as-of day is not passed", {"due": "2021-12-31"}, "G", "on-track"),
    ("4. progress on-track", {}, "G", "progress is on-track"),
    ("4. progress behind", {"updates": [update("Q3", "behind")]}, "A", "behind"),
    ("4. progress at-risk", {"updates": [update("Q3", "at-risk")]}, "R", "at-risk"),
    ("4. progress not-started", {"updates": [update("Q3", "not-started")]}, "A", "not-started"),
    ("4. measure already meets target", {"measures": [measure(Q2=6.0, Q3=4.0)]}, "G", "progress"),
    ("4. measure projects to target", {"measures": [measure(baseline=20.0, Q2=15.0, Q3=10.0)]}, "G", "progress"),
    (
        "4. measure projecting exactly to its target, going down",
        {"measures": [measure(target=0.7, baseline=1.0, Q2=0.9, Q3=0.8)]},
        "G",
        "projects 0.7 at 2021/22 Q4, meeting the target 0.7",
    ),
    (
        "4. measure projecting exactly to its target, going up",
        {"measures": [measure("up", target=0.4, baseline=0.1, Q2=0.2, Q3=0.3)]},
        "G",
        "projects 0.4 at 2021/22 Q4, meeting the target 0.4",
    ),
    (
        "4. a near miss on a large target is still a miss",
        {"measures": [measure("up", target=1e9, baseline=999_999_999.0, Q3=999_999_999.0)]},
        "R",
        "shortfall 100% exceeds 10%",
    ),
    (
        "4. measure shortfall within tolerance",
        {"measures": [measure(baseline=21.0, Q2=16.0, Q3=11.0)]},
        "A",
        "shortfall 6% within 10%",
    ),
    (
        "4. measure shortfall beyond tolerance",
        {"measures": [measure(Q2=19.2, Q3=17.55)]},
        "R",
        "projects 15.8 at 2021/22 Q4 against 5; shortfall 68% exceeds 10%",
    ),
    (
        "4. measure that started at its target and slipped",
        {"measures": [measure(target=5.0, baseline=5.0, Q3=7.0)]},
        "R",
        "started at the target",
    ),
    (
        "4. measure going up",
        {"measures": [measure("up", target=100.0, baseline=60.0, Q2=70.0, Q3=86.0)]},
        "A",
        "shortfall 5%",
    ),
    (
        "4. a measure tolerance of its own",
        {"measures": [{**measure(Q2=19.2, Q3=17.55), "tolerance": 0.7}]},
        "A",
        "within 70%",
    ),
    (
        "4. milestone overdue up to 90 days",
        {"milestones": [{"title": "Plan", "due": "2021-11-30"}]},
        "A",
        "31 days overdue",
    ),
    (
        "4. milestone overdue over 90 days",
        {"milestones": [{"title": "Plan", "due": "2021-09-01"}]},
        "R",
        "121 days overdue",
    ),
    (
        "4. milestone done in time",
        {"milestones": [{"title": "Plan", "due": "2021-09-01", "done": "2021-08-30"}]},
        "G",
        "on-track",
    ),
    (
        "4. a percent sign sits against its number",
        {"measures": [{**measure(Q2=6.0, Q3=4.0), "unit": "%"}]},
        "G",
        "is 4% in 2021/22 Q3, meeting the target 5%",
    ),
    (
        "4. other units stand apart",
        {"measures": [{**measure(Q2=6.0, Q3=4.0), "unit": "GBP m"}]},
        "G",
        "is 4 GBP m in 2021/22 Q3, meeting the target 5 GBP m",
    ),
    (
        "4. measure without a due date projects to the year's Q4",
        {"due": None, "measures": [measure(Q2=19.2, Q3=17.55)]},
        "R",
        "at 2021/22 Q4",
    ),
]


@pytest.mark.parametrize(("name", "fields", "expected", "phrase"), CASES, ids=[c[0] for c in CASES])
def test_computed_position(name: str, fields: dict[str, Any], expected: str, phrase: str) -> None:
    position, reasons = compute_position(objective(**fields), Q3)
    assert position == expected, reasons
    assert reasons[0].startswith(f"{expected}:"), reasons
    assert any(phrase in r for r in reasons), reasons


def test_one_point_is_insufficient_data() -> None:
    position, reasons = compute_position(objective(measures=[measure(baseline=None, Q3=17.55)]), Q3)
    assert position == "G"
    assert any("insufficient data" in r for r in reasons)


def test_declared_position_is_reported_and_computed_kept_beside_it() -> None:
    rating = rate_objective(objective(updates=[update("Q3", "behind", projected="G")]), Q3)
    assert (rating.computed, rating.declared, rating.reported) == ("A", "G", "G")
    assert rating.differs and "declared G" in rating.reasons[0]


@pytest.mark.parametrize(
    ("q2", "q3", "trend"),
    [("G", "A", "down"), ("A", "G", "up"), ("R", "R", "same"), (None, "G", "new")],
)
def test_trend_against_previous_quarter(q2: str | None, q3: str, trend: str) -> None:
    updates = ([update("Q2", projected=q2)] if q2 else []) + [update("Q3", projected=q3)]
    assert rate_objective(objective(updates=updates), Q3).trend == trend


def test_q1_trend_compares_the_prior_years_q4() -> None:
    updates = [
        {"quarter": "2020/21 Q4", "progress": "on-track", "projected": "G"},
        update("Q1", "behind", projected="A"),
    ]
    rating = rate_objective(objective(updates=updates), ReportingPoint.end_of(Quarter.parse("2021/22 Q1")))
    assert (rating.previous_reported, rating.trend) == ("G", "down")


def test_stale_when_the_latest_update_is_older_than_the_quarter() -> None:
    assert rate_objective(objective(updates=[update("Q2")]), Q3).stale
    assert not rate_objective(objective(updates=[update("Q2", "complete")]), Q3).stale
    assert not rate_objective(objective(), Q3).stale


def test_as_of_mid_quarter_uses_the_day_for_dates() -> None:
    point = ReportingPoint.on(date(2021, 11, 15))
    assert point.quarter == Quarter.parse("2021/22 Q3")
    assert compute_position(objective(due="2021-11-30"), point)[0] == "G"
    assert compute_position(objective(due="2021-11-01"), point)[0] == "R"


def risk(**fields: Any) -> Risk:
    base: dict[str, Any] = {
        "id": "1",
        "title": "R",
        "lead": "L",
        "threatens": ["SO1"],
        "current": {"score": 20},
        "target": {"score": 10},
    }
    base.update(fields)
    return Risk.model_validate(base)


@pytest.mark.parametrize(
    ("fields", "score", "band", "trend", "above"),
    [
        # No review: the current rating is in force at Q3 and at Q2 alike (docs/rating.md), so the trend is same.
        ({}, 20, "extreme", "same", False),
        ({"current": {"likelihood": 2, "consequence": 3}}, 6, "moderate", "same", False),
        ({"current": {"score": 3}, "target": {"score": 2}}, 3, "low", "same", False),
        ({"appetite": "cautious", "current": {"score": 12}}, 12, "high", "same", False),
        ({"appetite": "cautious"}, 20, "extreme", "same", True),
        # A first review at Q3: `current` equals it, so it cannot stand for Q2's score: new.
        ({"reviews": [{"quarter": "2021/22 Q3", "current": {"score": 20}}]}, 20, "extreme", "new", False),
        (
            {
                "reviews": [
                    {"quarter": "2021/22 Q2", "current": {"score": 16}},
                    {"quarter": "2021/22 Q3", "current": {"score": 20}},
                ]
            },
            20,
            "extreme",
            "increased",
            False,
        ),
        (
            {
                "current": {"score": 12},
                "reviews": [
                    {"quarter": "2021/22 Q2", "current": {"score": 16}},
                    {"quarter": "2021/22 Q3", "current": {"score": 12}},
                ],
            },
            12,
            "high",
            "decreased",
            False,
        ),
        (
            {
                "current": {"score": 16},
                "reviews": [
                    {"quarter": "2021/22 Q2", "current": {"score": 16}},
                    {"quarter": "2021/22 Q4", "current": {"score": 9}},
                ],
            },
            16,
            "extreme",
            "same",
            False,
        ),
    ],
)
def test_risk_ratings(fields: dict[str, Any], score: int, band: str, trend: str, above: bool) -> None:
    rating = rate_risk(risk(**fields), Q3, TRUST)
    assert (rating.score, rating.band, rating.trend, rating.above_appetite) == (score, band, trend, above)
    assert rating.target_score is not None
    assert rating.distance_to_target == score - rating.target_score


values = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)


@given(baseline=values, q2=values, q3=values, better=st.floats(min_value=0, max_value=50), target=values)
@example(baseline=21.0, q2=19.2, q3=17.55, better=10.0, target=5.0)
def test_a_better_actual_never_worsens_the_position(
    baseline: float, q2: float, q3: float, better: float, target: float
) -> None:
    def position(latest: float) -> str:
        return compute_position(objective(measures=[measure(target=target, baseline=baseline, Q2=q2, Q3=latest)]), Q3)[
            0
        ]

    assert ORDER[position(max(0.0, q3 - better))] >= ORDER[position(q3)]


@given(
    progress=st.sampled_from(["not-started", "on-track", "behind", "at-risk", "complete"]),
    due=st.dates(min_value=date(2021, 4, 1), max_value=date(2022, 6, 30)),
    actuals=st.lists(values, min_size=0, max_size=3),
    projected=st.sampled_from([None, "R", "A", "G"]),
)
def test_positions_are_deterministic_and_always_explained(
    progress: str, due: date, actuals: list[float], projected: str | None
) -> None:
    fields = {
        "due": due.isoformat(),
        "measures": [measure("down", 5.0, 50.0, **dict(zip(["Q2", "Q3", "Q4"], actuals, strict=False)))],
        "updates": [
            update("Q3", progress, **({"projected": projected} if projected and progress != "complete" else {}))
        ],
    }
    first, second = rate_objective(objective(**fields), Q3), rate_objective(objective(**fields), Q3)
    assert first == second
    assert first.reasons and first.computed in ORDER


def test_risk_reasons_say_where_each_score_comes_from() -> None:
    rating = rate_risk(
        risk(
            current={"likelihood": 4, "consequence": 4},
            reviews=[
                {"quarter": "2021/22 Q1", "current": {"score": 12}},
                {"quarter": "2021/22 Q3", "current": {"likelihood": 4, "consequence": 4}},
            ],
        ),
        Q3,
        TRUST,
    )
    assert rating.reasons[:2] == (
        "score 16 (likelihood 4 × consequence 4) from the 2021/22 Q3 review",
        "increased: 12 at 2021/22 Q2 from the 2021/22 Q1 review, 16 now",
    )
    unreviewed = rate_risk(risk(), Q3, TRUST)
    assert unreviewed.reasons[0] == "score 20 from the current rating (no review by 2021/22 Q3)"


def test_a_declared_position_carries_the_boards_rationale() -> None:
    with_rationale = rate_objective(
        objective(updates=[update("Q3", "behind", projected="G", rationale="Plan agreed")]), Q3
    )
    assert (
        with_rationale.reasons[0] == "declared G by the Board; the evidence gives A; the Board's rationale: Plan agreed"
    )
    without = rate_objective(objective(updates=[update("Q3", "behind", projected="G")]), Q3)
    assert without.reasons[0].endswith("; no rationale given")


def test_a_quarters_risk_trend_does_not_change_when_a_later_review_is_added() -> None:
    """A Q3 paper regenerated after Q4's review is written must say what it said at Q3."""
    first = {"current": {"score": 20}, "reviews": [{"quarter": "2021/22 Q3", "current": {"score": 20}}]}
    later = {
        "current": {"score": 12},
        "reviews": [
            {"quarter": "2021/22 Q3", "current": {"score": 20}},
            {"quarter": "2021/22 Q4", "current": {"score": 12}},
        ],
    }
    before, after = rate_risk(risk(**first), Q3, TRUST), rate_risk(risk(**later), Q3, TRUST)
    assert (before.score, before.trend, before.reasons) == (after.score, after.trend, after.reasons)
    assert before.trend == "new" and "new: first reviewed in 2021/22 Q3" in before.reasons


def test_a_risk_first_reviewed_after_the_quarter_does_not_name_that_later_quarter() -> None:
    later = {"current": {"score": 12}, "reviews": [{"quarter": "2021/22 Q4", "current": {"score": 12}}]}
    rated = rate_risk(risk(**later), Q3, TRUST)
    assert rated.trend == "new" and "new: not reviewed by 2021/22 Q3" in rated.reasons
    assert not any("Q4" in reason for reason in rated.reasons)
