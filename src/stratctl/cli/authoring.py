"""`stratctl update`: post a quarter's update on an objective or a review on a risk."""

from __future__ import annotations

import sys
from pathlib import Path

from stratctl.authoring.update import ObjectiveChange, RiskChange, update_record
from stratctl.cli.common import EXIT_FINDINGS, EXIT_OK, fail
from stratctl.errors import StratctlError
from stratctl.loading import canonical, find_data_dir, load_repository
from stratctl.periods import PeriodError, Quarter
from stratctl.reporters import render
from stratctl.validation import ValidationResult


def resolve_quarter(data_dir: Path, text: str) -> Quarter:
    """`Q3` in trust.yaml's year, or a full `2021/22 Q3`."""
    try:
        if "/" in text:
            return Quarter.parse(text)
        trust = load_repository(data_dir).repository.trust
        if trust is None:
            raise StratctlError("trust.yaml could not be read: give the quarter in full, e.g. 2021/22 Q3")
        return Quarter.parse(f"{trust.record.year} {text.strip().upper()}")
    except PeriodError as error:
        raise StratctlError(str(error)) from None


def _actuals(pairs: list[str]) -> dict[str, float]:
    actuals = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        try:
            number = float(value)
        except ValueError:
            raise StratctlError(f"--actual {pair!r}: write MEASURE=NUMBER, e.g. midwife-vacancy-rate=15.2") from None
        if not sep or not name:
            raise StratctlError(f"--actual {pair!r}: write MEASURE=NUMBER")
        if name in actuals:
            raise StratctlError(f"--actual {name} is given twice ({actuals[name]:g} and {number:g}): give one value a quarter")
        actuals[name] = number
    return actuals


def run_update(
    record_id: str, data: Path | None, quarter: str, progress: str | None, comment: str | None,
    projected: str | None, rationale: str | None, actual: list[str], score: int | None,
    likelihood: int | None, consequence: int | None, note: str | None, replace: bool, dry_run: bool,
) -> int:
    try:
        data_dir = data.resolve() if data else find_data_dir(Path.cwd())
        when = resolve_quarter(data_dir, quarter)
        change: ObjectiveChange | RiskChange
        if progress is not None:
            change = ObjectiveChange(when, progress, comment, projected, rationale, _actuals(actual))
        else:
            change = RiskChange(when, score, likelihood, consequence, note)
        result = update_record(data_dir, record_id, change, replace=replace, dry_run=dry_run)
    except StratctlError as error:
        raise fail(str(error)) from None
    if result.findings:
        render(ValidationResult(result.findings, 1), sys.stderr, "text")
    if any(f.severity == "error" for f in result.findings):
        sys.stderr.write(f"not written: the {record_id} record would have errors\n")
        return EXIT_FINDINGS
    verb = "would be" if dry_run else ("" if result.written else "unchanged:")
    sys.stderr.write(f"{result.path.name}: {result.summary}{' (' + verb.strip() + ' written)' if dry_run else ''}\n")
    return EXIT_OK


def run_new(
    kind: str, record_id: str, title: str, lead: str | None, priority: str | None,
    current: str | None, target: str | None, data: Path | None,
) -> int:
    from stratctl.authoring.scaffold import NewRecord, create_record, ensure_schemas

    try:
        data_dir = data.resolve() if data else find_data_dir(Path.cwd())
        path = create_record(NewRecord(kind, record_id, title, lead, priority, current, target), data_dir)  # type: ignore[arg-type]
        for schema in ensure_schemas(data_dir.parent):
            sys.stderr.write(f"wrote {schema} (editors use it to check the record as you type)\n")
    except StratctlError as error:
        raise fail(str(error)) from None
    sys.stderr.write(f"wrote {path}\n")
    return EXIT_OK


def run_fmt(paths: list[Path], check: bool, data: Path | None) -> int:
    from stratctl.authoring.formatting import format_file
    from stratctl.cli.status import data_folder
    from stratctl.loading import discover
    from stratctl.reporters import printable
    from stratctl.rewrite import exclusive

    try:
        data_dir = data_folder(data, paths[0] if paths and paths[0].is_dir() else (paths[0].parent if paths else None))
        files = discover(data_dir)
        if paths:
            for path in paths:
                if not path.exists():
                    raise StratctlError(f"{path}: no such file or folder")
            wanted = [canonical(p) for p in paths]
            files = [f for f in files if any(f.path == w or w in f.path.parents for w in wanted)]
    except StratctlError as error:
        raise fail(str(error)) from None
    changed, left_alone = [], []
    with exclusive(data_dir):
        for file in files:
            result = format_file(file.path, file.kind, check=check)
            if result.skipped:
                left_alone.append(file.display)
                sys.stderr.write(f"{printable(file.display)}: left alone, {printable(result.skipped)}\n")
            elif result.changed:
                changed.append(file.display)
                sys.stdout.write(f"{'would reformat' if check else 'reformatted'} {printable(file.display)}\n")
    verb = "would be reformatted" if check else "reformatted"
    sys.stderr.write(f"{len(changed)} of {len(files)} file(s) {verb}")
    # A file fmt cannot format is a failure, as in black and ruff format: a pre-commit hook must not pass it.
    sys.stderr.write(f"; {len(left_alone)} left alone\n" if left_alone else "\n")
    return EXIT_FINDINGS if left_alone or (check and changed) else EXIT_OK


def run_init(directory: Path, name: str, short_name: str, year: str | None) -> int:
    from stratctl.authoring.starter import init_repository
    from stratctl.validation import validate

    try:
        written = init_repository(directory, name, short_name, year)
        result = validate(directory / "data")
    except StratctlError as error:
        raise fail(str(error)) from None
    for path in written:
        sys.stderr.write(f"wrote {path}\n")
    if result.failed():
        render(result, sys.stderr, "text")
        return EXIT_FINDINGS
    sys.stderr.write(f"{directory}: a strategy repository that validates; next: git init, then edit data/\n")
    return EXIT_OK
