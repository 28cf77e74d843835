"""A carried objective's successor, built from the objective as the model reads it."""

from __future__ import annotations

from typing import Any

from pydantic import Field
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


class ObjectiveWithSponsor(Objective):
    """A scratch copy of the model with a field stratctl has never heard of."""

    sponsor: str | None = None
    partners: list[str] = Field(default_factory=list)


def test_a_field_added_to_the_model_reaches_the_successor_with_no_other_edit() -> None:
    old = ObjectiveWithSponsor.model_validate(
        {
            "id": "waits",
            "title": "Cut waits",
            "year": "2023/24",
            "priority": "access",
            "lead": "COO",
            "sponsor": "Chair: Jane Doe",
            "partners": ["ICB", "council"],
        }
    )
    text = successor_text(old, "waits-2024-25", OPENING, 4, CLOSING_END)
    new = ObjectiveWithSponsor.model_validate(YAML(typ="safe").load(text))
    assert new.sponsor == "Chair: Jane Doe"
    assert new.partners == ["ICB", "council"]
    assert new.id == "waits-2024-25" and new.carried_from == "waits" and new.updates == []


def test_a_successor_carries_what_continues_and_changes_what_the_new_year_changes() -> None:
    old = objective(
        until=None,
        order=3,
        committee="quality",
        supports=["SO1"],
        risks=["103350"],
        milestones=[{"title": "Step", "due": "2023-09-30"}],
        updates=[{"quarter": "2023/24 Q4", "progress": "behind", "comment": "Slow"}],
    )
    new = successor(old)
    assert (new.title, new.priority, new.lead, new.order, new.committee) == ("Cut waits", "access", "COO", 3, "quality")
    assert (new.supports, new.risks) == (["SO1"], ["103350"])
    assert new.year == OPENING and new.until is None
    assert new.milestones == [] and new.updates == []
    assert new.due is not None and new.due.isoformat() == "2025-03-31"
