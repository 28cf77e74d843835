"""`stratctl diff`: what changed in the records between two git refs (or a ref and the work tree)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from stratctl.cli.common import EXIT_OK, fail
from stratctl.cli.status import ensure_readable
from stratctl.diffing import LABELS, compare
from stratctl.reporting.changes import to_markdown
from stratctl.errors import StratctlError
from stratctl.gitrefs import describe, last_tag, texts_at, work_tree_root
from stratctl.loading import find_data_dir, load_repository, load_texts
from stratctl.reporters import printable


def run_diff(start: str | None, end: str | None, fmt: str, data: Path | None) -> int:
    try:
        data_dir = data.resolve() if data else find_data_dir(Path.cwd())
        root = work_tree_root(data_dir)
        if start is None:
            start = last_tag(root) or "HEAD"
        notes: list[str] = []  # entries at a ref that are not files (a submodule): not read, and said so
        before = ensure_readable(load_texts(data_dir, texts_at(root, start, data_dir, notes)), f" at {start}")
        after = ensure_readable(
            load_texts(data_dir, texts_at(root, end, data_dir, notes)) if end else load_repository(data_dir),
            f" at {end}" if end else " in the work tree",
        )
        heading = f"Changes from {describe(root, start)} to {describe(root, end) if end else 'the work tree'}"
        changes = compare(before, after)
    except StratctlError as error:
        raise fail(str(error)) from None
    for note in notes:
        sys.stderr.write(f"stratctl: note: {printable(note)}\n")
    if fmt == "json":
        sys.stdout.write(json.dumps({"from": start, "to": end, "changes": [c.to_dict() for c in changes]}, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "md":
        sys.stdout.write(to_markdown(changes, heading))
    else:
        console = Console(highlight=False, soft_wrap=True)
        console.print(Text(printable(heading), style="bold"))
        if not changes:
            console.print("No change to positions, risk scores, comments or commitments.")
        for c in changes:
            line = Text(f"  {LABELS[c.kind]:<25}", style="bold")
            line.append(printable(f"{c.id}: {c.title}"))
            line.append(printable(f"  {c.arrow} {c.detail}".rstrip()))
            console.print(line)
    return EXIT_OK
