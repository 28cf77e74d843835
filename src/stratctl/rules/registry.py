"""The rule catalogue: every finding stratctl can make has a rule here.

A rule is a code, a kebab-case name, a default severity and a docstring that
explains it with a bad and a good example. Rules that look at the loaded
repository have a `check`; the rest (YAML syntax, schema) are raised while
loading and are listed here so that they can be explained, configured and
suppressed the same way.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from stratctl.findings import Finding, Loc, Severity

if TYPE_CHECKING:
    from stratctl.repository import RecordFile, Repository

Check = Callable[["Repository"], Iterable[Finding]]
Moment = Literal["today", "latest quarter"]


@dataclass(frozen=True, slots=True)
class BoardWords:
    """How a Board paper's data-quality appendix speaks of a rule's findings, counted together:
    a sentence for one and for several (`{n}` the count), then each record by its title, with
    the finding's own words where they add something (`detail`: none, its first clause, or all)."""

    one: str
    many: str
    detail: Literal["none", "first clause", "all"] = "none"

    def sentence(self, count: int) -> str:
        return (self.one if count == 1 else self.many).format(n=count)


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    doc: str
    check: Check | None = None
    speaks_of: Moment | None = None
    """A rule whose finding is about a moment, not about the records alone: an action overdue
    "today", an objective or risk not updated for "the latest quarter" reported. A paper for an
    earlier quarter shows such things as of its own day instead of listing the finding."""
    asks_for: str | None = None
    """The record field the finding asks to be filled in (P001 asks for a `rationale`), where one does."""
    board: BoardWords | None = None
    """How the Board paper speaks of this rule's findings (default: the rule's first sentence)."""

    @property
    def summary(self) -> str:
        """The first paragraph of the rule's documentation, on one line."""
        return " ".join(self.doc.strip().split("\n\n")[0].split())

    def finding(
        self,
        where: RecordFile | str,
        message: str,
        *,
        loc: Loc | None = (),
        on_key: bool = False,
        line: int = 0,
        column: int = 0,
    ) -> Finding:
        """A finding of this rule, to be placed by `loc` unless `line` is given."""
        path = where if isinstance(where, str) else where.display
        return Finding(
            path=path,
            code=self.code,
            message=message,
            line=line,
            column=column,
            severity=self.severity,
            rule=self.name,
            loc=None if line else loc,
            on_key=on_key,
        )


RULES: dict[str, Rule] = {}


def declare(
    code: str,
    name: str,
    severity: Severity,
    doc: str,
    *,
    check: Check | None = None,
    speaks_of: Moment | None = None,
    asks_for: str | None = None,
    board: BoardWords | None = None,
) -> Rule:
    """Register a rule (one whose findings are made while loading files, unless it has a `check`)."""
    if code in RULES:
        raise RuntimeError(f"rule code {code} registered twice")
    RULES[code] = Rule(code, name, severity, inspect.cleandoc(doc), check, speaks_of, asks_for, board)
    return RULES[code]


def rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    speaks_of: Moment | None = None,
    asks_for: str | None = None,
    board: BoardWords | None = None,
) -> Callable[[Check], Rule]:
    """Register a check over the whole repository; its docstring documents the rule."""

    def register(check: Check) -> Rule:
        doc = check.__doc__ or name
        return declare(code, name, severity, doc, check=check, speaks_of=speaks_of, asks_for=asks_for, board=board)

    return register


def lookup(code_or_name: str) -> Rule | None:
    """A rule by its code (`R001`, any case) or its name (`unknown-reference`)."""
    wanted = code_or_name.strip()
    if wanted.upper() in RULES:
        return RULES[wanted.upper()]
    return next((r for r in RULES.values() if r.name == wanted.lower()), None)
