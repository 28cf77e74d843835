"""Hostile conditions, signals: the reading pool's workers die with the command, whatever ends it.

A repository of 1,200 records is read by a pool of processes. Each case waits for the workers,
stops them (SIGSTOP, so the pool cannot finish first and the case is the same on any machine), then
ends the command as a user or a CI runner would: Ctrl-C to the whole process group, SIGTERM,
SIGHUP, or SIGKILL. The command exits 130 or 128 + the signal with no traceback, and no worker is
left running.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stratctl.loading import PARALLEL_FROM, usable_cpus
from tests.conftest import FIXTURES

RECORDS = 3 * PARALLEL_FROM

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="the cases watch processes through /proc"),
    pytest.mark.skipif(usable_cpus() < 2, reason="one usable CPU: stratctl reads without a pool"),
]


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("signals") / "trust"
    shutil.copytree(FIXTURES / "minimal", root)
    template = (root / "data" / "objectives" / "talent.yaml").read_text()
    for n in range(RECORDS):
        (root / "data" / "objectives" / f"talent-{n}.yaml").write_text(
            template.replace("id: talent", f"id: talent-{n}")
        )
    return root


@pytest.fixture
def leftovers() -> Iterator[list[int]]:
    """Workers a case stopped: killed after it, whatever it found, so a failing case leaves none behind."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if _state(pid) not in (None, "Z"):
            os.kill(pid, signal.SIGKILL)


def _state(pid: int) -> str | None:
    """The process's state letter (Z: a zombie, finished), or None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid):
            found.append(int(entry.name))
    return found


def _start(root: Path, command: list[str]) -> tuple[subprocess.Popen[str], list[int]]:
    """The command started in a session of its own, and its pool's workers once they exist, stopped."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"} | {"STRATCTL_NO_CACHE": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "stratctl", *command],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    workers: list[int] = []
    while not workers and process.poll() is None:
        workers = [pid for pid in _children(process.pid) if _state(pid) not in (None, "Z")]
        time.sleep(0.002)
    for pid in workers:
        os.kill(pid, signal.SIGSTOP)
    return process, workers


def _gone(pids: list[int]) -> bool:
    """Whether every one of `pids` has ended (gone, or a zombie awaiting a parent that is gone too)."""
    for _ in range(500):  # a bound on waiting for the kernel, not a timing: the answer never depends on speed
        if all(_state(pid) in (None, "Z") for pid in pids):
            return True
        time.sleep(0.01)
    return False


@pytest.mark.parametrize("command", [["validate"], ["status"], ["fmt", "--check"]])
@pytest.mark.parametrize(
    ("how", "code"),
    [("ctrl-c", 130), ("sigterm", 128 + signal.SIGTERM), ("sighup", 128 + signal.SIGHUP)],
)
def test_the_workers_die_with_the_command(
    large: Path, leftovers: list[int], command: list[str], how: str, code: int
) -> None:
    process, workers = _start(large, command)
    leftovers += [process.pid, *workers]
    assert workers and process.poll() is None, "the pool had finished before it could be stopped"
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # what a terminal does: the whole foreground group
    else:
        process.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGHUP)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert "Traceback" not in err and "Exception ignored" not in err and "internal error" not in err, err
    assert _gone(workers), [(pid, _state(pid)) for pid in workers]


def test_the_workers_die_when_the_command_is_killed(large: Path, leftovers: list[int]) -> None:
    process, workers = _start(large, ["validate"])
    leftovers += workers
    assert workers and process.poll() is None
    process.kill()  # SIGKILL: nothing of the command's runs; only the kernel can end its workers
    process.wait(timeout=60)
    for pid in workers:  # a worker stopped before it asked for the parent-death signal asks once it runs
        os.kill(pid, signal.SIGCONT)
    assert _gone(workers), [(pid, _state(pid)) for pid in workers]
    process.communicate(timeout=60)


def test_ctrl_c_before_the_pool_exits_130_without_a_traceback(large: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    process = subprocess.Popen(
        [sys.executable, "-m", "stratctl", "validate", "--no-cache"],
        cwd=large,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    os.killpg(process.pid, signal.SIGINT)  # at once: while Python starts, imports or reads
    _, err = process.communicate(timeout=60)
    assert process.returncode in (130, -signal.SIGINT), err  # -SIGINT: before Python set up its handler
    assert "Traceback" not in err


def test_a_full_read_still_finishes_and_leaves_no_worker(large: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"} | {"STRATCTL_NO_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "stratctl", "validate", "--format", "json"],
        cwd=large,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    assert f'"files_checked": {RECORDS + 5}' in done.stdout
