"""Field types shared by every record: ids, dates, years, quarters, months, free text.

Each type reads what YAML gives it strictly (no silent coercion) and, when it
refuses, says what to write instead. Errors are pydantic custom errors whose
type names map to lint codes in `stratctl.rules.schema`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, PlainValidator, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from stratctl.numbers import DURATION_UNIT, read_duration
from stratctl.periods import FinancialYear, Month, PeriodError, Quarter
from stratctl.scalars import LeadingZeroInt

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # used with fullmatch: `$` would let a final newline through
# ASCII digits only, as the JSON Schema reads them: Python's \d would take ٢٠٢٢-٠٣-٣١ as a date.
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DMY_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_YMD_UNPADDED = re.compile(r"([0-9]{4})[/.-]([0-9]{1,2})[/.-]([0-9]{1,2})")


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


_LOOKS_LIKE_MONTH = re.compile(r"\s*[0-9]{4}-[0-9]{1,2}(-[0-9]{1,2})?\s*")
"""A key someone meant as a month (2022-04, 2022-4, or a whole date 2022-04-01), to say what to write."""
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
QUARTER_PATTERN = r"^[0-9]{4}/[0-9]{2} Q[1-4]$"


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
            f"{value.source} would be read as the number {int(value)} and lose its leading zero: "
            f'quote it, "{value.source}"',
        )
    if isinstance(value, int) and value >= 0:
        return str(value)
    if not isinstance(value, str):
        raise _error("stratctl_id", f'an id must be text such as SO1 or "103350", not {_shown(value)}')
    if not _ID.fullmatch(value):
        raise _error(
            "stratctl_id",
            f"{_shown(value)} is not a valid id: "
            "use letters, digits, '.', '_' and '-', starting with a letter or digit",
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
    ymd = _YMD_UNPADDED.fullmatch(value.strip())
    if ymd:
        try:
            meant = date(int(ymd[1]), int(ymd[2]), int(ymd[3]))
        except ValueError:
            raise _error("stratctl_date", f"{value} is not a day in the calendar") from None
        raise _error(
            "stratctl_date", f"{value} is not an ISO date: write it as {meant.isoformat()} (two-digit month and day)"
        )
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


@functools.lru_cache(maxsize=1024)
def _parse_month(text: str) -> Month:
    return Month.parse(text)


def _read_month(value: Any) -> Month:
    if isinstance(value, Month):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "stratctl_period", "expected a month such as 2022-04, not {value}", {"value": repr(value)}
        )
    try:
        return _parse_month(value)
    except PeriodError:
        pass
    parts = re.findall(r"\d+", value)
    if _LOOKS_LIKE_MONTH.fullmatch(value) and 1 <= int(parts[1]) <= 12:
        raise PydanticCustomError(
            "stratctl_period",
            "{value} is not written as a month: did you mean {suggestion}? (year-month, two digits each)",
            {"value": value, "suggestion": f"{parts[0]}-{int(parts[1]):02d}"},
        )
    if _LOOKS_LIKE_MONTH.fullmatch(value):
        raise PydanticCustomError(
            "stratctl_period",
            "{value} is not a month in the calendar: months run 01 (January) to 12 (December)",
            {"value": value},
        )
    raise PydanticCustomError(
        "stratctl_period", "{value} is not a month: write it as 2022-04 (year-month)", {"value": repr(value)}
    )


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

MonthField = Annotated[
    Month,
    BeforeValidator(_read_month),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": MONTH_PATTERN, "examples": ["2022-04"]}),
]
"""A calendar month, written `2022-04`."""


def _read_quarter_or_year(value: Any) -> Quarter | FinancialYear:
    """`2025/26 Q2` as a quarter, `2025/26` as a year: `from` and `until` take either."""
    if isinstance(value, (Quarter, FinancialYear)):
        return value
    if not isinstance(value, str):
        raise _error(
            "stratctl_period", f"expected a quarter such as 2025/26 Q2 or a year such as 2025/26, not {_shown(value)}"
        )
    return _read_quarter(value) if "q" in value.lower() else _read_year(value)


QuarterOrYear = Annotated[
    Quarter | FinancialYear,
    PlainValidator(_read_quarter_or_year),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": r"^[0-9]{4}/[0-9]{2}( Q[1-4])?$", "examples": ["2025/26 Q2", "2025/26"]}
    ),
]
"""A quarter (`2025/26 Q2`) or a whole year (`2025/26`): where a year stands for a first or last
quarter, `first_quarter` and `last_quarter` say which."""


def first_quarter(value: Quarter | FinancialYear) -> Quarter:
    """The quarter a `from` names: the quarter itself, or a year's first."""
    return value if isinstance(value, Quarter) else value.quarter(1)


def last_quarter(value: Quarter | FinancialYear) -> Quarter:
    """The quarter an `until` names: the quarter itself, or a year's last."""
    return value if isinstance(value, Quarter) else value.quarter(4)


def in_force(start: Quarter | FinancialYear | None, end: Quarter | FinancialYear | None, quarter: Quarter) -> bool:
    """Whether `quarter` lies from `start` to `end`, both inclusive; an absent bound is open."""
    return (start is None or first_quarter(start) <= quarter) and (end is None or quarter <= last_quarter(end))


def _read_cadence_period(value: Any, info: ValidationInfo) -> Quarter | Month:
    """A period of a measure: a quarter for a quarterly measure, a month for a monthly one.

    The measure's `cadence` (validated before its periods) says which; a period of the other kind
    is refused where it is written, with what to write instead. When the cadence was itself
    refused, either kind is read, so that one mistake is reported once.
    """
    if isinstance(value, (Quarter, Month)):
        return value
    data = info.data or {}
    cadence = data.get("cadence")
    monthly = isinstance(value, str) and _LOOKS_LIKE_MONTH.fullmatch(value) is not None
    if cadence == "monthly" or (cadence is None and monthly):
        if not isinstance(value, str) or not monthly:
            quarter = _quarter_or_none(value)
            if quarter is not None:
                raise PydanticCustomError(
                    "stratctl_cadence",
                    "{value} is a quarter, but this measure is monthly: name each period by its month, "
                    "such as {example}",
                    {"value": value, "example": _first_month(quarter)},
                )
        return _read_month(value)
    if monthly:
        month = _read_month(value)
        raise PydanticCustomError(
            "stratctl_cadence",
            "{value} is a month, but this measure is quarterly (the default): add `cadence: monthly` "
            "to the measure, or name the period by its quarter, such as {example}",
            {"value": str(month), "example": str(month.quarter())},
        )
    return _read_quarter(value)


def _read_measure_period(value: Any, info: ValidationInfo) -> Quarter | Month:
    """A measure's actuals key: a period of its cadence, and not the baseline's."""
    period = _read_cadence_period(value, info)
    baseline = (info.data or {}).get("baseline")
    if baseline is not None and getattr(baseline, "period", None) == period:
        raise PydanticCustomError(
            "stratctl_period_twice",
            "{value} is also the baseline's period: a measure has one value a period; "
            "move the baseline to an earlier period or drop this actual",
            {"value": str(period)},
        )
    return period


def _quarter_or_none(value: Any) -> Quarter | None:
    try:
        return _parse_quarter(value) if isinstance(value, str) else None
    except PeriodError:
        return None


def _first_month(quarter: Quarter) -> str:
    # The NHS year (April): the trust's own start month is not known to a single record.
    day = quarter.first_day()
    return f"{day.year:04d}-{day.month:02d}"


MeasurePeriod = Annotated[
    Quarter | Month,
    BeforeValidator(_read_measure_period),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "examples": ["2021/22 Q3", "2022-04"]}),
]
"""The key of a measure's actuals: `2021/22 Q3` for a quarterly measure, `2022-04` for a monthly one."""

CadencePeriod = Annotated[
    Quarter | Month,
    BeforeValidator(_read_cadence_period),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "examples": ["2021/22 Q3", "2022-04"]}),
]
"""A period a measure names beside its actuals (`history_from`, `rebase`, `provisional`, `notes`): of its cadence."""


def _whole_if_level(value: float, info: ValidationInfo) -> float:
    """A level measure (integer stages) takes whole numbers only; `kind` is validated before the values."""
    if (info.data or {}).get("kind") == "level" and not float(value).is_integer():
        raise PydanticCustomError("stratctl_level", whole_stage_message(value), {})
    return value


def whole_stage_message(value: float) -> str:
    low = int(value // 1)
    return f"{value!r} is not a whole stage: a level measure counts stages (0, 1, 2 ...); write {low} or {low + 1}"


MEASURE_LIMIT = 1e15
"""The largest size of a measured value, target or baseline: beyond a national budget in pence, and
small enough that every chart, projection and SPC limit computed from it stays a plain number."""


def _within_limit(value: float) -> float:
    if abs(value) > MEASURE_LIMIT:
        raise PydanticCustomError(
            "stratctl_too_large",
            f"{value!r} is beyond {MEASURE_LIMIT:,.0f} either way: no measure is that large; check the unit or a typo",
            {},
        )
    return value


MeasureNumber = Annotated[
    float,
    AfterValidator(_within_limit),
    WithJsonSchema({"type": "number", "minimum": -MEASURE_LIMIT, "maximum": MEASURE_LIMIT}),
]
"""A measured value, a target or a baseline: a finite number of a size a measure can have."""


def _seconds_if_duration(value: Any, info: ValidationInfo) -> Any:
    """An actual of a duration measure (`unit: "mm:ss"`) in seconds: `"34:48"`, or a number of minutes."""
    if (info.data or {}).get("unit") != DURATION_UNIT:
        return value
    return duration_seconds(value)


def duration_seconds(value: Any) -> Any:
    """A value of a duration measure in seconds: `"34:48"` is 2088, a number is minutes (34.8 is 2088).

    Anything else is refused: a duration is minutes and seconds, and a value that is neither text
    in that form nor a number cannot be read as one.
    """
    if isinstance(value, bool):
        raise PydanticCustomError("stratctl_duration", _duration_message(value))
    if isinstance(value, (int, float)):
        return float(value) * 60
    if isinstance(value, str):
        try:
            return read_duration(value)
        except ValueError:
            raise PydanticCustomError("stratctl_duration", _duration_message(value)) from None
    return value  # a mapping or list: the field's own type says what is wrong


def _duration_message(value: Any) -> str:
    return (
        f"{_shown(value)} is not a duration: this measure's unit is mm:ss, so write minutes and seconds "
        'in quotes, such as "34:48" (seconds 00 to 59), or a number of minutes'
    )


DURATION_PATTERN = r"^[0-9]{1,4}:[0-5][0-9]$"
AMOUNT_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "number", "minimum": -MEASURE_LIMIT, "maximum": MEASURE_LIMIT},
        {"type": "string", "pattern": DURATION_PATTERN},
    ]
}

MeasureAmount = Annotated[MeasureNumber, WithJsonSchema(AMOUNT_SCHEMA)]
"""A baseline's value or a target's bound: a number, or for a duration measure (its record says which,
in seconds once read) "34:48"."""

MeasureValue = Annotated[
    MeasureNumber,
    BeforeValidator(_seconds_if_duration),
    AfterValidator(_whole_if_level),
    WithJsonSchema(AMOUNT_SCHEMA),
]
"""An actual: a measure's number (in seconds for a duration), and a whole one for a `kind: level` measure."""

Text = Annotated[str, WithJsonSchema({"type": "string"})]
"""Free text: any characters; reports escape it, nothing ever evaluates it."""


def _not_blank(value: str) -> str:
    if not value.strip():
        raise _error("stratctl_blank", "this cannot be empty: reports show it as the record's name")
    return value


Name = Annotated[str, AfterValidator(_not_blank), WithJsonSchema({"type": "string", "pattern": r"\S"})]
"""A title or name: free text like `Text`, but never empty, since every report shows it."""


# --- references -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RefersTo:
    """Field metadata: the value names something in `namespace` (an executive, a risk file ...).

    The unknown-reference rule finds every such field by walking the model, so a record kind
    declares its references in its field types and nothing else has to list them.
    """

    namespace: str


def _read_executive(value: Any) -> str:
    """An executive as written: an id, or text that is not one (often the executive's title), which the
    unknown-reference rule then names with the id it belongs to instead of refusing it as malformed."""
    if isinstance(value, str) and value.strip() and not _ID.fullmatch(value):
        return value
    return _read_id(value)


ExecutiveRef = Annotated[
    str,
    BeforeValidator(_read_executive),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": ID_PATTERN}, {"type": "integer", "minimum": 0}]}),
    RefersTo("executive"),
]
ThemeRef = Annotated[Id, RefersTo("theme")]
CommitteeRef = Annotated[Id, RefersTo("committee")]
ObjectiveRef = Annotated[Id, RefersTo("objective")]
PriorityRef = Annotated[Id, RefersTo("priority")]
StrategicObjectiveRef = Annotated[Id, RefersTo("strategic_objective")]
RiskRef = Annotated[Id, RefersTo("risk")]
CommitmentRef = Annotated[
    str,
    RefersTo("commitment"),
    WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*\.[A-Za-z0-9][A-Za-z0-9._-]*$"}),
]
"""`<strategy>.<commitment>`: a commitment of a strategy file."""
