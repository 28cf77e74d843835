"""Reporters: one small module per output format of `validate`, over one result.

Each reporter is a function `render(result, out, color=...)` that writes to a
text stream; `REPORTERS` maps format names to the module that renders them, so
adding a format never touches the command.
"""

from __future__ import annotations

import importlib
import os
import re
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.text import Text

    from stratctl.validation import ValidationResult

REPORTERS: dict[str, str] = {
    "text": "stratctl.reporters.text",
    "json": "stratctl.reporters.json_report",
    "github": "stratctl.reporters.github",
    "sarif": "stratctl.reporters.sarif",
}
"""Format name -> module with a `render` function (imported only when used)."""

# Every C0 and C1 control except tab (ESC starts terminal escape sequences; a line feed or a carriage
# return in a file name would start a forged line of output), the invisible direction marks and the
# bidirectional overrides and isolates (which reorder what follows them on screen), and the Unicode
# line and paragraph separators; and a lone surrogate (a file name's byte that is not UTF-8, as Python
# reads it), which cannot be written as UTF-8.
_CONTROL = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def choose_format(requested: str) -> str:
    """`auto` is GitHub annotations under GitHub Actions, else text."""
    if requested != "auto":
        return requested
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def render(result: ValidationResult, out: TextIO, fmt: str, *, color: bool | None = None) -> None:
    module = importlib.import_module(REPORTERS[fmt])
    module.render(result, out, color=color)


def printable(text: str) -> str:
    """Text safe to show on a terminal, on one line: control, line-break and bidi characters made visible."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def plain(value: object, style: str = "") -> Text:
    """Record text (a title, an id, a band name) for a rich console: a Text, never markup, so `[/]` or
    `[link=...]` in the data prints as itself, and passed through printable()."""
    from rich.text import Text

    return Text(printable(str(value)), style=style)
