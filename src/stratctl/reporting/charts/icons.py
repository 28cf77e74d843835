"""The Making Data Count icons: a variation icon and an assurance icon, each titled with its words."""

from __future__ import annotations

from typing import Final

from markupsafe import Markup

from stratctl.reporting.charts.model import check_id
from stratctl.reporting.charts.svg import FONT, coordinate, xml_text
from stratctl.reporting.charts.words import ASSURANCE_WORDS, VARIATION_WORDS

__all__ = ["assurance_icon", "variation_icon"]

_ICON_COLOUR: Final = {"common": "#7B7D7D", "improvement": "#289DE0", "concern": "#FAB428", "neutral": "#361475"}
_ICON_TEXT: Final = {"common": "#5A5C5C", "improvement": "#1C6E9E", "concern": "#8F6200", "neutral": "#361475"}


def _icon(kind: str, prefix: str, words: str, colour: str, body: str) -> Markup:
    check_id(prefix)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mdc-icon mdc-{kind}" viewBox="0 0 40 40" '
        f'width="40" height="40" role="img" aria-labelledby="{prefix}-title">'
        f'<title id="{prefix}-title">{xml_text(words)}</title>'
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
    line = " ".join(f"{coordinate(x)},{coordinate(y)}" for x, y in zip(xs, heights, strict=True))
    body = [f'<polyline points="{line}" fill="none" stroke="#B2B4B4" stroke-width="1.25"/>']
    for k, (x, y) in enumerate(zip(xs, heights, strict=True)):
        dot = colour if family != "common" and k >= 3 else _ICON_COLOUR["common"]
        body.append(f'<circle cx="{coordinate(x)}" cy="{coordinate(y)}" r="2.4" fill="{dot}"/>')
    if family != "common":
        letter_y = 17 if side == "high" else 33
        body.append(
            f'<text x="20" y="{coordinate(letter_y)}" text-anchor="middle" font-family="{FONT}" font-size="11" '
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
            target + f'<text x="20" y="22" text-anchor="middle" font-family="{FONT}" font-size="15" '
            f'font-weight="bold" fill="{ink}">{letter}</text>'
        )
    return _icon(f"assurance-{assurance.replace('_', '-')}", id_prefix, ASSURANCE_WORDS[assurance], colour, body)
