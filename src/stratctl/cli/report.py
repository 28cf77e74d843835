"""`stratctl report`: the Board paper for a quarter, or the annual report for a year."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from stratctl.cli.app import EXIT_OK, fail
from stratctl.cli.status import open_loaded
from stratctl.config import load_config
from stratctl.errors import StratctlError
from stratctl.rules.positions import latest_quarter
from stratctl.rating import ReportingPoint
from stratctl.reporting.report import ReportRequest, render_report
from stratctl.status import reporting_point


def run_report(
    data: Path | None, year: str | None, quarter: str | None, as_of: date | None,
    fmt: str, output: Path | None, template: str | None,
) -> int:
    try:
        loaded = open_loaded(data)
        repository = loaded.repository
        assert repository.trust is not None
        trust = repository.trust.record
        annual = year is not None and quarter is None and as_of is None
        if year is None and quarter is None and as_of is None:
            latest = latest_quarter(repository)
            point = ReportingPoint.end_of(latest, trust.year_start_month) if latest else reporting_point(trust, None, "Q4", None)
        else:
            point = reporting_point(trust, year, quarter, as_of)
        request = ReportRequest(point, fmt, template, annual)
        text = render_report(loaded, request, load_config(repository.data_dir.parent))
        if output is None:
            sys.stdout.write(text)
        else:
            _write_atomically(output, text)
            sys.stderr.write(f"wrote {output}\n")
    except StratctlError as error:
        raise fail(str(error)) from None
    return EXIT_OK


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the target and rename over it, so a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes files private; a report is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
