"""The rule engine: every rule over a repository already read; its findings placed, configured and suppressed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from stratctl.config import Config
from stratctl.findings import Finding, Severity
from stratctl.loading import LoadResult, select
from stratctl.repository import RecordFile, Repository
from stratctl.rules.suppression import UNUSED_SUPPRESSION, suppressions
from stratctl.yamlsource import parse


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating one repository."""

    findings: list[Finding]
    files_checked: int

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.WARNING)

    def failed(self, *, strict: bool = False) -> bool:
        """True when the findings should fail a pull request."""
        return self.errors > 0 or (strict and self.warnings > 0)


def check_repository(repository: Repository) -> list[Finding]:
    """Every repository-wide rule's findings, unplaced."""
    from stratctl.rules import RULES  # every rule and the rating engine: not for an answer from the cache (start-up)

    findings: list[Finding] = []
    for rule in RULES.values():
        if rule.check is not None:
            findings.extend(rule.check(repository))
    return findings


def check(
    loaded: LoadResult,
    *,
    config: Config | None = None,
    only: Iterable[Path] | None = None,
    extra: Iterable[Finding] = (),
) -> ValidationResult:
    """Every rule over a repository already read, its findings placed, configured and suppressed.

    `extra` are findings made beside the rules (CODEOWNERS against the records, the records against
    the quarters the Board signed off: stratctl.api.validate gathers them), configured and suppressed
    like the rest; `only` limits the findings reported to those files or folders.
    """
    config = config or Config()
    findings = loaded.findings + check_repository(loaded.repository)
    findings += extra
    selected = _selected_files(loaded, only)
    findings = [f for f in findings if selected is None or f.path in selected]
    findings = _place(findings, loaded)
    findings = _apply_config(findings, config)
    findings = _suppress(findings, loaded, selected, config)
    findings.sort(key=lambda f: f.sort_key)
    checked = len(loaded.files) if selected is None else len(selected)
    return ValidationResult(findings, checked)


def _selected_files(loaded: LoadResult, only: Iterable[Path] | None) -> set[str] | None:
    if only is None:
        return None
    return {file.display for file in select(loaded.files, only)}


def _files_by_display(loaded: LoadResult) -> dict[str, RecordFile]:
    return {f.display: f for f in loaded.files}


def _place(findings: list[Finding], loaded: LoadResult) -> list[Finding]:
    """Give every finding made by `loc` its line and column, parsing each such file once."""
    files = _files_by_display(loaded)
    by_path: dict[str, list[Finding]] = defaultdict(list)
    placed: list[Finding] = []
    for finding in findings:
        (by_path[finding.path] if finding.loc is not None else placed).append(finding)
    for path, pending in by_path.items():
        document = parse(loaded.text_of(files[path]) or "", positions=True)
        for finding in pending:
            line, column = document.position(finding.loc or (), key=finding.on_key)
            placed.append(replace(finding, line=line, column=column))  # loc kept: the paper and import read it
    return placed


def _apply_config(findings: list[Finding], config: Config) -> list[Finding]:
    result = []
    for finding in findings:
        severity = config.severity(finding.code)
        if severity is None:
            continue
        result.append(finding if severity == finding.severity else replace(finding, severity=severity))
    return result


def _suppress(findings: list[Finding], loaded: LoadResult, selected: set[str] | None, config: Config) -> list[Finding]:
    """Drop findings on lines carrying `# stratctl: noqa: CODE`; report suppressions that matched nothing."""
    files = _files_by_display(loaded)
    suppressing = loaded.suppressing
    paths = {f.path for f in findings} | suppressing
    if selected is not None:
        paths &= selected
    kept: list[Finding] = []
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    for path in paths:
        text = loaded.text_of(files[path]) if path in suppressing else None
        marks = suppressions(text) if text else {}
        used: set[tuple[int, str]] = set()
        for finding in by_path.get(path, []):
            codes = marks.get(finding.line, (0, set()))[1]
            matched = next((c for c in codes if c.upper() == finding.code or c.lower() == finding.rule), None)
            if matched is None:
                kept.append(finding)
            else:
                used.add((finding.line, matched))
        unused_severity = config.severity(UNUSED_SUPPRESSION.code)
        if unused_severity is None:
            continue
        for line, (column, codes) in marks.items():
            used_here = {used_code for (used_line, used_code) in used if used_line == line}
            kept.extend(
                replace(
                    UNUSED_SUPPRESSION.finding(
                        path, f"'noqa: {code}' suppresses nothing on this line", line=line, column=column
                    ),
                    severity=unused_severity,
                )
                for code in sorted(codes - used_here)
            )
    return kept
