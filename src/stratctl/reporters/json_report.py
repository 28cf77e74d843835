"""Machine output: one JSON object, findings sorted by path, line and column."""

from __future__ import annotations

from typing import TextIO

from stratctl import __version__
from stratctl.jsontext import json_chunks
from stratctl.plaintext import json_safe
from stratctl.validation import ValidationResult


def render(result: ValidationResult, out: TextIO, *, color: bool | None = None) -> None:
    document = {
        "tool": "stratctl",
        "version": __version__,
        "files_checked": result.files_checked,
        "errors": result.errors,
        "warnings": result.warnings,
        "findings": [f.to_dict() for f in result.findings],
    }
    for chunk in json_chunks(document):
        out.write(json_safe(chunk))
