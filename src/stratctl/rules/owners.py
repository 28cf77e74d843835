"""Rules about who reviews the records: executives' `reviewers` and .github/CODEOWNERS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from stratctl.findings import Finding, Severity
from stratctl.plaintext import has_control, printable_with_tabs
from stratctl.repository import Repository
from stratctl.rules.registry import declare, rule

_USER = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HANDLE = re.compile(rf"@{_USER}(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?|[A-Za-z0-9._%+-]+@{_LABEL}(?:\.{_LABEL})+")
"""A GitHub user (@name), team (@org/team) or e-mail address (user@example.org), as CODEOWNERS names
them. An address's local part is limited to letters, digits and `._%+-`: a `#` would start a comment
in CODEOWNERS, and a space or a control character would end the owner there."""


def is_handle(text: str) -> bool:
    """A reviewer CODEOWNERS can name: a GitHub user, a team or an e-mail address."""
    return HANDLE.fullmatch(text) is not None


@rule("O001", "reviewer-handle", Severity.ERROR)
def reviewer_handle(repo: Repository) -> Iterator[Finding]:
    """An executive's reviewers are GitHub users (@name), teams (@org/team) or e-mail addresses.

    `stratctl codeowners` writes them into .github/CODEOWNERS, so that a pull
    request touching a record this executive leads asks them for review.
    GitHub ignores a line whose owner it cannot read: a name without its @
    would leave the records without reviewers, and `stratctl codeowners`
    writes nothing while one is listed. An e-mail address is an owner GitHub
    accepts when it belongs to a GitHub account.

    Bad:
        - id: CFO
          title: Chief Finance Officer
          reviewers: [finance-team, "@nwaft/finance team"]
    Good:
        - id: CFO
          title: Chief Finance Officer
          reviewers: ["@nwaft/finance", "@jsmith", "j.smith@nwaft.nhs.uk"]
    """
    if repo.trust is None:
        return
    for index, executive in enumerate(repo.trust.record.executives):
        for position, reviewer in enumerate(executive.reviewers):
            if not is_handle(reviewer):
                yield reviewer_handle.finding(
                    repo.trust.file,
                    f"reviewer {reviewer!r} of {executive.id} is not a GitHub user (@name), team (@org/team) "
                    "or e-mail address",
                    loc=("executives", index, "reviewers", position),
                )


@rule("O003", "unsafe-file-name", Severity.ERROR)
def unsafe_file_name(repo: Repository) -> Iterator[Finding]:
    """A record's file name holds no tab, line break or other control character,
    no direction override, and only UTF-8.

    `stratctl codeowners` names each record file on a line of
    .github/CODEOWNERS, where a tab ends the path and a line break starts a
    line of its own: a file named `x<TAB>**<TAB>@someone<LF>#.yaml` would
    make `**` owned by anyone its author chose. A direction override shows a
    name on screen as other than it is, and a name that is not UTF-8 cannot
    be written into CODEOWNERS at all. Such a record gets no owner there:
    rename the file (its name is the record's id).

    Bad:
        data/objectives/maternity<TAB>**<TAB>@someone.yaml
    Good:
        data/objectives/maternity-vacancies.yaml
    """
    root = repo.data_dir.parent
    for records in repo.records.values():
        for item in records:
            name = _relative(item.file.path, root)
            if has_control(name):
                yield unsafe_file_name.finding(
                    item.file,
                    f"the file name '{printable_with_tabs(item.file.path.name)}' holds a control character, "
                    "a direction override or bytes that are not UTF-8: CODEOWNERS cannot name it, so no one "
                    "reviews it; rename the file",
                    line=1,
                    column=1,
                )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


CODEOWNERS_OUT_OF_STEP = declare(
    "O002",
    "codeowners-out-of-step",
    Severity.WARNING,
    """
    .github/CODEOWNERS is not what `stratctl codeowners` writes from the
    records: a record's lead changed, an executive's reviewers changed, or a
    record was added or removed since it was written. A pull request would
    ask the wrong people, or nobody, for review. Run `stratctl codeowners`
    and commit the result (`stratctl codeowners --check` in CI fails on it).

    Bad:
        /data/objectives/agile-working.yaml @nwaft/people   # lead is now COO
    Good:
        /data/objectives/agile-working.yaml @nwaft/operations
    """,
)
