"""Board sign-off tags: `board/2021-22-Q3`, an annotated git tag on the commit whose paper the Board approved.

This module knows the tags alone: their names, which exist, what their messages say, and making
one. What a sign-off records and how a signed-off paper is rebuilt and checked is a use case
(stratctl.api.signoff); what `validate` holds signed-off records to is a rule (stratctl.rules.signoff).

Git is driven by its command line with argument lists; the only names passed to it are built here
(`board/2021-22-Q3`) or come from git itself.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from stratctl.gitrefs import git, git_or_none
from stratctl.periods import FinancialYear, Quarter

TAG_PREFIX = "board/"
_TAG = re.compile(r"board/([0-9]{4})-([0-9]{2})-Q([1-4])", re.ASCII)
"""ASCII digits only: `\\d` also matches full-width and other scripts' digits, which int() reads, so
`board/２０２１-２２-Q3` would have counted as the sign-off of 2021/22 Q3."""


@dataclass(frozen=True, slots=True)
class SignOff:
    """One Board sign-off: a tag `board/<year>-Q<n>` on the commit whose paper the Board approved."""

    tag: str  # board/2021-22-Q3
    quarter: Quarter
    commit: str  # the commit signed off
    object: str  # the tag object (differs if the tag is ever made again)


@dataclass(frozen=True, slots=True)
class NotASignOff:
    """A tag under board/ that is not a sign-off: named like one but not annotated (a lightweight tag
    holds no message, so no digest, and anyone can make one), or annotated on something not a commit."""

    tag: str
    quarter: Quarter
    object: str  # what the ref points at (the commit, for a lightweight tag)
    why: str


def tag_name(quarter: Quarter) -> str:
    """`board/2021-22-Q3`: a tag name cannot hold the year's `/`."""
    return f"{TAG_PREFIX}{quarter.year.start}-{(quarter.year.start + 1) % 100:02d}-Q{quarter.number}"


def quarter_of_tag(name: str) -> Quarter | None:
    match = _TAG.fullmatch(name)
    if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
        return None
    return Quarter(FinancialYear(int(match[1])), int(match[3]))


def board_signoffs(folder: Path, merged: str | None = "HEAD") -> list[SignOff] | None:
    """The sign-offs whose commits `merged` contains (all of them with None), oldest quarter first.

    A sign-off is an annotated tag on a commit named exactly `board/YYYY-YY-Qn` in ASCII: a
    lightweight tag, or a name in other digits, is not one, and is ignored here (see board_tags).
    One `git for-each-ref`; None when git is absent or `folder` is not in a git repository, so a
    caller that must never fail because of git (validate) simply finds nothing.
    """
    found = board_tags(folder, merged)
    if found is None:
        return None
    return [tag for tag in found if isinstance(tag, SignOff)]


def board_tags(folder: Path, merged: str | None = "HEAD") -> list[SignOff | NotASignOff] | None:
    """Every tag named like a sign-off: the sign-offs, and those that only look like one, oldest quarter first."""
    args = [
        "for-each-ref",
        "--format=%(refname:strip=2)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)",
    ]
    if merged is not None:
        args.append(f"--merged={merged}")
    output = git_or_none(folder, *args, "refs/tags/board/")
    if output is None:
        return None
    found: list[SignOff | NotASignOff] = []
    for line in output.decode("utf-8", errors="replace").splitlines():
        parts = line.split("\0")
        if len(parts) != 5:
            continue
        name, kind, object_id, peeled_kind, peeled = parts
        quarter = quarter_of_tag(name)
        if quarter is None:
            continue
        if kind == "tag" and peeled_kind == "commit" and peeled:
            found.append(SignOff(name, quarter, peeled, object_id))
        elif kind == "commit":
            found.append(NotASignOff(name, quarter, object_id, "a lightweight tag (no message, so no paper digest)"))
        else:
            found.append(NotASignOff(name, quarter, object_id, f"a tag of a {peeled_kind or kind}, not of a commit"))
    return sorted(found, key=lambda s: s.quarter)


def signoffs_held(data_dir: Path) -> list[SignOff]:
    """The sign-offs validate holds the records to: the board tags HEAD contains (none outside git)."""
    return (board_signoffs(data_dir) or []) if _maybe_in_git(data_dir) else []


def _maybe_in_git(folder: Path) -> bool:
    """False only when no folder from `folder` up holds a `.git` and git is not pointed elsewhere: then not even
    one git process is started (validate runs in editors and pre-commit hooks on every save)."""
    if os.environ.get("GIT_DIR"):
        return True
    folder = folder.resolve()
    return any((candidate / ".git").exists() for candidate in (folder, *folder.parents))


_FIELD = re.compile(r"([A-Z][A-Za-z0-9-]*): (.*)")


def parse_message(message: str) -> dict[str, list[str]]:
    """The `Key: value` lines of a sign-off tag's message, from `Stratctl-Signoff:` on."""
    fields: dict[str, list[str]] = {}
    started = False
    for line in message.splitlines():
        match = _FIELD.fullmatch(line.strip())
        if match is None:
            continue
        if match[1] == "Stratctl-Signoff":
            started = True
        if started:
            fields.setdefault(match[1], []).append(match[2].strip())
    return fields


def tag_message_of(root: Path, signoff: SignOff) -> str:
    """The message of a sign-off's annotated tag."""
    output = git(root, "for-each-ref", "--format=%(contents)", f"refs/tags/{signoff.tag}")
    return output.decode("utf-8", errors="replace")


def make_tag(root: Path, name: str, commit: str, message: str, *, replacing: str | None = None) -> None:
    """Make the annotated tag `name` on `commit` with `message`, kept verbatim.

    `replacing`: the object a tag of that name that is not a sign-off points at now; it is replaced
    only if it still points there (git update-ref's compare-and-swap), never a sign-off made meanwhile.
    """
    if replacing is None:
        git(root, "tag", "-a", "--cleanup=verbatim", "-F", "-", name, commit, stdin=message.encode("utf-8"))
        return
    tagger = git(root, "var", "GIT_COMMITTER_IDENT").decode().strip()
    body = f"object {commit}\ntype commit\ntag {name.removeprefix('refs/tags/')}\ntagger {tagger}\n\n{message}"
    tag_object = git(root, "mktag", stdin=body.encode("utf-8")).decode().strip()
    git(root, "update-ref", "-m", "stratctl signoff", f"refs/tags/{name}", tag_object, replacing)
