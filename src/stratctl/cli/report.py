"""`stratctl report`: the Board paper for a quarter, or the annual report for a year."""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from stratctl.cli.common import EXIT_OK, workspace
from stratctl.errors import StratctlError
from stratctl.output import write_output
from stratctl.reporters import printable
from stratctl.reporting.cover import CoverOptions
from stratctl.reporting.report import ReportRequest, write_report
from stratctl.status import Scope


def run_report(
    data: Path | None,
    year: str | None,
    quarter: str | None,
    as_of: date | None,
    fmt: str | None,
    output: Path | None,
    template: str | None,
    since: str | None = None,
    signed_off: list[str] | None = None,
    scope: Scope | None = None,
    cover: CoverOptions | None = None,
    allow_errors: bool = False,
) -> int:
    if signed_off is not None:
        given = [
            name
            for name, value in (
                ("--year", year),
                ("--quarter", quarter),
                ("--as-of", as_of),
                ("--template", template),
                ("--since", since),
            )
            if value is not None
        ]
        if given or fmt not in (None, "html"):
            raise StratctlError(
                f"--signed-off rebuilds the HTML paper exactly as the Board approved it: "
                f"it takes no {', '.join(given) or '--format ' + str(fmt)}"
            )
        from stratctl.cli.governance import run_signed_off_report

        return run_signed_off_report(workspace(data), signed_off, output)
    fmt = fmt or "md"
    if since is not None:
        from stratctl.gitrefs import user_ref

        user_ref(since, "--since")
    space = workspace(data)
    # Records that cannot be read are errors like any other: the paper is refused with them listed
    # (exit 1), or with --allow-errors rendered without them and saying so.
    loaded = space.load()
    repository = loaded.repository
    annual = year is not None and quarter is None and as_of is None
    point = space.point(repository, year, quarter, as_of)
    changes = None
    if since is not None:
        from stratctl.diffing import compare
        from stratctl.gitrefs import describe, list_records, read_listing, work_tree_root
        from stratctl.loading import load_texts, reusable
        from stratctl.workspace import ensure_readable

        root = work_tree_root(repository.data_dir)
        notes: list[str] = []  # entries at the ref that are not files (a submodule): not read, and said so
        listing = list_records(root, since, repository.data_dir, notes)  # a file the work tree has the same is not read
        texts = read_listing(root, listing, reusable(repository.data_dir, listing.blobs, [loaded]))
        before = ensure_readable(
            load_texts(repository.data_dir, texts, blobs=listing.blobs, reuse=[loaded], cache=space.read_cache()),
            f" at {since}",
        )
        for note in notes:
            sys.stderr.write(f"stratctl: note: {printable(note)}\n")
        # the paper itself holds every new update: its section lists what moved, not each update added
        moved = [change for change in compare(before, loaded, point) if change.kind != "update"]
        changes = (f"Changes since {describe(root, since)}", moved)
    request = ReportRequest(
        point, fmt, template, annual, changes, scope or Scope(), cover or CoverOptions(), allow_errors
    )
    # The paper is spooled (to a temporary file once it is large) and written only when whole: a
    # template that fails half-way leaves the terminal and the output file as they were, and a
    # national-scale paper is never held in memory at once.
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as paper:
        write_report(paper, loaded, request, space.config)
        paper.seek(0)
        if output is None:
            sys.stdout.flush()
            shutil.copyfileobj(paper, sys.stdout.buffer, 1024 * 1024)
            sys.stdout.flush()
        else:
            write_output(output, paper)
            sys.stderr.write(f"wrote {output}\n")
    return EXIT_OK


SPOOL_IN_MEMORY = 16 * 1024 * 1024
"""Bytes of paper kept in memory before the spool moves to a temporary file: any trust's real paper."""
