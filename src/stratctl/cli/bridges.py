"""`stratctl import tracker|risks` and `stratctl export`: the trust's spreadsheets in and out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from stratctl.cli.common import EXIT_FINDINGS, EXIT_OK, workspace
from stratctl.errors import StratctlError
from stratctl.plaintext import printable
from stratctl.reporters import render
from stratctl.validation import ValidationResult

if TYPE_CHECKING:
    from stratctl.authoring.imports import ImportPlan
    from stratctl.findings import Finding
    from stratctl.importing import Tracker


FIELD_ROLES = {  # a record's field -> the tracker column it is read from
    "title": "objective",
    "lead": "executive",
    "priority": "priority",
    "due": "due",
    "progress": "progress",
    "comment": "comment",
    "projected": "position",
    "rationale": "rationale",
}


def _column(finding: Finding, tracker: Tracker | None) -> str:
    """ ", column 'Comments'": the tracker column a finding on an imported record comes from, when known."""
    from stratctl.rules import RULES
    from stratctl.vocabulary import TRACKER_HEADINGS as NAMES

    if tracker is None:
        return ""
    fields = [key for key in (finding.loc or ()) if isinstance(key, str)]
    rule = RULES.get(finding.code)
    asked = FIELD_ROLES.get(rule.asks_for or "") if rule is not None else None  # the field the rule asks to fill in
    role = asked or next((FIELD_ROLES[k] for k in reversed(fields) if k in FIELD_ROLES), None)
    if role is None:
        return ""
    if role in tracker.columns:
        return f", column {tracker.columns[role]!r}"
    return f", no {NAMES[role]!r} column in the tracker"


def _report(plan: ImportPlan, tracker: Tracker | None, dry_run: bool, file: Path) -> int:
    """Tell what the import found and would do; write it unless it is a dry run or a record would not validate.

    A finding on a record the import makes or changes names the row of FILE it comes from (and the column,
    when known): a new record's file does not exist yet, and a changed one does not yet read as reported.
    """
    from stratctl.importing import EXPECTED
    from stratctl.vocabulary import TRACKER_HEADINGS as NAMES

    if tracker is not None:
        for role in tracker.missing:
            sys.stderr.write(
                f"{file}: row {tracker.header_row}: the header has no {NAMES[role]!r} column: {EXPECTED[role]}\n"
            )
    for problem in plan.problems:
        sys.stderr.write(f"{file}: row {problem.row}: {printable(problem.message)}\n")
    if plan.findings:
        origins = {path.resolve(): (path, row) for path, row in plan.origins.items()}
        new = {path.resolve() for path in plan.new}
        others = []
        for finding in plan.findings:
            resolved = Path(finding.path).resolve()
            if resolved not in origins:
                others.append(finding)
                continue
            path, row = origins[resolved]
            where = (
                f"the new {path.parent.name.rstrip('s')} {path.stem} from this row"
                if resolved in new
                else f"{finding.path}:{finding.line}:{finding.column} as the import would leave it"
            )
            sys.stderr.write(
                f"{file}: row {row}{_column(finding, tracker)}: {finding.code} {printable(finding.message)} ({where})\n"
            )
        if others:
            render(ValidationResult(others, len(plan.texts)), sys.stderr, "text")
        sys.stderr.write(f"nothing written: the imported records would not validate ({len(plan.findings)} error(s))\n")
        return EXIT_FINDINGS
    for message in plan.messages:
        sys.stdout.write(("would change " if dry_run else "") + printable(message) + "\n")
    sys.stderr.write(
        f"{len(plan.texts)} file(s) {'would change' if dry_run else 'written'}; {len(plan.problems)} row(s) not read\n"
    )
    for note in plan.notes:  # last, where they are read: advice about what was imported, the same in a dry run
        sys.stdout.write(f"note: {printable(note)}\n")
    return EXIT_FINDINGS if plan.problems else EXIT_OK


def run_import_tracker(
    file: Path, quarter: str | None, year: str | None, replace: bool, dry_run: bool, data: Path | None
) -> int:
    from stratctl.api.spreadsheets import import_tracker

    outcome = import_tracker(workspace(data), file, quarter, year, replace=replace, dry_run=dry_run)
    if outcome.tracker is not None and outcome.tracker.risk_table:
        sys.stderr.write(f"{file} also holds a risk table: stratctl import risks {file} reads it\n")
    return _report(outcome.plan, outcome.tracker, dry_run, file)


def run_import_risks(file: Path, lead: str | None, dry_run: bool, data: Path | None, quarter: str | None = None) -> int:
    from stratctl.api.spreadsheets import import_risks

    return _report(import_risks(workspace(data), file, lead, quarter, dry_run=dry_run).plan, None, dry_run, file)


def run_import_measures(file: Path, replace: bool, dry_run: bool, data: Path | None) -> int:
    """Report every row that could not be placed (and then write nothing), or what was written and left alone."""
    from stratctl.api.spreadsheets import import_measures

    outcome = import_measures(workspace(data), file, replace=replace, dry_run=dry_run)
    plan, result = outcome.plan, outcome.result
    if plan.problems:
        for problem in plan.problems:
            sys.stderr.write(f"{file}: row {problem.row}: {printable(problem.message)}\n")
        sys.stderr.write(f"nothing written: {len(plan.problems)} row(s) could not be placed\n")
        return EXIT_FINDINGS
    code = _report(plan, None, dry_run, file)
    if code != EXIT_OK or plan.findings:
        return code
    for line in result.differing:
        sys.stderr.write(f"{file}: {printable(line)}\n")
    sys.stderr.write(f"{result.unchanged} value(s) already recorded as the file gives them\n")
    return EXIT_FINDINGS if result.differing else EXIT_OK


def run_export(fmt: str, year: str | None, quarter: str | None, output: Path | None, data: Path | None) -> int:
    from stratctl.api.spreadsheets import export_tables
    from stratctl.output import write_output
    from stratctl.spreadsheet import write_csv, write_xlsx

    sheets = export_tables(workspace(data), year, quarter)
    if fmt == "xlsx":
        if output is None:
            raise StratctlError("--format xlsx needs --output FILE.xlsx")
        write_xlsx(output, sheets)
    else:
        text = write_csv(list(sheets.values()))
        if output is None:
            sys.stdout.write(text)
        else:
            write_output(output, text)
    if output is not None:
        sys.stderr.write(f"wrote {output}\n")
    return EXIT_OK
