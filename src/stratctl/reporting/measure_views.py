"""A measure as the paper shows it: its chart, its Making Data Count icons, and the same in words.

Built from the rating engine's `MeasureResult`, so the chart draws exactly what the rating used:
the points counted, the baseline, the target or standard, the projection, and with SPC the mean,
the process limits and each special-cause point.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from markupsafe import Markup

from stratctl.measure_words import PROVISIONAL_MARK, PROVISIONAL_NOTE, target_text, value_text
from stratctl.measures import MeasureResult
from stratctl.periods import parse_period
from stratctl.records import Standard
from stratctl.reporting.charts.icons import assurance_icon, variation_icon
from stratctl.reporting.charts.measure import measure_chart
from stratctl.reporting.charts.model import MeasureChart, Point, Projection, SpcLines
from stratctl.reporting.charts.model import Standard as ChartStandard
from stratctl.reporting.charts.words import ASSURANCE_WORDS, VARIATION_WORDS, SpcClass

_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]")


@dataclass(frozen=True)
class MeasureView:
    """What the paper prints for one measure; the chart and icons are drawn only when a template asks."""

    result: MeasureResult
    prefix: str  # the chart's html id prefix, unique in the paper

    @property
    def id(self) -> str:
        return self.result.measure.id

    @property
    def name(self) -> str:
        return self.result.measure.name

    @property
    def signal(self) -> str | None:
        """G, A or R; None for a neutral measure or too few points."""
        return self.result.signal

    @property
    def reason(self) -> str:
        return self.result.reason

    @property
    def target(self) -> str:
        """The target or standard in words ("at least 95%"); "" without one."""
        return target_text(self.result.measure) if self.result.measure.target is not None else ""

    @property
    def latest(self) -> str:
        """`77.2% (2023-03)`; "" without a value yet. A provisional value is marked: `77.2% p (2023-03)`."""
        if self.result.latest is None:
            return ""
        mark = f" {PROVISIONAL_MARK}" if self.result.latest_provisional else ""
        return f"{_latest(self.result)}{mark} ({self.result.latest_period})"

    @property
    def provisional(self) -> bool:
        """Whether the latest value, as the paper shows it, is provisional (and needs the footnote)."""
        return self.result.latest_provisional

    @property
    def provisional_note(self) -> str:
        """The footnote a table with a provisional value carries."""
        return PROVISIONAL_NOTE

    @property
    def notes(self) -> tuple[tuple[str, str], ...]:
        """(period, note) of each note on the measure's points, oldest first."""
        return self.result.notes

    @property
    def variation(self) -> str | None:
        return self.result.variation

    @property
    def assurance(self) -> str | None:
        return self.result.assurance

    @property
    def variation_words(self) -> str:
        return VARIATION_WORDS[self.variation] if self.variation else ""

    @property
    def assurance_words(self) -> str:
        return ASSURANCE_WORDS[self.assurance] if self.assurance else ""

    @property
    def words(self) -> str:
        """The measure's reading in one sentence, for the Markdown paper and for screen readers."""
        parts = [self.reason]
        if self.result.latest_provisional:
            parts.append(f"the latest value ({self.result.latest_period}) is provisional ({PROVISIONAL_MARK})")
        if self.result.rebased_at:
            parts.append(f"SPC limits recalculated from {', '.join(self.result.rebased_at)}")
        parts.extend(f"note on {period}: {note}" for period, note in self.result.notes)
        if self.variation:
            parts.append(f"SPC: {self.variation_words}")
        if self.assurance:
            standard = self.result.measure.standard is not None
            # Against a number to reach, the assurance says what the process as it runs now would do;
            # the signal reads the trend, which may well carry it there.
            parts.append(
                self.assurance_words if standard else f"if the process stays as it runs now: {self.assurance_words}"
            )
        return "; ".join(part.rstrip(".") for part in parts) + "."

    @functools.cached_property
    def chart(self) -> Markup:
        return _chart(self.result, self.prefix)

    @functools.cached_property
    def plain_chart(self) -> Markup:
        """The values against the target, without SPC's limits, special causes and icons: for readers
        (the public) to whom "process limits" and "special cause" say nothing."""
        return _chart(self.result, self.prefix, spc=False)

    @functools.cached_property
    def icons(self) -> Markup:
        """The Making Data Count variation and assurance icons, each with its words as the text alternative."""
        return Markup("").join(
            [
                variation_icon(self.variation, id_prefix=f"{self.prefix}-variation") if self.variation else Markup(""),
                assurance_icon(self.assurance, id_prefix=f"{self.prefix}-assurance"),
            ]
        )


def _spc_class(result: MeasureResult, index: int) -> SpcClass:
    if result.spc is None:
        return "none"
    point = result.spc.points[index]
    if not point.assessed:
        return "none"
    return point.kind if point.special and point.kind else "common"


def measure_view(result: MeasureResult, owner: str) -> MeasureView:
    """The view of one measure; `owner` (the objective's or strategic objective's id) keeps chart ids unique."""
    return MeasureView(result, "m-" + _UNSAFE.sub("-", f"{owner}-{result.measure.id}"))


def _chart(result: MeasureResult, prefix: str, *, spc: bool = True) -> Markup:
    measure = result.measure
    target = measure.target
    # A duration is charted in minutes (round ticks), written as minutes and seconds.
    scale = 60.0 if measure.duration else 1.0
    standard = None
    if isinstance(target, Standard):
        average = target.over == "year"
        if target.between is not None:
            standard = ChartStandard.between(target.between[0] / scale, target.between[1] / scale, average=average)
        elif target.kind == "at_least":
            standard = ChartStandard.at_least(target.values[0] / scale, average=average)
        else:
            standard = ChartStandard.at_most(target.values[0] / scale, average=average)
    return measure_chart(
        MeasureChart(
            id_prefix=prefix,
            title=measure.name,
            points=tuple(
                Point(
                    period,
                    value / scale,
                    _spc_class(result, i) if spc else "none",
                    provisional=period in result.provisional,
                    note=dict(result.notes).get(period, ""),
                )
                for i, (period, value) in enumerate(result.points)
            ),
            unit=measure.unit or "",
            baseline=measure.baseline.value / scale if measure.baseline is not None else None,
            target=target / scale if isinstance(target, (int, float)) else None,
            standard=standard,
            # A projection is drawn forward from the last actual only: read at a period already past, it
            # would be a line drawn backwards through the data (the rating still reads it, by its rule).
            projection=Projection(result.projection[0], result.projection[1] / scale)
            if result.projection and _ahead(result)
            else None,
            segments=_segments(result, scale) if spc else (),
            variation=result.variation if spc else None,
            assurance=result.assurance if spc else None,
            level=measure.kind == "level",
            decimals=0 if measure.kind == "level" else _decimals(result),
            compact=True,
            duration=measure.duration,
        )
    )


def _segments(result: MeasureResult, scale: float) -> tuple[SpcLines, ...]:
    """Each SPC segment with limits, over its own points; a segment too short for limits has no lines."""
    chart = result.spc
    if chart is None:
        return ()
    return tuple(
        SpcLines(
            s.limits.mean / scale,
            s.limits.upper / scale,
            s.limits.lower / scale,
            start=s.start,
            end=None if s is chart.latest else s.end,
            trial=s.trial,
        )
        for s in chart.segments
        if s.limits is not None
    )


def _ahead(result: MeasureResult) -> bool:
    """Whether the target's period lies after the last point (periods sort as their labels' index)."""
    labels = [label for label, _ in result.points]
    # The target's period and the points are of one kind (quarters or months), so their indexes compare.
    return (
        bool(labels)
        and result.target_period not in labels
        and parse_period(result.target_period).index > parse_period(labels[-1]).index
    )


def _decimals(result: MeasureResult) -> int:
    """As many decimals as the recorded values use (at most three): an SHMI of 1.04 keeps both."""
    values = [v for _, v in result.points]
    target = result.measure.target
    if isinstance(target, (int, float)):
        values.append(target)
    elif isinstance(target, Standard):
        values.extend(target.values)
    places = [len(f"{v:.6f}".rstrip("0").partition(".")[2]) for v in values]
    return min(max(places, default=1), 3)


def _latest(result: MeasureResult) -> str:
    value = result.latest
    assert value is not None
    if result.measure.kind == "level":
        return str(int(value))
    return value_text(result.measure, value)
