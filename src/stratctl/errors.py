"""The project's own errors: what stops a command, and the exit code it ends with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stratctl.findings import Finding


class StratctlError(Exception):
    """Something stops stratctl from doing its work at all: a usage or configuration problem (exit 2).

    Problems in the records are never raised as this: they are findings.
    """

    exit_code = 2


class RepositoryNotFound(StratctlError):
    pass


class ConfigError(StratctlError):
    pass


class FindingsError(StratctlError):
    """The records have errors that stop this command (a Board paper is never rendered from them): exit 1."""

    exit_code = 1

    def __init__(self, message: str, findings: Sequence[Finding], files_checked: int = 0) -> None:
        super().__init__(message)
        self.findings = list(findings)
        self.files_checked = files_checked or len({f.path for f in self.findings})
