"""`stratctl diff`: what changed in the records between two git refs (or a ref and the work tree)."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.text import Text

from stratctl.changeset import ChangeSet, attach_authors, build_changeset, describe_edit
from stratctl.cli.common import EXIT_OK, workspace, write_json
from stratctl.gitrefs import (
    commits_by_path,
    describe,
    last_tag,
    list_records,
    read_listing,
    texts_at,
    uncommitted_paths,
    user_ref,
    work_tree_root,
)
from stratctl.loading import load_texts, reusable
from stratctl.reporters import printable
from stratctl.reporters.console import Console
from stratctl.reporting.changes import changeset_markdown
from stratctl.workspace import ensure_readable


def run_diff(start: str | None, end: str | None, fmt: str, data: Path | None, authors: bool = False) -> int:
    for given, name in ((start, "FROM"), (end, "TO")):
        if given is not None:
            user_ref(given, name)
    space = workspace(data)
    data_dir = space.data_dir
    root = work_tree_root(data_dir)
    if start is None:
        start = last_tag(root) or "HEAD"
    notes: list[str] = []  # entries at a ref that are not files (a submodule): not read, and said so
    # the far side first: FROM's files whose blob TO has a record of are neither read from git nor parsed
    listing = list_records(root, start, data_dir, notes)
    after = (
        load_texts(data_dir, texts_at(root, end, data_dir, notes), cache=space.read_cache()) if end else space.load()
    )
    texts = read_listing(root, listing, reusable(data_dir, listing.blobs, [after]))
    before = ensure_readable(
        load_texts(data_dir, texts, blobs=listing.blobs, reuse=[after], cache=space.read_cache()), f" at {start}"
    )
    ensure_readable(after, f" at {end}" if end else " in the work tree")
    heading = f"Changes from {describe(root, start)} to {describe(root, end) if end else 'the work tree'}"
    changeset = build_changeset(before, after)
    if authors:
        attach_authors(
            changeset,
            commits_by_path(data_dir, start, end),
            uncommitted_paths(data_dir) if end is None else set(),
            data_dir,
        )
    for note in notes:
        sys.stderr.write(f"stratctl: note: {printable(note)}\n")
    if fmt == "json":
        document = {
            "from": start,
            "to": end,
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
