"""Where a chart's words go: labels in the gutter right of the plot (moved apart, with a leader where
moved off their line), the x position of each period, and the period ticks under the axis."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from stratctl.reporting.charts.svg import AXIS, INK, MUTED, coordinate, text_width, wrap_words, xml_text
from stratctl.reporting.charts.timeline import AxisPeriod, period_step, slot_period

__all__ = ["Label", "gutter_lines", "label_svg", "x_positions", "x_ticks"]


@dataclass(frozen=True, slots=True)
class Label:
    """A label in the gutter right of the plot, for a line (or band) at svg y `at`."""

    at: float
    lines: tuple[str, ...]
    css: str
    span: tuple[float, float] | None = None  # a band's label: dropped rather than moved out of its band


def _place(labels: Sequence[Label], line_height: float, top: float, bottom: float) -> list[float]:
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


def _middle(label: Label, baseline: float, line_height: float) -> float:
    return baseline - line_height * 0.78 + len(label.lines) * line_height / 2


def label_svg(labels: Sequence[Label], x: float, font: float, top: float, bottom: float) -> list[str]:
    line_height = font * 1.2

    def fits(trial: list[Label]) -> bool:
        placed = _place(trial, line_height, top, bottom)
        return all(
            lab.span is None or lab.span[0] <= _middle(lab, b, line_height) <= lab.span[1]
            for lab, b in zip(trial, placed, strict=True)
        )

    # Line labels always; a band's label only if it fits inside its band, the tallest bands first.
    kept = [lab for lab in labels if lab.span is None]
    bands = [(lab.span[1] - lab.span[0], lab) for lab in labels if lab.span is not None]
    for _height, band in sorted(bands, key=lambda pair: -pair[0]):  # stable: equal heights keep their order
        if fits([*kept, band]):
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
                f'<polyline class="leader" points="{coordinate(x - 7)},{coordinate(label.at)} '
                f'{coordinate(x - 2)},{coordinate(middle)}" '
                f'fill="none" stroke="{AXIS}" stroke-width="0.75"/>'
            )
        spans = "".join(
            f'<tspan x="{coordinate(x)}" dy="{coordinate(0 if i == 0 else line_height)}">{xml_text(line)}'
            f"{' ' if i < len(label.lines) - 1 else ''}</tspan>"
            for i, line in enumerate(label.lines)
        )
        parts.append(
            f'<text class="{label.css}" x="{coordinate(x)}" y="{coordinate(baseline)}" fill="{INK}">{spans}</text>'
        )
    return parts


def gutter_lines(name: str, value: str, font: float, limit: float) -> tuple[str, ...]:
    whole = f"{name} {value}"
    if text_width(whole, font) <= limit:
        return (whole,)
    return tuple(wrap_words(name, font, limit) + wrap_words(value, font, limit))


def x_positions(slots: Sequence[int], left: float, right: float) -> dict[int, float]:
    return {slot: _x_of(slot, slots, left, right) for slot in slots}


def _x_of(slot: int, slots: Sequence[int], left: float, right: float) -> float:
    first, last = min(slots), max(slots)
    if first == last:
        return (left + right) / 2
    pad = min(14.0, (right - left) / 4)
    return left + pad + (slot - first) * (right - left - 2 * pad) / (last - first)


def x_ticks(
    periods: Sequence[AxisPeriod],
    anchor: AxisPeriod,
    slots: Sequence[int],
    left: float,
    right: float,
    font: float,
    y: float,
) -> list[str]:
    """Tick labels under the axis: thinned so they never collide, always naming `anchor` (the latest actual)."""
    first, last = min(slots), max(slots)
    by_slot = {p.slot: p for p in periods}
    widest = max(text_width(p.short, font) for p in periods) + font * 0.8
    spacing = (_x_of(last, slots, left, right) - _x_of(first, slots, left, right)) / max(last - first, 1)
    needed = max(1, math.ceil(widest / spacing)) if last > first else 1
    step = period_step(needed, periods[0])
    shown = sorted({*range(anchor.slot, first - 1, -step), *range(anchor.slot, last + 1, step)})
    parts: list[str] = []
    years: list[tuple[float, str]] = []
    previous_year = None
    for slot in shown:
        period = by_slot.get(slot) or slot_period(slot, periods[0])
        x = _x_of(slot, slots, left, right)
        parts.append(
            f'<line x1="{coordinate(x)}" y1="{coordinate(y)}" x2="{coordinate(x)}" y2="{coordinate(y + 4)}" '
            f'stroke="{AXIS}"/>'
        )
        parts.append(
            f'<text class="tick" x="{coordinate(x)}" y="{coordinate(y + 4 + font)}" text-anchor="middle" '
            f'fill="{INK}">{xml_text(period.short)}</text>'
        )
        if period.year and period.year != previous_year:
            years.append((x, period.year))
            previous_year = period.year
    gap = font * 0.75
    kept: list[tuple[float, str]] = []
    for x, year in years:  # a later year's label wins over an earlier one it would overlap...
        start = x - text_width(year, font) / 2
        while kept and kept[-1][0] + text_width(kept[-1][1], font) / 2 + gap > start:
            before, words = kept[-1]
            half = text_width(words, font) / 2
            if len(kept) == 1 and start - gap - half >= half + 2:  # ...but the first slides left if it can
                kept[-1] = (min(before, start - gap - half), words)
                break
            kept.pop()
        kept.append((x, year))
    for x, year in kept:
        parts.append(
            f'<text class="tick tick-year" x="{coordinate(x)}" y="{coordinate(y + 4 + font * 2.2)}" '
            'text-anchor="middle" '
            f'fill="{MUTED}">{xml_text(year)}</text>'
        )
    return parts
