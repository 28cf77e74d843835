"""`stratctl diff`: what changed in the records between two git refs (or a ref and the work tree)."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.text import Text

from stratctl.api.changes import diff
from stratctl.changeset import ChangeSet, describe_edit
from stratctl.cli.common import EXIT_OK, workspace, write_json
from stratctl.diffing import LABELS
from stratctl.gitrefs import user_ref
from stratctl.plaintext import printable
from stratctl.reporters.console import Console
from stratctl.reporting.changes import changeset_markdown


def run_diff(start: str | None, end: str | None, fmt: str, data: Path | None, authors: bool = False) -> int:
    for given, name in ((start, "FROM"), (end, "TO")):
        if given is not None:
            user_ref(given, name)  # before the repository is looked for: a bad ref is a usage error
    found = diff(workspace(data), start, end, authors=authors)
    changeset, heading, notes = found.changeset, found.heading, found.notes
    for note in notes:
        sys.stderr.write(f"stratctl: note: {printable(note)}\n")
    if fmt == "json":
        document = {
            "from": found.start,
            "to": found.end,
            "quarters": {"from": changeset.quarters[0], "to": changeset.quarters[1]},
            "changes": [c.to_dict() for c in changeset.changes],
            "records": [r.to_dict() for r in changeset.records],
        }
        write_json(document, sys.stdout)
    elif fmt == "md":
        sys.stdout.write(changeset_markdown(changeset, heading))
    else:
        _print_text(changeset, heading)
    return EXIT_OK


def _print_text(changeset: ChangeSet, heading: str) -> None:
    console = Console(highlight=False, soft_wrap=True)
    console.print(Text(printable(heading), style="bold"))
    if changeset.empty:
        console.print("No change to the records.")
        return
    if changeset.quarter_moved:
        console.print(printable(f"The paper's quarter moves from {changeset.quarters[0]} to {changeset.quarters[1]}."))
    if not changeset.changes:
        console.print("Nothing moves in the Board paper: no change to positions, risk scores, comments or commitments.")
    turned = changeset.year_turn
    if turned:  # records whose files did not change: they left or entered the year, or the BAF
        console.print()
        console.print(Text("Into or out of the view, their files unchanged", style="bold"))
        for change in turned:
            line = Text(f"  {LABELS[change.kind]:<25}", style="bold")
            line.append(printable(f"{change.id}: {change.title}: {change.detail}"))
            console.print(line)
    for record in changeset.records:
        console.print()
        title = Text(printable(record.heading), style="bold")
        about = [record.path] if record.kind != "trust" else []
        about += [record.state] if record.status != "changed" else []
        if about:
            title.append(printable(f"  ({'; '.join(about)})"))
        console.print(title)
        for move in record.moves:
            line = Text(f"  {move.label:<25}", style="bold")
            line.append(printable(f"{move.arrow} {move.detail}".strip()))
            console.print(line)
        for edit in record.edits:
            console.print(Text("  " + printable(describe_edit(edit))))
        for commit in record.authors:
            console.print(
                Text(
                    printable(
                        f"  changed by {commit.name} <{commit.email}> in {commit.short} "
                        f"({commit.date[:10]}): {commit.subject}"
                    ),
                    style="dim",
                )
            )
        if record.uncommitted:
            console.print(Text("  with uncommitted changes in the work tree", style="dim"))
