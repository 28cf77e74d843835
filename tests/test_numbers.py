"""Numbers for people: one rounding, in a reason and in a chart alike."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stratctl.measures import evaluate_measure
from stratctl.numbers import NO_BREAK_SPACE, number, with_unit
from stratctl.periods import Quarter, ReportingPoint
from stratctl.records import Measure
from stratctl.reporting.charts.measure import measure_chart
from stratctl.reporting.charts.model import MeasureChart, Point

# Each expected text is worked by hand: the number as written, rounded half up at the last decimal kept.
CASES = [
    (2.675, 2, "2.68"),  # the float is 2.67499999...: its own rounding gives 2.67
    (4.25, 1, "4.3"),  # the float is exactly 4.25: round-half-even would give 4.2
    (1.005, 2, "1.01"),  # the float is 1.00499999...
    (-2.675, 2, "-2.68"),  # half up means away from zero, as a reader rounds a negative number
    (2.5, 0, "3"),
    (12500.0, 2, "12,500"),  # needless zeros and the point go; thousands are separated
    (1234567.891, 0, "1,234,568"),
    (3.10, 2, "3.1"),
    (-0.004, 2, "0"),  # never "-0"
    (0.0, 2, "0"),
    (1e15, 2, "1e+15"),  # a quadrillion or more: three significant figures
    (float("nan"), 2, "nan"),
    (float("-inf"), 2, "-inf"),
]


@pytest.mark.parametrize(("value", "decimals", "expected"), CASES)
def test_a_number_is_rounded_as_a_reader_rounds_it(value: float, decimals: int, expected: str) -> None:
    assert number(value, decimals) == expected


def test_a_percent_unit_sits_against_its_number_money_goes_before_it_and_any_other_follows_a_space() -> None:
    assert with_unit("85", "%") == "85%"
    assert with_unit("12", "weeks", space=NO_BREAK_SPACE) == "12\u00a0weeks"
    assert with_unit("2.9", "£m", space=NO_BREAK_SPACE) == "£2.9m"  # as a finance paper writes it
    assert with_unit("-1.2", "£m") == "-£1.2m"
    assert with_unit("2.9", "£ million", space=NO_BREAK_SPACE) == "£2.9\u00a0million"
    assert with_unit("7", "") == "7"


@given(st.floats(min_value=-1e14, max_value=1e14, allow_nan=False), st.integers(min_value=0, max_value=4))
@example(2.675, 2)
@example(0.125, 2)
def test_a_number_is_the_nearest_at_its_decimals(value: float, decimals: int) -> None:
    """Read back, the text is within half a last decimal of the value as written, and has no more decimals."""
    text = number(value, decimals)
    shown = Decimal(text.replace(",", ""))
    written = Decimal(repr(value))
    assert abs(shown - written) <= Decimal(1).scaleb(-decimals) / 2
    assert len(text.partition(".")[2]) <= decimals
    assert not (text.startswith("-") and shown == 0)


def _hidden_table_values(svg_figure: str) -> list[str]:
    root = ET.fromstring(svg_figure)
    return ["".join(td.itertext()) for td in root.iter("td")]


def test_2_675_reads_2_68_in_a_reason_and_in_a_chart() -> None:
    """The case two formatters once disagreed on: the reason said 2.67 and the chart 2.68."""
    measure = Measure.model_validate(
        {"id": "m", "name": "M", "direction": "neutral", "actuals": {"2021/22 Q2": 2.675, "2021/22 Q3": 2.675}}
    )
    result = evaluate_measure(measure, ReportingPoint.end_of(Quarter.parse("2021/22 Q3")), date(2022, 3, 31), 0.1)
    assert "is 2.68 in 2021/22 Q3 (latest)" in result.reason
    assert "2.67" not in result.reason
    points = tuple(Point(period, value) for period, value in result.points)
    figure = str(measure_chart(MeasureChart("m", "M", points, decimals=2)))
    assert _hidden_table_values(figure) == ["2.68", "2.68"]
    assert "Latest value: 2.68 in 2021/22 Q3." in figure
    assert math.isclose(result.latest or 0.0, 2.675)
