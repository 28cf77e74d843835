"""`codeowners`: .github/CODEOWNERS written from the records, or checked against them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stratctl.api.writing import planning
from stratctl.codeowners import codeowners_text, read_codeowners
from stratctl.layout import codeowners_path
from stratctl.workspace import Workspace, ensure_readable


@dataclass(frozen=True)
class CodeownersOutcome:
    """The file as it is (None: missing), as the records give it, and whether it was written."""

    path: Path
    current: str | None
    expected: str
    written: bool

    @property
    def in_step(self) -> bool:
        return self.current == self.expected


def codeowners(space: Workspace, *, check: bool) -> CodeownersOutcome:
    """Write .github/CODEOWNERS from the records unless it is in step already or `check` only asks."""
    path = codeowners_path(space.root)
    with planning(space) as plan:
        repository = ensure_readable(plan.loaded).repository
        text = codeowners_text(repository, space.config.codeowners_default)
        current = read_codeowners(path)
        if current == text or check:
            return CodeownersOutcome(path, current, text, written=False)
        plan.put(path, text)
        plan.write()
        return CodeownersOutcome(path, current, text, written=True)
