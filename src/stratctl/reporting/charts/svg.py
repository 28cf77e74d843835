"""What every chart is drawn with: the palette, escaped text, coordinates, text widths, and the svg
elements the charts share (a horizontal line, the svg's opening, the hidden table, an empty figure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from markupsafe import Markup, escape

__all__ = [
    "AXIS",
    "BAND",
    "FONT",
    "GRID",
    "INK",
    "MUTED",
    "PROJECTION",
    "SERIES",
    "SPC_LINE",
    "TARGET",
    "coordinate",
    "empty_figure",
    "hidden_table",
    "hline",
    "svg_open",
    "text_width",
    "wrap_words",
    "xml_text",
]

INK: Final = "#212B32"
MUTED: Final = "#4C6272"
GRID: Final = "#E8EDEE"
AXIS: Final = "#AEB7BD"
SERIES: Final = "#768692"
SPC_LINE: Final = "#7B7D7D"
TARGET: Final = "#D5281B"
PROJECTION: Final = "#003087"
BAND: Final = "#005EB8"
FONT: Final = "Arial, Helvetica, sans-serif"
# Characters XML 1.0 forbids even as references; user text loses them rather than breaking the svg.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str) -> str:
    """User text, escaped for XML and HTML, without the characters XML cannot hold."""
    return str(escape(_NOT_XML.sub("\ufffd", value)))


def coordinate(value: float) -> str:
    """A coordinate: two decimals, needless zeros stripped."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def text_width(text: str, size: float) -> float:
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


def wrap_words(text: str, size: float, width: float) -> list[str]:
    """Words laid into lines no wider than `width` (a word longer than that gets a line of its own)."""
    lines: list[str] = []
    for word in filter(None, re.split(r"[ \t\r\n]+", text)):  # not at no-break spaces
        if lines and text_width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def hline(css: str, x1: float, x2: float, y: float, colour: str, width: float, dash: str | None) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line class="{css}" x1="{coordinate(x1)}" y1="{coordinate(y)}" x2="{coordinate(x2)}" y2="{coordinate(y)}" '
        f'stroke="{colour}" '
        f'stroke-width="{coordinate(width)}"{dashes}/>'
    )


def svg_open(prefix: str, width: float, height: float, title: str, desc: str, font: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" '
        f'viewBox="0 0 {coordinate(width)} {coordinate(height)}" '
        f'role="img" aria-labelledby="{prefix}-title {prefix}-desc" font-family="{FONT}" '
        f'font-size="{coordinate(font)}"><title id="{prefix}-title">{xml_text(title)}</title>'
        f'<desc id="{prefix}-desc">{xml_text(desc)}</desc>'
    )


def hidden_table(title: str, headings: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f'<th scope="col">{xml_text(h)}</th>' for h in headings)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{xml_text(row[0])}</th>'
        + "".join(f"<td>{xml_text(c)}</td>" for c in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="visually-hidden"><caption>{xml_text(title)}: the data</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def empty_figure(css: str, title: str, note: str) -> Markup:
    return Markup(
        f'<figure class="chart {css} chart-empty"><figcaption>{xml_text(title)}</figcaption>'
        f'<p class="chart-no-data">No data yet.{" " + xml_text(note) if note else ""}</p></figure>'
    )
