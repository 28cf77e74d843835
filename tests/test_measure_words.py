"""A measure's values in words, as reasons, traces and the paper write them."""

from __future__ import annotations

from typing import Any

import pytest

from stratctl.measure_words import gap_text, point_text, statistic_text, target_text, value_text
from stratctl.records import Measure


def measure(**fields: Any) -> Measure:
    base: dict[str, Any] = {"id": "m", "name": "M", "direction": "up", "target": 1}
    base.update(fields)
    return Measure.model_validate(base)


@pytest.mark.parametrize(
    ("fields", "value", "expected"),
    [
        ({"unit": "%"}, 76.25, "76.25%"),
        ({"unit": "weeks"}, 12.0, "12 weeks"),
        ({"unit": "£m"}, 2.675, "£2.68m"),  # rounded as written, half up
        ({}, 12500.0, "12,500"),
        ({"kind": "level"}, 3.0, "stage 3"),
        ({"kind": "level", "unit": "HIMSS stage"}, 5.0, "5 HIMSS stage"),
    ],
)
def test_a_value_is_written_with_its_unit_or_as_a_stage(fields: dict[str, Any], value: float, expected: str) -> None:
    assert value_text(measure(**fields), value) == expected


def test_a_statistic_of_a_level_keeps_its_decimals_and_a_point_drops_its_unit() -> None:
    level = measure(kind="level", unit="stages")
    assert statistic_text(level, 2.4) == "2.4"  # a mean of 2.4 stages is not stage 2
    assert point_text(level, 2.0) == "2"
    assert point_text(measure(unit="%"), 4.5) == "4.5"


def test_targets_and_standards_in_words() -> None:
    assert target_text(measure(unit="%", target=76)) == "76%"
    assert target_text(measure(unit="%", target={"at_least": 95})) == "at least 95%"
    assert target_text(measure(unit="%", direction="down", target={"between": [92, 96]})) == "between 92% and 96%"
    assert target_text(measure(direction="neutral", target=None)) == "no target"


def test_a_gap_in_a_percentage_is_in_percentage_points() -> None:
    assert gap_text(measure(unit="%"), 1.0) == "1 percentage point"
    assert gap_text(measure(unit="%"), 2.5) == "2.5 percentage points"
    assert gap_text(measure(unit="weeks"), 3.0) == "3 weeks"
