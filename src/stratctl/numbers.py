"""Numbers for people: one rounding and one way of writing a unit, for every view.

A reason, a status line, a chart's label and its hidden table all write a value here, so that
2.675 reads the same everywhere. The rounding is the one a reader (and a spreadsheet) applies to
the number as written: half up, from the shortest decimal that reads back as the float. A float's
own rounding works on its binary value instead, so `f"{2.675:.2f}"` gives 2.67 and `f"{4.25:.1f}"`
gives 4.2; here they are 2.68 and 4.3.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

__all__ = [
    "DURATION_UNIT",
    "NO_BREAK_SPACE",
    "RECORDED_DECIMALS",
    "duration",
    "number",
    "read_duration",
    "with_unit",
]

NO_BREAK_SPACE: Final = "\u00a0"
"""Between a number and its unit where a wrapped line must never part them (a chart's labels)."""

RECORDED_DECIMALS: Final = 6
"""Decimals for a value as a record holds it, in a message about the records themselves (what a diff or
a sign-off check says changed, a value given twice): enough that two values typed differently read
differently, where a paper's two decimals could show both the same."""

_HUGE: Final = 1e15  # from here on, digits past the third say nothing a reader can take in


def number(value: float, decimals: int = 2) -> str:
    """`value` with at most `decimals` decimals, needless zeros stripped, thousands separated.

    12500 is `12,500`, 2.675 is `2.68` and 2.5 is `2.5`; -0.001 is `0`, never `-0`. A value of a
    quadrillion or more is written in three significant figures (`1.23e+15`); nan and infinities as
    Python writes them.
    """
    if not math.isfinite(value):
        return repr(float(value))
    if abs(value) >= _HUGE:
        text = f"{value:.3g}"
    else:
        exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{exact:,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def with_unit(number_text: str, unit: str, *, space: str = " ") -> str:
    """`85%`, `£2.9m` and `12 weeks`: a unit that starts with a percent sign sits against its number; one
    that starts with a currency sign goes before it, as money is written (`£m` gives `£2.9m`, `-£1.2m`;
    `£ million` gives `£2.9 million`); any other follows `space` (give NO_BREAK_SPACE where a line may wrap)."""
    if not unit:
        return number_text
    if unit.startswith("%"):
        return number_text + unit
    if unit[0] in CURRENCY_SIGNS:
        sign, digits = ("-", number_text[1:]) if number_text.startswith("-") else ("", number_text)
        rest = unit[1:]
        joined = rest if not rest or (rest.isalpha() and len(rest) <= 2) else f"{space}{rest.strip()}"
        return f"{sign}{unit[0]}{digits}{joined}"
    return f"{number_text}{space}{unit}"


CURRENCY_SIGNS: Final = frozenset("£$€")
"""Signs written before the amount: a measure in `£m` reads £2.9m, as a finance paper writes it."""


DURATION_UNIT: Final = "mm:ss"
"""The unit of a measure of time written as minutes and seconds ("34:48"), computed in seconds."""

_DURATION = re.compile(r"([0-9]{1,4}):([0-5][0-9])")


def duration(seconds: float) -> str:
    """`34:48` for 2088 seconds: whole minutes, a colon, two digits of seconds, rounded half up to the
    second. 3,725 seconds is `62:05` (minutes are not carried into hours); a negative gap `-1:30`."""
    if not math.isfinite(seconds):
        return repr(float(seconds))
    whole = int(Decimal(repr(abs(float(seconds)))).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if seconds < 0 and whole else ""
    return f"{sign}{whole // 60}:{whole % 60:02d}"


def read_duration(text: str) -> float:
    """The seconds in `34:48` (minutes, a colon, two digits of seconds below 60); ValueError otherwise."""
    match = _DURATION.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f'{text!r} is not a duration: write minutes and seconds, such as "34:48"')
    return int(match[1]) * 60.0 + int(match[2])
