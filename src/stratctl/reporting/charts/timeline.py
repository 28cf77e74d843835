"""Periods on a chart's time axis: each label's slot, tick words and words in full, read by
stratctl.periods; free-text labels take one slot after another."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from stratctl.periods import Month, PeriodError, Quarter, parse_period

__all__ = ["AxisPeriod", "axis_periods", "period_step", "period_words", "slot_period"]


@dataclass(frozen=True, slots=True)
class AxisPeriod:
    """A period's place on the time axis, and its words."""

    slot: int  # consecutive periods differ by one
    short: str  # the tick's first line: "Apr", "Q3"
    year: str  # the tick's second line, shown when it changes: "2022", "2021/22"
    words: str  # as the table and description write it: "Apr 2022", "2021/22 Q3"
    period: Quarter | Month | None = None  # None: a free-text label, placed one slot after another


def _axis_period(period: Quarter | Month) -> AxisPeriod:
    if isinstance(period, Quarter):
        return AxisPeriod(period.index, period.label, str(period.year), str(period), period)
    return AxisPeriod(period.index, period.abbreviation, str(period.year), period.words, period)


def _parse_period(label: str) -> AxisPeriod | None:
    try:
        return _axis_period(parse_period(label))
    except PeriodError:
        return None


def period_words(label: str) -> str:
    """`Apr 2022` for `2022-04`, a quarter as it is, and a free-text label as given."""
    parsed = _parse_period(label)
    return parsed.words if parsed else label


def _short(label: str, limit: int = 12) -> str:
    """A free-text period label cut to fit under a tick (the hidden table has it whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "\u2026"


def axis_periods(labels: Sequence[str]) -> list[AxisPeriod]:
    """Each label's slot on the time axis: its real position when every label is a month, or every
    label a quarter, in strictly increasing order; otherwise one slot after another."""
    parsed = [_parse_period(label) for label in labels]
    known = [p for p in parsed if p is not None]
    same_kind = len(known) == len(labels) and len({type(p.period) for p in known}) <= 1
    if same_kind and all(a.slot < b.slot for a, b in pairwise(known)):
        return known
    return [AxisPeriod(i, _short(label), "", label) for i, label in enumerate(labels)]


def period_step(needed: int, like: AxisPeriod) -> int:
    """The fewest periods between labelled ticks, at least `needed`, that divide the calendar evenly: for
    months 1, 2, 3, 4, 6 or whole years; for quarters 1, 2, or whole years; anything for free-text periods."""
    if like.period is None:
        return needed
    quarterly = isinstance(like.period, Quarter)
    steps = (1, 2) if quarterly else (1, 2, 3, 4, 6)
    per_year = 4 if quarterly else 12
    return next((s for s in steps if s >= needed), per_year * math.ceil(needed / per_year))


def slot_period(slot: int, like: AxisPeriod) -> AxisPeriod:
    """The period at a slot no point sits on (a gap in the data), written as its neighbours are."""
    if like.period is None:
        return AxisPeriod(slot, "", "", "")  # unreachable: unparsed labels take consecutive slots
    return _axis_period(type(like.period).from_index(slot))
