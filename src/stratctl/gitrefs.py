"""Reading a strategy repository's records as they were at a git ref.

A ref comes from the command line, so it is checked before git sees it (one beginning with '-'
would be read as an option) and resolved once to a commit id with `--end-of-options`; every later
git command is given object ids only. Files are listed with `ls-tree -z` (any byte may be in a
name, a newline included) and read by object id through one `cat-file --batch`; entries that are
not files (a submodule's gitlink, a symbolic link) are not read, and said so.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from stratctl.errors import StratctlError
from stratctl.kinds import is_record_name, kind_of_folder
from stratctl.reading import MAX_RECORD_BYTES


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Git's output for `git -C root ARGS`; StratctlError, with git's own reason, when it cannot run or fails.

    For commands that cannot go on without git (sign-off, diff); `git_or_none` for checks that must not stop.
    """
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], input=stdin, capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise StratctlError(f"git could not run: {error}") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.decode(errors="replace").splitlines() if line.strip()]
        reason = next(
            (line for line in lines if line.startswith(("fatal:", "error:"))), lines[0] if lines else "failed"
        )
        raise StratctlError(f"git {' '.join(args[:2])}: {reason.strip()}")
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


_CONTROL_OR_BACKSLASH = re.compile("[\x00-\x1f\x7f-\x9f\\\\]")


def tree_path_problem(path: str) -> str | None:
    """Why a path from a git tree may not be written below a folder, or None if it may.

    A git tree is whatever its maker wrote (`git mktree` takes any name): an entry named `..` walks
    out of the folder it is written into, and `.git` into a repository's own machinery. So every
    component is checked before anything is written: not empty, `.` or `..`, no `.git` (in any
    case, or with the trailing dots and spaces Windows drops, or its short name `git~1`), no control
    character (a newline would also forge a line wherever the name is written) and no backslash
    (a separator on Windows).
    """
    if path.startswith("/"):
        return "it is an absolute path"
    for part in path.split("/"):
        if part in ("", ".", ".."):
            return f"it has a {part!r} component" if part else "it has an empty component"
        if part.rstrip(". ").lower() in (".git", "git~1"):
            return "it names a .git folder"
        if _CONTROL_OR_BACKSLASH.search(part):
            return "it holds a control character or a backslash"
    return None


def user_ref(ref: str, option: str = "ref") -> str:
    """`ref`, if git may be given it as a revision: not empty, not an option, one line."""
    if not ref.strip() or ref.startswith("-") or any(c in ref for c in "\0\n\r"):
        raise StratctlError(
            f"{option} {ref!r} is not a git ref (a ref may not be empty, begin with '-' or hold a line break)"
        )
    return ref


def resolve(root: Path, ref: str) -> str:
    """The commit id `ref` names (a branch, a tag, HEAD~2, :/message...), or StratctlError."""
    user_ref(ref)
    try:
        named = git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", ref).decode().strip()
        # peeled separately: 'REF^{commit}' would change what ':/message' searches for
        commit = (
            git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{named}^{{commit}}").decode().strip()
        )
    except StratctlError:
        raise StratctlError(f"git: {ref!r} is not a commit in this repository") from None
    if not commit:
        raise StratctlError(f"git: {ref!r} is not a commit in this repository")
    return commit


def work_tree_root(path: Path) -> Path:
    """The top of the git work tree holding `path`; StratctlError, saying so plainly, outside one."""
    top = git_or_none(path, "rev-parse", "--show-toplevel")
    if top is None:
        git(path, "--version")  # git itself missing: that error, not the one below
        raise StratctlError(
            f"{path} is not in a git repository: comparing with a git ref needs one (git init, then commit the records)"
        )
    return Path(top.decode().strip())


def last_tag(root: Path) -> str | None:
    """The most recent tag reachable from HEAD, or None."""
    try:
        return git(root, "describe", "--tags", "--abbrev=0").decode().strip() or None
    except StratctlError:
        return None


def describe(root: Path, ref: str) -> str:
    """`ref` with its short commit, for headings: `v2021-q2 (3f2a1c9)`."""
    commit = resolve(root, ref)[:9]
    return ref if ref.startswith(commit) else f"{ref} ({commit})"


def blobs_at(folder: Path, ref: str, *paths: str) -> dict[str, str]:
    """Blob id of every file under `folder` (or under `paths` within it) at `ref`, by path relative to `folder`.

    `git -C folder ls-tree` lists paths relative to `folder`, so this works wherever the folder
    sits inside the git repository.
    """
    listing = git(folder, "ls-tree", "-r", "-z", resolve(folder, ref), "--", *(paths or (".",)))
    blobs: dict[str, str] = {}
    for entry in listing.decode("utf-8", errors="surrogateescape").split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        _mode, kind, blob = meta.split()
        if kind == "blob":
            blobs[path] = blob
    return blobs


def read_blobs(root: Path, blob_ids: list[str], names: dict[str, str] | None = None) -> dict[str, bytes]:
    """The content of each blob, read in one `git cat-file --batch` (each id once). A blob git cannot
    give is an error naming it by `names` (what the caller calls it, a file at a ref), else by its id."""
    wanted = list(dict.fromkeys(blob_ids))
    if not wanted:
        return {}
    output = git(root, "cat-file", "--batch", stdin="".join(f"{blob}\n" for blob in wanted).encode())
    contents: dict[str, bytes] = {}
    offset = 0
    for blob in wanted:
        header_end = output.find(b"\n", offset)
        header = output[offset:header_end].split() if header_end != -1 else []
        if len(header) != 3 or header[0].decode() != blob or header[1] != b"blob":
            raise StratctlError(f"git cat-file could not read {(names or {}).get(blob, blob)}")
        size = int(header[2])
        contents[blob] = output[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return contents


@dataclass(frozen=True)
class RefListing:
    """The record files under a folder at a ref: each one's path relative to the folder, and its blob id."""

    ref: str
    relative: str  # the folder, relative to the work tree's root
    blobs: dict[str, str]


def texts_at(root: Path, ref: str, folder: Path, notes: list[str] | None = None) -> dict[str, str]:
    """Every record file under `folder` at `ref` (trust.yaml and the record folders' .yaml/.yml files),
    by path relative to `folder`, read in one batch.

    An entry that is not a file is not read: a note for it goes to `notes` (when given), or, if it
    stands where a record would (data/objectives/x.yaml as a submodule), StratctlError, since a
    record left out would read as a record removed. A record over the 1 MiB cap is refused before
    git is asked for it; other files are never read at all.
    """
    return read_listing(root, list_records(root, ref, folder, notes))


def list_records(root: Path, ref: str, folder: Path, notes: list[str] | None = None) -> RefListing:
    """What `texts_at` reads, listed with one `ls-tree` and checked, but not read yet."""

    commit = resolve(root, ref)
    try:
        relative = folder.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise StratctlError(f"{folder} is not inside the git work tree {root}") from None
    listing = git(root, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", relative)
    files: dict[str, str] = {}  # path relative to folder -> blob id
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        fields = meta.split()
        path = raw_path.decode("utf-8", errors="replace")
        inside = path[len(relative) + 1 :] if relative not in ("", ".") else path
        if len(fields) != 4:
            raise StratctlError(f"git ls-tree gave an entry stratctl cannot read: {entry[:80]!r}")
        mode, kind, oid, size = (field.decode() for field in fields)
        if kind != "blob" or mode == "120000":
            what = (
                "a submodule (gitlink)"
                if kind == "commit"
                else ("a symbolic link" if mode == "120000" else f"a {kind}")
            )
            if _is_record_path(inside):
                raise StratctlError(f"{path} at {ref} is {what}, not a file: its record cannot be read")
            if notes is not None:
                notes.append(f"{path} at {ref} is {what}, not a file: not read")
            continue
        if not _is_record_path(inside):
            continue
        if size.isdigit() and int(size) > MAX_RECORD_BYTES:
            raise StratctlError(f"{path} at {ref} is {int(size):,} bytes, more than a record may be (1 MiB)")
        files[inside] = oid
    return RefListing(ref, relative, files)


def read_listing(root: Path, listing: RefListing, skip: Container[str] = ()) -> dict[str, str]:
    """The text of each file listed, read in one `cat-file --batch`; a path in `skip` (the caller has
    its record already, from the work tree or another ref) is not read, and has no text here."""
    files = {inside: oid for inside, oid in listing.blobs.items() if inside not in skip}
    relative, ref = listing.relative, listing.ref
    contents = read_blobs(
        root, list(files.values()), {oid: f"{relative}/{inside} at {ref}" for inside, oid in files.items()}
    )
    texts: dict[str, str] = {}
    for inside, oid in files.items():
        try:
            texts[inside] = contents[oid].decode("utf-8")
        except UnicodeDecodeError:
            raise StratctlError(f"{relative}/{inside} at {ref} is not UTF-8 text: its record cannot be read") from None
    return texts


def _is_record_path(inside: str) -> bool:
    parts = inside.split("/")
    if parts == ["trust.yaml"]:
        return True

    return len(parts) == 2 and kind_of_folder(parts[0]) is not None and is_record_name(parts[1])


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
        return {
            "commit": self.commit,
            "name": self.name,
            "email": self.email,
            "date": self.date,
            "subject": self.subject,
        }


def commits_by_path(folder: Path, start: str, end: str | None) -> dict[str, list[Commit]]:
    """The commits after `start` up to `end` (default HEAD) that changed each file under `folder`, newest first.

    One `git log` stream; paths are relative to `folder`.
    """
    span = f"{resolve(folder, start)}..{resolve(folder, end) if end else 'HEAD'}"
    output = git(
        folder,
        "log",
        "--relative",
        "--name-only",
        "-z",
        "--no-color",
        "--format=%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%s",
        span,
        "--",
        ".",
    )
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
    changed = git(folder, "diff", "--name-only", "-z", "--relative", "HEAD", "--", ".")
    untracked = git(folder, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    return {name for name in (changed + b"\0" + untracked).decode("utf-8", errors="replace").split("\0") if name}
