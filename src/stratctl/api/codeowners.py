"""`codeowners`: .github/CODEOWNERS written from the records, or checked against them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stratctl.api.writing import planning
from stratctl.codeowners import codeowners_text, read_codeowners, unowned
from stratctl.errors import FindingsError
from stratctl.findings import Severity
from stratctl.layout import codeowners_path
from stratctl.workspace import Workspace, ensure_readable

OWNER_RULES = ("O001", "O003")
"""What validate finds that CODEOWNERS cannot say: a reviewer it cannot name (GitHub would ignore the
line), a record file name it cannot write (it would inject a line of its own)."""


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

    @property
    def unowned(self) -> list[str]:
        """What no one reviews: the records (and trust.yaml, templates ...) the file gives no owner."""
        return unowned(self.expected)


def codeowners(space: Workspace, *, check: bool) -> CodeownersOutcome:
    """Write .github/CODEOWNERS from the records unless it is in step already or `check` only asks.

    Refused (FindingsError, exit 1, nothing written) while validate finds a reviewer CODEOWNERS cannot
    name or a record file name it cannot write: the file would leave records without the review it
    promises, silently; `--check` fails on them too.
    """
    path = codeowners_path(space.root)
    with planning(space) as plan:
        loaded = ensure_readable(plan.loaded)
        problems = [f for f in plan.check(loaded).findings if f.code in OWNER_RULES and f.severity == Severity.ERROR]
        if problems:
            raise FindingsError(
                f"{len(problems)} problem(s) with who reviews the records, which CODEOWNERS cannot say: "
                f"fix them, then run stratctl codeowners{' --check' if check else ''} again; nothing was written",
                problems,
            )
        text = codeowners_text(loaded.repository, space.config.codeowners_default)
        current = read_codeowners(path)
        if current == text or check:
            return CodeownersOutcome(path, current, text, written=False)
        plan.put(path, text)
        plan.write()
        return CodeownersOutcome(path, current, text, written=True)
