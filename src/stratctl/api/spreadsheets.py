"""`import tracker`, `import risks` and `export`: a trust's spreadsheets into records, and the records out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stratctl.api.status import status_at
from stratctl.api.writing import planning
from stratctl.authoring.imports import ImportPlan, TrustSettings, plan_tracker
from stratctl.authoring.measure_imports import MeasureImport, plan_measures
from stratctl.authoring.risk_imports import plan_risks
from stratctl.exporting import tables
from stratctl.importing import Tracker, read_measure_rows, read_tracker
from stratctl.reading import require_regular_file
from stratctl.risk_table import RiskTable, read_risks
from stratctl.spreadsheet import Cell, is_xlsx, read_sheet, read_table
from stratctl.workspace import Workspace


@dataclass(frozen=True)
class ImportOutcome:
    """What an import planned, and whether it was written (not in a dry run, nor when it would not validate)."""

    plan: ImportPlan
    written: bool
    tracker: Tracker | None = None  # the tracker read, for naming the column a finding comes from
    risk_table: RiskTable | None = None  # the risk table read, for naming the columns it lacks


def import_tracker(
    space: Workspace,
    file: Path,
    quarter: str | None,
    year: str | None,
    *,
    replace: bool,
    dry_run: bool,
    settings: TrustSettings | None = None,
) -> ImportOutcome:
    """One objective per row of the trust's tracker, with that quarter's update; validated, then written.

    `settings` gives trust.yaml's executive titles and cover sheet from the command line."""
    require_regular_file(file)
    tracker = read_tracker(read_table(file), str(file))
    with planning(space) as writes:  # planned and written with no other stratctl writing in between
        plan = plan_tracker(writes, tracker, quarter, year, replace, settings)
        return ImportOutcome(plan, _write_unless(plan, dry_run), tracker)


def import_risks(
    space: Workspace,
    file: Path,
    lead: str | None,
    quarter: str | None,
    *,
    dry_run: bool,
    settings: TrustSettings | None = None,
) -> ImportOutcome:
    """One risk record per row of the trust's risk table (the tracker's, or a BAF summary); validated, then written."""
    require_regular_file(file)
    table = (read_sheet(file, "Risks") if is_xlsx(file) else None) or read_table(file)
    risks = read_risks(table)
    with planning(space) as writes:
        plan = plan_risks(writes, risks, lead, quarter, settings)
        return ImportOutcome(plan, _write_unless(plan, dry_run), risk_table=risks)


@dataclass(frozen=True)
class MeasuresOutcome:
    """What `import measures` planned, and whether it was written (never with a row it could not place)."""

    result: MeasureImport
    written: bool

    @property
    def plan(self) -> ImportPlan:
        return self.result.plan


def import_measures(space: Workspace, file: Path, *, replace: bool, dry_run: bool) -> MeasuresOutcome:
    """Every row's value into the record that holds its measure; all or nothing, validated, then written."""
    require_regular_file(file)
    table = (read_sheet(file, "Measures") if is_xlsx(file) else None) or read_table(file)
    rows, problems = read_measure_rows(table)
    with planning(space) as writes:
        result = plan_measures(writes, rows, problems, replace)
        written = not result.plan.problems and _write_unless(result.plan, dry_run)
        return MeasuresOutcome(result, written)


def _write_unless(plan: ImportPlan, dry_run: bool) -> bool:
    if plan.findings or dry_run:
        return False
    plan.writes.write()
    return True


def export_tables(space: Workspace, year: str | None, quarter: str | None) -> dict[str, list[list[Cell]]]:
    """The tracker and the risk register at the reporting point, as the tables the export writes."""
    return tables(status_at(space, year, quarter))
