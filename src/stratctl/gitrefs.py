"""Reading a strategy repository's records as they were at a git ref.

Git is driven through its command line with argument lists, never a shell. A ref a person gives
is checked by `user_ref` first: one beginning with `-` would be read by git as an option.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
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


def git_or_none(root: Path, *args: str, timeout: float = 30) -> bytes | None:
    """Git's output, or None when git is absent, `root` is not in a repository, or the command fails.

    For checks that must never stop a command because git is missing (validate).
    """
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def user_ref(ref: str, option: str = "ref") -> str:
    """A ref given on the command line, refused if git could take it for an option."""
    if ref.startswith("-") or not ref.strip() or "\0" in ref:
        raise StratctlError(f"{option} {ref!r} is not a git ref: refs beginning with '-' (or empty) are refused")
    return ref


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
    commit = _git(root, "rev-parse", "--short=9", "--verify", "--end-of-options", f"{user_ref(ref)}^{{commit}}").decode().strip()
    return ref if ref.startswith(commit) else f"{ref} ({commit})"


def commit_of(root: Path, ref: str) -> str:
    """The full commit id `ref` names."""
    return _git(root, "rev-parse", "--verify", "--end-of-options", f"{user_ref(ref)}^{{commit}}").decode().strip()


def blobs_at(folder: Path, ref: str, *paths: str) -> dict[str, str]:
    """Blob id of every file under `folder` (or under `paths` within it) at `ref`, by path relative to `folder`.

    `git -C folder ls-tree` lists paths relative to `folder`, so this works wherever the folder
    sits inside the git repository.
    """
    listing = _git(folder, "ls-tree", "-r", "-z", "--end-of-options", user_ref(ref), "--", *(paths or (".",)))
    blobs: dict[str, str] = {}
    for entry in listing.decode("utf-8", errors="surrogateescape").split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        _mode, kind, blob = meta.split()
        if kind == "blob":
            blobs[path] = blob
    return blobs


def read_blobs(root: Path, blob_ids: list[str]) -> dict[str, bytes]:
    """The content of each blob, read in one `git cat-file --batch`."""
    wanted = list(dict.fromkeys(blob_ids))
    if not wanted:
        return {}
    output = _git(root, "cat-file", "--batch", stdin="".join(f"{blob}\n" for blob in wanted).encode())
    contents: dict[str, bytes] = {}
    offset = 0
    for blob in wanted:
        header_end = output.index(b"\n", offset)
        header = output[offset:header_end].split()
        if len(header) < 3 or header[1] != b"blob":
            raise StratctlError(f"git cat-file: {blob} is not a readable blob")
        size = int(header[2])
        contents[blob] = output[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return contents


def texts_at(root: Path, ref: str, folder: Path) -> dict[str, str]:
    """Every file under `folder` at `ref`, by path relative to `folder`, in one batch."""
    del root  # the folder is enough: git finds its repository from it
    blobs = blobs_at(folder, ref)
    contents = read_blobs(folder, list(blobs.values()))
    return {path: contents[blob].decode("utf-8", errors="replace") for path, blob in blobs.items()}


@dataclass(frozen=True, slots=True)
class Commit:
    """A commit that changed a file: who, when and why."""

    commit: str
    name: str
    email: str
    date: str
    subject: str

    @property
    def short(self) -> str:
        return self.commit[:9]

    def to_dict(self) -> dict[str, str]:
        return {"commit": self.commit, "name": self.name, "email": self.email, "date": self.date, "subject": self.subject}


def commits_by_path(folder: Path, start: str, end: str | None) -> dict[str, list[Commit]]:
    """The commits after `start` up to `end` (default HEAD) that changed each file under `folder`, newest first.

    One `git log` stream; paths are relative to `folder`.
    """
    span = f"{user_ref(start)}..{user_ref(end) if end else 'HEAD'}"
    output = _git(folder, "log", "--relative", "--name-only", "-z", "--no-color",
                  "--format=%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%s", span, "--", ".")
    found: dict[str, list[Commit]] = {}
    for chunk in output.decode("utf-8", errors="replace").split("\x1e"):
        if not chunk.strip("\0\n"):
            continue
        header, _, names = chunk.partition("\0")
        parts = header.split("\x1f")
        if len(parts) != 5:
            continue
        commit = Commit(*parts)
        for name in names.split("\0"):
            name = name.strip("\n")
            if name:
                found.setdefault(name, []).append(commit)
    return found


def uncommitted_paths(folder: Path) -> set[str]:
    """Files under `folder` whose work-tree content differs from HEAD, new files included; relative to `folder`."""
    changed = _git(folder, "diff", "--name-only", "-z", "--relative", "HEAD", "--", ".")
    untracked = _git(folder, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    return {name for name in (changed + b"\0" + untracked).decode("utf-8", errors="replace").split("\0") if name}
