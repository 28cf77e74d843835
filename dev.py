#!/usr/bin/env python3
"""Run stratctl or its tests from a fresh clone: sets up .venv on first use.

    python3 dev.py stratctl validate      # any stratctl command, on the bundled example trust
    python3 dev.py test                   # the test suite, on every core (extra arguments go to pytest)

Needs only Python 3.11+. stratctl is installed into .venv on first use, and again only when
pyproject.toml changes or a command needs an extra (test, browser, bench) not yet installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".stratctl-installed"
# The optional dependencies (pyproject.toml) each command needs: PDF papers everywhere (WeasyPrint),
# the browser tests' client for `test`, the peers compared with for `bench`.
EXTRAS = {
    "stratctl": frozenset({"test", "pdf"}),
    "test": frozenset({"test", "browser", "pdf"}),
    "bench": frozenset({"test", "bench", "pdf"}),
}


def stamp_text(pyproject: bytes, extras: frozenset[str]) -> str:
    """What the stamp records: the pyproject.toml installed from, and the extras installed with it."""
    return hashlib.sha256(pyproject).hexdigest() + "\n" + ",".join(sorted(extras)) + "\n"


def extras_to_install(stamp: str | None, pyproject: bytes, wanted: frozenset[str]) -> frozenset[str] | None:
    """None if `wanted` is already installed from this pyproject.toml; otherwise the extras to install.

    Extras only accumulate: asking for more installs them together with those already there, so
    alternating commands that need different extras installs once, not every time.
    """
    digest, _, extras = (stamp or "").partition("\n")
    if digest != hashlib.sha256(pyproject).hexdigest():
        return wanted  # first run, or pyproject.toml changed: what was installed before no longer counts
    installed = frozenset(filter(None, extras.strip().split(",")))
    return None if wanted <= installed else installed | wanted


def pytest_arguments(given: list[str]) -> list[str]:
    """`given`, run on every core with pytest-xdist unless it turns xdist off (`-p no:xdist`): `-n auto`
    unless it names a number of workers itself, and `--dist loadgroup` unless it names a way to share the
    tests out (the browser tests are one group, so one worker launches Chromium for them all)."""
    if any(a in ("no:xdist", "-pno:xdist") for a in given):
        return given
    workers = any(a in ("-n", "--numprocesses") or a.startswith(("-n", "--numprocesses=")) for a in given)
    dist = any(a == "--dist" or a.startswith("--dist=") for a in given)
    return [*([] if workers else ["-n", "auto"]), *([] if dist else ["--dist", "loadgroup"]), *given]


def _ensure_environment(wanted: frozenset[str]) -> None:
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    stamp = STAMP.read_text() if STAMP.exists() and PYTHON.exists() else None
    extras = extras_to_install(stamp, pyproject, wanted)
    if extras is None:
        return
    if not PYTHON.exists():
        print("dev.py: creating .venv (first run only)", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    listed = f"[{','.join(sorted(extras))}]"
    print(f"dev.py: installing stratctl{listed} into .venv", file=sys.stderr)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "-e", f".{listed}"], check=True, cwd=ROOT)
    STAMP.write_text(stamp_text(pyproject, extras))


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        print("dev.py: stratctl needs Python 3.11 or newer", file=sys.stderr)
        return 2
    if not argv or argv[0] not in ("stratctl", "test", "bench"):
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    _ensure_environment(EXTRAS[command])
    if command == "stratctl":
        # build/ is where the README's examples write papers (git ignores it); stratctl itself creates
        # no folder for --output, so a mistyped path is an error rather than a new folder
        (ROOT / "build").mkdir(exist_ok=True)
        return subprocess.run([str(BIN / "stratctl"), *rest], cwd=ROOT).returncode
    if command == "test":
        return subprocess.run([str(PYTHON), "-m", "pytest", *pytest_arguments(rest)], cwd=ROOT).returncode
    return subprocess.run([str(PYTHON), "benchmarks/run_validate_benchmark.py", *rest], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
