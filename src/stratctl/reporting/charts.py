"""Inline SVG charts for the HTML Board papers: a measure over time, a BAF risk's score history,
and the Making Data Count variation and assurance icons.

Every function returns a `markupsafe.Markup` fragment that is well-formed XML: no script, no
external reference, no randomness. The same input always gives the same bytes: numbers are written
with a fixed number of decimals (needless zeros stripped), ids are the caller's prefix plus a fixed
suffix, and nothing depends on the clock, the locale or hash order.

Colour never carries meaning alone. A special-cause point has its own marker shape as well as its
Making Data Count colour; every line is labelled in words beside the plot; each chart has an svg
`<title>` and `<desc>` and, after the svg, a visually hidden table of every point for screen readers.
Sizes come from the viewBox, so a chart scales to its container; since its text scales too, a
measure chart for a table cell says `compact=True` (fewer units across, the same type size). The
stylesheet the charts need is `CHART_CSS`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from types import MappingProxyType
from typing import Final, Literal

from markupsafe import Markup, escape

from stratctl.numbers import NO_BREAK_SPACE, number, with_unit
from stratctl.periods import Month, PeriodError, Quarter, parse_period

__all__ = [
    "ASSURANCE_WORDS",
    "CHART_CSS",
    "SPC_WORDS",
    "VARIATION_WORDS",
    "Axis",
    "MeasureChart",
    "Point",
    "Projection",
    "ScoreBand",
    "ScoreHistory",
    "ScorePoint",
    "SpcClass",
    "SpcLines",
    "Standard",
    "assurance_icon",
    "measure_axis",
    "measure_chart",
    "score_axis",
    "score_history",
    "variation_icon",
]

SpcClass = Literal["common", "improvement", "concern", "neutral", "none"]

# The Making Data Count palette, with a darker outline for each so a pale marker still stands out on white.
_COLOUR: Final = {
    "improvement": ("#289DE0", "#1C6E9E"),
    "concern": ("#FAB428", "#8F6200"),
    "neutral": ("#361475", "#361475"),
    "common": ("#7B7D7D", "#5A5C5C"),
    "none": ("#425563", "#425563"),
}
_SHAPE: Final = {
    "improvement": "diamond",
    "concern": "square",
    "neutral": "triangle",
    "common": "circle",
    "none": "circle",
}
_LEGEND_ORDER: Final[tuple[SpcClass, ...]] = ("improvement", "concern", "neutral", "common", "none")

SPC_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "improvement": "special cause: improvement",
        "concern": "special cause: concern",
        "neutral": "special cause: neither improvement nor concern",
        "common": "common cause",
        "none": "not assessed",
    }
)
"""A point's SPC reading in words, as the hidden table and legend print it."""

VARIATION_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "common_cause": "Common cause variation: no significant change",
        "improvement_high": "Special cause variation: improvement (high)",
        "improvement_low": "Special cause variation: improvement (low)",
        "concern_high": "Special cause variation: concern (high)",
        "concern_low": "Special cause variation: concern (low)",
        "neutral_high": "Special cause variation: neither improvement nor concern (high)",
        "neutral_low": "Special cause variation: neither improvement nor concern (low)",
    }
)
"""The text alternative of each variation icon, for templates to print beside or instead of it."""

ASSURANCE_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "pass": "Assurance: the process will consistently pass the target",
        "fail": "Assurance: the process will consistently fail the target",
        "hit_and_miss": "Assurance: hit and miss: the target lies within the process limits",
    }
)
"""The text alternative of each assurance icon."""

_TEXT: Final = "#212B32"
_MUTED: Final = "#4C6272"
_GRID: Final = "#E8EDEE"
_AXIS: Final = "#AEB7BD"
_LINE: Final = "#768692"
_SPC_LINE: Final = "#7B7D7D"
_TARGET: Final = "#D5281B"
_PROJECTION: Final = "#003087"
_BAND: Final = "#005EB8"
_FONT: Final = "Arial, Helvetica, sans-serif"
_ID: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]*")
# Characters XML 1.0 forbids even as references; user text loses them rather than breaking the svg.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LIMIT: Final = 1e300  # beyond this, the axis arithmetic would overflow


# ---------------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class Point:
    """One actual: a period label ("2022-04" monthly, "2021/22 Q3" quarterly), its value, its SPC class."""

    period: str
    value: float
    spc: SpcClass = "none"

    def __post_init__(self) -> None:
        _check_value(self.value, f"the value at {self.period!r}")
        if self.spc not in _SHAPE:
            raise ValueError(f"SPC class {self.spc!r} is not one of {', '.join(_SHAPE)}")


@dataclass(frozen=True, slots=True)
class Standard:
    """A standard to meet: `at_least` `low`, `at_most` `high`, or `between` `low` and `high`.

    Build one with `Standard.at_least(95)`, `Standard.at_most(18)` or `Standard.between(2, 4)`.
    """

    kind: Literal["at_least", "at_most", "between"]
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        needs = {"at_least": (True, False), "at_most": (False, True), "between": (True, True)}
        if self.kind not in needs:
            raise ValueError(f"standard kind {self.kind!r} is not at_least, at_most or between")
        for bound, wanted, name in zip((self.low, self.high), needs[self.kind], ("low", "high"), strict=True):
            if wanted and bound is None:
                raise ValueError(f"a standard {self.kind} needs {name}")
            if not wanted and bound is not None:
                raise ValueError(f"a standard {self.kind} takes no {name}")
            if bound is not None:
                _check_value(bound, f"the standard's {name} bound")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError("a standard between low and high needs low <= high")

    @classmethod
    def at_least(cls, value: float) -> Standard:
        return cls("at_least", low=value)

    @classmethod
    def at_most(cls, value: float) -> Standard:
        return cls("at_most", high=value)

    @classmethod
    def between(cls, low: float, high: float) -> Standard:
        return cls("between", low=low, high=high)

    def bounds(self) -> tuple[float, ...]:
        return tuple(b for b in (self.low, self.high) if b is not None)


@dataclass(frozen=True, slots=True)
class Projection:
    """Where the measure is expected to be at a later period."""

    period: str
    value: float

    def __post_init__(self) -> None:
        _check_value(self.value, "the projected value")


@dataclass(frozen=True, slots=True)
class SpcLines:
    """A process's mean and its upper and lower process limits."""

    mean: float
    upper: float
    lower: float

    def __post_init__(self) -> None:
        for value, name in ((self.mean, "mean"), (self.upper, "upper limit"), (self.lower, "lower limit")):
            _check_value(value, f"the SPC {name}")
        if not self.lower <= self.mean <= self.upper:
            raise ValueError("SPC lines need lower <= mean <= upper")


@dataclass(frozen=True, slots=True)
class MeasureChart:
    """One measure over time.

    `id_prefix` makes the chart's ids (`PREFIX-title`, `PREFIX-desc`): unique on the page.
    `unit`: "%" sits against its number (5%), any other unit follows a space (18 weeks).
    `target` and `standard` are alternatives: give one or neither. `variation` and `assurance` are
    keys of VARIATION_WORDS and ASSURANCE_WORDS; their words go into the chart's description.
    `level`: the measure counts integer stages; the y axis ticks integers and values have no decimals.
    `decimals`: how many decimals a value is written with (needless zeros stripped).
    `compact`: drawn for a table cell (about 100mm) rather than a full-width section; same text size.
    """

    id_prefix: str
    title: str
    points: tuple[Point, ...]
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    standard: Standard | None = None
    projection: Projection | None = None
    spc: SpcLines | None = None
    variation: str | None = None
    assurance: str | None = None
    level: bool = False
    decimals: int = 1
    compact: bool = False

    def __post_init__(self) -> None:
        _check_id(self.id_prefix)
        object.__setattr__(self, "points", tuple(self.points))
        if self.target is not None and self.standard is not None:
            raise ValueError("a measure chart takes a target or a standard, not both")
        for value, name in ((self.baseline, "baseline"), (self.target, "target")):
            if value is not None:
                _check_value(value, f"the {name}")
        if self.variation is not None and self.variation not in VARIATION_WORDS:
            raise ValueError(f"variation {self.variation!r} is not one of {', '.join(VARIATION_WORDS)}")
        if self.assurance is not None and self.assurance not in ASSURANCE_WORDS:
            raise ValueError(f"assurance {self.assurance!r} is not one of {', '.join(ASSURANCE_WORDS)}")
        if not 0 <= self.decimals <= 6:
            raise ValueError("decimals must be between 0 and 6")


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """A quarter's risk score (1-25), or None where the risk was not scored."""

    period: str
    score: int | None

    def __post_init__(self) -> None:
        if self.score is not None:
            _check_score(self.score, f"the score at {self.period!r}")


@dataclass(frozen=True, slots=True)
class ScoreBand:
    """A risk band: its name and the scores it covers (inclusive)."""

    name: str
    min: int
    max: int

    def __post_init__(self) -> None:
        _check_score(self.min, f"band {self.name!r}'s min")
        _check_score(self.max, f"band {self.name!r}'s max")
        if self.min > self.max:
            raise ValueError(f"band {self.name!r} needs min <= max")


@dataclass(frozen=True, slots=True)
class ScoreHistory:
    """A BAF risk's score over the last quarters, with its target score and optionally the risk bands."""

    id_prefix: str
    title: str
    points: tuple[ScorePoint, ...]
    target: int | None = None
    bands: tuple[ScoreBand, ...] = ()

    def __post_init__(self) -> None:
        _check_id(self.id_prefix)
        object.__setattr__(self, "points", tuple(self.points))
        object.__setattr__(self, "bands", tuple(sorted(self.bands, key=lambda b: (b.min, b.max, b.name))))
        if self.target is not None:
            _check_score(self.target, "the target score")


@dataclass(frozen=True, slots=True)
class Axis:
    """A y axis: the value range [lo, hi] drawn from svg y `bottom` up to svg y `top`, and its ticks."""

    lo: float
    hi: float
    ticks: tuple[float, ...]
    top: float
    bottom: float
    scale: float = 1.0  # tick labels are written as tick / scale with `suffix`
    suffix: str = ""
    tick_decimals: int = 0

    def y(self, value: float) -> float:
        """The svg y coordinate of `value`: higher values are drawn higher (smaller y)."""
        return self.bottom - (value - self.lo) / (self.hi - self.lo) * (self.bottom - self.top)


def _check_id(prefix: str) -> None:
    if not _ID.fullmatch(prefix):
        raise ValueError(f"id prefix {prefix!r} must start with a letter and hold only letters, digits, _ . : -")


def _check_value(value: float, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    if abs(value) > _LIMIT:
        raise ValueError(f"{what} is too large to chart: {value!r}")


def _check_score(score: int, what: str) -> None:
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 25:
        raise ValueError(f"{what} must be a whole number from 1 to 25, not {score!r}")


# ---------------------------------------------------------------------------------------------- text


def _text(value: str) -> str:
    """User text, escaped for XML and HTML, without the characters XML cannot hold."""
    return str(escape(_NOT_XML.sub("\ufffd", value)))


def _n(value: float) -> str:
    """A coordinate: two decimals, needless zeros stripped."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _width(text: str, size: float) -> float:
    """An Arial text width estimate, generous so that labels laid out by it do not collide."""
    total = 0.0
    for char in text:
        if char in "il.,:;'|!Ijft()[] -/":
            total += 0.32
        elif char in "mwMW@%":
            total += 0.86
        elif char.isupper():
            total += 0.70
        else:
            total += 0.58
    return total * size


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Words laid into lines no wider than `width` (a word longer than that gets a line of its own)."""
    lines: list[str] = []
    for word in filter(None, re.split(r"[ \t\r\n]+", text)):  # not at no-break spaces
        if lines and _width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


# ---------------------------------------------------------------------------------------------- periods


@dataclass(frozen=True, slots=True)
class _Period:
    """A period's place on the time axis, and its words."""

    slot: int  # consecutive periods differ by one
    short: str  # the tick's first line: "Apr", "Q3"
    year: str  # the tick's second line, shown when it changes: "2022", "2021/22"
    words: str  # as the table and description write it: "Apr 2022", "2021/22 Q3"
    period: Quarter | Month | None = None  # None: a free-text label, placed one slot after another


def _axis_period(period: Quarter | Month) -> _Period:
    if isinstance(period, Quarter):
        return _Period(period.index, period.label, str(period.year), str(period), period)
    return _Period(period.index, period.abbreviation, str(period.year), period.words, period)


def _parse_period(label: str) -> _Period | None:
    try:
        return _axis_period(parse_period(label))
    except PeriodError:
        return None


def _period_words(label: str) -> str:
    parsed = _parse_period(label)
    return parsed.words if parsed else label


def _short(label: str, limit: int = 12) -> str:
    """A free-text period label cut to fit under a tick (the hidden table has it whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "\u2026"


def _periods(labels: Sequence[str]) -> list[_Period]:
    """Each label's slot on the time axis: its real position when every label is a month, or every
    label a quarter, in strictly increasing order; otherwise one slot after another."""
    parsed = [_parse_period(label) for label in labels]
    known = [p for p in parsed if p is not None]
    same_kind = len(known) == len(labels) and len({type(p.period) for p in known}) <= 1
    if same_kind and all(a.slot < b.slot for a, b in pairwise(known)):
        return known
    return [_Period(i, _short(label), "", label) for i, label in enumerate(labels)]


# ---------------------------------------------------------------------------------------------- axes


def _tick_decimals(step: float) -> int:
    for decimals in range(16):
        if abs(round(step, decimals) - step) <= abs(step) * 1e-9:
            return decimals
    return 16


def _nice_axis(
    values: Iterable[float],
    *,
    integer: bool,
    top: float,
    bottom: float,
    room_above: Sequence[float] = (),
    room_below: Sequence[float] = (),
    ceiling: float | None = None,
) -> Axis:
    """Round ticks spanning every value. A value in `room_above` (a point, or a standard passed by
    being higher) that would sit on the top edge gets a step of room above it, and one in `room_below`
    on the bottom edge a step below; not past zero when nothing lies beyond it, nor past `ceiling` (100%)."""
    data = list(values)
    lo, hi = min(data), max(data)
    if hi - lo <= max(abs(lo), abs(hi)) * 1e-12:  # one value, or values equal to float precision
        pad = max(abs(hi) * 0.1, 1.0) if integer or hi == 0 else abs(hi) * 0.1
        lo, hi = (lo, hi + 1.0) if hi == 0 else (lo - pad, hi + pad)
        if data[0] >= 0 > lo:
            lo = 0.0
    raw = (hi - lo) / 5
    if not raw > 1e-300:  # values apart by less than floats resolve (5e-324 pads by nothing): an axis of 1
        lo, hi = lo, lo + 1.0
        raw = (hi - lo) / 5
    magnitude = 10.0 ** math.floor(math.log10(raw))
    multipliers = (1.0, 2.0, 5.0, 10.0) if integer else (1.0, 2.0, 2.5, 5.0, 10.0)
    step = next(m * magnitude for m in multipliers if m * magnitude >= raw * (1 - 1e-9))
    if integer:
        step = max(1.0, float(round(step)))
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9)
    last = max(last, first + 1)
    if room_below and first != 0 and min(room_below) <= first * step + step * 1e-9:
        first -= 1
    if (
        room_above
        and last != 0
        and max(room_above) >= last * step - step * 1e-9
        and (ceiling is None or abs(last * step - ceiling) > step * 1e-9)
    ):
        last += 1
    ticks = tuple(i * step for i in range(first, last + 1))
    biggest = max(abs(ticks[0]), abs(ticks[-1]))
    scale, suffix = next(((s, x) for s, x in ((1e12, "tn"), (1e9, "bn"), (1e6, "M")) if 1e15 > biggest >= s), (1.0, ""))
    return Axis(ticks[0], ticks[-1], ticks, top, bottom, scale, suffix, _tick_decimals(step / scale))


def _tick_label(axis: Axis, tick: float, unit: str) -> str:
    text = number(tick / axis.scale, axis.tick_decimals)
    if text == "0":
        return text
    return text + axis.suffix + ("%" if unit == "%" else "")


# ---------------------------------------------------------------------------------------------- layout

# Units are CSS pixels at the size a chart is drawn for: 12 is 9pt. A full-width chart is drawn for
# about 150mm and a compact one for a table cell of about 100mm; text scales with the chart, so a
# compact chart has fewer units across for the same text, not smaller text.
_M_SIZE: Final = {False: (560.0, 200.0, 160.0), True: (380.0, 150.0, 110.0)}  # width, plot height, gutter
_M_FONT: Final = 12.0
_S_WIDTH: Final = 340.0
_S_FONT: Final = 11.0
_S_PLOT_HEIGHT: Final = 110.0
_S_TOP: Final = 8.0
_S_GUTTER_MAX: Final = 90.0


@dataclass(frozen=True, slots=True)
class _Label:
    """A label in the gutter right of the plot, for a line (or band) at svg y `at`."""

    at: float
    lines: tuple[str, ...]
    css: str
    span: tuple[float, float] | None = None  # a band's label: dropped rather than moved out of its band


def _place(labels: Sequence[_Label], line_height: float, top: float, bottom: float) -> list[float]:
    """The first baseline of each label: as near its line as it can be without overlapping another."""
    order = sorted(range(len(labels)), key=lambda i: (labels[i].at, i))
    heights = [len(labels[i].lines) * line_height for i in order]
    starts: list[float] = []
    for index, height in zip(order, heights, strict=True):
        start = labels[index].at - height / 2
        if starts:
            start = max(start, starts[-1] + heights[len(starts) - 1] + 2)
        starts.append(max(start, top))
    overflow = starts[-1] + heights[-1] - bottom if starts else 0.0
    if overflow > 0:  # push back up from the bottom
        limit = bottom
        for k in range(len(starts) - 1, -1, -1):
            starts[k] = min(starts[k], limit - heights[k])
            limit = starts[k] - 2
    placed = [0.0] * len(labels)
    for k, index in enumerate(order):
        placed[index] = starts[k] + line_height * 0.78
    return placed


def _middle(label: _Label, baseline: float, line_height: float) -> float:
    return baseline - line_height * 0.78 + len(label.lines) * line_height / 2


def _label_svg(labels: Sequence[_Label], x: float, font: float, top: float, bottom: float) -> list[str]:
    line_height = font * 1.2

    def fits(trial: list[_Label]) -> bool:
        placed = _place(trial, line_height, top, bottom)
        return all(
            lab.span is None or lab.span[0] <= _middle(lab, b, line_height) <= lab.span[1]
            for lab, b in zip(trial, placed, strict=True)
        )

    # Line labels always; a band's label only if it fits inside its band, the tallest bands first.
    kept = [lab for lab in labels if lab.span is None]
    bands = [(lab.span[1] - lab.span[0], lab) for lab in labels if lab.span is not None]
    for _height, band in sorted(bands, key=lambda pair: -pair[0]):  # stable: equal heights keep their order
        if fits(kept + [band]):
            kept.append(band)
    kept.sort(key=labels.index)
    placed = _place(kept, line_height, top, bottom)
    parts: list[str] = []
    for label, baseline in zip(kept, placed, strict=True):
        middle = _middle(label, baseline, line_height)
        if label.span is not None:  # no leader: the label sits inside the band it names
            middle = label.at
        if abs(middle - label.at) > 3:  # moved off its line: a leader shows which line it names
            parts.append(
                f'<polyline class="leader" points="{_n(x - 7)},{_n(label.at)} {_n(x - 2)},{_n(middle)}" '
                f'fill="none" stroke="{_AXIS}" stroke-width="0.75"/>'
            )
        spans = "".join(
            f'<tspan x="{_n(x)}" dy="{_n(0 if i == 0 else line_height)}">{_text(line)}'
            f"{' ' if i < len(label.lines) - 1 else ''}</tspan>"
            for i, line in enumerate(label.lines)
        )
        parts.append(f'<text class="{label.css}" x="{_n(x)}" y="{_n(baseline)}" fill="{_TEXT}">{spans}</text>')
    return parts


def _gutter_lines(name: str, value: str, font: float, limit: float) -> tuple[str, ...]:
    whole = f"{name} {value}"
    if _width(whole, font) <= limit:
        return (whole,)
    return tuple(_wrap(name, font, limit) + _wrap(value, font, limit))


def _x_positions(slots: Sequence[int], left: float, right: float) -> dict[int, float]:
    return {slot: _x_of(slot, slots, left, right) for slot in slots}


def _x_of(slot: int, slots: Sequence[int], left: float, right: float) -> float:
    first, last = min(slots), max(slots)
    if first == last:
        return (left + right) / 2
    pad = min(14.0, (right - left) / 4)
    return left + pad + (slot - first) * (right - left - 2 * pad) / (last - first)


def _x_ticks(
    periods: Sequence[_Period], anchor: _Period, slots: Sequence[int], left: float, right: float, font: float, y: float
) -> list[str]:
    """Tick labels under the axis: thinned so they never collide, always naming `anchor` (the latest actual)."""
    first, last = min(slots), max(slots)
    by_slot = {p.slot: p for p in periods}
    widest = max(_width(p.short, font) for p in periods) + font * 0.8
    spacing = (_x_of(last, slots, left, right) - _x_of(first, slots, left, right)) / max(last - first, 1)
    needed = max(1, math.ceil(widest / spacing)) if last > first else 1
    step = _period_step(needed, periods[0])
    shown = sorted({*range(anchor.slot, first - 1, -step), *range(anchor.slot, last + 1, step)})
    parts: list[str] = []
    years: list[tuple[float, str]] = []
    previous_year = None
    for slot in shown:
        period = by_slot.get(slot) or _slot_period(slot, periods[0])
        x = _x_of(slot, slots, left, right)
        parts.append(f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x)}" y2="{_n(y + 4)}" stroke="{_AXIS}"/>')
        parts.append(
            f'<text class="tick" x="{_n(x)}" y="{_n(y + 4 + font)}" text-anchor="middle" '
            f'fill="{_TEXT}">{_text(period.short)}</text>'
        )
        if period.year and period.year != previous_year:
            years.append((x, period.year))
            previous_year = period.year
    gap = font * 0.75
    kept: list[tuple[float, str]] = []
    for x, year in years:  # a later year's label wins over an earlier one it would overlap...
        start = x - _width(year, font) / 2
        while kept and kept[-1][0] + _width(kept[-1][1], font) / 2 + gap > start:
            before, words = kept[-1]
            half = _width(words, font) / 2
            if len(kept) == 1 and start - gap - half >= half + 2:  # ...but the first slides left if it can
                kept[-1] = (min(before, start - gap - half), words)
                break
            kept.pop()
        kept.append((x, year))
    for x, year in kept:
        parts.append(
            f'<text class="tick tick-year" x="{_n(x)}" y="{_n(y + 4 + font * 2.2)}" text-anchor="middle" '
            f'fill="{_MUTED}">{_text(year)}</text>'
        )
    return parts


def _period_step(needed: int, like: _Period) -> int:
    """The fewest periods between labelled ticks, at least `needed`, that divide the calendar evenly: for
    months 1, 2, 3, 4, 6 or whole years; for quarters 1, 2, or whole years; anything for free-text periods."""
    if like.period is None:
        return needed
    quarterly = isinstance(like.period, Quarter)
    steps = (1, 2) if quarterly else (1, 2, 3, 4, 6)
    per_year = 4 if quarterly else 12
    return next((s for s in steps if s >= needed), per_year * math.ceil(needed / per_year))


def _slot_period(slot: int, like: _Period) -> _Period:
    """The period at a slot no point sits on (a gap in the data), written as its neighbours are."""
    if like.period is None:
        return _Period(slot, "", "", "")  # unreachable: unparsed labels take consecutive slots
    return _axis_period(type(like.period).from_index(slot))


def _marker(spc: SpcClass, x: float, y: float, label: str) -> str:
    fill, stroke = _COLOUR[spc]
    common = f'class="pt pt-{spc}" fill="{fill}" stroke="{stroke}" stroke-width="1.25"'
    tip = f"<title>{_text(label)}</title>"
    shape = _SHAPE[spc]
    if shape == "circle":
        return f'<circle {common} cx="{_n(x)}" cy="{_n(y)}" r="3.75">{tip}</circle>'
    if shape == "square":
        return f'<rect {common} x="{_n(x - 4.5)}" y="{_n(y - 4.5)}" width="9" height="9">{tip}</rect>'
    if shape == "diamond":
        points = [(x, y - 6.25), (x + 6.25, y), (x, y + 6.25), (x - 6.25, y)]
    else:  # triangle
        points = [(x, y - 6.5), (x + 6, y + 4.5), (x - 6, y + 4.5)]
    coordinates = " ".join(f"{_n(px)},{_n(py)}" for px, py in points)
    return f'<polygon {common} points="{coordinates}">{tip}</polygon>'


def _hline(css: str, x1: float, x2: float, y: float, colour: str, width: float, dash: str | None) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line class="{css}" x1="{_n(x1)}" y1="{_n(y)}" x2="{_n(x2)}" y2="{_n(y)}" stroke="{colour}" '
        f'stroke-width="{_n(width)}"{dashes}/>'
    )


def _svg_open(prefix: str, width: float, height: float, title: str, desc: str, font: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'role="img" aria-labelledby="{prefix}-title {prefix}-desc" font-family="{_FONT}" '
        f'font-size="{_n(font)}"><title id="{prefix}-title">{_text(title)}</title>'
        f'<desc id="{prefix}-desc">{_text(desc)}</desc>'
    )


def _table(title: str, headings: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f'<th scope="col">{_text(h)}</th>' for h in headings)
    body = "".join(
        "<tr>" + f'<th scope="row">{_text(row[0])}</th>' + "".join(f"<td>{_text(c)}</td>" for c in row[1:]) + "</tr>"
        for row in rows
    )
    return (
        f'<table class="visually-hidden"><caption>{_text(title)}: the data</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _empty(css: str, title: str, note: str) -> Markup:
    return Markup(
        f'<figure class="chart {css} chart-empty"><figcaption>{_text(title)}</figcaption>'
        f'<p class="chart-no-data">No data yet.{" " + _text(note) if note else ""}</p></figure>'
    )


# ---------------------------------------------------------------------------------------------- measure


def _value_decimals(chart: MeasureChart) -> int:
    return 0 if chart.level else chart.decimals


def _fmt(chart: MeasureChart, value: float, *, statistic: bool = False) -> str:
    """A value with its unit. SPC statistics of a level measure keep their decimals: a mean of 2.4 stages
    is not 2."""
    return with_unit(
        number(value, chart.decimals if statistic else _value_decimals(chart)), chart.unit, space=NO_BREAK_SPACE
    )


def _standard_words(chart: MeasureChart, standard: Standard) -> str:
    if standard.kind == "at_least" and standard.low is not None:
        return f"at least {_fmt(chart, standard.low)}"
    if standard.kind == "at_most" and standard.high is not None:
        return f"at most {_fmt(chart, standard.high)}"
    assert standard.low is not None and standard.high is not None
    low = number(standard.low, _value_decimals(chart))
    low = low + "%" if chart.unit == "%" else low  # "between 10 and 13 weeks", "between 2% and 4%"
    return f"between {low} and {_fmt(chart, standard.high)}"


def _measure_top(chart: MeasureChart) -> float:
    return 12.0 + (_M_FONT * 1.5 if chart.unit and chart.unit != "%" else 0.0)


def measure_axis(chart: MeasureChart) -> Axis:
    """The y axis `measure_chart` draws: it spans every value, the baseline, target, standard,
    projection and process limits. Raises ValueError for a chart with no points."""
    if not chart.points:
        raise ValueError("a chart with no points has no axis")
    values = [p.value for p in chart.points]
    values += [v for v in (chart.baseline, chart.target) if v is not None]
    if chart.standard:
        values += chart.standard.bounds()
    if chart.projection:
        values.append(chart.projection.value)
    if chart.spc:
        values += [chart.spc.lower, chart.spc.mean, chart.spc.upper]
    top = _measure_top(chart)
    markers = [p.value for p in chart.points] + ([chart.projection.value] if chart.projection else [])
    # A standard's band lies on its passing side: the axis leaves room for it to show.
    above = markers + ([chart.standard.low] if chart.standard and chart.standard.kind == "at_least" else [])
    below = markers + ([chart.standard.high] if chart.standard and chart.standard.kind == "at_most" else [])
    return _nice_axis(
        values,
        integer=chart.level,
        top=top,
        bottom=top + _M_SIZE[chart.compact][1],
        room_above=[v for v in above if v is not None],
        room_below=[v for v in below if v is not None],
        ceiling=100.0 if chart.unit == "%" else None,
    )


def _measure_desc(chart: MeasureChart, periods: Sequence[_Period]) -> str:
    latest = chart.points[-1]
    sentences = [f"Latest value: {_fmt(chart, latest.value)} in {periods[-1].words}."]
    if chart.target is not None:
        sentences.append(f"Target: {_fmt(chart, chart.target)}.")
    elif chart.standard is not None:
        sentences.append(f"Standard: {_standard_words(chart, chart.standard)}.")
    else:
        sentences.append("No target set.")
    if chart.baseline is not None:
        sentences.append(f"Baseline: {_fmt(chart, chart.baseline)}.")
    if chart.projection is not None:
        sentences.append(
            f"Projected: {_fmt(chart, chart.projection.value)} at {_period_words(chart.projection.period)}."
        )
    if chart.variation:
        sentences.append(VARIATION_WORDS[chart.variation] + ".")
    if chart.assurance:
        sentences.append(ASSURANCE_WORDS[chart.assurance] + ".")
    if chart.spc:
        sentences.append(
            f"Mean {_fmt(chart, chart.spc.mean, statistic=True)}; process limits "
            f"{_fmt(chart, chart.spc.lower, statistic=True)} to "
            f"{_fmt(chart, chart.spc.upper, statistic=True)}."
        )
    count = len(chart.points)
    span = f"from {periods[0].words} to {periods[-1].words}" if count > 1 else f"in {periods[0].words}"
    sentences.append(f"{count} point{'s' if count != 1 else ''} {span}.")
    for spc in ("improvement", "concern", "neutral"):
        special = sum(p.spc == spc for p in chart.points)
        if special:
            sentences.append(f"{special} {'point shows' if special == 1 else 'points show'} {SPC_WORDS[spc]}.")
    return " ".join(sentences)


def measure_chart(chart: MeasureChart) -> Markup:
    """A `<figure>` with the measure's svg chart, a caption and a visually hidden table of its points."""
    if not chart.points:
        note = ""
        if chart.target is not None:
            note = f"Target: {_fmt(chart, chart.target)}."
        elif chart.standard is not None:
            note = f"Standard: {_standard_words(chart, chart.standard)}."
        return _empty("measure-chart", chart.title, note)

    labels = [p.period for p in chart.points] + ([chart.projection.period] if chart.projection else [])
    periods = _periods(labels)
    actual = periods[: len(chart.points)]
    slots = [p.slot for p in periods]
    axis = measure_axis(chart)
    font = _M_FONT
    width, _, limit = _M_SIZE[chart.compact]

    # Gutter labels (their x is known once the gutter's width is).
    pending: list[_Label] = []
    if chart.target is not None:
        pending.append(
            _Label(
                axis.y(chart.target),
                _gutter_lines("Target", _fmt(chart, chart.target), font, limit),
                "label label-target",
            )
        )
    if chart.standard is not None:
        s = chart.standard
        at = (axis.y(s.low) + axis.y(s.high)) / 2 if s.low is not None and s.high is not None else axis.y(s.bounds()[0])
        words = _standard_words(chart, s)
        pending.append(_Label(at, _gutter_lines("Standard:", words, font, limit), "label label-standard"))
    if chart.spc is not None:
        for value, name, css in (
            (chart.spc.upper, "Upper process limit", "upl"),
            (chart.spc.mean, "Mean", "mean"),
            (chart.spc.lower, "Lower process limit", "lpl"),
        ):
            pending.append(
                _Label(
                    axis.y(value),
                    _gutter_lines(name, _fmt(chart, value, statistic=True), font, limit),
                    f"label label-{css}",
                )
            )
    if chart.baseline is not None:
        pending.append(
            _Label(
                axis.y(chart.baseline),
                _gutter_lines("Baseline", _fmt(chart, chart.baseline), font, limit),
                "label label-baseline",
            )
        )
    if chart.projection is not None:
        projected = f"Projected {_fmt(chart, chart.projection.value)}"
        when = f"at {_period_words(chart.projection.period)}"
        lines = (
            (f"{projected} {when}",)
            if _width(f"{projected} {when}", font) <= limit
            else tuple(_wrap(projected, font, limit) + _wrap(when, font, limit))
        )
        pending.append(_Label(axis.y(chart.projection.value), lines, "label label-projection"))

    tick_labels = [_tick_label(axis, t, chart.unit) for t in axis.ticks]
    left = max(_width(t, font) for t in tick_labels) + 12
    gutter_width = max((_width(line, font) for lab in pending for line in lab.lines), default=0.0)
    right = width - (gutter_width + 14 if pending else 10)
    top, bottom = axis.top, axis.bottom
    xs = _x_positions(slots, left, right)

    parts: list[str] = []
    # Legend: the SPC classes present, in words, after the tick labels.
    present = [c for c in _LEGEND_ORDER if any(p.spc == c for p in chart.points)]
    legend_items = present if present != ["none"] else []
    legend_y = bottom + 4 + font * 2.2 + 16
    legend: list[str] = []
    x = left
    rows = 0
    for spc in legend_items:
        words = SPC_WORDS[spc]
        words = words[0].upper() + words[1:]
        item = 16 + _width(words, font)
        if rows == 0 or x + item > width - 6:
            rows += 1
            x = left
        y = legend_y + (rows - 1) * font * 1.5
        legend.append(_legend_marker(spc, x + 5, y - font * 0.35))
        legend.append(f'<text class="legend" x="{_n(x + 14)}" y="{_n(y)}" fill="{_TEXT}">{_text(words)}</text>')
        x += item + 14
    height = (legend_y + (rows - 1) * font * 1.5 + 8) if rows else bottom + 4 + font * 2.2 + 8

    title = chart.title
    parts.append(_svg_open(chart.id_prefix, width, height, title, _measure_desc(chart, actual), font))
    if chart.unit and chart.unit != "%":
        parts.append(
            f'<text class="unit" x="{_n(left - 8)}" y="{_n(top - font * 0.9)}" fill="{_MUTED}">'
            f"{_text(chart.unit)}</text>"
        )
    # Grid and y ticks.
    for tick, text in zip(axis.ticks, tick_labels, strict=True):
        y = axis.y(tick)
        colour = _AXIS if tick == 0 and axis.lo < 0 else _GRID
        parts.append(_hline("grid", left, right, y, colour, 1, None))
        parts.append(
            f'<text class="tick" x="{_n(left - 6)}" y="{_n(y + font * 0.35)}" text-anchor="end" '
            f'fill="{_TEXT}">{_text(text)}</text>'
        )
    # The standard's band, on its passing side.
    if chart.standard is not None:
        s = chart.standard
        band_top = axis.y(s.high) if s.high is not None else top
        band_bottom = axis.y(s.low) if s.low is not None else bottom
        parts.append(
            f'<rect class="band" x="{_n(left)}" y="{_n(band_top)}" width="{_n(right - left)}" '
            f'height="{_n(max(band_bottom - band_top, 0.5))}" fill="{_BAND}" fill-opacity="0.1"/>'
        )
        for bound in s.bounds():
            parts.append(_hline("band-edge", left, right, axis.y(bound), _BAND, 1, None))
    if chart.baseline is not None:
        parts.append(_hline("baseline", left, right, axis.y(chart.baseline), _MUTED, 1.25, "1.5 3"))
    if chart.spc is not None:
        parts.append(_hline("mean", left, right, axis.y(chart.spc.mean), _SPC_LINE, 1.25, None))
        parts.append(_hline("upl", left, right, axis.y(chart.spc.upper), _SPC_LINE, 1.25, "5 3"))
        parts.append(_hline("lpl", left, right, axis.y(chart.spc.lower), _SPC_LINE, 1.25, "5 3"))
    if chart.target is not None:
        parts.append(_hline("target", left, right, axis.y(chart.target), _TARGET, 1.75, "7 4"))
    parts.append(_hline("axis", left, right, bottom, _AXIS, 1, None))
    parts.extend(_x_ticks(periods, actual[-1], slots, left, right, font, bottom))

    # The data line and its points.
    coordinates = [(xs[period.slot], axis.y(point.value)) for period, point in zip(actual, chart.points, strict=True)]
    if len(coordinates) > 1:
        path = " ".join(f"{_n(px)},{_n(py)}" for px, py in coordinates)
        parts.append(
            f'<polyline class="series" points="{path}" fill="none" stroke="{_LINE}" stroke-width="1.75" '
            f'stroke-linejoin="round"/>'
        )
    if chart.projection is not None:
        (lx, ly), px, py = coordinates[-1], xs[slots[-1]], axis.y(chart.projection.value)
        parts.append(
            f'<line class="projection" x1="{_n(lx)}" y1="{_n(ly)}" x2="{_n(px)}" y2="{_n(py)}" '
            f'stroke="{_PROJECTION}" stroke-width="1.75" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<circle class="projection-end" cx="{_n(px)}" cy="{_n(py)}" r="4" fill="#FFFFFF" '
            f'stroke="{_PROJECTION}" stroke-width="1.5"/>'
        )
    for (px, py), period, point in zip(coordinates, actual, chart.points, strict=True):
        tip = (
            f"{period.words}: {_fmt(chart, point.value)} ({SPC_WORDS[point.spc]})"
            if point.spc != "none"
            else f"{period.words}: {_fmt(chart, point.value)}"
        )
        parts.append(_marker(point.spc, px, py, tip))

    parts.extend(_label_svg(pending, right + 10, font, 2, bottom + font * 2))
    parts.extend(legend)
    parts.append("</svg>")

    headings = ["Period", "Value"] + (["SPC reading"] if legend_items else [])
    rows_ = [
        [period.words, _fmt(chart, point.value)] + ([SPC_WORDS[point.spc]] if legend_items else [])
        for period, point in zip(actual, chart.points, strict=True)
    ]
    parts.append(_table(title, headings, rows_))
    css = "chart measure-chart compact" if chart.compact else "chart measure-chart"
    return Markup(f'<figure class="{css}"><figcaption>{_text(title)}</figcaption>' + "".join(parts) + "</figure>")


def _legend_marker(spc: SpcClass, x: float, y: float) -> str:
    marker = _marker(spc, x, y, "")
    return marker.replace('class="pt ', 'class="key ', 1).replace("<title></title>", "")


# ---------------------------------------------------------------------------------------------- score history

_BAND_TINTS: Final = ("#EEF6F1", "#FDF6E3", "#FCE9DA", "#F9DCD9")  # pale, darkening with severity


def score_axis(chart: ScoreHistory) -> Axis:
    """The y axis `score_history` draws: always scores 0 to 25, so risks compare at a glance."""
    return Axis(0.0, 25.0, (0.0, 5.0, 10.0, 15.0, 20.0, 25.0), _S_TOP, _S_TOP + _S_PLOT_HEIGHT)


def _band_spans(chart: ScoreHistory) -> list[tuple[ScoreBand, float, float]]:
    """Each band's stretch of the axis: from half below its lowest score to half below the next band's,
    so the bands tile the axis even where no product of likelihood and impact falls between them."""
    ends = [b.min - 0.5 for b in chart.bands[1:]] + [25.0] if chart.bands else []
    return [(band, max(band.min - 0.5, 0.0), min(end, 25.0)) for band, end in zip(chart.bands, ends, strict=True)]


def _band_of(chart: ScoreHistory, score: int) -> str | None:
    return next((b.name for b in chart.bands if b.min <= score <= b.max), None)


def _score_desc(chart: ScoreHistory, periods: Sequence[_Period]) -> str:
    scored = [(period, p.score) for period, p in zip(periods, chart.points, strict=True) if p.score is not None]
    sentences: list[str] = []
    if scored:
        period, score = scored[-1]
        band = _band_of(chart, score)
        sentences.append(f"Latest score: {score} in {period.words}{f' ({band})' if band else ''}.")
        if len(scored) > 1:
            before_period, before = scored[-2]
            change = "up from" if score > before else "down from" if score < before else "unchanged from"
            sentences.append(f"That is {change} {before} in {before_period.words}.")
    sentences.append(f"Target score: {chart.target}." if chart.target is not None else "No target score set.")
    unscored = sum(p.score is None for p in chart.points)
    if unscored:
        sentences.append(f"{unscored} quarter{'s' if unscored != 1 else ''} not scored.")
    count = len(chart.points)
    span = f"from {periods[0].words} to {periods[-1].words}" if count > 1 else f"in {periods[0].words}"
    sentences.append(f"{count} quarter{'s' if count != 1 else ''} {span}.")
    return " ".join(sentences)


def score_history(chart: ScoreHistory) -> Markup:
    """A small `<figure>`: the risk's score by quarter, its target score and the risk bands."""
    if all(p.score is None for p in chart.points):
        note = f"Target score: {chart.target}." if chart.target is not None else ""
        return _empty("score-history", chart.title, note)

    font = _S_FONT
    periods = _periods([p.period for p in chart.points])
    slots = [p.slot for p in periods]
    axis = score_axis(chart)
    bottom = axis.bottom

    pending: list[_Label] = []
    for band, low, high in _band_spans(chart):
        lines = tuple(_wrap(band.name, font, _S_GUTTER_MAX))
        pending.append(_Label(axis.y((low + high) / 2), lines, "label label-band", (axis.y(high), axis.y(low))))
    if chart.target is not None:
        pending.append(_Label(axis.y(chart.target), (f"Target {chart.target}",), "label label-target"))
    gutter_width = max((_width(line, font) for lab in pending for line in lab.lines), default=0.0)
    left = _width("25", font) + 10
    right = _S_WIDTH - (gutter_width + 14 if pending else 10)
    xs = _x_positions(slots, left, right)
    height = bottom + 4 + font * 2.2 + 6

    parts = [_svg_open(chart.id_prefix, _S_WIDTH, height, chart.title, _score_desc(chart, periods), font)]
    for k, (_band, low, high) in enumerate(_band_spans(chart)):
        tint = _BAND_TINTS[round(k * (len(_BAND_TINTS) - 1) / max(len(chart.bands) - 1, 1))]
        y_top, y_bottom = axis.y(high), axis.y(low)
        parts.append(
            f'<rect class="band band-{k + 1}" x="{_n(left)}" y="{_n(y_top)}" width="{_n(right - left)}" '
            f'height="{_n(max(y_bottom - y_top, 0))}" fill="{tint}"/>'
        )
    for tick in axis.ticks:
        y = axis.y(tick)
        parts.append(_hline("grid", left, right, y, _GRID if not chart.bands else "#FFFFFF", 1, None))
        parts.append(
            f'<text class="tick" x="{_n(left - 5)}" y="{_n(y + font * 0.35)}" text-anchor="end" '
            f'fill="{_TEXT}">{_n(tick)}</text>'
        )
    if chart.target is not None:
        parts.append(_hline("target", left, right, axis.y(chart.target), _TARGET, 1.5, "6 3"))
    parts.append(_hline("axis", left, right, bottom, _AXIS, 1, None))
    scored = [p for p, point in zip(periods, chart.points, strict=True) if point.score is not None]
    parts.extend(_x_ticks(periods, scored[-1], slots, left, right, font, bottom))

    # The line joins scored quarters; an unscored one breaks it and says so, where there is room.
    room = (xs[slots[-1]] - xs[slots[0]]) / max(slots[-1] - slots[0], 1) if len(slots) > 1 else right - left
    for period, point in zip(periods, chart.points, strict=True):
        if point.score is None and _width("not scored", font * 0.8) <= room - 4:
            parts.append(
                f'<text class="unscored" x="{_n(xs[period.slot])}" y="{_n(bottom - 5)}" '
                f'text-anchor="middle" font-size="{_n(font * 0.8)}" font-style="italic" '
                f'fill="{_MUTED}">not scored</text>'
            )
    runs: list[list[tuple[float, float]]] = [[]]
    for period, point in zip(periods, chart.points, strict=True):
        if point.score is None:
            runs.append([])
        else:
            runs[-1].append((xs[period.slot], axis.y(point.score)))
    for run in runs:
        if len(run) > 1:
            path = " ".join(f"{_n(px)},{_n(py)}" for px, py in run)
            parts.append(
                f'<polyline class="series" points="{path}" fill="none" stroke="{_LINE}" '
                f'stroke-width="1.5" stroke-linejoin="round"/>'
            )
    for period, point in zip(periods, chart.points, strict=True):
        if point.score is not None:
            x, y = xs[period.slot], axis.y(point.score)
            parts.append(
                f'<circle class="pt pt-score" cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{_PROJECTION}" '
                f'stroke="#FFFFFF" stroke-width="1"><title>{_text(period.words)}: score {point.score}'
                f"</title></circle>"
            )
    parts.extend(_label_svg(pending, right + 10, font, 2, bottom + font))
    parts.append("</svg>")

    headings = ["Quarter", "Score"] + (["Band"] if chart.bands else [])
    rows = [
        [period.words, str(p.score) if p.score is not None else "not scored"]
        + ([(_band_of(chart, p.score) or "") if p.score is not None else ""] if chart.bands else [])
        for period, p in zip(periods, chart.points, strict=True)
    ]
    parts.append(_table(chart.title, headings, rows))
    return Markup(
        f'<figure class="chart score-history"><figcaption>{_text(chart.title)}</figcaption>'
        + "".join(parts)
        + "</figure>"
    )


# ---------------------------------------------------------------------------------------------- icons

_ICON_COLOUR: Final = {"common": "#7B7D7D", "improvement": "#289DE0", "concern": "#FAB428", "neutral": "#361475"}
_ICON_TEXT: Final = {"common": "#5A5C5C", "improvement": "#1C6E9E", "concern": "#8F6200", "neutral": "#361475"}


def _icon(kind: str, prefix: str, words: str, colour: str, body: str) -> Markup:
    _check_id(prefix)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mdc-icon mdc-{kind}" viewBox="0 0 40 40" '
        f'width="40" height="40" role="img" aria-labelledby="{prefix}-title">'
        f'<title id="{prefix}-title">{_text(words)}</title>'
        f'<circle cx="20" cy="20" r="18" fill="#FFFFFF" stroke="{colour}" stroke-width="2.5"/>'
        f"{body}</svg>"
    )


def variation_icon(variation: str, *, id_prefix: str) -> Markup:
    """The Making Data Count variation icon for a VARIATION_WORDS key, titled with its words."""
    if variation not in VARIATION_WORDS:
        raise ValueError(f"variation {variation!r} is not one of {', '.join(VARIATION_WORDS)}")
    kind, _, side = variation.partition("_")
    family = "common" if kind == "common" else kind
    colour, ink = _ICON_COLOUR[family], _ICON_TEXT[family]
    heights = [24.0] * 5
    if family != "common":
        move = -4.5 if side == "high" else 4.5
        heights[3], heights[4] = 24 + move, 24 + 2 * move
        if side == "low":
            heights = [h - 4 for h in heights]
    xs = (9.0, 14.5, 20.0, 25.5, 31.0)
    line = " ".join(f"{_n(x)},{_n(y)}" for x, y in zip(xs, heights, strict=True))
    body = [f'<polyline points="{line}" fill="none" stroke="#B2B4B4" stroke-width="1.25"/>']
    for k, (x, y) in enumerate(zip(xs, heights, strict=True)):
        dot = colour if family != "common" and k >= 3 else _ICON_COLOUR["common"]
        body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.4" fill="{dot}"/>')
    if family != "common":
        letter_y = 17 if side == "high" else 33
        body.append(
            f'<text x="20" y="{_n(letter_y)}" text-anchor="middle" font-family="{_FONT}" font-size="11" '
            f'font-weight="bold" fill="{ink}">{"H" if side == "high" else "L"}</text>'
        )
    return _icon(variation.replace("_", "-"), id_prefix, VARIATION_WORDS[variation], colour, "".join(body))


def assurance_icon(assurance: str | None, *, id_prefix: str) -> Markup:
    """The Making Data Count assurance icon for an ASSURANCE_WORDS key; None (not assessed) gives nothing."""
    if assurance is None:
        return Markup("")
    if assurance not in ASSURANCE_WORDS:
        raise ValueError(f"assurance {assurance!r} is not one of {', '.join(ASSURANCE_WORDS)}")
    family = {"pass": "improvement", "fail": "concern", "hit_and_miss": "common"}[assurance]
    colour, ink = _ICON_COLOUR[family], _ICON_TEXT[family]
    target = '<line x1="7" y1="27" x2="33" y2="27" stroke="#D5281B" stroke-width="1.5" stroke-dasharray="3 2"/>'
    if assurance == "hit_and_miss":
        body = (
            target + f'<path d="M7 27 C11 17, 15 17, 18 27 S25 37, 28 27 S32 20, 33 22" fill="none" '
            f'stroke="{ink}" stroke-width="2"/>'
        )
    else:
        letter = "P" if assurance == "pass" else "F"
        body = (
            target + f'<text x="20" y="22" text-anchor="middle" font-family="{_FONT}" font-size="15" '
            f'font-weight="bold" fill="{ink}">{letter}</text>'
        )
    return _icon(f"assurance-{assurance.replace('_', '-')}", id_prefix, ASSURANCE_WORDS[assurance], colour, body)


# ---------------------------------------------------------------------------------------------- css

CHART_CSS: Final = """\
.chart { margin: 0 0 4mm; max-width: 190mm; break-inside: avoid; page-break-inside: avoid;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.chart figcaption { font-weight: bold; color: #003087; margin: 0 0 1mm; }
.chart .chart-svg { display: block; width: 100%; height: auto; overflow: visible; }
.chart.compact { max-width: 120mm; }
.chart.score-history { max-width: 100mm; }
.chart .chart-no-data { margin: 0; padding: 3mm; border: 1px dashed #aeb7bd; color: #4c6272; }
.mdc-icon { display: inline-block; width: 2.4em; height: 2.4em; vertical-align: middle; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
"""
"""The stylesheet the charts need; the report's stylesheet includes it."""
