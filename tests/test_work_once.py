"""Work once: each position and measure result is computed once per repository, and shared by the
rules and the views (stratctl.rating.RatingMemo), with the same answers as computing it afresh."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import stratctl.rating as rating
from stratctl.config import load_config
from stratctl.loading import load_repository
from stratctl.periods import Quarter, ReportingPoint
from stratctl.rating import compute_position, final_position, memo_of, rate_objective
from stratctl.repository import Repository
from stratctl.status import build_status, choose_point
from stratctl.validation import check

PROJECT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def _repository(data: Path) -> Repository:
    return load_repository(data).repository


def _count_positions(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, ReportingPoint]]:
    """Every position computed from here on, by objective id and point."""
    computed: Counter[tuple[str, ReportingPoint]] = Counter()
    original = rating._position

    def counting(objective: Any, point: ReportingPoint, measures: Any) -> tuple[rating.Reported, list[str]]:
        computed[(objective.id, point)] += 1
        return original(objective, point, measures)

    monkeypatch.setattr(rating, "_position", counting)
    return computed


@pytest.mark.parametrize("data", [PROJECT / "data", FIXTURES / "lifecycle" / "data"], ids=["bundled", "lifecycle"])
def test_the_rules_and_the_status_compute_each_position_once(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_repository(data)
    computed = _count_positions(monkeypatch)
    check(loaded, config=load_config(data.parent))
    by_rules = set(computed)
    status = build_status(loaded.repository, choose_point(loaded.repository))
    assert status.objectives and by_rules  # both did work worth sharing
    assert [key for key, times in computed.items() if times > 1] == []
    # the status's point is one the rules rated already (the latest quarter's updates), so some is shared
    assert any(point == status.point for _, point in by_rules)


def test_a_memo_answers_as_computing_afresh_does() -> None:
    repository = _repository(PROJECT / "data")
    assert repository.trust is not None
    tolerance, start = repository.trust.record.measure_tolerance, repository.trust.record.year_start_month
    memo = memo_of(repository)
    for loaded in repository.objectives:
        objective = loaded.record
        for quarter in {u.quarter for u in objective.updates} | {objective.year.quarter(4)}:
            point = ReportingPoint.end_of(quarter, start)
            for _ in range(2):  # the second time from the memo
                assert memo.position(objective, point, tolerance) == compute_position(objective, point, tolerance)
                assert rate_objective(objective, point, tolerance, "G", memo=memo) == rate_objective(
                    objective, point, tolerance, "G"
                )
                assert (
                    memo.measures(objective, point, tolerance) == rate_objective(objective, point, tolerance).measures
                )
        assert final_position(objective, start, tolerance, memo=memo) == final_position(objective, start, tolerance)


def test_a_memo_belongs_to_one_repository() -> None:
    first, second = _repository(PROJECT / "data"), _repository(PROJECT / "data")
    assert memo_of(first) is memo_of(first)
    assert memo_of(first) is not memo_of(second)
    objective = first.objectives[0].record
    point = ReportingPoint.end_of(Quarter(objective.year, 3))
    memo_of(first).position(objective, point, 0.1)
    # the same record's twin in the other repository is computed there, not answered from the first
    twin = second.objectives[0].record
    assert twin == objective and twin is not objective
    assert memo_of(second)._positions == {}
    memo_of(second).position(twin, point, 0.1)
    assert len(memo_of(second)._positions) == 1


def test_a_changed_tolerance_or_carried_position_is_computed_again() -> None:
    repository = _repository(PROJECT / "data")
    memo = memo_of(repository)
    objective = next(o.record for o in repository.objectives if o.record.measures)
    point = ReportingPoint.end_of(objective.updates[-1].quarter)
    for tolerance in (0.0, 0.1, 0.5):
        assert memo.measures(objective, point, tolerance) == rate_objective(objective, point, tolerance).measures
    assert rate_objective(objective, point, 0.1, "R", memo=memo) == rate_objective(objective, point, 0.1, "R")
    assert rate_objective(objective, point, 0.1, None, memo=memo) == rate_objective(objective, point, 0.1, None)
