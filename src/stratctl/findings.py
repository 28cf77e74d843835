"""Findings: what `validate` reports, one per problem, placed at file:line:column."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

Loc = tuple[str | int, ...]


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file.

    A rule may make a finding before it knows the line: it gives `loc`, the path
    of keys and indexes to the offending part of the record, and `on_key` when
    the key rather than its value is at fault. Validation places it (fills
    `line` and `column`, both 1-based) before anyone sees it.
    """

    path: str
    code: str
    message: str
    line: int = 0
    column: int = 0
    severity: Severity = Severity.ERROR
    rule: str = ""
    loc: Loc | None = field(default=None, compare=False)
    on_key: bool = field(default=False, compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
        }
