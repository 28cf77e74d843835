"""Machine output: one JSON object, findings sorted by path, line and column."""

from __future__ import annotations

import json
from typing import TextIO

from stratctl import __version__
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
    out.write(json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n")
