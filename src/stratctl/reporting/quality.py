"""The paper's data-quality appendix: validate's findings in the Board's words, and in the strategy office's.

A Board reader gets each kind of note once, counted ("14 commitments of the enabling strategies
are not yet planned"), then the records it concerns by their titles: no file, line, rule code or
command. The strategy office's own copy adds the technical detail (`report --technical-appendix`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stratctl.findings import Finding, Severity
from stratctl.rules import RULES
from stratctl.rules.registry import BoardWords

_COMMAND = re.compile(r"\s*\((?:stratctl|run stratctl)[^)]*\)|:?\s*run stratctl \S+[^;.]*")
_RULE_CODE = re.compile(r"\s*\(?\b(?:rule )?[A-Z][0-9]{3}\b\)?")


@dataclass(frozen=True, slots=True)
class BoardFinding:
    """A finding for the strategy office: which record, the rule, the detail, and where it is."""

    record: str
    issue: str
    detail: str
    where: str  # file and line
    severity: str
    code: str = ""


@dataclass(frozen=True, slots=True)
class BoardNote:
    """One kind of note in the Board's words: how many, what they have in common, and each record."""

    sentence: str
    items: tuple[str, ...]
    severity: str

    @property
    def count(self) -> int:
        return len(self.items)


def board_findings(findings: Iterable[Finding], titles: Mapping[str, str]) -> tuple[BoardFinding, ...]:
    """Findings one by one, with where each is: the technical appendix the strategy office keeps."""
    result = []
    for finding in findings:
        rule = RULES.get(finding.code)
        issue = rule.summary.replace("`", "") if rule else finding.code
        record = titles.get(finding.path, finding.path.rsplit("/", 1)[-1])
        result.append(
            BoardFinding(
                record,
                issue,
                _COMMAND.sub("", finding.message).strip(),
                f"{finding.path}, line {finding.line}",
                _severity(finding),
                finding.code,
            )
        )
    return tuple(result)


def board_notes(
    findings: Iterable[Finding], titles: Mapping[str, str], records: Mapping[str, Any]
) -> tuple[BoardNote, ...]:
    """Findings grouped by rule, in the catalogue's order, each group one sentence and a list of records."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.code, []).append(finding)
    order = {code: index for index, code in enumerate(RULES)}
    notes = []
    for code in sorted(grouped, key=lambda c: order.get(c, len(order))):
        members = grouped[code]
        rule = RULES.get(code)
        words = rule.board if rule is not None and rule.board is not None else None
        items = tuple(dict.fromkeys(_item(f, titles, records, words) for f in members))
        if words is not None:
            sentence = words.sentence(len(items))
        else:  # a rule with no words of its own for the Board: its first sentence, and how many
            summary = _plain(rule.summary if rule is not None else "the records need attention").rstrip(".")
            sentence = f"{summary} ({len(items)} {'record' if len(items) == 1 else 'records'})"
        notes.append(BoardNote(sentence, items, _severity(members[0])))
    return tuple(notes)


def _severity(finding: Finding) -> str:
    return "error" if finding.severity == Severity.ERROR else "warning"


def _plain(text: str) -> str:
    """A finding's words without the strategy office's machinery: commands, rule codes, backticks."""
    return " ".join(_RULE_CODE.sub("", _COMMAND.sub("", text)).replace("`", "").split())


def _item(finding: Finding, titles: Mapping[str, str], records: Mapping[str, Any], words: BoardWords | None) -> str:
    """`Record title: part title: detail`, the detail as the rule's words ask for it."""
    label = titles.get(finding.path) or "a record file"
    part = _part_title(records.get(finding.path), finding.loc or ())
    if part:
        label = f"{label}: {part}"
    detail = _plain(finding.message)
    shown = words.detail if words is not None else "all"
    if shown == "first clause":
        detail = re.split(r": |; ", detail, maxsplit=1)[0]
    return f"{label}: {detail}" if shown != "none" and detail else label


def _part_title(record: Any, loc: tuple[str | int, ...]) -> str:
    """The title of the deepest titled part of `record` that `loc` walks into (a commitment, an action)."""
    title = ""
    current = record
    for step in loc:
        if isinstance(step, int) and isinstance(current, list) and 0 <= step < len(current):
            current = current[step]
        elif isinstance(step, str) and hasattr(current, step):
            current = getattr(current, step)
        else:
            break
        if current is not record and isinstance(getattr(current, "title", None), str):
            title = current.title
    return title
