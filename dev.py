#!/usr/bin/env python3
"""Run stratctl or its tests from a fresh clone: sets up .venv on first use.

    python3 dev.py stratctl validate      # any stratctl command, on the bundled example trust
    python3 dev.py test                   # the test suite (extra arguments go to pytest)

Needs only Python 3.11+. The virtual environment is rebuilt when pyproject.toml changes.
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


def _ensure_environment(extras: str) -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("dev.py: creating .venv (first run only)", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(f"dev.py: installing stratctl{extras} into .venv", file=sys.stderr)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "-e", f".{extras}"], check=True, cwd=ROOT)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        print("dev.py: stratctl needs Python 3.11 or newer", file=sys.stderr)
        return 2
    if not argv or argv[0] not in ("stratctl", "test", "bench"):
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    _ensure_environment({"bench": "[test,bench]", "test": "[test,browser]"}.get(command, "[test]"))
    if command == "stratctl":
        return subprocess.run([str(BIN / "stratctl"), *rest], cwd=ROOT).returncode
    if command == "test":
        return subprocess.run([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT).returncode
    return subprocess.run([str(PYTHON), "benchmarks/run_validate_benchmark.py", *rest], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
