"""What every command shares: exit codes and how stratctl says it cannot run."""

from __future__ import annotations

import sys

import typer

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2
"""0 clean; 1 findings at error level (or warnings, with --strict); 2 stratctl could not run."""


def fail(message: str) -> typer.Exit:
    """Print why stratctl cannot run, and the exit to raise."""
    from stratctl.reporters import printable

    sys.stderr.write(f"stratctl: error: {printable(message)}\n")
    return typer.Exit(EXIT_CANNOT_RUN)
