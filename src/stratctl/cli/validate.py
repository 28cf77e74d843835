"""`stratctl validate`: which repositories to check, then report."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from stratctl.cli.common import EXIT_FINDINGS, EXIT_OK, fail
from stratctl.config import load_config
from stratctl.errors import StratctlError
from stratctl.loading import find_data_dir
from stratctl.reporters import choose_format, render
from stratctl.validation import ValidationResult, validate


def run_validate(paths: list[Path], data: Path | None, output_format: str, strict: bool) -> int:
    try:
        targets = _targets(paths, data)
        results = []
        for data_dir, only in targets.items():
            config = load_config(data_dir.parent)
            results.append(validate(data_dir, config=config, only=only))
    except StratctlError as error:
        raise fail(str(error)) from None
    result = _merge(results)
    render(result, sys.stdout, choose_format(output_format))
    return EXIT_FINDINGS if result.failed(strict=strict) else EXIT_OK


def _targets(paths: list[Path], data: Path | None) -> dict[Path, list[Path] | None]:
    """Data folder -> the paths to report on within it (None: all of it)."""
    if data is not None:
        if not data.is_dir():
            raise StratctlError(f"--data {data}: no such folder")
        return {data.resolve(): list(paths) or None}
    if not paths:
        return {find_data_dir(Path.cwd()): None}
    targets: dict[Path, list[Path] | None] = defaultdict(list)
    for path in paths:
        if not path.exists():
            raise StratctlError(f"{path}: no such file or folder")
        data_dir = find_data_dir(path if path.is_dir() else path.parent)
        whole = path.resolve() in (data_dir, data_dir.parent)
        if whole or targets.get(data_dir, []) is None:
            targets[data_dir] = None
        else:
            targets[data_dir].append(path)  # type: ignore[union-attr]
    return dict(targets)


def _merge(results: list[ValidationResult]) -> ValidationResult:
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key)
    return ValidationResult(findings, sum(r.files_checked for r in results))


