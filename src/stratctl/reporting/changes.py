"""What changed since a git ref, in Markdown: compact for the Board paper, in full for a pull request.

`to_markdown` is the Board paper's section (`stratctl report --since`): one table of what moved.
`changeset_markdown` is the pull request's summary (`stratctl diff --format md`): the same table,
then every record the pull request touches, field by field, in the paper's order.

The pull request's summary is posted by a bot, so every piece of text in it from the records, the
file names or git (an author's name is whatever its committer typed) is made inert there: control
and direction characters shown as their escapes, Markdown escaped, `&` written as `&amp;` (so no
entity turns into an `@`), and an `@` or `#` that GitHub would read as a mention or a reference
followed by a zero-width space, so that the comment never notifies anyone or links an issue. A file
name is shown in a code span whose fence no backtick in the name can close.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from stratctl.changeset import ChangeSet, RecordChange, show
from stratctl.diffing import LABELS, Change, listed_changes, year_turn_summary
from stratctl.plaintext import printable
from stratctl.reporting.render import md_cell

NO_CHANGE = "No change to positions, risk scores, comments or commitments."

_MENTION_OR_REFERENCE = re.compile(r"([@#])(?=[\w\\-])")
_ZERO_WIDTH_SPACE = "&#8203;"


def pr_cell(value: Any) -> Markup:
    """User text for the pull-request comment: one line, escaped, and unable to mention or reference anyone."""
    if value is None:
        return Markup("")
    text = str(md_cell(printable(str(value)))).replace("&", "&amp;")
    return Markup(_MENTION_OR_REFERENCE.sub(lambda m: m.group(1) + _ZERO_WIDTH_SPACE, text))


def code_span(value: str) -> str:
    """`value` as a Markdown code span, shown exactly (control characters as their escapes): fenced by
    one more backtick than its longest run of them, and padded where it starts or ends with one."""
    text = printable(value)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else text
    return f"{fence}{padded}{fence}"


def _rows(changes: list[Change], cell: Callable[[Any], Markup] = md_cell) -> list[str]:
    lines = ["| Change | Record | What changed |", "| --- | --- | --- |"]
    for c in changes:
        detail = f"{c.arrow} {c.detail}".strip()
        lines.append(f"| {LABELS[c.kind]} | {cell(c.id)}: {cell(c.title)} | {cell(detail)} |")
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
    lines = [f"### {pr_cell(heading)}", ""]
    if changeset.empty:
        return "\n".join([*lines, "No change to the records.", ""])
    if changeset.quarter_moved:
        lines += [f"The paper's quarter moves from {changeset.quarters[0]} to {changeset.quarters[1]}.", ""]
    lines += ["**In the Board paper**", ""]
    lines += (
        _rows(changeset.changes, pr_cell)
        if changeset.changes
        else ["Nothing moves: " + NO_CHANGE[0].lower() + NO_CHANGE[1:]]
    )
    count = len(changeset.records)
    lines += ["", f"**Record by record** ({count} record{'s' if count != 1 else ''} changed)", ""]
    for record in changeset.records:
        lines += _record(record)
    return "\n".join(lines)


def _record(record: RecordChange) -> list[str]:
    about = [code_span(record.path)]
    if record.status not in ("changed", "moved"):
        about.append(pr_cell(record.state))
    if record.authors:
        names = dict.fromkeys(f"{c.name} ({c.short})" for c in record.authors)
        about.append("changed by " + ", ".join(pr_cell(n) for n in names))
    if record.uncommitted:
        about.append("with uncommitted changes")
    if record.status == "moved":
        about.append(pr_cell(record.state))
    lines = [f"#### {pr_cell(record.heading)}", "", " · ".join(about), ""]
    if not record.moves and not record.edits:
        return lines
    lines += ["| What | Before | After |", "| --- | --- | --- |"]
    for move in record.moves:
        after = f"{move.after or '—'} {move.arrow}".strip()
        lines.append(f"| {pr_cell(move.label)} | {pr_cell(move.before or '—')} | {pr_cell(after)} |")
    for edit in record.edits:
        what = edit.label if edit.action == "changed" else f"{edit.label} ({edit.action})"
        lines.append(f"| {pr_cell(what)} | {pr_cell(show(edit.before))} | {pr_cell(show(edit.after))} |")
    return [*lines, ""]
