"""`stratctl request`, `collect` and `chase`: the quarterly updates of executives who do not use git."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from stratctl.cli.common import EXIT_FINDINGS, EXIT_OK, workspace
from stratctl.errors import StratctlError
from stratctl.plaintext import printable


def run_request(
    quarter: str,
    leads: list[str],
    output: Path,
    meeting_date: date | None,
    return_by: date | None,
    data: Path | None,
) -> int:
    from stratctl.api.executive_updates import make_requests, write_requests

    requests = make_requests(workspace(data), quarter, leads, meeting_date, return_by)
    if not requests.workbooks:
        raise StratctlError(
            f"nobody{' of --lead' if leads else ''} leads anything open in {requests.quarter}: no workbook to write"
        )
    written, unchanged = write_requests(requests, output)
    for workbook in requests.workbooks:
        ask = workbook.ask
        path = output / workbook.file_name
        state = "unchanged" if path in unchanged else "wrote"
        sys.stdout.write(
            printable(
                f"{state} {path}: {ask.executive.title} ({ask.executive.id}): {len(ask.objectives)} objective(s), "
                f"{len(ask.measures)} measure value(s), {len(ask.milestones)} milestone(s), {len(ask.risks)} risk(s)"
            )
            + "\n"
        )
    for executive in requests.nothing_asked:
        sys.stderr.write(
            printable(
                f"no workbook for {executive.id} ({executive.title}): they lead nothing open in {requests.quarter}"
            )
            + "\n"
        )
    when = f"; to return by {requests.return_by.isoformat()}" if requests.return_by else ""
    sys.stderr.write(
        f"{len(written)} workbook(s) written for {requests.quarter}"
        + (f", {len(unchanged)} already there and the same" if unchanged else "")
        + when
        + "\n"
    )
    return EXIT_OK


def run_collect(files: list[Path], quarter: str | None, replace: bool, dry_run: bool, data: Path | None) -> int:
    from stratctl.api.executive_updates import collect_returns

    if not files:
        raise StratctlError("give the returned workbooks to collect, e.g. stratctl collect returns/*.xlsx")
    plan, written = collect_returns(workspace(data), files, quarter, replace, dry_run)
    verb = "wrote" if written else "would write"
    counts = {"written": 0, "unchanged": 0, "blank": 0, "not taken": 0}
    for outcome in plan.workbooks:
        returned = outcome.returned
        who = f"{returned.executive_title} ({returned.executive})" if returned.executive else "unknown executive"
        if outcome.refused:
            sys.stderr.write(printable(f"{returned.file}: refused: {outcome.refused}") + "\n")
            continue
        sys.stdout.write(printable(f"{who}: {returned.file}") + "\n")
        for row in outcome.rows:
            counts[row.status] += 1
            said = {
                "written": f"{verb} {row.detail}",
                "unchanged": f"unchanged: {row.detail}",
                "blank": "no update yet (left blank)",
                "not taken": f"not taken: {row.detail}",
            }[row.status]
            sys.stdout.write(printable(f"  sheet {row.where.sheet} row {row.where.row}: {row.subject}: {said}") + "\n")
    for problem in plan.problems:
        sys.stderr.write(printable(str(problem)) + "\n")
    for where, finding in plan.errors:
        place = f"{where}: " if where is not None else ""
        sys.stderr.write(
            printable(
                f"{place}{finding.code} {finding.message} "
                f"({finding.path}:{finding.line}:{finding.column} as collect would leave it)"
            )
            + "\n"
        )
    for where, finding in plan.warnings:
        place = f"{where}: " if where is not None else ""
        sys.stderr.write(printable(f"{place}warning: {finding.code} {finding.message} ({finding.path})") + "\n")
    refused = sum(1 for o in plan.workbooks if o.refused)
    rows_refused = len({(p.where.file, p.where.sheet, p.where.row) for p in plan.problems}) + len(
        {e[0] for e in plan.errors if e[0] is not None}
    )
    quarter_text = str(plan.quarter) if plan.quarter else "no quarter"
    summary = (
        f"{quarter_text}: {len(plan.workbooks)} workbook(s)"
        + (f" ({refused} refused)" if refused else "")
        + f"; row(s): {counts['written']} {'to write' if dry_run or plan.blocked else 'written'}, "
        f"{counts['unchanged']} unchanged, "
        f"{counts['blank']} blank, {counts['not taken']} not taken"
        + (f", {rows_refused} refused" if rows_refused else "")
    )
    sys.stderr.write(summary + "\n")
    if plan.blocked:
        sys.stderr.write("nothing written: fix the rows and workbooks named above, then collect again\n")
    elif dry_run:
        sys.stderr.write(f"dry run: {len(plan.writes.texts)} file(s) would change\n")
    elif written:
        sys.stderr.write(
            f"{len(plan.writes.texts)} file(s) changed; review them (stratctl diff) and open a pull request\n"
        )
    return EXIT_FINDINGS if plan.blocked or plan.not_taken else EXIT_OK


def run_chase(quarter: str | None, leads: list[str], output_format: str, within: int | None, data: Path | None) -> int:
    from stratctl.api.executive_updates import chase
    from stratctl.reporting.chase import chase_markdown, chase_text

    found = chase(workspace(data), quarter, leads, within)
    if found.waiting is not None:
        sys.stderr.write(printable(f"nothing to chase yet for {found.quarter}: {found.waiting}") + "\n")
        return EXIT_OK
    render = chase_markdown if output_format == "md" else chase_text
    sys.stdout.write(render(found.quarter, found.owing, found.asked, found.meeting_date, found.unled))
    return EXIT_FINDINGS if found.anything_owed else EXIT_OK
