"""Reading a strategy repository's records as they were at a git ref."""

from __future__ import annotations

import subprocess
from pathlib import Path

from stratctl.errors import StratctlError


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        raise StratctlError(f"git could not run: {error}") from None
    if done.returncode != 0:
        raise StratctlError(f"git {' '.join(args[:2])}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def work_tree_root(path: Path) -> Path:
    return Path(_git(path, "rev-parse", "--show-toplevel").decode().strip())


def last_tag(root: Path) -> str | None:
    """The most recent tag reachable from HEAD, or None."""
    try:
        return _git(root, "describe", "--tags", "--abbrev=0").decode().strip() or None
    except StratctlError:
        return None


def describe(root: Path, ref: str) -> str:
    """`ref` with its short commit, for headings: `v2021-q2 (3f2a1c9)`."""
    commit = _git(root, "rev-parse", "--short=9", f"{ref}^{{commit}}").decode().strip()
    return ref if ref.startswith(commit) else f"{ref} ({commit})"


def texts_at(root: Path, ref: str, folder: Path) -> dict[str, str]:
    """Every file under `folder` at `ref`, by path relative to `folder`, in one batch."""
    relative = folder.resolve().relative_to(root.resolve()).as_posix()
    listing = _git(root, "ls-tree", "-r", "-z", "--name-only", ref, "--", relative).decode()
    paths = [p for p in listing.split("\0") if p]
    if not paths:
        return {}
    request = "".join(f"{ref}:{p}\n" for p in paths).encode()
    output = _git(root, "cat-file", "--batch", stdin=request)
    texts: dict[str, str] = {}
    offset = 0
    for path in paths:
        header_end = output.index(b"\n", offset)
        size = int(output[offset:header_end].split()[2])
        body = output[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
        texts[path[len(relative) + 1 :]] = body.decode("utf-8", errors="replace")
    return texts
