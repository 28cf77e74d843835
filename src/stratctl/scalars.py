"""Scalar types the YAML reader makes that plain Python types cannot express."""

from __future__ import annotations


class LeadingZeroInt(int):
    """An integer written with a leading zero (`0012`): an id whose zeros YAML would drop."""

    source: str

    def __new__(cls, value: int, source: str) -> LeadingZeroInt:
        self = super().__new__(cls, value)
        self.source = source
        return self

    def __getnewargs__(self) -> tuple[int, str]:  # type: ignore[override]
        return (int(self), self.source)
