"""Field errors quote the value that was written, as the person wrote it."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from stratctl.records import Objective

BASE: dict[str, Any] = {"id": "o", "title": "T", "year": "2021/22", "priority": "p", "lead": "L"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"id": 1.5}, 'an id must be text such as SO1 or "103350", not 1.5'),
        ({"id": "bad id"}, "'bad id' is not a valid id"),
        ({"due": 20220331}, "expected a date such as 2022-03-31, not 20220331"),
        ({"due": "March"}, "'March' is not a date: write it as 2022-03-31"),
        ({"year": 2021}, "expected a financial year such as 2021/22, not 2021"),
        ({"updates": [{"quarter": 3, "progress": "on-track"}]}, "expected a quarter such as 2021/22 Q3, not 3"),
        (
            {
                "measures": [
                    {
                        "id": "m",
                        "name": "M",
                        "direction": "up",
                        "target": 1,
                        "cadence": "monthly",
                        "actuals": {202104: 1},
                    }
                ]
            },
            "expected a month such as 2022-04, not 202104",
        ),
        (
            {
                "measures": [
                    {
                        "id": "m",
                        "name": "M",
                        "direction": "up",
                        "target": 1,
                        "cadence": "monthly",
                        "actuals": {"April": 1},
                    }
                ]
            },
            "'April' is not a month: write it as 2022-04 (year-month)",
        ),
    ],
)
def test_a_refused_value_is_quoted_in_the_message(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Objective.model_validate({**BASE, **fields})
    messages = [e["msg"] for e in caught.value.errors()]
    assert any(message in m for m in messages), messages
