"""Field types shared by every record: ids, dates, years, quarters, free text.

Each type reads what YAML gives it strictly (no silent coercion) and, when it
refuses, says what to write instead. Errors are pydantic custom errors whose
type names map to lint codes in `stratctl.rules.schema`.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from stratctl.periods import FinancialYear, PeriodError, Quarter
from stratctl.yamlsource import LeadingZeroInt

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # used with fullmatch: `$` would let a final newline through
# ASCII digits only, as the JSON Schema reads them: Python's \d would take ٢٠٢٢-٠٣-٣١ as a date.
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DMY_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")


def _error(kind: str, message: str) -> PydanticCustomError:
    """A custom error whose message is final: pydantic fills in `{name}` only from a context, and
    knows no `!r`, so a message is formatted here, in Python, and given no context at all (then a
    value holding braces is shown as it is)."""
    return PydanticCustomError(kind, message)


def _shown(value: Any) -> str:
    """A value as a message quotes it: text in quotes, numbers as written, at most 60 characters."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int) and value.bit_length() > 200:
        return "a number of over 60 digits"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_valid_id(text: str) -> bool:
    """Letters, digits, '.', '_' and '-', starting with a letter or digit, and nothing after."""
    return _ID.fullmatch(text) is not None


def _read_id(value: Any) -> str:
    if value.__class__ is str and _ID.fullmatch(value):  # the common case, first: ids are read 70,000 times at scale
        return value
    if isinstance(value, bool):
        raise _error("stratctl_id", f"an id must be text or a number, not {str(value).lower()}")
    if isinstance(value, LeadingZeroInt):
        raise _error(
            "stratctl_id",
            f"{value.source} would be read as the number {int(value)} and lose its leading zero: quote it, \"{value.source}\"",
        )
    if isinstance(value, int) and value >= 0:
        return str(value)
    if not isinstance(value, str):
        raise _error("stratctl_id", f"an id must be text such as SO1 or \"103350\", not {_shown(value)}")
    if not _ID.fullmatch(value):
        raise _error(
            "stratctl_id",
            f"{_shown(value)} is not a valid id: use letters, digits, '.', '_' and '-', starting with a letter or digit",
        )
    return value


def _read_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise _error("stratctl_date", f"expected a date such as 2022-03-31, not {_shown(value)}")
    return _parse_date(value)


@functools.lru_cache(maxsize=4096)
def _parse_date(value: str) -> date:
    """Cached: records repeat the same few dates (quarter ends, year end) thousands of times."""
    iso = _ISO_DATE.fullmatch(value.strip())
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            raise _error("stratctl_date", f"{value} is not a day in the calendar") from None
    dmy = _DMY_DATE.fullmatch(value.strip())
    if dmy:
        suggestion = f"{dmy[3]}-{int(dmy[2]):02d}-{int(dmy[1]):02d}"
        raise _error("stratctl_date", f"{value} is not an ISO date: did you mean {suggestion}? (year-month-day)")
    raise _error("stratctl_date", f"{_shown(value)} is not a date: write it as 2022-03-31")


@functools.lru_cache(maxsize=256)
def _parse_year(text: str) -> FinancialYear:
    return FinancialYear.parse(text)


@functools.lru_cache(maxsize=1024)
def _parse_quarter(text: str) -> Quarter:
    """Cached: a national repository writes the same few quarters tens of thousands of times."""
    return Quarter.parse(text)


def _read_year(value: Any) -> FinancialYear:
    if isinstance(value, FinancialYear):
        return value
    if not isinstance(value, str):
        raise _error("stratctl_period", f"expected a financial year such as 2021/22, not {_shown(value)}")
    try:
        return _parse_year(value)
    except PeriodError as error:
        raise _error("stratctl_period", str(error)) from None


def _read_quarter(value: Any) -> Quarter:
    if isinstance(value, Quarter):
        return value
    if not isinstance(value, str):
        raise _error("stratctl_period", f"expected a quarter such as 2021/22 Q3, not {_shown(value)}")
    try:
        return _parse_quarter(value)
    except PeriodError as error:
        raise _error("stratctl_period", str(error)) from None


Id = Annotated[
    str,
    BeforeValidator(_read_id),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": ID_PATTERN}, {"type": "integer", "minimum": 0}]}),
]
"""An id: text, or a number normalised to text (`103350`); `0012` must be quoted."""

IsoDate = Annotated[
    date,
    BeforeValidator(_read_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
]

Year = Annotated[
    FinancialYear,
    BeforeValidator(_read_year),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{4}/[0-9]{2}$", "examples": ["2021/22"]}),
]

QuarterField = Annotated[
    Quarter,
    BeforeValidator(_read_quarter),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{4}/[0-9]{2} Q[1-4]$", "examples": ["2021/22 Q3"]}),
]

CommitmentRef = Annotated[
    str, WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*\.[A-Za-z0-9][A-Za-z0-9._-]*$"})
]
"""`<strategy>.<commitment>`; checked against the strategies by the unknown-reference rule."""

Text = Annotated[str, WithJsonSchema({"type": "string"})]
"""Free text: any characters; reports escape it, nothing ever evaluates it."""

Position = Literal["R", "A", "G", "C"]
Progress = Literal["not-started", "on-track", "behind", "at-risk", "complete"]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise _error("stratctl_blank", "this cannot be empty: reports show it as the record's name")
    return value


Name = Annotated[str, AfterValidator(_not_blank), WithJsonSchema({"type": "string", "pattern": r"\S"})]
"""A title or name: free text like `Text`, but never empty, since every report shows it."""
