"""The cover sheet NHS Board papers carry, and validate's findings in words for a Board reader."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from stratctl.errors import StratctlError
from stratctl.findings import Finding, Severity
from stratctl.records import Trust
from stratctl.rules import RULES
from stratctl.rules.suggest import did_you_mean

PURPOSES = {
    "assurance": "For assurance",
    "information": "For information",
    "decision": "For decision",
    "approval": "For approval",
}
DEFAULT_PURPOSE = "assurance"
_COMMAND = re.compile(r"\s*\((?:stratctl|run stratctl)[^)]*\)|:?\s*run stratctl \S+[^;.]*")


@dataclass(frozen=True, slots=True)
class Purpose:
    key: str
    words: str
    chosen: bool


@dataclass(frozen=True)
class CoverSheet:
    """What the paper is for, who presents it, and what the Board is asked to do."""

    item: str
    meeting: str
    presenter: str
    purposes: tuple[Purpose, ...]
    recommendation: str
    author: str = ""
    previously_considered: str = ""
    meeting_date: date | None = None

    @property
    def purpose(self) -> str:
        return next(p.words for p in self.purposes if p.chosen)


@dataclass(frozen=True, slots=True)
class CoverOptions:
    """The cover sheet as asked for on the command line; each overrides trust.yaml's `report:` block."""

    purpose: str | None = None
    presenter: str | None = None
    recommendation: str | None = None
    item: str | None = None
    author: str | None = None
    previously_considered: str | None = None
    meeting_date: date | None = None


def cover_sheet(trust: Trust, options: CoverOptions, subject: str) -> CoverSheet:
    settings = trust.report
    purpose = options.purpose or (settings.purpose if settings else None) or DEFAULT_PURPOSE
    presenter = options.presenter or (settings.presenter if settings else None)
    executives = {e.id: e.title for e in trust.executives}
    if options.presenter is not None and options.presenter not in executives:
        raise StratctlError(
            f"--presenter {options.presenter!r} is not an executive in trust.yaml{did_you_mean(options.presenter, executives)}"
        )
    recommendation = (
        options.recommendation
        or (settings.recommendation if settings else None)
        or (
            f"The Board is asked to note {subject}, to seek assurance on the exceptions and the strategic "
            "risks above appetite, and to agree any actions it requires."
        )
    )
    return CoverSheet(
        item=options.item or (settings.item if settings and settings.item else "") or "",
        meeting=(settings.meeting if settings and settings.meeting else "") or "Board of Directors",
        presenter=executives.get(presenter, presenter) if presenter else "",
        purposes=tuple(Purpose(key, words, key == purpose) for key, words in PURPOSES.items()),
        recommendation=recommendation,
        author=options.author or (settings.author if settings and settings.author else "") or "",
        previously_considered=options.previously_considered
        or (settings.previously_considered if settings and settings.previously_considered else "")
        or "",
        meeting_date=options.meeting_date or (settings.meeting_date if settings else None),
    )


@dataclass(frozen=True, slots=True)
class BoardFinding:
    """A finding as a Board reader takes it: which record, what the rule asks for, and the detail."""

    record: str
    issue: str
    detail: str
    where: str  # file and line, small print for the strategy office
    severity: str


def board_findings(findings: Iterable[Finding], titles: dict[str, str]) -> tuple[BoardFinding, ...]:
    """Findings in the Board's words: the record's title, the rule's plain words, no commands to type."""
    result = []
    for finding in findings:
        rule = RULES.get(finding.code)
        issue = rule.summary.replace("`", "") if rule else finding.code
        detail = _COMMAND.sub("", finding.message).strip()
        record = titles.get(finding.path, finding.path.rsplit("/", 1)[-1])
        severity = "error" if finding.severity == Severity.ERROR else "warning"
        result.append(BoardFinding(record, issue, detail, f"{finding.path}, line {finding.line}", severity))
    return tuple(result)
