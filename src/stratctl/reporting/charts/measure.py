"""A measure over time: its points with their SPC readings, the baseline, target or standard, the
projection and process limits, each line labelled in words beside the plot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup

from stratctl.numbers import NO_BREAK_SPACE, duration, number, with_unit
from stratctl.reporting.charts.axes import Axis, nice_axis, tick_label
from stratctl.reporting.charts.layout import Label, gutter_lines, label_svg, x_positions, x_ticks
from stratctl.reporting.charts.model import MeasureChart, SpcLines, Standard
from stratctl.reporting.charts.svg import (
    AXIS,
    BAND,
    GRID,
    INK,
    MUTED,
    PROJECTION,
    SERIES,
    SPC_LINE,
    TARGET,
    coordinate,
    empty_figure,
    hidden_table,
    hline,
    svg_open,
    text_width,
    wrap_words,
    xml_text,
)
from stratctl.reporting.charts.timeline import AxisPeriod, axis_periods, period_words
from stratctl.reporting.charts.words import ASSURANCE_WORDS, SPC_WORDS, VARIATION_WORDS, SpcClass

__all__ = ["measure_axis", "measure_chart"]

# Units are CSS pixels at the size a chart is drawn for: 12 is 9pt. A full-width chart is drawn for
# about 150mm and a compact one for a table cell of about 100mm; text scales with the chart, so a
# compact chart has fewer units across for the same text, not smaller text.
_M_SIZE: Final = {False: (560.0, 200.0, 160.0), True: (380.0, 150.0, 110.0)}  # width, plot height, gutter
_M_FONT: Final = 12.0

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


@dataclass(frozen=True, slots=True)
class _Plot:
    """Where the plot area lies in the svg: its y axis, its left and right edges, and each period's x."""

    axis: Axis
    left: float
    right: float
    font: float
    xs: dict[int, float]


def _value_decimals(chart: MeasureChart) -> int:
    return 0 if chart.level else chart.decimals


PROVISIONAL_NOTE: Final = "p: provisional, may be revised"


def _fmt(chart: MeasureChart, value: float, *, statistic: bool = False) -> str:
    """A value with its unit. SPC statistics of a level measure keep their decimals: a mean of 2.4 stages
    is not 2. A duration's minutes are written as minutes and seconds (34:48), its unit being the form."""
    if chart.duration:
        return duration(value * 60)
    return with_unit(
        number(value, chart.decimals if statistic else _value_decimals(chart)), chart.unit, space=NO_BREAK_SPACE
    )


def _standard_words(chart: MeasureChart, standard: Standard) -> str:
    average = " on the year's average" if standard.average else ""
    if standard.kind == "at_least" and standard.low is not None:
        return f"at least {_fmt(chart, standard.low)}{average}"
    if standard.kind == "at_most" and standard.high is not None:
        return f"at most {_fmt(chart, standard.high)}{average}"
    assert standard.low is not None and standard.high is not None
    if chart.duration:
        return f"between {_fmt(chart, standard.low)} and {_fmt(chart, standard.high)}{average}"
    low = number(standard.low, _value_decimals(chart))
    low = low + "%" if chart.unit == "%" else low  # "between 10 and 13 weeks", "between 2% and 4%"
    return f"between {low} and {_fmt(chart, standard.high)}{average}"


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
    for lines in chart.lines:
        values += [lines.lower, lines.mean, lines.upper]
    top = _measure_top(chart)
    markers = [p.value for p in chart.points] + ([chart.projection.value] if chart.projection else [])
    # A standard's band lies on its passing side: the axis leaves room for it to show.
    above = markers + ([chart.standard.low] if chart.standard and chart.standard.kind == "at_least" else [])
    below = markers + ([chart.standard.high] if chart.standard and chart.standard.kind == "at_most" else [])
    return nice_axis(
        values,
        integer=chart.level,
        top=top,
        bottom=top + _M_SIZE[chart.compact][1],
        room_above=[v for v in above if v is not None],
        room_below=[v for v in below if v is not None],
        ceiling=100.0 if chart.unit == "%" else None,
    )


def _measure_desc(chart: MeasureChart, periods: Sequence[AxisPeriod]) -> str:
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
            f"Projected: {_fmt(chart, chart.projection.value)} at {period_words(chart.projection.period)}."
        )
    if chart.variation:
        sentences.append(VARIATION_WORDS[chart.variation] + ".")
    if chart.assurance:
        sentences.append(ASSURANCE_WORDS[chart.assurance] + ".")
    sentences.extend(_lines_words(chart, periods))
    count = len(chart.points)
    span = f"from {periods[0].words} to {periods[-1].words}" if count > 1 else f"in {periods[0].words}"
    sentences.append(f"{count} point{'s' if count != 1 else ''} {span}.")
    for spc in ("improvement", "concern", "neutral"):
        special = sum(p.spc == spc for p in chart.points)
        if special:
            sentences.append(f"{special} {'point shows' if special == 1 else 'points show'} {SPC_WORDS[spc]}.")
    provisional = [period.words for period, point in zip(periods, chart.points, strict=True) if point.provisional]
    if provisional:
        sentences.append(f"Provisional, may be revised: {', '.join(provisional)}.")
    for period, point in zip(periods, chart.points, strict=True):
        if point.note:
            sentences.append(f"Note on {period.words}: {point.note}.")
    return " ".join(sentences)


def _lines_words(chart: MeasureChart, periods: Sequence[AxisPeriod]) -> list[str]:
    """The mean and limits of each set of lines, in words: where the limits were recalculated, and which are trial."""
    every = chart.lines
    words = []
    for lines in every:
        limits = (
            f"mean {_fmt(chart, lines.mean, statistic=True)}; process limits "
            f"{_fmt(chart, lines.lower, statistic=True)} to {_fmt(chart, lines.upper, statistic=True)}"
            + (" (trial limits, from fewer than 15 points)" if lines.trial else "")
        )
        if len(every) == 1 and lines.start == 0 and lines.end is None:
            words.append(limits[0].upper() + limits[1:] + ".")
            continue
        last = (lines.end if lines.end is not None else len(chart.points)) - 1
        words.append(f"From {periods[lines.start].words} to {periods[last].words}: {limits}.")
    if len(every) > 1:
        starts = ", ".join(periods[lines.start].words for lines in every[1:])
        words.insert(0, f"Limits recalculated from {starts}.")
    return words


def measure_chart(chart: MeasureChart) -> Markup:
    """A `<figure>` with the measure's svg chart, a caption and a visually hidden table of its points."""
    if not chart.points:
        return _no_points(chart)

    labels = [p.period for p in chart.points] + ([chart.projection.period] if chart.projection else [])
    periods = axis_periods(labels)
    actual = periods[: len(chart.points)]
    slots = [p.slot for p in periods]
    axis = measure_axis(chart)
    font = _M_FONT
    width, _, limit = _M_SIZE[chart.compact]

    pending = _gutter_labels(chart, axis, font, limit)  # their x is known once the gutter's width is
    tick_labels = [duration(t * 60) if chart.duration else tick_label(axis, t, chart.unit) for t in axis.ticks]
    left = max(text_width(t, font) for t in tick_labels) + 12
    gutter_width = max((text_width(line, font) for lab in pending for line in lab.lines), default=0.0)
    right = width - (gutter_width + 14 if pending else 10)
    plot = _Plot(axis, left, right, font, x_positions(slots, left, right))
    legend_items = _legend_items(chart)
    legend, height = _legend(legend_items, plot, width)
    footnotes, height = _footnotes(chart, actual, plot, width, height)

    parts = [svg_open(chart.id_prefix, width, height, chart.title, _measure_desc(chart, actual), font)]
    parts.extend(_unit_and_grid(chart, plot, tick_labels))
    parts.extend(_reference_lines(chart, plot, actual))
    parts.extend(x_ticks(periods, actual[-1], slots, left, right, font, axis.bottom))
    parts.extend(_series(chart, plot, actual, slots))
    parts.extend(label_svg(pending, right + 10, font, 2, axis.bottom + font * 2))
    parts.extend(legend)
    parts.extend(footnotes)
    parts.append("</svg>")
    parts.append(_points_table(chart, actual, legend_items))
    css = "chart measure-chart compact" if chart.compact else "chart measure-chart"
    return Markup(
        f'<figure class="{css}"><figcaption>{xml_text(chart.title)}</figcaption>' + "".join(parts) + "</figure>"
    )


def _no_points(chart: MeasureChart) -> Markup:
    note = ""
    if chart.target is not None:
        note = f"Target: {_fmt(chart, chart.target)}."
    elif chart.standard is not None:
        note = f"Standard: {_standard_words(chart, chart.standard)}."
    return empty_figure("measure-chart", chart.title, note)


def _gutter_labels(chart: MeasureChart, axis: Axis, font: float, limit: float) -> list[Label]:
    """The words beside the plot for each line drawn across it, in the order they are laid out."""
    pending: list[Label] = []
    if chart.target is not None:
        pending.append(
            Label(
                axis.y(chart.target),
                gutter_lines("Target", _fmt(chart, chart.target), font, limit),
                "label label-target",
            )
        )
    if chart.standard is not None:
        s = chart.standard
        at = (axis.y(s.low) + axis.y(s.high)) / 2 if s.low is not None and s.high is not None else axis.y(s.bounds()[0])
        words = _standard_words(chart, s)
        pending.append(Label(at, gutter_lines("Standard:", words, font, limit), "label label-standard"))
    current = chart.current
    if current is not None:
        trial = " (trial)" if current.trial else ""
        for value, name, css in (
            (current.upper, f"Upper process limit{trial}", "upl"),
            (current.mean, f"Mean{trial}", "mean"),
            (current.lower, f"Lower process limit{trial}", "lpl"),
        ):
            pending.append(
                Label(
                    axis.y(value),
                    gutter_lines(name, _fmt(chart, value, statistic=True), font, limit),
                    f"label label-{css}",
                )
            )
    if chart.baseline is not None:
        pending.append(
            Label(
                axis.y(chart.baseline),
                gutter_lines("Baseline", _fmt(chart, chart.baseline), font, limit),
                "label label-baseline",
            )
        )
    if chart.projection is not None:
        pending.append(_projection_label(chart, axis, font, limit))
    return pending


def _projection_label(chart: MeasureChart, axis: Axis, font: float, limit: float) -> Label:
    assert chart.projection is not None
    projected = f"Projected {_fmt(chart, chart.projection.value)}"
    when = f"at {period_words(chart.projection.period)}"
    lines = (
        (f"{projected} {when}",)
        if text_width(f"{projected} {when}", font) <= limit
        else tuple(wrap_words(projected, font, limit) + wrap_words(when, font, limit))
    )
    return Label(axis.y(chart.projection.value), lines, "label label-projection")


def _legend_items(chart: MeasureChart) -> list[SpcClass]:
    """The SPC classes present, in the legend's order; none where no point has been assessed."""
    present = [c for c in _LEGEND_ORDER if any(p.spc == c for p in chart.points)]
    return present if present != ["none"] else []


def _legend(items: Sequence[SpcClass], plot: _Plot, width: float) -> tuple[list[str], float]:
    """The legend, in words after the tick labels, wrapped to the chart's width; and the svg's height."""
    font, bottom = plot.font, plot.axis.bottom
    legend_y = bottom + 4 + font * 2.2 + 16
    legend: list[str] = []
    x = plot.left
    rows = 0
    for spc in items:
        words = SPC_WORDS[spc]
        words = words[0].upper() + words[1:]
        item = 16 + text_width(words, font)
        if rows == 0 or x + item > width - 6:
            rows += 1
            x = plot.left
        y = legend_y + (rows - 1) * font * 1.5
        legend.append(_legend_marker(spc, x + 5, y - font * 0.35))
        legend.append(
            f'<text class="legend" x="{coordinate(x + 14)}" y="{coordinate(y)}" fill="{INK}">{xml_text(words)}</text>'
        )
        x += item + 14
    height = (legend_y + (rows - 1) * font * 1.5 + 8) if rows else bottom + 4 + font * 2.2 + 8
    return legend, height


def _unit_and_grid(chart: MeasureChart, plot: _Plot, tick_labels: Sequence[str]) -> list[str]:
    """The unit above the axis (a percent sign is on every tick instead), the grid and the y ticks."""
    axis, left, right, font = plot.axis, plot.left, plot.right, plot.font
    parts: list[str] = []
    if chart.unit and chart.unit != "%":
        parts.append(
            f'<text class="unit" x="{coordinate(left - 8)}" y="{coordinate(axis.top - font * 0.9)}" fill="{MUTED}">'
            f"{xml_text(chart.unit)}</text>"
        )
    for tick, text in zip(axis.ticks, tick_labels, strict=True):
        y = axis.y(tick)
        colour = AXIS if tick == 0 and axis.lo < 0 else GRID
        parts.append(hline("grid", left, right, y, colour, 1, None))
        parts.append(
            f'<text class="tick" x="{coordinate(left - 6)}" y="{coordinate(y + font * 0.35)}" text-anchor="end" '
            f'fill="{INK}">{xml_text(text)}</text>'
        )
    return parts


def _reference_lines(chart: MeasureChart, plot: _Plot, actual: Sequence[AxisPeriod]) -> list[str]:
    """The standard's band (on its passing side), the baseline, each segment's SPC lines, the target and the axis."""
    axis, left, right = plot.axis, plot.left, plot.right
    parts: list[str] = []
    if chart.standard is not None:
        s = chart.standard
        band_top = axis.y(s.high) if s.high is not None else axis.top
        band_bottom = axis.y(s.low) if s.low is not None else axis.bottom
        parts.append(
            f'<rect class="band" x="{coordinate(left)}" y="{coordinate(band_top)}" width="{coordinate(right - left)}" '
            f'height="{coordinate(max(band_bottom - band_top, 0.5))}" fill="{BAND}" fill-opacity="0.1"/>'
        )
        parts.extend(hline("band-edge", left, right, axis.y(bound), BAND, 1, None) for bound in s.bounds())
    if chart.baseline is not None:
        parts.append(hline("baseline", left, right, axis.y(chart.baseline), MUTED, 1.25, "1.5 3"))
    every = chart.lines
    for index, lines in enumerate(every):
        x1, x2 = _segment_span(chart, plot, actual, lines)
        if len(every) > 1 and index > 0:
            parts.extend(_recalculated(chart, plot, actual, lines, x1))
        parts.append(hline("mean", x1, x2, axis.y(lines.mean), SPC_LINE, 1.25, None))
        parts.append(hline("upl", x1, x2, axis.y(lines.upper), SPC_LINE, 1.25, "5 3"))
        parts.append(hline("lpl", x1, x2, axis.y(lines.lower), SPC_LINE, 1.25, "5 3"))
    if chart.target is not None:
        parts.append(hline("target", left, right, axis.y(chart.target), TARGET, 1.75, "7 4"))
    parts.append(hline("axis", left, right, axis.bottom, AXIS, 1, None))
    return parts


def _segment_span(
    chart: MeasureChart, plot: _Plot, actual: Sequence[AxisPeriod], lines: SpcLines
) -> tuple[float, float]:
    """Where a segment's lines run: from half way to the point before it (the plot's left edge for the
    first) to half way to the point after it (the right edge for the process as it runs now)."""
    xs, count = plot.xs, len(chart.points)
    end = lines.end if lines.end is not None else count
    x1 = plot.left if lines.start == 0 else (xs[actual[lines.start - 1].slot] + xs[actual[lines.start].slot]) / 2
    x2 = plot.right if end >= count else (xs[actual[end - 1].slot] + xs[actual[end].slot]) / 2
    return x1, x2


def _recalculated(
    chart: MeasureChart, plot: _Plot, actual: Sequence[AxisPeriod], lines: SpcLines, x: float
) -> list[str]:
    """A dashed divider where the limits were recalculated, and its label at the top of the plot."""
    axis, font = plot.axis, plot.font * 0.85
    words = actual[lines.start].words
    room = plot.right - x - 4
    text = next(
        (
            t
            for t in (f"Limits recalculated from {words}", f"Recalculated {words}", words)
            if text_width(t, font) <= room
        ),
        words,
    )
    # Near the right edge the label sits left of the divider instead.
    anchor, tx = ("start", x + 3) if text_width(text, font) <= room else ("end", x - 3)
    return [
        f'<line class="rebase" x1="{coordinate(x)}" y1="{coordinate(axis.top)}" x2="{coordinate(x)}" '
        f'y2="{coordinate(axis.bottom)}" stroke="{MUTED}" stroke-width="1" stroke-dasharray="2 3">'
        f"<title>{xml_text(f'Limits recalculated from {words}')}</title></line>",
        f'<text class="rebase-label" x="{coordinate(tx)}" y="{coordinate(axis.top + font)}" '
        f'text-anchor="{anchor}" font-size="{coordinate(font)}" fill="{MUTED}">{xml_text(text)}</text>',
    ]


def _series(chart: MeasureChart, plot: _Plot, actual: Sequence[AxisPeriod], slots: Sequence[int]) -> list[str]:
    """The data line, the projection drawn on from the last point, and a marker at each point."""
    axis, xs = plot.axis, plot.xs
    parts: list[str] = []
    coordinates = [(xs[period.slot], axis.y(point.value)) for period, point in zip(actual, chart.points, strict=True)]
    if len(coordinates) > 1:
        path = " ".join(f"{coordinate(px)},{coordinate(py)}" for px, py in coordinates)
        parts.append(
            f'<polyline class="series" points="{path}" fill="none" stroke="{SERIES}" stroke-width="1.75" '
            f'stroke-linejoin="round"/>'
        )
    if chart.projection is not None:
        (lx, ly), px, py = coordinates[-1], xs[slots[-1]], axis.y(chart.projection.value)
        parts.append(
            f'<line class="projection" x1="{coordinate(lx)}" y1="{coordinate(ly)}" x2="{coordinate(px)}" '
            f'y2="{coordinate(py)}" stroke="{PROJECTION}" stroke-width="1.75" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<circle class="projection-end" cx="{coordinate(px)}" cy="{coordinate(py)}" r="4" fill="#FFFFFF" '
            f'stroke="{PROJECTION}" stroke-width="1.5"/>'
        )
    notes = 0
    for (px, py), period, point in zip(coordinates, actual, chart.points, strict=True):
        reading = f" ({SPC_WORDS[point.spc]})" if point.spc != "none" else ""
        mark = " p (provisional)" if point.provisional else ""
        tip = f"{period.words}: {_fmt(chart, point.value)}{mark}{reading}" + (
            f". Note: {point.note}" if point.note else ""
        )
        marker = _marker(point.spc, px, py, tip)
        if point.provisional:
            # hollow: a value that may be revised is drawn as an outline, and marked p
            marker = marker.replace(f'fill="{_COLOUR[point.spc][0]}"', 'fill="#FFFFFF"', 1)
            parts.append(marker)
            parts.append(
                f'<text class="provisional-mark" x="{coordinate(px + 6)}" y="{coordinate(py - 5)}" '
                f'font-size="{coordinate(plot.font * 0.85)}" fill="{INK}">p</text>'
            )
        else:
            parts.append(marker)
        if point.note:
            notes += 1
            parts.append(_note_flag(notes, px, py, plot))
    return parts


def _note_flag(number_: int, x: float, y: float, plot: _Plot) -> str:
    """A note's number in a small box above its point; the note itself is written under the legend."""
    font = plot.font * 0.8
    top = max(plot.axis.top, y - 22)
    return (
        f'<g class="note-flag"><line x1="{coordinate(x)}" y1="{coordinate(top + font * 1.1)}" x2="{coordinate(x)}" '
        f'y2="{coordinate(y - 6)}" stroke="{MUTED}" stroke-width="0.75"/>'
        f'<rect x="{coordinate(x - font * 0.55)}" y="{coordinate(top)}" width="{coordinate(font * 1.1)}" '
        f'height="{coordinate(font * 1.1)}" fill="#FFFFFF" stroke="{MUTED}" stroke-width="0.75"/>'
        f'<text x="{coordinate(x)}" y="{coordinate(top + font * 0.9)}" text-anchor="middle" '
        f'font-size="{coordinate(font)}" fill="{INK}">{number_}</text></g>'
    )


def _footnotes(
    chart: MeasureChart, actual: Sequence[AxisPeriod], plot: _Plot, width: float, height: float
) -> tuple[list[str], float]:
    """Under the legend: each note by its number, and what "p" means where a value is provisional."""
    font = plot.font
    lines: list[str] = []
    numbered = [(period, point.note) for period, point in zip(actual, chart.points, strict=True) if point.note]
    for count, (period, note) in enumerate(numbered, start=1):
        lines += wrap_words(f"{count}: {period.words}: {note}", font, width - plot.left - 6)
    if any(point.provisional for point in chart.points):
        lines.append(PROVISIONAL_NOTE)
    parts = []
    y = height + font * 0.4
    for line in lines:
        y += font * 1.3
        x = coordinate(plot.left)
        parts.append(f'<text class="footnote" x="{x}" y="{coordinate(y)}" fill="{INK}">{xml_text(line)}</text>')
    return parts, (y + 8 if lines else height)


def _points_table(chart: MeasureChart, actual: Sequence[AxisPeriod], legend_items: Sequence[SpcClass]) -> str:
    noted = any(point.note for point in chart.points)
    headings = ["Period", "Value"] + (["SPC reading"] if legend_items else []) + (["Note"] if noted else [])
    rows = [
        [period.words, _fmt(chart, point.value) + (" p (provisional)" if point.provisional else "")]
        + ([SPC_WORDS[point.spc]] if legend_items else [])
        + ([point.note] if noted else [])
        for period, point in zip(actual, chart.points, strict=True)
    ]
    return hidden_table(chart.title, headings, rows)


def _legend_marker(spc: SpcClass, x: float, y: float) -> str:
    marker = _marker(spc, x, y, "")
    return marker.replace('class="pt ', 'class="key ', 1).replace("<title></title>", "")


def _marker(spc: SpcClass, x: float, y: float, label: str) -> str:
    fill, stroke = _COLOUR[spc]
    common = f'class="pt pt-{spc}" fill="{fill}" stroke="{stroke}" stroke-width="1.25"'
    tip = f"<title>{xml_text(label)}</title>"
    shape = _SHAPE[spc]
    if shape == "circle":
        return f'<circle {common} cx="{coordinate(x)}" cy="{coordinate(y)}" r="3.75">{tip}</circle>'
    if shape == "square":
        return f'<rect {common} x="{coordinate(x - 4.5)}" y="{coordinate(y - 4.5)}" width="9" height="9">{tip}</rect>'
    if shape == "diamond":
        points = [(x, y - 6.25), (x + 6.25, y), (x, y + 6.25), (x - 6.25, y)]
    else:  # triangle
        points = [(x, y - 6.5), (x + 6, y + 4.5), (x - 6, y + 4.5)]
    coordinates = " ".join(f"{coordinate(px)},{coordinate(py)}" for px, py in points)
    return f'<polygon {common} points="{coordinates}">{tip}</polygon>'
