"""Reporters: one small module per output format of `validate`, over one result.

Each reporter is a function `render(result, out, color=...)` that writes to a
text stream; `REPORTERS` maps format names to the module that renders them, so
adding a format never touches the command.
"""

from __future__ import annotations

import importlib
import os
import re
from typing import TextIO

from stratctl.validation import ValidationResult

REPORTERS: dict[str, str] = {
    "text": "stratctl.reporters.text",
    "json": "stratctl.reporters.json_report",
    "github": "stratctl.reporters.github",
    "sarif": "stratctl.reporters.sarif",
}
"""Format name -> module with a `render` function (imported only when used)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def choose_format(requested: str) -> str:
    """`auto` is GitHub annotations under GitHub Actions, else text."""
    if requested != "auto":
        return requested
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def render(result: ValidationResult, out: TextIO, fmt: str, *, color: bool | None = None) -> None:
    module = importlib.import_module(REPORTERS[fmt])
    module.render(result, out, color=color)


def printable(text: str) -> str:
    """Text safe to show on a terminal: control and bidi-override characters made visible."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)
