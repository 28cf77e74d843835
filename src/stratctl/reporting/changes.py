"""What changed since a git ref, in Markdown: compact for the Board paper, in full for a pull request.

`to_markdown` is the Board paper's section (`stratctl report --since`): one table of what moved.
`changeset_markdown` is the pull request's summary (`stratctl diff --format md`): the same table,
then every record the pull request touches, field by field, in the paper's order.
"""

from __future__ import annotations

from stratctl.changeset import ChangeSet, RecordChange, show
from stratctl.diffing import LABELS, Change, listed_changes, year_turn_summary
from stratctl.reporting.render import md_cell

NO_CHANGE = "No change to positions, risk scores, comments or commitments."


def _rows(changes: list[Change]) -> list[str]:
    lines = ["| Change | Record | What changed |", "| --- | --- | --- |"]
    for c in changes:
        detail = f"{c.arrow} {c.detail}".strip()
        lines.append(f"| {LABELS[c.kind]} | {md_cell(c.id)}: {md_cell(c.title)} | {md_cell(detail)} |")
    return lines


def to_markdown(changes: list[Change], heading: str) -> str:
    """The Board paper's Markdown section: the objectives that left the year in a sentence or two,
    then a row for each other change."""
    lines = [f"### {md_cell(heading)}", ""]
    if not changes:
        return "\n".join([*lines, NO_CHANGE, ""])
    summary = year_turn_summary(changes)
    listed = listed_changes(changes)
    for sentence in summary:
        lines += [md_cell(sentence), ""]
    return "\n".join([*lines, *_rows(listed), ""] if listed else lines)


def changeset_markdown(changeset: ChangeSet, heading: str) -> str:
    """The pull request's summary: what moves in the paper, then each changed record in the paper's order."""
    lines = [f"### {md_cell(heading)}", ""]
    if changeset.empty:
        return "\n".join([*lines, "No change to the records.", ""])
    if changeset.quarter_moved:
        lines += [f"The paper's quarter moves from {changeset.quarters[0]} to {changeset.quarters[1]}.", ""]
    lines += ["**In the Board paper**", ""]
    lines += (
        _rows(changeset.changes) if changeset.changes else ["Nothing moves: " + NO_CHANGE[0].lower() + NO_CHANGE[1:]]
    )
    count = len(changeset.records)
    lines += ["", f"**Record by record** ({count} record{'s' if count != 1 else ''} changed)", ""]
    for record in changeset.records:
        lines += _record(record)
    return "\n".join(lines)


def _record(record: RecordChange) -> list[str]:
    about = [f"`{md_cell(record.path)}`"]
    if record.status not in ("changed", "moved"):
        about.append(md_cell(record.state))
    if record.authors:
        names = dict.fromkeys(f"{c.name} ({c.short})" for c in record.authors)
        about.append("changed by " + ", ".join(md_cell(n) for n in names))
    if record.uncommitted:
        about.append("with uncommitted changes")
    if record.status == "moved":
        about.append(md_cell(record.state))
    lines = [f"#### {md_cell(record.heading)}", "", " · ".join(about), ""]
    if not record.moves and not record.edits:
        return lines
    lines += ["| What | Before | After |", "| --- | --- | --- |"]
    for move in record.moves:
        after = f"{move.after or '—'} {move.arrow}".strip()
        lines.append(f"| {md_cell(move.label)} | {md_cell(move.before or '—')} | {md_cell(after)} |")
    for edit in record.edits:
        what = edit.label if edit.action == "changed" else f"{edit.label} ({edit.action})"
        lines.append(f"| {md_cell(what)} | {md_cell(show(edit.before))} | {md_cell(show(edit.after))} |")
    return [*lines, ""]
