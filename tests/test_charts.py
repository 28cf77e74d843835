"""The inline SVG charts: well-formed, accessible, escaped, deterministic, and drawn where the axis says."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratctl.reporting.charts.css import CHART_CSS
from stratctl.reporting.charts.icons import assurance_icon, variation_icon
from stratctl.reporting.charts.measure import measure_axis, measure_chart
from stratctl.reporting.charts.model import (
    MeasureChart,
    Point,
    Projection,
    ScoreBand,
    ScoreHistory,
    ScorePoint,
    SpcLines,
    Standard,
)
from stratctl.reporting.charts.score import score_axis, score_history
from stratctl.reporting.charts.words import ASSURANCE_WORDS, SPC_WORDS, VARIATION_WORDS, SpcClass
from tests.conftest import PROJECT

HOSTILE = "<script>alert(1)</script> & \"x\" 'y' ]]>"
QUARTERS = ("2021/22 Q1", "2021/22 Q2", "2021/22 Q3", "2021/22 Q4")
BANDS = (ScoreBand("Low", 1, 3), ScoreBand("Moderate", 4, 6), ScoreBand("High", 8, 12), ScoreBand("Extreme", 15, 25))


def parse(fragment: str) -> ET.Element:
    """The fragment as XML (it must be well-formed), inside a root element."""
    return ET.fromstring(f"<root>{fragment}</root>")


def local(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2]


def svg_of(root: ET.Element) -> ET.Element:
    (svg,) = [e for e in root.iter() if local(e) == "svg"]
    return svg


def child(element: ET.Element, name: str) -> ET.Element:
    (found,) = [e for e in element if local(e) == name]
    return found


def with_class(root: ET.Element, css: str) -> list[ET.Element]:
    return [e for e in root.iter() if css in e.get("class", "").split()]


def text(element: ET.Element) -> str:
    return "".join(element.itertext())


def centre(marker: ET.Element) -> tuple[float, float]:
    """Where a point marker is drawn, whatever its shape."""
    shape = local(marker)
    if shape == "circle":
        return float(marker.get("cx", "nan")), float(marker.get("cy", "nan"))
    if shape == "rect":
        return (
            float(marker.get("x", "nan")) + float(marker.get("width", "nan")) / 2,
            float(marker.get("y", "nan")) + float(marker.get("height", "nan")) / 2,
        )
    xs, ys = zip(*vertices(marker), strict=True)
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def vertices(marker: ET.Element) -> list[tuple[float, float]]:
    """The corners of a marker's bounding shape."""
    shape = local(marker)
    if shape == "polygon":
        pairs = marker.get("points", "").split()
        return [(float(x), float(y)) for x, y in (pair.split(",") for pair in pairs)]
    if shape == "circle":
        x, y, r = (float(marker.get(a, "nan")) for a in ("cx", "cy", "r"))
        return [(x - r, y - r), (x + r, y + r)]
    x, y, w, h = (float(marker.get(a, "nan")) for a in ("x", "y", "width", "height"))
    return [(x, y), (x + w, y + h)]


def shape_of(marker: ET.Element) -> tuple[str, int]:
    return local(marker), len(marker.get("points", "").split())


def table_rows(root: ET.Element) -> list[list[str]]:
    (table,) = with_class(root, "visually-hidden")
    body = next(e for e in table if local(e) == "tbody")
    return [[text(cell) for cell in row] for row in body]


def sickness() -> MeasureChart:
    months = ("2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06")
    values = (12.0, 11.5, 12.5, 9.0, 8.5, 8.0)
    spc: tuple[SpcClass, ...] = ("common", "common", "concern", "improvement", "improvement", "neutral")
    return MeasureChart(
        "m1",
        "Staff sickness absence",
        tuple(Point(m, v, s) for m, v, s in zip(months, values, spc, strict=True)),
        unit="%",
        target=5,
        spc=SpcLines(10.25, 13.5, 7),
        variation="improvement_low",
        assurance="fail",
    )


def quarterly(values: tuple[float, ...], **options: Any) -> MeasureChart:
    points = tuple(Point(q, v) for q, v in zip(QUARTERS, values, strict=False))
    return MeasureChart("q", "A measure", points, **options)


# ------------------------------------------------------------------------------------------ structure


def test_a_measure_chart_is_a_figure_with_an_svg_titled_and_described() -> None:
    root = parse(measure_chart(sickness()))
    (figure,) = list(root)
    assert local(figure) == "figure"
    assert text(child(figure, "figcaption")) == "Staff sickness absence"
    svg = svg_of(root)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "m1-title m1-desc"
    assert child(svg, "title").get("id") == "m1-title"
    assert text(child(svg, "title")) == "Staff sickness absence"
    desc = child(svg, "desc")
    assert desc.get("id") == "m1-desc"
    words = text(desc)
    assert "Latest value: 8% in Jun 2022." in words
    assert "Target: 5%." in words
    assert VARIATION_WORDS["improvement_low"] in words
    assert ASSURANCE_WORDS["fail"] in words
    # The hidden table comes after the svg, inside the figure.
    order = [local(e) for e in figure]
    assert order.index("table") > order.index("svg")


def test_the_hidden_table_has_a_row_per_point_with_its_spc_reading_in_words() -> None:
    root = parse(measure_chart(sickness()))
    (table,) = with_class(root, "visually-hidden")
    assert text(child(table, "caption")) == "Staff sickness absence: the data"
    headings = [th for th in table.iter("th") if th.get("scope") == "col"]
    assert [text(th) for th in headings] == ["Period", "Value", "SPC reading"]
    assert table_rows(root) == [
        ["Jan 2022", "12%", "common cause"],
        ["Feb 2022", "11.5%", "common cause"],
        ["Mar 2022", "12.5%", "special cause: concern"],
        ["Apr 2022", "9%", "special cause: improvement"],
        ["May 2022", "8.5%", "special cause: improvement"],
        ["Jun 2022", "8%", "special cause: neither improvement nor concern"],
    ]
    assert all(
        (header := row.find("th")) is not None and header.get("scope") == "row"
        for row in table.iter("tr")
        if row.find("td") is not None
    )


def test_a_chart_without_spc_has_no_spc_column_and_no_legend() -> None:
    root = parse(measure_chart(quarterly((1, 2, 3))))
    assert table_rows(root) == [["2021/22 Q1", "1"], ["2021/22 Q2", "2"], ["2021/22 Q3", "3"]]
    assert not with_class(root, "legend")


def test_special_cause_points_carry_their_colour_class_and_a_shape_of_their_own() -> None:
    root = parse(measure_chart(sickness()))
    markers = with_class(root, "pt")
    classes = [next(c for c in m.get("class", "").split() if c.startswith("pt-")) for m in markers]
    assert classes == ["pt-common", "pt-common", "pt-concern", "pt-improvement", "pt-improvement", "pt-neutral"]
    shapes = {css: shape_of(m) for css, m in zip(classes, markers, strict=True)}
    assert len(set(shapes.values())) == 4, shapes  # common, concern, improvement and neutral all differ
    colours = {css: m.get("fill") for css, m in zip(classes, markers, strict=True)}
    assert colours == {
        "pt-common": "#7B7D7D",
        "pt-concern": "#FAB428",
        "pt-improvement": "#289DE0",
        "pt-neutral": "#361475",
    }
    # The legend names each class present, in words, beside a marker of the same shape.
    legend = [text(e) for e in with_class(root, "legend")]
    assert legend == [
        "Special cause: improvement",
        "Special cause: concern",
        "Special cause: neither improvement nor concern",
        "Common cause",
    ]
    keys = {
        next(c for c in k.get("class", "").split() if c.startswith("pt-")): shape_of(k) for k in with_class(root, "key")
    }
    assert keys == shapes


def test_the_target_line_is_drawn_where_the_axis_puts_the_target() -> None:
    chart = sickness()
    axis = measure_axis(chart)
    (line,) = with_class(parse(measure_chart(chart)), "target")
    assert float(line.get("y1", "nan")) == pytest.approx(axis.y(5), abs=0.01)
    assert line.get("y1") == line.get("y2")
    assert line.get("stroke-dasharray")
    (label,) = with_class(parse(measure_chart(chart)), "label-target")
    assert text(label) == "Target 5%"


def test_a_higher_value_is_drawn_higher() -> None:
    root = parse(measure_chart(quarterly((3, 9, 1, 5))))
    heights = [centre(m)[1] for m in with_class(root, "pt")]
    assert sorted(range(4), key=lambda i: heights[i]) == [1, 3, 0, 2]  # smallest y first: 9, 5, 3, 1
    xs = [centre(m)[0] for m in with_class(root, "pt")]
    assert xs == sorted(xs) and len(set(xs)) == 4


def test_points_sit_at_their_time_so_a_missing_month_leaves_a_gap() -> None:
    points = (Point("2022-01", 1), Point("2022-02", 2), Point("2022-05", 3))
    xs = [centre(m)[0] for m in with_class(parse(measure_chart(MeasureChart("g", "Gap", points))), "pt")]
    assert xs[2] - xs[1] == pytest.approx(3 * (xs[1] - xs[0]), abs=0.02)


@pytest.mark.parametrize(
    "options, inside",
    [
        ({"target": 95}, (95,)),
        ({"target": -40}, (-40,)),
        ({"standard": Standard.at_least(92)}, (92,)),
        ({"standard": Standard.between(-5, 70)}, (-5, 70)),
        ({"spc": SpcLines(12, 30, -6)}, (30, -6)),
        ({"baseline": 0.5}, (0.5,)),
        ({"projection": Projection("2021/22 Q4", 66)}, (66,)),
    ],
)
def test_the_axis_spans_every_line_even_outside_the_data(options: dict[str, object], inside: tuple[float]) -> None:
    chart = quarterly((10, 12, 11), **options)
    axis = measure_axis(chart)
    assert axis.lo <= min(10, *inside) and max(12, *inside) <= axis.hi
    root = parse(measure_chart(chart))
    tops = [
        float(e.get("y1", e.get("y", "nan")))
        for e in root.iter()
        if local(e) in {"line", "rect"}
        and set(e.get("class", "").split()) & {"target", "band", "upl", "lpl", "mean", "baseline"}
    ]
    assert all(axis.top - 0.01 <= y <= axis.bottom + 0.01 for y in tops)


def test_the_standard_is_shaded_on_its_passing_side() -> None:
    def band(standard: Standard) -> tuple[float, float, MeasureChart]:
        chart = quarterly((40, 50, 60), unit="%", standard=standard)
        (rect,) = with_class(parse(measure_chart(chart)), "band")
        top = float(rect.get("y", "nan"))
        return top, top + float(rect.get("height", "nan")), chart

    top, bottom, chart = band(Standard.at_least(55))
    axis = measure_axis(chart)
    assert (top, bottom) == pytest.approx((axis.top, axis.y(55)), abs=0.01)
    top, bottom, chart = band(Standard.at_most(45))
    axis = measure_axis(chart)
    assert (top, bottom) == pytest.approx((axis.y(45), axis.bottom), abs=0.01)
    top, bottom, chart = band(Standard.between(45, 55))
    axis = measure_axis(chart)
    assert (top, bottom) == pytest.approx((axis.y(55), axis.y(45)), abs=0.01)
    (label,) = with_class(parse(measure_chart(chart)), "label-standard")
    assert text(label) == "Standard: between 45% and 55%"
    assert "Standard: between 45% and 55%." in text(child(svg_of(parse(measure_chart(chart))), "desc"))


@pytest.mark.parametrize("standard", [Standard.at_least(95), Standard.at_most(-5)])
def test_a_standard_beyond_the_data_still_shows_its_band(standard: Standard) -> None:
    chart = quarterly((70, 80, 90), standard=standard)
    (rect,) = with_class(parse(measure_chart(chart)), "band")
    assert float(rect.get("height", "0")) > 10


def test_month_ticks_fall_at_steps_that_divide_the_year() -> None:
    months = tuple(Point(f"{2018 + m // 12}-{m % 12 + 1:02d}", m % 7) for m in range(60))
    root = parse(measure_chart(MeasureChart("t", "Sixty months", months)))
    names = [
        text(e)
        for e in with_class(root, "tick")
        if e.get("text-anchor") == "middle" and "tick-year" not in e.get("class", "")
    ]
    assert names[-1] == "Dec" and len(names) >= 4
    index = [
        (["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]).index(n) for n in names
    ]
    steps = {(b - a) % 12 or 12 for a, b in itertools.pairwise(index)}
    assert len(steps) == 1 and 12 % steps.pop() == 0, names


def test_spc_lines_projection_and_baseline_are_labelled_in_words() -> None:
    chart = quarterly(
        (9.5, 10, 10.75), unit="%", baseline=9, spc=SpcLines(10, 12.5, 7.5), projection=Projection("2021/22 Q4", 11.2)
    )
    root = parse(measure_chart(chart))
    labels = {e.get("class", "").split()[1]: text(e) for e in with_class(root, "label")}
    assert labels == {
        "label-upl": "Upper process limit 12.5%",
        "label-mean": "Mean 10%",
        "label-lpl": "Lower process limit 7.5%",
        "label-baseline": "Baseline 9%",
        "label-projection": "Projected 11.2% at 2021/22 Q4",
    }
    (mean,) = with_class(root, "mean")
    assert mean.get("stroke-dasharray") is None  # the mean is solid, the limits dashed
    assert all(e.get("stroke-dasharray") for e in with_class(root, "upl") + with_class(root, "lpl"))
    (projection,) = with_class(root, "projection")
    last = centre(with_class(root, "pt")[-1])
    assert (float(projection.get("x1", "nan")), float(projection.get("y1", "nan"))) == pytest.approx(last, abs=0.01)
    assert float(projection.get("y2", "nan")) == pytest.approx(measure_axis(chart).y(11.2), abs=0.01)
    assert float(projection.get("x2", "nan")) > last[0]
    assert "Projected: 11.2% at 2021/22 Q4." in text(child(svg_of(root), "desc"))


def test_units_sit_against_a_percent_sign_and_after_a_space_otherwise() -> None:
    assert table_rows(parse(measure_chart(quarterly((4.25,), unit="%"))))[0][1] == "4.3%"
    # The space is a no-break space: a label wrapped in the gutter keeps a number with its unit.
    assert table_rows(parse(measure_chart(quarterly((18,), unit="weeks"))))[0][1] == "18\u00a0weeks"
    root = parse(measure_chart(quarterly((18, 21), unit="weeks", target=18)))
    assert text(with_class(root, "label-target")[0]) == "Target 18\u00a0weeks"
    assert [text(e) for e in with_class(root, "unit")] == ["weeks"]


def test_a_long_label_wraps_between_words_and_never_inside_a_number_and_its_unit() -> None:
    chart = quarterly((11, 12), unit="weeks", standard=Standard.between(10, 13), compact=True)
    (label,) = with_class(parse(measure_chart(chart)), "label-standard")
    lines = [text(span) for span in label]
    assert len(lines) > 1
    assert "".join(lines) == "Standard: between 10 and 13\u00a0weeks"
    assert any(line.strip().endswith("13\u00a0weeks") for line in lines), lines


def test_a_free_text_period_is_shortened_under_its_tick_and_whole_in_the_table() -> None:
    label = "Winter pressures period (extended)"
    root = parse(measure_chart(MeasureChart("f", "Free", (Point(label, 1), Point("after", 2)))))
    ticks = [text(e) for e in with_class(root, "tick") if e.get("text-anchor") == "middle"]
    assert ticks == ["Winter pres\u2026", "after"]
    assert [row[0] for row in table_rows(root)] == [label, "after"]


def test_a_compact_chart_is_narrower_with_text_the_same_size() -> None:
    wide = svg_of(parse(measure_chart(quarterly((1, 2, 3), target=2))))
    compact = svg_of(parse(measure_chart(quarterly((1, 2, 3), target=2, compact=True))))
    assert float(compact.get("viewBox", "").split()[2]) < float(wide.get("viewBox", "").split()[2])
    assert compact.get("font-size") == wide.get("font-size")


def test_each_year_is_named_once_under_the_ticks_even_when_crowded() -> None:
    points = tuple(Point(q, v) for q, v in zip(("2020/21 Q4", *QUARTERS[:3]), (1, 2, 3, 4), strict=True))
    for compact in (False, True):
        root = parse(measure_chart(MeasureChart("y", "Years", points, compact=compact)))
        assert [text(e) for e in with_class(root, "tick-year")] == ["2020/21", "2021/22"]
        assert [
            text(e)
            for e in with_class(root, "tick")
            if "tick-year" not in e.get("class", "") and e.get("text-anchor") == "middle"
        ] == ["Q4", "Q1", "Q2", "Q3"]
    months = (*(Point(f"2022-{m:02d}", m) for m in range(1, 13)), Point("2023-01", 1))
    root = parse(measure_chart(MeasureChart("m", "Months", months)))
    assert [text(e) for e in with_class(root, "tick-year")] == ["2022", "2023"]
    assert [row[0] for row in table_rows(root)][:2] == ["Jan 2022", "Feb 2022"]


def test_numbers_have_a_fixed_number_of_decimals_without_needless_zeros() -> None:
    rows = table_rows(parse(measure_chart(quarterly((1.0, 2.50, 3.14159, -0.004), decimals=2))))
    assert [row[1] for row in rows] == ["1", "2.5", "3.14", "0"]
    rows = table_rows(parse(measure_chart(quarterly((1234567.891, 1e12), decimals=0))))
    assert [row[1] for row in rows] == ["1,234,568", "1,000,000,000,000"]


def test_a_level_measure_ticks_integers_and_prints_no_decimals() -> None:
    chart = quarterly((1, 2, 2, 3), level=True, target=4)
    root = parse(measure_chart(chart))
    ticks = [text(e) for e in with_class(root, "tick") if e.get("text-anchor") == "end"]
    assert ticks and all(re.fullmatch(r"-?\d+", t) for t in ticks), ticks
    assert all(t == int(t) for t in measure_axis(chart).ticks)
    assert [row[1] for row in table_rows(root)] == ["1", "2", "2", "3"]
    assert text(with_class(root, "label-target")[0]) == "Target 4"
    # Even a narrow range keeps whole-number ticks.
    narrow = measure_axis(quarterly((2, 2), level=True))
    assert all(t == int(t) for t in narrow.ticks) and len(narrow.ticks) >= 2


def test_user_text_is_escaped_everywhere() -> None:
    chart = MeasureChart(
        "h",
        HOSTILE,
        (Point(HOSTILE, 1, "improvement"), Point("2021/22 Q2", 2)),
        unit=HOSTILE,
        projection=Projection(HOSTILE, 3),
    )
    html = str(measure_chart(chart))
    assert "<script>" not in html and '"x"' not in html and "]]>" not in html
    root = parse(html)  # still well-formed
    assert text(child(svg_of(root), "title")) == HOSTILE
    assert text(child(root[0], "figcaption")) == HOSTILE
    assert table_rows(root)[0][0] == HOSTILE
    history = str(
        score_history(ScoreHistory("s", HOSTILE, (ScorePoint(HOSTILE, 4),), bands=(ScoreBand(HOSTILE, 1, 25),)))
    )
    assert "<script>" not in history and "]]>" not in history
    assert text(child(svg_of(parse(history)), "title")) == HOSTILE


def test_characters_xml_cannot_hold_do_not_break_the_svg() -> None:
    chart = MeasureChart("c", "bell\x07 and nul\x00", (Point("x\x1b", 1),))
    root = parse(measure_chart(chart))
    assert text(child(svg_of(root), "title")) == "bell\ufffd and nul\ufffd"


def test_every_id_comes_from_the_prefix() -> None:
    fragments = [
        measure_chart(sickness()),
        variation_icon("common_cause", id_prefix="m1-v"),
        assurance_icon("pass", id_prefix="m1-a"),
    ]
    ids = [e.get("id") for f in fragments for e in parse(f).iter() if e.get("id")]
    assert ids == ["m1-title", "m1-desc", "m1-v-title", "m1-a-title"]
    with pytest.raises(ValueError, match="id prefix"):
        MeasureChart("has space", "t", ())
    with pytest.raises(ValueError, match="id prefix"):
        variation_icon("common_cause", id_prefix='x" onload="')


def test_the_same_chart_gives_the_same_bytes() -> None:
    assert measure_chart(sickness()) == measure_chart(sickness())
    history = ScoreHistory(
        "r", "Risk", tuple(ScorePoint(q, s) for q, s in zip(QUARTERS, (9, None, 12, 8), strict=True)), 6, BANDS
    )
    assert score_history(history) == score_history(history)


@pytest.mark.slow
def test_the_bytes_do_not_depend_on_hash_order() -> None:
    script = (
        "import hashlib, sys; sys.path.insert(0, 'tests'); from tests.test_charts import sickness; "
        "from stratctl.reporting.charts.measure import measure_chart; "
        "print(hashlib.sha256(str(measure_chart(sickness())).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1, digests


def test_the_same_input_in_a_new_object_gives_the_same_bytes_and_a_change_does_not() -> None:
    first = measure_chart(quarterly((1, 2, 3), target=2))
    assert first == measure_chart(quarterly((1, 2, 3), target=2))
    assert first != measure_chart(quarterly((1, 2, 3), target=2.5))


# ------------------------------------------------------------------------------------------ edge cases


def test_no_points_gives_a_short_no_data_figure() -> None:
    root = parse(measure_chart(MeasureChart("e", "Empty", (), unit="%", target=5)))
    (figure,) = list(root)
    assert local(figure) == "figure"
    assert not [e for e in root.iter() if local(e) == "svg"]
    assert "No data yet." in text(figure) and "Target: 5%." in text(figure)
    with pytest.raises(ValueError):
        measure_axis(MeasureChart("e", "Empty", ()))


def test_one_point_is_centred_and_described() -> None:
    root = parse(measure_chart(quarterly((42,), unit="%", target=50)))
    (marker,) = with_class(root, "pt")
    svg = svg_of(root)
    assert not with_class(root, "series")  # no line from one point
    assert "1 point in 2021/22 Q1." in text(child(svg, "desc"))
    x = centre(marker)[0]
    axis_line = with_class(root, "axis")[0]
    assert x == pytest.approx((float(axis_line.get("x1", "nan")) + float(axis_line.get("x2", "nan"))) / 2, abs=0.01)


@pytest.mark.parametrize("values", [(7, 7, 7), (0, 0), (-3, -3), (-12.5, -3, -40), (2e12, 3e12), (1e-7, 2e-7)])
def test_awkward_series_still_draw_inside_a_sensible_axis(values: tuple[float, ...]) -> None:
    chart = quarterly(values)
    axis = measure_axis(chart)
    assert axis.lo < axis.hi
    assert axis.lo <= min(values) and max(values) <= axis.hi
    assert list(axis.ticks) == sorted(set(axis.ticks)) and len(axis.ticks) >= 2
    root = parse(measure_chart(chart))
    ys = [centre(m)[1] for m in with_class(root, "pt")]
    assert all(axis.top <= y <= axis.bottom for y in ys)
    labels = [text(e) for e in with_class(root, "tick") if e.get("text-anchor") == "end"]
    assert len(labels) == len(set(labels)), labels  # ticks distinct when written


def test_very_large_ticks_are_written_compactly() -> None:
    root = parse(measure_chart(quarterly((2e9, 3.5e9, 5e9))))
    labels = [text(e) for e in with_class(root, "tick") if e.get("text-anchor") == "end"]
    assert all(re.fullmatch(r"0|-?\d+(\.\d+)?bn", t) for t in labels), labels


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="target or a standard"):
        quarterly((1,), target=1, standard=Standard.at_least(1))
    with pytest.raises(ValueError, match="finite"):
        Point("2021/22 Q1", float("nan"))
    with pytest.raises(ValueError, match="variation"):
        quarterly((1,), variation="better")
    with pytest.raises(ValueError, match="low <= high"):
        Standard.between(5, 1)
    with pytest.raises(ValueError, match="1 to 25"):
        ScorePoint("2021/22 Q1", 26)


# ------------------------------------------------------------------------------------------ score history


def history() -> ScoreHistory:
    scores = (16, None, 12, 9)
    return ScoreHistory(
        "r1",
        "BAF1 Workforce",
        tuple(ScorePoint(q, s) for q, s in zip(QUARTERS, scores, strict=True)),
        target=6,
        bands=BANDS,
    )


def test_a_score_history_is_titled_described_and_tabled() -> None:
    root = parse(score_history(history()))
    svg = svg_of(root)
    assert svg.get("aria-labelledby") == "r1-title r1-desc"
    desc = text(child(svg, "desc"))
    assert "Latest score: 9 in 2021/22 Q4 (High)." in desc
    assert "down from 12 in 2021/22 Q3" in desc
    assert "Target score: 6." in desc
    assert "1 quarter not scored." in desc
    assert table_rows(root) == [
        ["2021/22 Q1", "16", "Extreme"],
        ["2021/22 Q2", "not scored", ""],
        ["2021/22 Q3", "12", "High"],
        ["2021/22 Q4", "9", "High"],
    ]
    assert len(with_class(root, "pt")) == 3
    assert len(with_class(root, "series")) == 1  # the unscored quarter breaks the line: Q3 to Q4 only
    assert [text(e) for e in with_class(root, "unscored")] == ["not scored"]


def test_a_score_history_draws_its_target_and_scores_on_the_fixed_axis() -> None:
    chart = history()
    axis = score_axis(chart)
    root = parse(score_history(chart))
    (target,) = with_class(root, "target")
    assert float(target.get("y1", "nan")) == pytest.approx(axis.y(6), abs=0.01)
    ys = [centre(m)[1] for m in with_class(root, "pt")]
    assert ys == pytest.approx([axis.y(16), axis.y(12), axis.y(9)], abs=0.01)
    assert (axis.lo, axis.hi) == (0, 25)
    assert len(with_class(root, "band")) == 4
    labels = [text(e) for e in with_class(root, "label-band")]
    assert "Extreme" in labels and "High" in labels  # the tall bands are always named
    assert [text(e) for e in with_class(root, "label-target")] == ["Target 6"]


def test_a_score_history_with_no_scores_says_so() -> None:
    empty = ScoreHistory("r2", "BAF2", (ScorePoint("2021/22 Q1", None),), target=4)
    root = parse(score_history(empty))
    assert not [e for e in root.iter() if local(e) == "svg"]
    assert "No data yet." in text(root) and "Target score: 4." in text(root)
    assert "No data yet." in text(parse(score_history(ScoreHistory("r3", "BAF3", ()))))


# ------------------------------------------------------------------------------------------ icons


@pytest.mark.parametrize("key", sorted(VARIATION_WORDS))
def test_every_variation_icon_is_an_image_titled_with_its_words(key: str) -> None:
    svg = svg_of(parse(variation_icon(key, id_prefix="v")))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "v-title"
    assert text(child(svg, "title")) == VARIATION_WORDS[key]
    letters = [text(e) for e in svg.iter() if local(e) == "text"]
    assert letters == ([] if key == "common_cause" else ["H" if key.endswith("high") else "L"])


def test_variation_icons_draw_their_direction_and_colour() -> None:
    def dots(key: str) -> list[tuple[float, str]]:
        svg = svg_of(parse(variation_icon(key, id_prefix="v")))
        return [(float(c.get("cy", "nan")), c.get("fill", "")) for c in svg.iter() if local(c) == "circle"][1:]

    flat = dots("common_cause")
    assert len({y for y, _ in flat}) == 1 and {f for _, f in flat} == {"#7B7D7D"}
    rising = dots("improvement_high")
    assert rising[-1][0] < rising[0][0] and rising[-1][1] == "#289DE0"  # up the page is a smaller y
    falling = dots("concern_low")
    assert falling[-1][0] > falling[0][0] and falling[-1][1] == "#FAB428"
    assert dots("neutral_high")[-1][1] == "#361475"


@pytest.mark.parametrize("key", sorted(ASSURANCE_WORDS))
def test_every_assurance_icon_is_an_image_titled_with_its_words(key: str) -> None:
    svg = svg_of(parse(assurance_icon(key, id_prefix="a")))
    assert svg.get("role") == "img"
    assert text(child(svg, "title")) == ASSURANCE_WORDS[key]
    ring = next(e for e in svg if local(e) == "circle")
    assert ring.get("stroke") == {"pass": "#289DE0", "fail": "#FAB428", "hit_and_miss": "#7B7D7D"}[key]


def test_the_icon_words_are_the_ones_asked_for() -> None:
    assert VARIATION_WORDS["improvement_high"] == "Special cause variation: improvement (high)"
    assert VARIATION_WORDS["common_cause"] == "Common cause variation: no significant change"
    assert ASSURANCE_WORDS["pass"] == "Assurance: the process will consistently pass the target"
    assert ASSURANCE_WORDS["hit_and_miss"] == "Assurance: hit and miss: the target lies within the process limits"
    assert set(SPC_WORDS) == {"common", "improvement", "concern", "neutral", "none"}


def test_no_assurance_is_no_icon_and_an_unknown_key_is_refused() -> None:
    assert assurance_icon(None, id_prefix="a") == ""
    with pytest.raises(ValueError):
        assurance_icon("maybe", id_prefix="a")
    with pytest.raises(ValueError):
        variation_icon("better", id_prefix="v")


def test_the_css_hides_the_tables_visually_and_sizes_the_svg() -> None:
    assert ".visually-hidden {" in CHART_CSS and "clip" in CHART_CSS
    assert ".chart .chart-svg {" in CHART_CSS and "width: 100%" in CHART_CSS
    assert "{{" not in CHART_CSS and "{%" not in CHART_CSS


# ------------------------------------------------------------------------------------------ property

labels = st.one_of(
    st.integers(2000, 2030).flatmap(lambda y: st.just([f"{y + m // 12}-{m % 12 + 1:02d}" for m in range(40)])),
    st.just([f"{2000 + q // 4}/{(2001 + q // 4) % 100:02d} Q{q % 4 + 1}" for q in range(40)]),
    st.just([f"P{i}" for i in range(40)]),
)
values = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(
    labels=labels,
    series=st.lists(
        st.tuples(values, st.sampled_from(["common", "improvement", "concern", "neutral", "none"])),
        min_size=1,
        max_size=30,
    ),
    target=st.none() | values,
    spc=st.none() | st.lists(values, min_size=3, max_size=3).map(sorted),
    level=st.booleans(),
    unit=st.sampled_from(["", "%", "weeks", HOSTILE]),
)
def test_any_series_draws_every_point_inside_the_view(
    labels: list[str],
    series: list[tuple[float, SpcClass]],
    target: float | None,
    spc: list[float] | None,
    level: bool,
    unit: str,
) -> None:
    points = tuple(Point(label, value, spc_class) for label, (value, spc_class) in zip(labels, series, strict=False))
    lines = SpcLines(spc[1], spc[2], spc[0]) if spc else None
    chart = MeasureChart("p", "Property", points, unit=unit, target=target, spc=lines, level=level)
    root = parse(measure_chart(chart))
    svg = svg_of(root)
    _, _, width, height = (float(v) for v in svg.get("viewBox", "").split())
    markers = with_class(root, "pt")
    assert len(markers) == len(points)
    for marker in markers:
        for x, y in vertices(marker):
            assert 0 <= x <= width and 0 <= y <= height, (x, y, width, height)
    for element in svg.iter():
        if local(element) == "text":
            assert 0 <= float(element.get("y", "0")) <= height
    assert len(table_rows(root)) == len(points)


@settings(max_examples=100, deadline=None)
@given(
    scores=st.lists(st.none() | st.integers(1, 25), min_size=1, max_size=12),
    target=st.none() | st.integers(1, 25),
    bands=st.booleans(),
)
def test_any_score_history_draws_every_score_inside_the_view(
    scores: list[int | None], target: int | None, bands: bool
) -> None:
    quarters = [f"{2015 + q // 4}/{(2016 + q // 4) % 100:02d} Q{q % 4 + 1}" for q in range(len(scores))]
    chart = ScoreHistory(
        "p",
        "Property",
        tuple(ScorePoint(q, s) for q, s in zip(quarters, scores, strict=True)),
        target,
        BANDS if bands else (),
    )
    root = parse(score_history(chart))
    if all(s is None for s in scores):
        assert "No data yet." in text(root)
        return
    svg = svg_of(root)
    _, _, width, height = (float(v) for v in svg.get("viewBox", "").split())
    markers = with_class(root, "pt")
    assert len(markers) == sum(s is not None for s in scores)
    assert all(0 <= x <= width and 0 <= y <= height for m in markers for x, y in vertices(m))
    assert len(table_rows(root)) == len(scores)


@pytest.mark.parametrize("values", [(5e-324,), (5e-324, 1e-323), (-5e-324,)])
def test_values_too_small_to_pad_still_get_an_axis(values: tuple[float, ...]) -> None:
    """A tenth of 5e-324 is 0 in floats, so the single-value padding added nothing and the step was log10(0)."""
    points = tuple(Point(f"2021/22 Q{i + 1}", v) for i, v in enumerate(values))
    root = parse(measure_chart(MeasureChart("p", "Tiny", points)))
    assert len(with_class(root, "pt")) == len(values)


# --- the third round: recalculated limits, trial limits, provisional values, notes, durations ----


def _months(count: int, first: int = 0) -> list[str]:
    return [f"{2024 + (3 + i + first) // 12}-{(3 + i + first) % 12 + 1:02d}" for i in range(count)]


def rebased() -> MeasureChart:
    values = [9.0, 11.0] * 7 + [10.0] + [19.0, 21.0] * 7 + [20.0]
    return MeasureChart(
        id_prefix="rb",
        title="Handover time",
        points=tuple(
            Point(period, v, "common", provisional=i == 29, note="New triage model" if i == 15 else "")
            for i, (period, v) in enumerate(zip(_months(30), values, strict=True))
        ),
        segments=(SpcLines(10, 15.13, 4.87, start=0, end=15), SpcLines(20, 25.13, 14.87, start=15, trial=False)),
        decimals=0,
    )


def test_a_rebased_chart_draws_each_segments_limits_over_its_own_points_and_labels_the_change() -> None:
    root = parse(measure_chart(rebased()))
    svg = svg_of(root)
    means = with_class(svg, "mean")
    assert len(means) == 2 and len(with_class(svg, "upl")) == 2 and len(with_class(svg, "lpl")) == 2
    xs = [(float(m.get("x1", 0)), float(m.get("x2", 0))) for m in means]
    markers = [centre(m) for m in with_class(svg, "pt")]
    # The first segment's lines stop between its last point (index 14) and the next; the second's start there.
    assert xs[0][1] == pytest.approx(xs[1][0])
    assert markers[14][0] < xs[0][1] < markers[15][0]
    (divider,) = with_class(svg, "rebase")
    assert float(divider.get("x1", 0)) == pytest.approx(xs[1][0])
    (label,) = with_class(svg, "rebase-label")
    assert text(label) in ("Limits recalculated from Jul 2025", "Recalculated Jul 2025", "Jul 2025")
    desc = text(child(svg, "desc"))
    assert "Limits recalculated from Jul 2025." in desc
    assert "From Apr 2024 to Jun 2025: mean 10; process limits 5 to 15." in desc
    # The gutter names the lines of the process as it runs now.
    assert [text(e) for e in with_class(svg, "label-mean")] == ["Mean 20"]


def test_a_provisional_point_is_hollow_marked_p_and_explained_under_the_chart_and_in_its_table() -> None:
    root = parse(measure_chart(rebased()))
    svg = svg_of(root)
    last = with_class(svg, "pt")[-1]
    assert last.get("fill") == "#FFFFFF"
    assert [text(e) for e in with_class(svg, "provisional-mark")] == ["p"]
    assert "p: provisional, may be revised" in [text(e) for e in with_class(svg, "footnote")]
    assert table_rows(root)[-1][1] == "20 p (provisional)"
    assert "Provisional, may be revised: Sep 2026." in text(child(svg, "desc"))


def test_a_note_is_numbered_on_the_chart_and_written_under_it_and_in_the_table() -> None:
    root = parse(measure_chart(rebased()))
    svg = svg_of(root)
    (flag,) = with_class(svg, "note-flag")
    assert "".join(flag.itertext()) == "1"
    assert "1: Jul 2025: New triage model" in [text(e) for e in with_class(svg, "footnote")]
    rows = table_rows(root)
    assert rows[15][-1] == "New triage model" and rows[0][-1] == ""


def test_trial_limits_are_named_as_trial_beside_the_lines() -> None:
    chart = MeasureChart(
        id_prefix="tr",
        title="T",
        points=tuple(Point(p, v, "common") for p, v in zip(_months(12), [9.0, 11.0] * 6, strict=True)),
        spc=SpcLines(10, 15.32, 4.68, trial=True),
    )
    svg = svg_of(parse(measure_chart(chart)))
    assert [text(e) for e in with_class(svg, "label-upl")] == ["Upper process limit (trial) 15.3"]
    assert "(trial limits, from fewer than 15 points)" in text(child(svg, "desc"))


def test_a_duration_is_ticked_and_written_in_minutes_and_seconds() -> None:
    # Values in minutes: 34.8 is 34:48, 31.5 is 31:30; the standard at most 30 minutes.
    chart = MeasureChart(
        id_prefix="du",
        title="Category 2 mean",
        points=(Point("2025-04", 34.8), Point("2025-05", 31.5)),
        unit="mm:ss",
        standard=Standard.at_most(30),
        duration=True,
    )
    root = parse(measure_chart(chart))
    svg = svg_of(root)
    ticks = [text(e) for e in with_class(svg, "tick") if e.get("text-anchor") == "end"]  # the y axis's
    assert ticks == ["29:00", "30:00", "31:00", "32:00", "33:00", "34:00", "35:00"]
    assert [row[1] for row in table_rows(root)] == ["34:48", "31:30"]
    assert "Standard: at most 30:00." in text(child(svg, "desc"))
    assert [text(e) for e in with_class(svg, "unit")] == ["mm:ss"]


def test_segments_must_run_in_time_order_within_the_points() -> None:
    points = tuple(Point(p, 1.0) for p in _months(4))
    with pytest.raises(ValueError, match="time order"):
        MeasureChart("x", "X", points, segments=(SpcLines(1, 2, 0, start=2), SpcLines(1, 2, 0, start=0, end=3)))
    with pytest.raises(ValueError, match="not both"):
        MeasureChart("x", "X", points, spc=SpcLines(1, 2, 0), segments=(SpcLines(1, 2, 0),))
