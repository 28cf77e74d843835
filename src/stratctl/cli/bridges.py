"""`stratctl import tracker|risks` and `stratctl export`: the trust's spreadsheets in and out."""

from __future__ import annotations

import sys
from pathlib import Path

from stratctl.cli.common import EXIT_FINDINGS, EXIT_OK, fail
from stratctl.errors import StratctlError
from stratctl.loading import find_data_dir
from stratctl.reporters import printable, render
from stratctl.validation import ValidationResult


def _report(plan, dry_run: bool) -> int:  # type: ignore[no-untyped-def]
    from stratctl.authoring.imports import write_plan

    for problem in plan.problems:
        sys.stderr.write(f"row {problem.row}: {printable(problem.message)}\n")
    if plan.findings:
        render(ValidationResult(plan.findings, len(plan.texts)), sys.stderr, "text")
        sys.stderr.write("nothing written: the imported records would not validate\n")
        return EXIT_FINDINGS
    for message in plan.messages:
        sys.stdout.write(("would change " if dry_run else "") + printable(message) + "\n")
    if not dry_run:
        write_plan(plan)
    sys.stderr.write(
        f"{len(plan.texts)} file(s) {'would change' if dry_run else 'written'}; "
        f"{len(plan.problems)} row(s) not read\n"
    )
    return EXIT_FINDINGS if plan.problems else EXIT_OK


def run_import_tracker(file: Path, quarter: str | None, year: str | None, replace: bool, dry_run: bool, data: Path | None) -> int:
    from stratctl.authoring.imports import plan_tracker
    from stratctl.importing import read_tracker
    from stratctl.spreadsheet import read_table

    try:
        if not file.is_file():
            raise StratctlError(f"{file}: no such file")
        data_dir = data.resolve() if data else find_data_dir(Path.cwd())
        tracker = read_tracker(read_table(file))
        plan = plan_tracker(data_dir, tracker, quarter, year, replace)
    except StratctlError as error:
        raise fail(str(error)) from None
    if tracker.risk_table:
        sys.stderr.write(f"{file} also holds a risk table: stratctl import risks {file} reads it\n")
    return _report(plan, dry_run)


def run_import_risks(file: Path, lead: str | None, dry_run: bool, data: Path | None) -> int:
    from stratctl.authoring.imports import plan_risks
    from stratctl.importing import read_risks
    from stratctl.spreadsheet import read_table

    try:
        if not file.is_file():
            raise StratctlError(f"{file}: no such file")
        data_dir = data.resolve() if data else find_data_dir(Path.cwd())
        table = read_table(file)
        if file.suffix.lower() == ".xlsx":
            table = _risk_sheet(file) or table
        rows, problems = read_risks(table)
        plan = plan_risks(data_dir, rows, problems, lead)
    except StratctlError as error:
        raise fail(str(error)) from None
    return _report(plan, dry_run)


def _risk_sheet(file: Path):  # type: ignore[no-untyped-def]
    from stratctl.spreadsheet import _openpyxl, _cell_text, restore

    workbook = _openpyxl().load_workbook(file, read_only=True, data_only=True)
    if "Risks" not in workbook.sheetnames:
        return None
    return [(n, [restore(_cell_text(v)) for v in values]) for n, values in enumerate(workbook["Risks"].iter_rows(values_only=True), 1)]


def run_export(fmt: str, year: str | None, quarter: str | None, output: Path | None, data: Path | None) -> int:
    from stratctl.cli.status import open_loaded
    from stratctl.exporting import tables
    from stratctl.rewrite import write_atomically
    from stratctl.spreadsheet import write_csv, write_xlsx
    from stratctl.status import build_status, choose_point

    try:
        repository = open_loaded(data).repository
        point = choose_point(repository, year, quarter)
        sheets = tables(build_status(repository, point))
        if fmt == "xlsx":
            if output is None:
                raise StratctlError("--format xlsx needs --output FILE.xlsx")
            write_xlsx(output, sheets)
        else:
            text = write_csv(list(sheets.values()))
            if output is None:
                sys.stdout.write(text)
            else:
                write_atomically(output, text)
    except StratctlError as error:
        raise fail(str(error)) from None
    if output is not None:
        sys.stderr.write(f"wrote {output}\n")
    return EXIT_OK
