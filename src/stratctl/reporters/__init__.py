"""Reporters: one small module per output format of `validate`, over one result.

Each reporter is a function `render(result, out, color=...)` that writes to a
text stream; `REPORTERS` maps format names to the module that renders them, so
adding a format never touches the command.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, TextIO

from stratctl.plaintext import printable

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


def choose_format(requested: str) -> str:
    """`auto` is GitHub annotations under GitHub Actions, else text."""
    if requested != "auto":
        return requested
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def render(result: ValidationResult, out: TextIO, fmt: str, *, color: bool | None = None) -> None:
    module = importlib.import_module(REPORTERS[fmt])
    module.render(result, out, color=color)


def plain(value: object, style: str = "") -> Text:
    """Record text (a title, an id, a band name) for a rich console: a Text, never markup, so `[/]` or
    `[link=...]` in the data prints as itself, and passed through printable()."""
    from rich.text import Text

    return Text(printable(str(value)), style=style)
