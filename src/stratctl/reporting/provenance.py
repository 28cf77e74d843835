"""Where a report's data came from: the stratctl version and the git commit of the records."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from stratctl import __version__
from stratctl.layout import templates_dir


@dataclass(frozen=True, slots=True)
class Provenance:
    version: str
    commit: str | None  # None: the data is not in a git repository
    dirty: bool  # uncommitted changes to the data or the repository's templates
    committed: str | None = None  # the commit's date (ISO 8601): a PDF's creation date, so a rebuild is identical

    @property
    def describe(self) -> str:
        if self.commit is None:
            return f"stratctl {self.version}; data not under git"
        state = "with uncommitted changes" if self.dirty else "clean"
        return f"stratctl {self.version}; data at commit {self.commit[:12]} ({state})"


def provenance(data_dir: Path) -> Provenance:
    """The git commit of `data_dir` and whether its work tree differs from it."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(data_dir), *args], capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    found = git("log", "-1", "--format=%H %cI")
    if not found:
        return Provenance(__version__, None, False)
    commit, _, committed = found.partition(" ")
    templates = templates_dir(data_dir.parent)
    watched = [str(data_dir)] + ([str(templates)] if templates.is_dir() else [])
    status = git("status", "--porcelain", "--", *watched)
    return Provenance(__version__, commit, bool(status), committed or None)
