"""A BAF risk's score over the last quarters: the score line (broken where a quarter was not scored),
its target score and the risk bands, each named beside the plot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup

from stratctl.reporting.charts.axes import Axis
from stratctl.reporting.charts.layout import Label, label_svg, x_positions, x_ticks
from stratctl.reporting.charts.model import ScoreBand, ScoreHistory
from stratctl.reporting.charts.svg import (
    AXIS,
    GRID,
    INK,
    MUTED,
    PROJECTION,
    SERIES,
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
from stratctl.reporting.charts.timeline import AxisPeriod, axis_periods

__all__ = ["score_axis", "score_history"]

# Units are CSS pixels at the size the chart is drawn for (about 100mm across): 11 is about 8pt.
_S_WIDTH: Final = 340.0
_S_FONT: Final = 11.0
_S_PLOT_HEIGHT: Final = 110.0
_S_TOP: Final = 8.0
_S_GUTTER_MAX: Final = 90.0
_BAND_TINTS: Final = ("#EEF6F1", "#FDF6E3", "#FCE9DA", "#F9DCD9")  # pale, darkening with severity


@dataclass(frozen=True, slots=True)
class _Plot:
    """Where the plot area lies in the svg: its y axis, its left and right edges, and each quarter's x."""

    axis: Axis
    left: float
    right: float
    font: float
    xs: dict[int, float]


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


def _score_desc(chart: ScoreHistory, periods: Sequence[AxisPeriod]) -> str:
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
        return empty_figure("score-history", chart.title, note)

    font = _S_FONT
    periods = axis_periods([p.period for p in chart.points])
    slots = [p.slot for p in periods]
    axis = score_axis(chart)
    bottom = axis.bottom

    pending = _gutter_labels(chart, axis, font)
    gutter_width = max((text_width(line, font) for lab in pending for line in lab.lines), default=0.0)
    left = text_width("25", font) + 10
    right = _S_WIDTH - (gutter_width + 14 if pending else 10)
    plot = _Plot(axis, left, right, font, x_positions(slots, left, right))
    height = bottom + 4 + font * 2.2 + 6

    parts = [svg_open(chart.id_prefix, _S_WIDTH, height, chart.title, _score_desc(chart, periods), font)]
    parts.extend(_bands_and_grid(chart, plot))
    scored = [p for p, point in zip(periods, chart.points, strict=True) if point.score is not None]
    parts.extend(x_ticks(periods, scored[-1], slots, left, right, font, bottom))
    parts.extend(_unscored_notes(chart, plot, periods, slots))
    parts.extend(_score_lines(chart, plot, periods))
    parts.extend(_score_points(chart, plot, periods))
    parts.extend(label_svg(pending, right + 10, font, 2, bottom + font))
    parts.append("</svg>")
    parts.append(_scores_table(chart, periods))
    return Markup(
        f'<figure class="chart score-history"><figcaption>{xml_text(chart.title)}</figcaption>'
        + "".join(parts)
        + "</figure>"
    )


def _gutter_labels(chart: ScoreHistory, axis: Axis, font: float) -> list[Label]:
    """Each band's name, inside its band, and the target score beside its line."""
    pending: list[Label] = []
    for band, low, high in _band_spans(chart):
        lines = tuple(wrap_words(band.name, font, _S_GUTTER_MAX))
        pending.append(Label(axis.y((low + high) / 2), lines, "label label-band", (axis.y(high), axis.y(low))))
    if chart.target is not None:
        pending.append(Label(axis.y(chart.target), (f"Target {chart.target}",), "label label-target"))
    return pending


def _bands_and_grid(chart: ScoreHistory, plot: _Plot) -> list[str]:
    """The bands' tints, the grid and y ticks, the target score's line and the axis."""
    axis, left, right, font = plot.axis, plot.left, plot.right, plot.font
    parts: list[str] = []
    for k, (_band, low, high) in enumerate(_band_spans(chart)):
        tint = _BAND_TINTS[round(k * (len(_BAND_TINTS) - 1) / max(len(chart.bands) - 1, 1))]
        y_top, y_bottom = axis.y(high), axis.y(low)
        parts.append(
            f'<rect class="band band-{k + 1}" x="{coordinate(left)}" y="{coordinate(y_top)}" '
            f'width="{coordinate(right - left)}" height="{coordinate(max(y_bottom - y_top, 0))}" fill="{tint}"/>'
        )
    for tick in axis.ticks:
        y = axis.y(tick)
        parts.append(hline("grid", left, right, y, GRID if not chart.bands else "#FFFFFF", 1, None))
        parts.append(
            f'<text class="tick" x="{coordinate(left - 5)}" y="{coordinate(y + font * 0.35)}" text-anchor="end" '
            f'fill="{INK}">{coordinate(tick)}</text>'
        )
    if chart.target is not None:
        parts.append(hline("target", left, right, axis.y(chart.target), TARGET, 1.5, "6 3"))
    parts.append(hline("axis", left, right, axis.bottom, AXIS, 1, None))
    return parts


def _unscored_notes(chart: ScoreHistory, plot: _Plot, periods: Sequence[AxisPeriod], slots: Sequence[int]) -> list[str]:
    """ "not scored" where a quarter has no score, if there is room for it between the quarters."""
    xs, font, bottom = plot.xs, plot.font, plot.axis.bottom
    room = (xs[slots[-1]] - xs[slots[0]]) / max(slots[-1] - slots[0], 1) if len(slots) > 1 else plot.right - plot.left
    return [
        f'<text class="unscored" x="{coordinate(xs[period.slot])}" y="{coordinate(bottom - 5)}" '
        f'text-anchor="middle" font-size="{coordinate(font * 0.8)}" font-style="italic" '
        f'fill="{MUTED}">not scored</text>'
        for period, point in zip(periods, chart.points, strict=True)
        if point.score is None and text_width("not scored", font * 0.8) <= room - 4
    ]


def _score_lines(chart: ScoreHistory, plot: _Plot, periods: Sequence[AxisPeriod]) -> list[str]:
    """The line joining scored quarters: an unscored quarter breaks it."""
    runs: list[list[tuple[float, float]]] = [[]]
    for period, point in zip(periods, chart.points, strict=True):
        if point.score is None:
            runs.append([])
        else:
            runs[-1].append((plot.xs[period.slot], plot.axis.y(point.score)))
    parts: list[str] = []
    for run in runs:
        if len(run) > 1:
            path = " ".join(f"{coordinate(px)},{coordinate(py)}" for px, py in run)
            parts.append(
                f'<polyline class="series" points="{path}" fill="none" stroke="{SERIES}" '
                f'stroke-width="1.5" stroke-linejoin="round"/>'
            )
    return parts


def _score_points(chart: ScoreHistory, plot: _Plot, periods: Sequence[AxisPeriod]) -> list[str]:
    parts: list[str] = []
    for period, point in zip(periods, chart.points, strict=True):
        if point.score is not None:
            x, y = plot.xs[period.slot], plot.axis.y(point.score)
            parts.append(
                f'<circle class="pt pt-score" cx="{coordinate(x)}" cy="{coordinate(y)}" r="3.5" fill="{PROJECTION}" '
                f'stroke="#FFFFFF" stroke-width="1"><title>{xml_text(period.words)}: score {point.score}'
                f"</title></circle>"
            )
    return parts


def _scores_table(chart: ScoreHistory, periods: Sequence[AxisPeriod]) -> str:
    headings = ["Quarter", "Score"] + (["Band"] if chart.bands else [])
    rows = [
        [period.words, str(p.score) if p.score is not None else "not scored"]
        + ([(_band_of(chart, p.score) or "") if p.score is not None else ""] if chart.bands else [])
        for period, p in zip(periods, chart.points, strict=True)
    ]
    return hidden_table(chart.title, headings, rows)
