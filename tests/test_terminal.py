"""What stratctl says to a person at a terminal, and never to a pipe, a file or a CI log."""

from __future__ import annotations

import contextlib
import io
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stratctl.cli import common
from tests.conftest import PROJECT


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _shown(monkeypatch: pytest.MonkeyPatch, stream: io.StringIO, *, ci: bool = False) -> str:
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.setattr(common, "PROGRESS_AFTER", 0.0)
    monkeypatch.setenv("TERM", "xterm")
    if ci:
        monkeypatch.setenv("CI", "true")
    else:
        monkeypatch.delenv("CI", raising=False)
    with common.progress_shown("writing the paper"):
        time.sleep(0.3)  # the command's work, long enough for the line to be drawn
    return stream.getvalue()


def test_a_long_command_says_what_it_is_doing_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "stratctl: writing the paper ..." in _shown(monkeypatch, _Terminal())


def test_a_pipe_or_a_ci_log_gets_no_progress_line(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _shown(monkeypatch, io.StringIO()) == ""
    assert _shown(monkeypatch, _Terminal(), ci=True) == ""


def test_a_pdf_is_never_written_to_a_terminal(tmp_path: Path) -> None:
    """`report --format pdf` with standard output on a terminal is refused before anything is rendered."""
    leader, follower = pty.openpty()
    env = {**os.environ, "STRATCTL_CACHE_DIR": str(tmp_path / "cache")}
    stratctl = Path(sys.executable).with_name("stratctl")
    done = subprocess.run(
        [str(stratctl), "report", "--data", str(PROJECT / "data"), "--quarter", "Q3", "--format", "pdf"],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        timeout=120,
        check=False,
    )
    os.close(follower)
    written = b""
    os.set_blocking(leader, False)
    with contextlib.suppress(OSError):  # nothing was written to the terminal
        written = os.read(leader, 65536)
    os.close(leader)
    assert done.returncode == 2
    assert b"a PDF is not for reading in a terminal: give --output FILE.pdf" in done.stderr
    assert b"%PDF" not in written
