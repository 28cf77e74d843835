"""Rules about fields and their values, checked by the record models while loading.

The models find the problems; this module says which rule each belongs to and words it for
the person who wrote the file.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from stratctl.findings import Finding, Loc, Severity
from stratctl.records.introspect import field_names
from stratctl.rules.measures import (
    INVALID_DURATION,
    INVALID_STANDARD,
    LEVEL_NOT_WHOLE,
    NEUTRAL_WITH_TARGET,
    PERIOD_NOT_CADENCE,
    PERIOD_TWICE,
)
from stratctl.rules.registry import declare
from stratctl.suggest import did_you_mean
from stratctl.vocabulary import POSITION_MEANINGS, POSITION_NAMES

if TYPE_CHECKING:
    from stratctl.repository import RecordFile

E = Severity.ERROR

UNKNOWN_FIELD = declare(
    "S001",
    "unknown-field",
    E,
    """
    A key that the record format does not define (often a typo).

    Bad:
        lede: COO
    Good:
        lead: COO
    """,
)

MISSING_FIELD = declare(
    "S002",
    "missing-field",
    E,
    """
    A required field is missing.

    Bad:
        id: maternity-vacancies
        title: Reduce maternity service vacancies to 5% by Q4
    Good:
        id: maternity-vacancies
        title: Reduce maternity service vacancies to 5% by Q4
        year: 2021/22
        priority: celebrate-support-staff
        lead: CPO
    """,
)

INVALID_VALUE = declare(
    "S003",
    "invalid-value",
    E,
    """
    A value of the wrong kind: text where a number belongs, a word outside the
    allowed list, or yes/no where true/false is meant.

    Bad:
        progress: On track
    Good:
        progress: on-track
    """,
)

INVALID_DATE = declare(
    "S004",
    "invalid-date",
    E,
    """
    Dates are ISO 8601, year-month-day, and must exist in the calendar.

    Bad:
        due: 31/03/2022
    Good:
        due: 2022-03-31
    """,
)

INVALID_ID = declare(
    "S005",
    "invalid-id",
    E,
    """
    Ids are letters, digits, '.', '_' and '-'. A number with a leading zero
    must be quoted, or YAML reads 0012 as 12.

    Bad:
        id: 0012
    Good:
        id: "0012"
    """,
)

INVALID_PERIOD = declare(
    "S006",
    "invalid-period",
    E,
    """
    Financial years are written 2021/22, quarters 2021/22 Q3 and months 2022-04 (a month that
    exists: 01 to 12).

    Bad:
        quarter: Q3 2021
    Good:
        quarter: 2021/22 Q3
    """,
)

CUSTOM_ERROR_CODES = {
    "stratctl_date": INVALID_DATE,
    "stratctl_id": INVALID_ID,
    "stratctl_period": INVALID_PERIOD,
    "stratctl_cadence": PERIOD_NOT_CADENCE,
    "stratctl_level": LEVEL_NOT_WHOLE,
    "stratctl_standard": INVALID_STANDARD,
    "stratctl_target": NEUTRAL_WITH_TARGET,
    "stratctl_period_twice": PERIOD_TWICE,
    "stratctl_duration": INVALID_DURATION,
    "stratctl_missing": MISSING_FIELD,
    "extra_forbidden": UNKNOWN_FIELD,
    "missing": MISSING_FIELD,
}
"""Pydantic error types and the rule each becomes; any other type is invalid-value."""


# --- pydantic's errors in the catalogue's words -------------------------------------------------


def schema_findings(file: RecordFile, model: type[BaseModel], data: Any, error: ValidationError) -> list[Finding]:
    """One finding per error the model found in `data`, placed by the part of the data at fault."""
    return [_schema_finding(file, model, data, e) for e in error.errors(include_url=False)]


def _schema_finding(file: RecordFile, model: type[BaseModel], data: Any, error: Any) -> Finding:
    kind = error["type"]
    loc = _data_loc(data, error["loc"])
    rule = CUSTOM_ERROR_CODES.get(kind, INVALID_VALUE)
    if kind == "extra_forbidden":
        key = error["loc"][-1]
        known = field_names(model, loc[:-1])
        return rule.finding(file, f"unknown field {key!r}{did_you_mean(key, known)}", loc=loc, on_key=True)
    if kind == "missing":
        return rule.finding(file, f"missing required field {error['loc'][-1]!r}", loc=loc)
    on_key = kind == "invalid_key" or error["loc"][-1:] == ("[key]",)
    return rule.finding(file, _describe(error), loc=loc, on_key=on_key)


_POSITION_WORDS = {
    **{words: letter for letter, words in POSITION_NAMES.items()},
    **{words: letter for letter, words in POSITION_MEANINGS.items()},
    "blue": "C",
}
"""A position as the Board says it (amber, off track, blue for complete), by the letter it is written as."""


def _nearest(value: object, options: list[str]) -> str:
    """`; did you mean 'A'?` for a position given in words, else for the option nearest in spelling."""
    letter = _POSITION_WORDS.get(" ".join(str(value).split()).lower()) if isinstance(value, str) else None
    if letter is not None and letter in options:
        return f"; did you mean {letter!r} ({POSITION_NAMES[letter]})?"
    return did_you_mean(value, options)


def _duration_hint(value: object) -> str:
    """For "34:48" given to a measure that is not a duration: how to make it one."""
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]+:[0-9]{2}\s*", value):
        return ': for a time in minutes and seconds, give the measure unit: "mm:ss"'
    return ""


_EXPECTED = {
    "string_type": "expected text, got {shown}: put it in quotes",
    "bool_type": "expected true or false, got {shown}",
    "int_type": "expected a whole number, got {shown}",
    "int_from_float": "expected a whole number, got {shown}",
    "finite_number": "{shown} is not a measured value: give a finite number",
    "list_type": "expected a list, got {shown}: write [a, b] or one '- item' per line",
    "model_type": "expected a mapping of fields (key: value), got {shown}",
    "dict_type": "expected a mapping of fields (key: value), got {shown}",
    "model_attributes_type": "expected a mapping of fields (key: value), got {shown}",
}
"""pydantic's error types that need only the value given to be said in words ({shown} stands for it)."""

_BOUNDS = ("greater_than_equal", "less_than_equal", "greater_than", "less_than")


def _describe(error: Any) -> str:
    kind, value = error["type"], error.get("input")
    shown = _show(value)
    if kind.startswith("stratctl_"):
        return str(error["msg"])
    if kind == "invalid_key":
        return _describe_key(error["loc"][-1] if error["loc"] else None)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",") if o.strip()]
        return f"{shown} is not one of: {', '.join(options)}{_nearest(value, options)}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {shown}{_duration_hint(value)}"
    if kind in _EXPECTED:
        return _EXPECTED[kind].format(shown=shown)
    if kind in _BOUNDS:
        return f"{shown}: {error['msg'][0].lower()}{error['msg'][1:]}"
    return f"{shown}: {error['msg']}"


def _describe_key(key: Any) -> str:
    if key in (None, "None"):
        return "a key with no name (~, null or nothing before the colon): a field is named, e.g. lead: COO"
    return f"the key {key} is not a name: a field is named with words, e.g. lead: COO (quote it if it is one)"


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int) and value.bit_length() > 200:
        return f"a number of {len(str(abs(value))) if value.bit_length() < 4000 else 'over 1,200'} digits"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _data_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """The part of a pydantic loc that walks the data (union tags and '[key]' dropped).

    pydantic writes a key that is not text as text (`~:` as 'None', `1.5:` as '1.5'): such a part
    is matched to the key it stands for, so the finding is placed on it, not on the mapping.
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        key = _key_for(node, part) if isinstance(node, dict) else _NOT_FOUND
        if key is not _NOT_FOUND:
            path.append(key)  # type: ignore[arg-type]  # a key as YAML gave it, which may be None or a number
            node = node[key]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and part == loc[-1] and isinstance(part, str) and part != "[key]":
            path.append(part)  # a missing or unknown key: positions fall back to its parent
    return tuple(path)


_NOT_FOUND = object()


def _key_for(mapping: dict[Any, Any], part: Any) -> Any:
    """The key of `mapping` that a pydantic loc part names, or _NOT_FOUND."""
    try:
        if part in mapping:
            return part
    except TypeError:
        return _NOT_FOUND
    if isinstance(part, str):
        for key in mapping:
            if not isinstance(key, str) and _key_text(key) == part:
                return key
    return _NOT_FOUND


def _key_text(key: Any) -> str:
    try:
        return str(key)
    except ValueError:  # an integer too long to write out
        return ""
