"""`validate` as a library call: load, check every rule, place and filter the findings."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from stratctl.config import Config
from stratctl.findings import Finding, Severity
from stratctl.loading import LoadResult, load_repository, select
from stratctl.repository import RecordFile, Repository
from stratctl.rules import RULES
from stratctl.rules.signoff import signoff_findings, signoffs_to_check
from stratctl.rules.suppression import UNUSED_SUPPRESSION, suppressions
from stratctl.signoff import SignOff
from stratctl.yamlsource import parse

if TYPE_CHECKING:
    from stratctl.workspace import Workspace


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
    findings: list[Finding] = []
    for rule in RULES.values():
        if rule.check is not None:
            findings.extend(rule.check(repository))
    return findings


def validate(
    data_dir: Path,
    *,
    config: Config | None = None,
    only: Iterable[Path] | None = None,
    cwd: Path | None = None,
) -> ValidationResult:
    """Validate the repository in `data_dir` (with `config`, default: the repository's stratctl.toml).

    `only` limits the findings reported to those files or folders (the whole
    repository is still read, so references can be checked).
    """
    from stratctl.config import load_config

    config = config if config is not None else load_config(data_dir.parent)
    return validate_loaded(load_repository(data_dir, cwd), config=config, only=only)


def validate_loaded(
    loaded: LoadResult,
    *,
    config: Config | None = None,
    only: Iterable[Path] | None = None,
    signoffs: Sequence[SignOff] | None = None,
    extra: Iterable[Finding] = (),
) -> ValidationResult:
    """Validate a repository already read (the report reuses the records it has loaded).

    `signoffs` are the Board sign-offs to hold signed-off quarters to (default: the board tags
    that HEAD contains, read from git); `extra` are findings about files beside the records
    (.github/CODEOWNERS), configured and suppressed like the rest.
    """
    config = config or Config()
    findings = loaded.findings + check_repository(loaded.repository)
    findings += signoff_findings(loaded, signoffs, config)
    findings += extra
    selected = _selected_files(loaded, only)
    findings = [f for f in findings if selected is None or f.path in selected]
    findings = _place(findings, loaded)
    findings = _apply_config(findings, config)
    findings = _suppress(findings, loaded, selected, config)
    findings.sort(key=lambda f: f.sort_key)
    checked = len(loaded.files) if selected is None else len(selected)
    return ValidationResult(findings, checked)


def cached_validation(space: Workspace, codeowners_shown: str, only: Iterable[Path] | None) -> ValidationResult | None:
    """`space.validate(only=only)` through the cache (stratctl.cache); None when the cache is bypassed.

    The whole repository's findings are stored under one key over every input they depend on: each
    record file's name, kind and bytes (by blob id), the files left unread, stratctl.toml's rules,
    .github/CODEOWNERS and the sign-off tags. With a hit no record is parsed or checked; on a miss the
    repository is validated (its files' reads from the cache where unchanged) and the answer stored,
    unless a file changed while it was read. A run on some paths is the whole answer filtered to
    them: every step after the rules (placing, configuring, suppressing) works file by file.
    """
    from stratctl import cache
    from stratctl.codeowners import codeowners_findings
    from stratctl.layout import codeowners_path
    from stratctl.loading import discover, read_bytes, unread_files

    if not cache.enabled():
        return None
    data_dir = space.data_dir
    files = discover(data_dir, space.cwd)
    blobs: dict[Path, str] = {}
    index = cache.BlobIndex.open(data_dir)
    names = [str(file.path) for file in files]
    known = index.known(names) if index is not None else {}
    keyed: list[bytes] = []
    for file, name in zip(files, names, strict=True):
        blob = known.get(name)
        if blob is None:
            before = _stat_or_none(file.path)
            raw, _ = read_bytes(file.path)
            if raw is None:
                return None  # a file that cannot be read at all: checked the long way, as without a cache
            blob = cache.blob_id(raw)
            if index is not None:
                index.learn(file.path, before, blob)
        blobs[file.path] = blob
        keyed.append(f"{file.display}\0{file.kind}\0{blob}".encode("utf-8", "surrogateescape"))
    if index is not None:
        index.save()
    owners = _bytes_or_none(codeowners_path(space.root))
    signoffs = signoffs_to_check(data_dir, space.config)
    unread = unread_files(data_dir, space.cwd)
    parts = [
        space.config.fingerprint(),
        codeowners_shown.encode("utf-8", "surrogateescape"),
        b"-" if owners is None else b"+" + owners,
        repr(signoffs).encode(),
        repr(unread).encode("utf-8", "surrogateescape"),
    ]
    parts += keyed
    key = cache.result_key(parts)
    stored = cache.read_result(data_dir, key)
    if isinstance(stored, list) and all(isinstance(finding, Finding) for finding in stored):
        return _filtered(stored, files, only)
    loaded = space.load()
    extra = codeowners_findings(space.root, loaded.repository, space.config.codeowners_default, codeowners_shown)
    result = validate_loaded(loaded, config=space.config, signoffs=signoffs, extra=extra)
    if (
        loaded.blobs == blobs
        and [f.path for f in loaded.files] == list(blobs)
        and _bytes_or_none(codeowners_path(space.root)) == owners
    ):
        cache.write_result(data_dir, key, result.findings)  # nothing changed while it was read
    return _filtered(result.findings, loaded.files, only)


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _bytes_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _filtered(findings: list[Finding], files: list[RecordFile], only: Iterable[Path] | None) -> ValidationResult:
    if only is None:
        return ValidationResult(list(findings), len(files))
    selected = {file.display for file in select(files, only)}
    return ValidationResult([f for f in findings if f.path in selected], len(selected))


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
            for code in sorted(codes - {c for (l, c) in used if l == line}):
                kept.append(
                    replace(
                        UNUSED_SUPPRESSION.finding(
                            path, f"'noqa: {code}' suppresses nothing on this line", line=line, column=column
                        ),
                        severity=unused_severity,
                    )
                )
    return kept
