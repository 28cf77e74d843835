"""A chart's y axis: round ticks spanning every value, and how each tick is labelled."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stratctl.numbers import number

__all__ = ["Axis", "nice_axis", "tick_label"]


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


def _tick_decimals(step: float) -> int:
    for decimals in range(16):
        if abs(round(step, decimals) - step) <= abs(step) * 1e-9:
            return decimals
    return 16


def nice_axis(
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


def tick_label(axis: Axis, tick: float, unit: str) -> str:
    text = number(tick / axis.scale, axis.tick_decimals)
    if text == "0":
        return text
    return text + axis.suffix + ("%" if unit == "%" else "")
