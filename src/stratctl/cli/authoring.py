"""`stratctl update`, `new`, `fmt` and `init`: the commands that write records."""

from __future__ import annotations

import sys
from pathlib import Path

from stratctl.api import records
from stratctl.authoring.update import ObjectiveChange, RiskChange, record_path
from stratctl.cli.common import EXIT_FINDINGS, EXIT_OK, workspace
from stratctl.errors import StratctlError
from stratctl.numbers import read_duration
from stratctl.periods import PeriodError, Quarter, parse_quarter
from stratctl.plaintext import printable
from stratctl.reporters import render
from stratctl.validation import ValidationResult
from stratctl.workspace import Workspace


def resolve_quarter(space: Workspace, text: str) -> Quarter:
    """`Q3` in trust.yaml's year, or a full `2021/22 Q3` (any case or spacing)."""
    try:
        if "/" in text:
            return parse_quarter(text)
        trust = space.trust()
        if trust is None:
            raise StratctlError("trust.yaml could not be read: give the quarter in full, e.g. 2021/22 Q3")
        return parse_quarter(text, trust.year)
    except PeriodError as error:
        raise StratctlError(str(error)) from None


def _actuals(pairs: list[str]) -> dict[str, float]:
    actuals: dict[str, float] = {}
    given: dict[str, str] = {}  # each value as typed, to quote it back (34:48 is read as 34.8 minutes)
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        try:
            # a duration's minutes and seconds (34:48) as minutes, as a number given for a duration is read
            number = read_duration(value) / 60 if ":" in value else float(value)
        except ValueError:
            raise StratctlError(
                f"--actual {pair!r}: write MEASURE=NUMBER, e.g. midwife-vacancy-rate=15.2 (or MEASURE=34:48 for a "
                "time in minutes and seconds)"
            ) from None
        if not sep or not name:
            raise StratctlError(f"--actual {pair!r}: write MEASURE=NUMBER")
        if name in actuals:
            raise StratctlError(
                f"--actual {name} is given twice ({given[name]} and {value.strip()}): give one value a quarter"
            )
        actuals[name] = number
        given[name] = value.strip()
    return actuals


def run_update(
    record_id: str,
    data: Path | None,
    quarter: str,
    progress: str | None,
    comment: str | None,
    projected: str | None,
    rationale: str | None,
    actual: list[str],
    score: int | None,
    likelihood: int | None,
    consequence: int | None,
    note: str | None,
    replace: bool,
    dry_run: bool,
    amended: str | None = None,
    *,
    trend: str | None = None,
) -> int:
    space = workspace(data)
    kind, _ = record_path(
        space.data_dir, record_id
    )  # an id that is not a record is refused before anything else is read
    when = resolve_quarter(space, quarter)
    objective_options = [
        name
        for name, value in (
            ("--progress", progress),
            ("--comment", comment),
            ("--projected", projected),
            ("--rationale", rationale),
            ("--trend", trend),
            ("--actual", actual or None),
        )
        if value is not None
    ]
    risk_options = [
        name
        for name, value in (
            ("--score", score),
            ("--likelihood", likelihood),
            ("--consequence", consequence),
            ("--note", note),
        )
        if value is not None
    ]
    change: ObjectiveChange | RiskChange
    if kind == "objective":
        if risk_options:
            raise StratctlError(f"{record_id} is an objective: {', '.join(risk_options)} belong to a risk's review")
        change = ObjectiveChange(when, progress, comment, projected, rationale, _actuals(actual), amended, trend)
    else:
        if objective_options:
            raise StratctlError(
                f"{record_id} is a risk: {', '.join(objective_options)} belong to an objective's update"
            )
        change = RiskChange(when, score, likelihood, consequence, note, amended)
    result = records.update(space, record_id, change, replace=replace, dry_run=dry_run)
    if result.findings:
        render(ValidationResult(result.findings, 1), sys.stderr, "text")
    if any(f.severity == "error" for f in result.findings):
        sys.stderr.write(f"not written: the {record_id} record would have errors\n")
        return EXIT_FINDINGS
    verb = "would be" if dry_run else ("" if result.written else "unchanged:")
    sys.stderr.write(f"{result.path.name}: {result.summary}{' (' + verb.strip() + ' written)' if dry_run else ''}\n")
    return EXIT_OK


def run_new(
    kind: str,
    record_id: str,
    title: str,
    lead: str | None,
    priority: str | None,
    current: str | None,
    target: str | None,
    data: Path | None,
    year: str | None = None,
    supports: tuple[str, ...] = (),
) -> int:
    from stratctl.kinds import NewRecord

    path, schema_files = records.new(
        workspace(data), NewRecord(kind, record_id, title, lead, priority, current, target, year, supports)
    )
    for schema in schema_files:
        sys.stderr.write(f"wrote {schema} (editors use it to check the record as you type)\n")
    sys.stderr.write(f"wrote {path}\n")
    return EXIT_OK


def run_fmt(paths: list[Path], check: bool, data: Path | None) -> int:
    for path in paths:
        if not path.exists():
            raise StratctlError(f"{path}: no such file or folder")
    near = (paths[0] if paths[0].is_dir() else paths[0].parent) if paths else None
    outcome = records.fmt(workspace(data, near), paths or None, check=check)
    for display, reason in outcome.left_alone:
        sys.stderr.write(f"{printable(display)}: left alone, {printable(reason)}\n")
    for display in outcome.changed:
        sys.stdout.write(f"{'would reformat' if check else 'reformatted'} {printable(display)}\n")
    verb = "would be reformatted" if check else "reformatted"
    sys.stderr.write(f"{len(outcome.changed)} of {outcome.files} file(s) {verb}")
    # A file fmt cannot format is a failure, as in black and ruff format: a pre-commit hook must not pass it.
    sys.stderr.write(f"; {len(outcome.left_alone)} left alone\n" if outcome.left_alone else "\n")
    return EXIT_FINDINGS if outcome.left_alone or (check and outcome.changed) else EXIT_OK


def run_init(
    directory: Path,
    name: str | None,
    short_name: str | None,
    year: str | None,
    bare: bool = False,
    example: str | None = None,
) -> int:
    from stratctl.authoring.starter import ORG_PLACEHOLDER
    from stratctl.layout import WORKFLOW_FILE

    written, result = records.init(directory, name, short_name, year, bare=bare, example=example)
    for path in written:
        sys.stderr.write(f"wrote {path}\n")
    if result.failed():
        render(result, sys.stderr, "text")
        return EXIT_FINDINGS
    workflow = directory / WORKFLOW_FILE
    if workflow.is_file() and ORG_PLACEHOLDER in workflow.read_text(encoding="utf-8", errors="replace"):
        sys.stderr.write(
            f"{directory}: a strategy repository that validates; next: git init; "
            f"replace {ORG_PLACEHOLDER} in {workflow} with the GitHub organisation that keeps stratctl "
            "(CI installs it from there, so its first run fails until then); then edit data/\n"
        )
    else:
        sys.stderr.write(f"{directory}: a strategy repository that validates; next: git init, then edit data/\n")
    return EXIT_OK


def run_rollover(to: str, dry_run: bool, data: Path | None, *, extend_priorities: bool = False) -> int:
    from stratctl.periods import FinancialYear

    try:
        opening = FinancialYear.parse(to)
    except PeriodError as error:
        raise StratctlError(str(error)) from None
    plan, written = records.rollover(workspace(data), opening, dry_run=dry_run, extend_priorities=extend_priorities)
    for successor in plan.successors:
        sys.stdout.write(
            f"carry forward {successor.predecessor} -> {successor.id} ({printable(successor.path.name)})\n"
        )
        for closed, instead in plan.replaced_risks.get(successor.id, []):
            cited = f"cites {', '.join(instead)} instead" if instead else "cites no successor (it has none on the BAF)"
            sys.stdout.write(printable(f"  risk {closed} closed before {plan.opening}: {successor.id} {cited}") + "\n")
    for objective_id, why in plan.left_alone:
        sys.stdout.write(f"leave {objective_id}: {printable(why)}\n")
    sys.stdout.write(f"trust.yaml: year {plan.closing} -> {plan.opening}\n")
    for priority in plan.extended_priorities:
        sys.stdout.write(
            printable(f"trust.yaml: priority {priority} runs on to {plan.opening} (until: {plan.opening})") + "\n"
        )
    shown, elsewhere = plan.findings_to_show()
    if shown:
        render(ValidationResult(shown, plan.files_checked), sys.stderr, "text")
    if elsewhere:
        sys.stderr.write(
            f"{'and ' if shown else ''}{elsewhere} warning{'' if elsewhere == 1 else 's'} elsewhere: "
            "stratctl validate lists them\n"
        )
    if any(f.severity == "error" for f in plan.findings):
        sys.stderr.write("nothing written: the repository would not validate after the rollover\n")
        return EXIT_FINDINGS
    if not written:
        sys.stderr.write(f"dry run: {len(plan.writes.texts)} file(s) would be written\n")
    else:
        sys.stderr.write(
            f"{len(plan.successors)} objective(s) carried forward into {plan.opening}; "
            "review the new files (each lead confirms its target date) and open a pull request\n"
        )
    for priority, successors in plan.ending_priorities.items():  # what to do next comes last
        if priority in plan.extended_priorities:
            continue
        sys.stderr.write(
            printable(
                f"next: priority {priority} ends with {plan.closing} "
                f"but {', '.join(successors)} carried forward under it: "
                f"give it `until: {plan.opening}` in trust.yaml if it continues (stratctl rollover --extend-priorities "
                f"does it for every such priority), or move them under a {plan.opening} priority"
            )
            + "\n"
        )
    return EXIT_OK
