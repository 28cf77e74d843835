"""`stratctl validate`: which repositories to check, then report."""

from __future__ import annotations

import sys
from pathlib import Path

from stratctl.api.validate import not_read, validate_repository
from stratctl.cli.common import EXIT_FINDINGS, EXIT_OK, stdout_closed_by_reader, stdout_reader_gone
from stratctl.errors import StratctlError
from stratctl.reporters import choose_format, render
from stratctl.validation import ValidationResult
from stratctl.workspace import Workspace


def run_validate(paths: list[Path], data: Path | None, output_format: str, strict: bool) -> int:
    targets = _targets(paths, data)
    results = [validate_repository(space, only=only) for space, only in targets]
    for space, only in targets:
        if only is not None:
            findings, nothing = not_read(space, only)
            if nothing:
                shown = ", ".join(str(path) for path in nothing[:3]) + (", ..." if len(nothing) > 3 else "")
                raise StratctlError(
                    f"{shown}: no record file stratctl reads (records are {space.data_dir.name}/trust.yaml and the "
                    f".yaml and .yml files directly inside its record folders): nothing to check there"
                )
            results.append(ValidationResult(findings, 0))
    result = _merge(results)
    code = EXIT_FINDINGS if result.failed(strict=strict) else EXIT_OK
    try:
        render(result, sys.stdout, choose_format(output_format))
        sys.stdout.flush()
    except BrokenPipeError:  # `validate | head`: still fail the pipeline when the records have errors
        if not stdout_reader_gone():
            raise
        stdout_closed_by_reader()
    return code


def _targets(paths: list[Path], data: Path | None) -> list[tuple[Workspace, list[Path] | None]]:
    """Each repository to check, with the paths to report on within it (None: all of it)."""
    if data is not None or not paths:
        return [(Workspace.open(data), list(paths) or None)]
    targets: dict[Path, tuple[Workspace, list[Path] | None]] = {}
    opened: dict[Path, Workspace] = {}  # by the folder searched from: 12,000 files of one folder open it once
    for path in paths:
        if not path.exists():
            raise StratctlError(f"{path}: no such file or folder")
        near = path if path.is_dir() else path.parent
        space = opened.get(near)
        if space is None:
            space = opened[near] = Workspace.open(near=near)
        whole = path.resolve() in (space.data_dir, space.root)
        _, only = targets.setdefault(space.data_dir, (space, []))
        if whole or only is None:
            targets[space.data_dir] = (space, None)
        else:
            only.append(path)
    return list(targets.values())


def _merge(results: list[ValidationResult]) -> ValidationResult:
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key)
    return ValidationResult(findings, sum(r.files_checked for r in results))
