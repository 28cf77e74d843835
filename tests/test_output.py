"""report -o and export -o: a regular file is replaced atomically, anything else is written in place."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from stratctl.errors import StratctlError
from stratctl.output import write_output
from tests.conftest import PROJECT, Stratctl


def _read_fifo(path: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(path, "rb") as stream:
            into.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader


@pytest.mark.parametrize(
    "command", [["report", "-q", "Q3"], ["export", "-q", "Q3"], ["export", "-q", "Q3", "--format", "xlsx"]]
)
def test_a_fifo_is_written_through_not_replaced(repo: Path, stratctl: Stratctl, command: list[str]) -> None:
    fifo = repo / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = _read_fifo(fifo, received)
    outcome = stratctl(*command, "--output", str(fifo))
    reader.join(10)
    assert outcome.exit_code == 0, outcome.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and received[0][:2] in (b"# ", b"Id", b"PK")
    assert sorted(p.name for p in repo.iterdir()) == ["data", "out.fifo"]  # no temporary file left


def test_a_character_device_stays_a_device(repo: Path, stratctl: Stratctl) -> None:
    device = repo / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a private /dev/null
    except (PermissionError, AttributeError):
        pytest.skip("making a device node needs privileges")
    for command in (["report", "-q", "Q3"], ["export"], ["export", "--format", "xlsx"]):
        outcome = stratctl(*command, "--output", str(device))
        assert outcome.exit_code == 0, outcome.stderr
        assert stat.S_ISCHR(os.stat(device).st_mode)


def test_report_to_dev_stdout_in_a_pipe(repo: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "stratctl", "report", "-q", "Q3", "-o", "/dev/stdout"],
        capture_output=True,
        cwd=repo,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"# ")


def test_a_folder_or_a_missing_folder_is_refused(repo: Path, stratctl: Stratctl) -> None:
    (repo / "build").mkdir()
    outcome = stratctl("report", "-q", "Q3", "--output", "build")
    assert outcome.exit_code == 2
    assert "build" in outcome.stderr and "is a folder" in outcome.stderr
    assert (repo / "build").is_dir() and not any((repo / "build").iterdir())
    outcome = stratctl("export", "--format", "xlsx", "--output", "missing/deeper/x.xlsx")
    assert outcome.exit_code == 2
    assert "missing/deeper" in outcome.stderr and "does not exist" in outcome.stderr
    assert not (repo / "missing").exists()


def test_a_full_device_is_a_clear_error(repo: Path, stratctl: Stratctl) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    for command in (["report", "-q", "Q3"], ["export"], ["export", "--format", "xlsx"]):
        outcome = stratctl(*command, "--output", "/dev/full")
        assert outcome.exit_code == 2
        assert "no space left" in outcome.stderr.lower(), outcome.stderr
        assert "internal error" not in outcome.stderr


def test_a_failed_xlsx_export_leaves_the_previous_workbook(
    repo: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("openpyxl")
    target = repo / "board.xlsx"
    assert stratctl("export", "--format", "xlsx", "--output", str(target)).exit_code == 0
    good = target.read_bytes()

    def disk_full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("stratctl.rewrite.os.fsync", disk_full)
    outcome = stratctl("export", "--format", "xlsx", "--output", str(target))
    assert outcome.exit_code == 2
    assert "no space left" in outcome.stderr
    assert target.read_bytes() == good
    assert sorted(p.name for p in repo.iterdir()) == ["board.xlsx", "data"]
    import gc

    gc.collect()
    assert "Exception ignored" not in capfd.readouterr().err


def test_write_output_writes_regular_files_atomically_and_keeps_links(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    write_output(link, "new")
    assert link.is_symlink() and target.read_text() == "new"
    write_output(tmp_path / "bytes.bin", b"\x00\x01")
    assert (tmp_path / "bytes.bin").read_bytes() == b"\x00\x01"
    with pytest.raises(StratctlError, match="does not exist"):
        write_output(tmp_path / "no" / "x.md", "x")
    (tmp_path / "file").write_text("")
    with pytest.raises(StratctlError, match=r"not a (folder|directory)"):
        write_output(tmp_path / "file" / "x.md", "x")


@pytest.mark.parametrize("target", ["a-file", "/dev/null"])
def test_schema_into_something_that_is_not_a_folder_is_a_clear_error(
    repo: Path, stratctl: Stratctl, target: str
) -> None:
    (repo / "a-file").write_text("keep me\n")
    outcome = stratctl("schema", "--output", target)
    assert outcome.exit_code == 2
    assert "is not a folder" in outcome.stderr and "internal error" not in outcome.stderr
    assert (repo / "a-file").read_text() == "keep me\n"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_schema_makes_its_folder(repo: Path, stratctl: Stratctl) -> None:
    assert stratctl("schema", "--output", "schemas/v1").exit_code == 0
    assert sorted(p.name for p in (repo / "schemas" / "v1").iterdir()) == [
        "objective.schema.json",
        "risk.schema.json",
        "strategy.schema.json",
        "trust.schema.json",
    ]


def test_dev_stdout_appended_to_a_file_keeps_what_was_there(repo: Path) -> None:
    """`report -o /dev/stdout >> log.md`: the stream is written as the shell opened it, not reopened
    (which would truncate the log, or write over its start)."""
    log = repo / "log.md"
    log.write_text("earlier entry\n")
    with log.open("ab") as stream:
        done = subprocess.run(
            [sys.executable, "-m", "stratctl", "report", "-q", "Q3", "-o", "/dev/stdout"],
            stdout=stream,
            stderr=subprocess.PIPE,
            cwd=repo,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    assert text.startswith("earlier entry\n# ")


def test_a_regular_file_under_dev_is_still_replaced_atomically(tmp_path: Path) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.skip("no /dev/shm")
    target = Path(tempfile.mkdtemp(dir=shm)) / "report.md"
    try:
        target.write_text("old")
        before = target.stat().st_ino
        write_output(target, "new")
        assert target.read_text() == "new" and target.stat().st_ino != before  # renamed over, not written into
    finally:
        shutil.rmtree(target.parent)


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["status", "-q", "Q3"], 0),
        (["report", "-q", "Q3", "--format", "html"], 0),
        (["validate", "--format", "sarif"], 0),  # the bundled trust has warnings only
        (["validate", "--strict", "--format", "sarif"], 1),  # and a pipeline still fails on what validate found
    ],
)
def test_a_reader_that_stops_early_is_not_a_failure(command: list[str], code: int) -> None:
    """`stratctl status | head -1`: a closed pipe exits with the command's own code, and says nothing."""
    import fcntl

    read_end, write_end = os.pipe()
    if hasattr(fcntl, "F_SETPIPE_SZ"):
        fcntl.fcntl(read_end, fcntl.F_SETPIPE_SZ, 4096)  # a small pipe, so the writer meets the closed end
    process = subprocess.Popen(
        [sys.executable, "-m", "stratctl", *command], cwd=PROJECT, stdout=write_end, stderr=subprocess.PIPE
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        assert reader.read(100)
    _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (code, b"")


def _closed_pipe() -> int:
    """The write end of a pipe whose reader has gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    return write_end


def test_only_a_closed_stdout_is_a_reader_that_stopped(tmp_path: Path) -> None:
    """A closed stderr (`2>&1 | true` on a failing sign-off check) must not turn into exit 0."""
    write_end = _closed_pipe()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "stratctl", "report", "-q", "Q3", "-o", str(tmp_path / "paper.md")],
            cwd=PROJECT,
            stdout=subprocess.DEVNULL,
            stderr=write_end,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (tmp_path / "paper.md").exists()
    assert done.returncode != 0  # its one line to stderr failed: not explained away as a reader that stopped


@pytest.mark.parametrize("command", [["--version"], ["report", "-q", "Q3", "-o", "/dev/stdout"]])
def test_a_closed_stdout_is_silent_for_version_and_for_dev_stdout(command: list[str]) -> None:
    write_end = _closed_pipe()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "stratctl", *command],
            cwd=PROJECT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (0, b"")
