"""What changed since a git ref, as a Markdown section: for a pull-request comment or `stratctl diff`."""

from __future__ import annotations

from stratctl.diffing import LABELS, Change
from stratctl.reporting.render import md_cell


def to_markdown(changes: list[Change], heading: str) -> str:
    """A Markdown section, for a pull-request comment or the Board report (both use this one)."""
    lines = [f"### {md_cell(heading)}", ""]
    if not changes:
        return "\n".join([*lines, "No change to positions, risk scores, comments or commitments.", ""])
    lines += ["| Change | Record | What changed |", "| --- | --- | --- |"]
    for c in changes:
        detail = f"{c.arrow} {c.detail}".strip()
        lines.append(f"| {LABELS[c.kind]} | {md_cell(c.id)}: {md_cell(c.title)} | {md_cell(detail)} |")
    return "\n".join([*lines, ""])
