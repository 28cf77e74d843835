"""`stratctl report`: the Board paper for a quarter, or the annual report for a year."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from stratctl.cli.common import EXIT_OK, fail
from stratctl.cli.status import ensure_readable, open_loaded
from stratctl.config import load_config
from stratctl.errors import StratctlError
from stratctl.reporting.report import ReportRequest, render_report
from stratctl.output import write_output
from stratctl.reporters import printable
from stratctl.status import choose_point


def run_report(
    data: Path | None, year: str | None, quarter: str | None, as_of: date | None,
    fmt: str, output: Path | None, template: str | None, since: str | None = None,
) -> int:
    try:
        loaded = open_loaded(data)
        repository = loaded.repository
        annual = year is not None and quarter is None and as_of is None
        point = choose_point(repository, year, quarter, as_of)
        changes = None
        if since is not None:
            from stratctl.diffing import compare
            from stratctl.gitrefs import describe, texts_at, work_tree_root
            from stratctl.loading import load_texts

            root = work_tree_root(repository.data_dir)
            notes: list[str] = []
            before = ensure_readable(load_texts(repository.data_dir, texts_at(root, since, repository.data_dir, notes)), f" at {since}")
            for note in notes:
                sys.stderr.write(f"stratctl: note: {printable(note)}\n")
            changes = (f"Changes since {describe(root, since)}", compare(before, loaded, point))
        request = ReportRequest(point, fmt, template, annual, changes)
        text = render_report(loaded, request, load_config(repository.data_dir.parent))
        if output is None:
            sys.stdout.write(text)
        else:
            write_output(output, text)
            sys.stderr.write(f"wrote {output}\n")
    except StratctlError as error:
        raise fail(str(error)) from None
    return EXIT_OK
