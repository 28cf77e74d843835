"""Inline suppression: `# stratctl: noqa: CODE -- reason` on the line of a finding."""

from __future__ import annotations

import re

from stratctl.findings import Severity
from stratctl.rules.registry import declare

UNUSED_SUPPRESSION = declare(
    "N001",
    "unused-suppression",
    Severity.WARNING,
    """
    A `# stratctl: noqa: CODE` comment that suppresses nothing: the problem was
    fixed, or the code is wrong. Remove it so that it cannot hide a later problem.

    Bad:
        lead: COO  # stratctl: noqa: R001 -- was CPOO before the rename
    Good:
        lead: COO
    """,
)

NOQA = re.compile(r"#\s*stratctl:\s*noqa:\s*(?P<codes>[A-Za-z][A-Za-z0-9-]*(?:\s*,\s*[A-Za-z][A-Za-z0-9-]*)*)")
MARKER = "stratctl:"


def suppressions(text: str) -> dict[int, tuple[int, set[str]]]:
    """Line number -> (column of the comment, codes or rule names it suppresses)."""
    found: dict[int, tuple[int, set[str]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if MARKER in line:
            match = NOQA.search(line)
            if match:
                codes = {c.strip() for c in match["codes"].split(",")}
                found[number] = (match.start() + 1, codes)
    return found
