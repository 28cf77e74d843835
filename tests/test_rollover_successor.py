"""A carried objective's successor, built from the objective as the model reads it."""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML

from stratctl.authoring.rollover import successor_text
from stratctl.periods import FinancialYear, Month, Quarter
from stratctl.records import Objective

CLOSING_END = Quarter.parse("2023/24 Q4")
OPENING = FinancialYear(2024)


def objective(**fields: Any) -> Objective:
    base: dict[str, Any] = {
        "id": "waits",
        "title": "Cut waits",
        "year": "2023/24",
        "priority": "access",
        "lead": "COO",
    }
    base.update(fields)
    return Objective.model_validate(base)


def successor(old: Objective) -> Objective:
    text = successor_text(old, "waits-2024-25", OPENING, 4, CLOSING_END)
    return Objective.model_validate(YAML(typ="safe").load(text))


def test_a_monthly_measure_restarts_from_its_last_month() -> None:
    old = objective(
        measures=[
            {
                "id": "m",
                "name": "M",
                "direction": "down",
                "cadence": "monthly",
                "target": 10,
                "baseline": {"month": "2023-03", "value": 30},
                "actuals": {"2024-02": 14, "2024-03": 12.5, "2023-11": 20},
            }
        ]
    )
    measure = successor(old).measures[0]
    assert measure.baseline is not None
    assert measure.baseline.month == Month(2024, 3) and measure.baseline.quarter is None
    assert measure.baseline.value == 12.5
    assert measure.actuals == {}


def test_a_quarterly_measure_without_actuals_keeps_its_baseline() -> None:
    old = objective(
        measures=[
            {
                "id": "m",
                "name": "M",
                "direction": "up",
                "target": 80,
                "baseline": {"quarter": "2022/23 Q4", "value": 60},
            }
        ]
    )
    measure = successor(old).measures[0]
    assert measure.baseline is not None
    assert measure.baseline.quarter == Quarter.parse("2022/23 Q4")
    assert measure.baseline.value == 60
