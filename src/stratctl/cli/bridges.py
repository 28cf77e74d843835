"""`stratctl import tracker|risks` and `stratctl export`: the trust's spreadsheets in and out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratctl.cli.common import EXIT_FINDINGS, EXIT_OK, workspace
from stratctl.errors import StratctlError
from stratctl.plaintext import printable
from stratctl.reporters import render
from stratctl.validation import ValidationResult

if TYPE_CHECKING:
    from stratctl.api.spreadsheets import ImportOutcome
    from stratctl.authoring.imports import TrustSettings
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


def _report(outcome: ImportOutcome, dry_run: bool, file: Path) -> int:
    """Tell what the import found and would do; write it unless it is a dry run or a record would not validate.

    A finding on a record the import makes or changes names the row of FILE it comes from (and the column,
    when known): a new record's file does not exist yet, and a changed one does not yet read as reported.
    """
    from stratctl.importing import EXPECTED
    from stratctl.risk_table import EXPECTED as RISK_EXPECTED
    from stratctl.vocabulary import RISK_HEADINGS
    from stratctl.vocabulary import TRACKER_HEADINGS as NAMES

    plan, tracker, risks = outcome.plan, outcome.tracker, outcome.risk_table
    if tracker is not None:
        for role in tracker.missing:
            sys.stderr.write(
                f"{file}: row {tracker.header_row}: the header has no {NAMES[role]!r} column: {EXPECTED[role]}\n"
            )
    if risks is not None and risks.rows:
        for role in risks.missing:
            sys.stderr.write(
                f"{file}: row {risks.header_row}: the risk table has no {RISK_HEADINGS[role]!r} column: "
                f"{RISK_EXPECTED[role]}\n"
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


def trust_settings(executives: list[str], cover: dict[str, Any]) -> TrustSettings:
    """`--executive ID=TITLE` options and the cover sheet's, as an import writes them into trust.yaml."""
    from stratctl.authoring.imports import TrustSettings

    pairs = []
    for given in executives:
        executive, equals, title = given.partition("=")
        if not equals:
            raise StratctlError(
                f"--executive {given!r}: write the id, '=' and the title, e.g. --executive 'CPO=Chief People Officer'"
            )
        pairs.append((executive.strip(), title.strip()))
    return TrustSettings(tuple(pairs), cover)


def run_import_tracker(
    file: Path,
    quarter: str | None,
    year: str | None,
    replace: bool,
    dry_run: bool,
    data: Path | None,
    settings: TrustSettings | None = None,
) -> int:
    from stratctl.api.spreadsheets import import_tracker

    outcome = import_tracker(workspace(data), file, quarter, year, replace=replace, dry_run=dry_run, settings=settings)
    if outcome.tracker is not None and outcome.tracker.risk_table:
        sys.stderr.write(f"{file} also holds a risk table: stratctl import risks {file} reads it\n")
    return _report(outcome, dry_run, file)


def run_import_risks(
    file: Path,
    lead: str | None,
    dry_run: bool,
    data: Path | None,
    quarter: str | None = None,
    settings: TrustSettings | None = None,
) -> int:
    from stratctl.api.spreadsheets import import_risks

    outcome = import_risks(workspace(data), file, lead, quarter, dry_run=dry_run, settings=settings)
    return _report(outcome, dry_run, file)


def run_import_measures(file: Path, replace: bool, dry_run: bool, data: Path | None) -> int:
    """Report every row that could not be placed (and then write nothing), or what was written and left alone."""
    from stratctl.api.spreadsheets import ImportOutcome, import_measures

    outcome = import_measures(workspace(data), file, replace=replace, dry_run=dry_run)
    plan, result = outcome.plan, outcome.result
    if plan.problems:
        for problem in plan.problems:
            sys.stderr.write(f"{file}: row {problem.row}: {printable(problem.message)}\n")
        sys.stderr.write(f"nothing written: {len(plan.problems)} row(s) could not be placed\n")
        return EXIT_FINDINGS
    code = _report(ImportOutcome(plan, outcome.written), dry_run, file)
    if code != EXIT_OK or plan.findings:
        return code
    for line in result.differing:
        sys.stderr.write(f"{file}: {printable(line)}\n")
    sys.stderr.write(f"{result.unchanged} value(s) already recorded as the file gives them\n")
    return EXIT_FINDINGS if result.differing else EXIT_OK


EXPORT_FILES = {
    "tracker": ("Tracker", "tracker.csv"),
    "risks": ("Risks", "risks.csv"),
    "measures": ("Measures", "measures.csv"),
    "measure-summary": ("Measures Summary", "measure-summary.csv"),
}
"""Each table an export writes: its sheet in the workbook, its file in a folder of CSV files."""


def run_export(
    fmt: str,
    year: str | None,
    quarter: str | None,
    output: Path | None,
    data: Path | None,
    table: str | None = None,
) -> int:
    """The tracker, the risk register and the measures: one workbook of a sheet each, or a CSV file for each table.

    CSV holds one table a file: `--output FOLDER` writes each table's file into it (EXPORT_FILES); a file
    name or standard output takes the table `--table` names (default: the tracker).
    """
    from stratctl.api.spreadsheets import export_tables
    from stratctl.output import write_into_folder, write_output
    from stratctl.spreadsheet import csv_text, write_xlsx

    sheets = export_tables(workspace(data), year, quarter)
    chosen = [table] if table is not None else list(EXPORT_FILES)
    if fmt == "xlsx":
        if output is None:
            raise StratctlError("--format xlsx needs --output FILE.xlsx")
        write_xlsx(output, {EXPORT_FILES[t][0]: sheets[EXPORT_FILES[t][0]] for t in chosen})
        sys.stderr.write(f"wrote {output}\n")
        return EXIT_OK
    if output is not None and _is_folder(output):
        files = {EXPORT_FILES[t][1]: csv_text(sheets[EXPORT_FILES[t][0]]) for t in chosen}
        write_into_folder(output, files)
        sys.stderr.write("".join(f"wrote {output / name}\n" for name in files))
        return EXIT_OK
    one = table or "tracker"
    text = csv_text(sheets[EXPORT_FILES[one][0]])
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text)
        sys.stderr.write(f"wrote {output}\n")
    if table is None:
        sys.stderr.write(
            "a CSV file holds one table: this is the tracker; the risk register is --table risks, the measures' "
            "values --table measures, and --output FOLDER writes every table, one file each\n"
        )
    return EXIT_OK


def _is_folder(output: Path) -> bool:
    """--output names a folder: one that exists, or a new path written with a trailing slash or without a suffix."""
    return output.is_dir() or str(output).endswith(("/", "\\")) or (not output.exists() and not output.suffix)
