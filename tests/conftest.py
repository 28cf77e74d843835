"""Shared fixtures: a small valid repository copied per test, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from stratctl.cli.app import app

if TYPE_CHECKING:
    from stratctl.authoring.formatting import FormatResult

# stratctl's cache goes to a folder of this process's own, never into the source tree or a fixture, and
# the secret that seals its entries to a user's folder of its own, not the user's home. Each pytest-xdist
# worker is a process that imports this file, so no two workers share a cache; set here, before any test
# module is imported, so that nothing reaches the default folders first.
CACHE_FOLDERS = {
    "STRATCTL_CACHE_DIR": tempfile.mkdtemp(prefix="stratctl-test-cache-"),
    "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="stratctl-test-user-cache-"),
}
os.environ.update(CACHE_FOLDERS)


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in CACHE_FOLDERS.values():
        shutil.rmtree(folder, ignore_errors=True)


# No property test has a clock: a draw that takes 300 ms on a loaded CI runner is as right as one that
# takes 30 (timings belong in the benchmark), so hypothesis's deadline and too-slow health check are off.
settings.register_profile("stratctl", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("stratctl")

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).parent.parent


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the minimal valid repository; the working folder is its root."""
    root = tmp_path / "trust-repo"
    shutil.copytree(FIXTURES / "minimal", root)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def northfield(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the lifecycle fixture (a trust over two years under a strategy); the working folder is its root."""
    root = tmp_path / "northfield"
    shutil.copytree(FIXTURES / "lifecycle", root)
    monkeypatch.chdir(root)
    return root


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


class Stratctl(Protocol):
    """The `stratctl` fixture: runs the CLI in-process with these arguments."""

    def __call__(self, *args: str) -> Outcome: ...


@pytest.fixture
def stratctl(monkeypatch: pytest.MonkeyPatch) -> Stratctl:
    """Run the CLI in-process: stratctl("validate", "--strict") -> Outcome."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    runner = CliRunner()

    def run(*args: str) -> Outcome:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        return Outcome(result.exit_code, result.stdout, result.stderr)

    return run


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes, to prove a command changed nothing."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def format_in_place(path: Path, kind: str) -> FormatResult:
    """format_file, with the new text written back the way `stratctl fmt` writes it."""
    from stratctl.authoring.formatting import format_file
    from stratctl.rewrite import write_atomically

    result = format_file(path, kind)
    if result.text is not None:
        write_atomically(path, result.text)
    return result
