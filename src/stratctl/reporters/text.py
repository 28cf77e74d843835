"""Human output: `path:line:col: CODE message`, coloured only on a terminal."""

from __future__ import annotations

from typing import TextIO

from rich.text import Text

from stratctl.findings import Severity
from stratctl.plaintext import printable
from stratctl.reporters.console import Console
from stratctl.validation import ValidationResult


def render(result: ValidationResult, out: TextIO, *, color: bool | None = None) -> None:
    # Text objects, never markup strings: a path like [draft].yaml must print as itself.
    console = Console(file=out, highlight=False, soft_wrap=True, force_terminal=color, no_color=color is False or None)
    for finding in result.findings:
        line = Text()
        line.append(printable(f"{finding.path}:{finding.line}:{finding.column}:"), style="bold")
        style = "red bold" if finding.severity == Severity.ERROR else "yellow bold"
        line.append(f" {finding.code} ", style=style)
        line.append(printable(finding.message))
        if finding.severity == Severity.WARNING:
            line.append(" [warning]", style="yellow")
        console.print(line)
    console.print(
        Text(
            summary(result),
            style="bold red" if result.errors else "bold green" if not result.warnings else "bold yellow",
        )
    )


def summary(result: ValidationResult) -> str:
    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    files = plural(result.files_checked, "file")
    if not result.findings:
        return f"{files} checked: no problems found."
    return f"{files} checked: {plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}."
