"""`diff`: every change to the records between two git refs (or a ref and the work tree)."""

from __future__ import annotations

from dataclasses import dataclass, field

from stratctl.changeset import ChangeSet, attach_authors, build_changeset
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
from stratctl.workspace import Workspace, ensure_readable


@dataclass
class Diff:
    """The changes between two sides, the refs as given and in words, and what was not read (`notes`)."""

    start: str
    end: str | None
    heading: str
    changeset: ChangeSet
    notes: list[str] = field(default_factory=list)


def diff(space: Workspace, start: str | None, end: str | None, *, authors: bool = False) -> Diff:
    """What changed from `start` (default: the last tag, else HEAD) to `end` (default: the work tree)."""
    for given, name in ((start, "FROM"), (end, "TO")):
        if given is not None:
            user_ref(given, name)
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
    return Diff(start, end, heading, changeset, notes)
