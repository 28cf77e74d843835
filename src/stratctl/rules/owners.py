"""Rules about who reviews the records: executives' `reviewers` and .github/CODEOWNERS."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stratctl.findings import Finding, Severity
from stratctl.repository import Repository
from stratctl.rules.registry import declare, rule

_USER = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"
HANDLE = re.compile(rf"@{_USER}(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?")
"""A GitHub user (@name) or team (@org/team), as CODEOWNERS names them."""


def is_handle(text: str) -> bool:
    return HANDLE.fullmatch(text) is not None


@rule("O001", "reviewer-handle", Severity.ERROR)
def reviewer_handle(repo: Repository) -> Iterator[Finding]:
    """An executive's reviewers are GitHub users (@name) or teams (@org/team).

    `stratctl codeowners` writes them into .github/CODEOWNERS, so that a pull
    request touching a record this executive leads asks them for review.
    GitHub ignores a line whose owner it cannot read: a name without its @,
    or an e-mail address here, would leave the records without reviewers.

    Bad:
        - id: CFO
          title: Chief Finance Officer
          reviewers: [finance-team, "@nwaft/finance team"]
    Good:
        - id: CFO
          title: Chief Finance Officer
          reviewers: ["@nwaft/finance", "@jsmith"]
    """
    if repo.trust is None:
        return
    for index, executive in enumerate(repo.trust.record.executives):
        for position, reviewer in enumerate(executive.reviewers):
            if not is_handle(reviewer):
                yield reviewer_handle.finding(
                    repo.trust.file,
                    f"reviewer {reviewer!r} of {executive.id} is not a GitHub user (@name) or team (@org/team)",
                    loc=("executives", index, "reviewers", position),
                )


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
