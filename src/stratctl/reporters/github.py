"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""

from __future__ import annotations

from typing import TextIO

from stratctl.plaintext import printable
from stratctl.reporters.text import summary
from stratctl.validation import ValidationResult


def _data(text: str) -> str:
    # control and bidi characters (line breaks too) made visible first: a raw ESC would reach the log
    # viewer as a terminal escape; then GitHub's own escape for what is left
    return printable(text).replace("%", "%25")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: ValidationResult, out: TextIO, *, color: bool | None = None) -> None:
    for f in result.findings:
        command = "error" if f.severity == "error" else "warning"
        out.write(
            f"::{command} file={_property(f.path)},line={f.line},col={f.column},"
            f"title={_property(f'{f.code} {f.rule}')}::{_data(f'{f.code} {f.message}')}\n"
        )
    out.write(summary(result) + "\n")
