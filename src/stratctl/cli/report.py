"""`stratctl report`: the Board paper for a quarter, or the annual report for a year."""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from stratctl.api.report import PaperOptions, write_paper
from stratctl.cli.common import EXIT_OK, workspace
from stratctl.errors import StratctlError
from stratctl.output import write_output
from stratctl.plaintext import printable
from stratctl.reporting.cover import CoverOptions
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
    technical_appendix: bool = False,
    audience: str | None = None,
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
                ("--audience", audience),
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
    if fmt == "pdf" and output is None and sys.stdout.isatty():
        raise StratctlError(
            "a PDF is not for reading in a terminal: give --output FILE.pdf (or redirect it: > paper.pdf)"
        )
    options = PaperOptions(
        fmt or "md",
        year,
        quarter,
        as_of,
        template,
        since,
        scope or Scope(),
        cover or CoverOptions(),
        allow_errors,
        technical_appendix,
        audience or "board",
    )
    space = workspace(data)
    # The paper is spooled (to a temporary file once it is large) and written only when whole: a
    # template that fails half-way leaves the terminal and the output file as they were, and a
    # national-scale paper is never held in memory at once.
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as paper:
        outcome = write_paper(space, options, paper)
        for note in outcome.notes:
            sys.stderr.write(f"stratctl: note: {printable(note)}\n")
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
