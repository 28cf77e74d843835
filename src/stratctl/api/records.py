"""The use cases that change records: `update`, `new`, `fmt`, `init` and `rollover`.

Each opens one write plan (stratctl.api.writing), lets the authoring floor plan its change into
it, and writes only what the one validate accepts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from stratctl.api.writing import planning
from stratctl.authoring.formatting import FormatOutcome, format_repository
from stratctl.authoring.rollover import RolloverPlan, plan_rollover
from stratctl.authoring.scaffold import create_record, plan_schemas
from stratctl.authoring.starter import init_files
from stratctl.authoring.update import ObjectiveChange, RiskChange, UpdateResult, update_record
from stratctl.kinds import NewRecord
from stratctl.layout import DATA_FOLDER
from stratctl.periods import FinancialYear
from stratctl.validation import ValidationResult
from stratctl.workspace import Workspace


def update(
    space: Workspace, record_id: str, change: ObjectiveChange | RiskChange, *, replace: bool, dry_run: bool
) -> UpdateResult:
    """Add (or with `replace`, replace) a quarter's entry in one record; written only if it validates."""
    with planning(space) as plan:
        return update_record(plan, record_id, change, replace=replace, dry_run=dry_run)


def new(space: Workspace, request: NewRecord) -> tuple[Path, list[Path]]:
    """Write a new record's scaffold (and the schemas editors lack); never overwrites, validates first."""
    with planning(space) as plan:
        return create_record(plan, request)


def fmt(space: Workspace, paths: list[Path] | None, *, check: bool) -> FormatOutcome:
    """Put record files in the canonical layout; with `check`, only say which would change."""
    with planning(space, read=False) as plan:
        return format_repository(plan, paths, check=check)


def init(
    root: Path,
    name: str | None,
    short_name: str | None,
    year: str | None,
    today: date | None = None,
    *,
    bare: bool = False,
    example: str | None = None,
) -> tuple[list[Path], ValidationResult]:
    """Write a new strategy repository at `root`, validated before it is written; never overwrites."""
    files = init_files(root, name, short_name, year, today, bare=bare, example=example)
    with planning(Workspace(root.resolve() / DATA_FOLDER), read=False) as plan:
        for relative, text in files.items():
            plan.put(root / relative, text)
        plan_schemas(plan)
        result = plan.validation()
        written = plan.write() if not result.failed() else []
    return written, result


def rollover(
    space: Workspace, opening: FinancialYear, *, dry_run: bool, extend_priorities: bool = False
) -> tuple[RolloverPlan, bool]:
    """Carry the closing year's unfinished objectives into `opening`; written only if the result validates.

    With `extend_priorities`, the priorities that would hold carried objectives but end with the
    closing year run on into `opening`. Returns the plan and whether it was written (not when it
    has errors, nor in a dry run).
    """
    with planning(space) as writes:
        plan = plan_rollover(writes, opening, extend_priorities=extend_priorities)
        if dry_run or any(f.severity == "error" for f in plan.findings):
            return plan, False
        writes.write()
        return plan, True
