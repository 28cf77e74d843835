"""`stratctl chase`: what each executive has not yet given, as text for a reminder e-mail or Markdown for an issue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from stratctl.asks import ExecutiveAsk, MeasureAsk, RiskAsk
from stratctl.periods import Month, Quarter
from stratctl.plaintext import printable
from stratctl.reporting.render import md_cell


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _period(period: Quarter | Month) -> str:
    return f"{period.first_day():%B %Y}" if isinstance(period, Month) else str(period)


def _measure_groups(measures: Sequence[MeasureAsk]) -> list[tuple[MeasureAsk, list[str]]]:
    """One line per measure, with the periods it still lacks."""
    groups: dict[tuple[str, str, str], tuple[MeasureAsk, list[str]]] = {}
    for ask in measures:
        key = (ask.owner_kind, ask.owner_id, ask.measure.id)
        groups.setdefault(key, (ask, []))[1].append(_period(ask.period))
    return list(groups.values())


def _lines(ask: ExecutiveAsk) -> list[tuple[str, list[str]]]:
    """(heading, items) for each kind of thing still owed, user text unescaped."""
    quarter = ask.quarter
    sections = []
    if ask.objectives:
        sections.append(
            (
                f"Objectives without a {quarter.label} update ({len(ask.objectives)})",
                [f"{o.id}: {o.title}" for o in ask.objectives],
            )
        )
    if ask.measures:
        groups = _measure_groups(ask.measures)
        sections.append(
            (
                f"Measures without a value ({len(ask.measures)} period(s))",
                [
                    f"{m.measure.name} ({m.measure.id}) of {m.owner_kind} {m.owner_id}: {', '.join(periods)}"
                    for m, periods in groups
                ],
            )
        )
    if ask.risks:
        sections.append(
            (
                f"Risks without a {quarter.label} review ({len(ask.risks)})",
                [f"{r.id}: {r.title}" for r in ask.risks],
            )
        )
    return sections


def _heading(quarter: Quarter, meeting_date: date | None) -> str:
    meeting = f", for the meeting on {_long_date(meeting_date)}" if meeting_date else ""
    return f"Quarterly updates outstanding for {quarter}{meeting}"


def _standing(owing: Sequence[ExecutiveAsk], asked: int) -> str:
    """The line under the heading: how many executives still owe something."""
    if not owing:
        return f"Nothing outstanding: all {asked} executive(s) asked have given everything asked of them."
    return f"{len(owing)} of {asked} executive(s) asked have not yet given everything."


def _unled_heading(quarter: Quarter, unled: Sequence[RiskAsk]) -> str:
    return (
        f"Risks on the BAF with no lead named, so asked of no one, without a {quarter.label} review ({len(unled)}): "
        "name each one's lead in its file, or record its review"
    )


def chase_text(
    quarter: Quarter,
    owing: Sequence[ExecutiveAsk],
    asked: int,
    meeting_date: date | None,
    unled: Sequence[RiskAsk] = (),
) -> str:
    """Plain text, one block per executive: for a reminder e-mail or the terminal."""
    out = [_heading(quarter, meeting_date)]
    if unled:
        out += ["", printable(_unled_heading(quarter, unled)) + ":"]
        out.extend(f"  - {printable(f'{r.id}: {r.title}')}" for r in unled)
        out.append("")
    out.append(_standing(owing, asked))
    for ask in owing:
        out.append("")
        out.append(printable(f"{ask.executive.title} ({ask.executive.id})"))
        for heading, items in _lines(ask):
            out.append(f"  {heading}:")
            out.extend(f"    - {printable(item)}" for item in items)
    return "\n".join(out) + "\n"


def chase_markdown(
    quarter: Quarter,
    owing: Sequence[ExecutiveAsk],
    asked: int,
    meeting_date: date | None,
    unled: Sequence[RiskAsk] = (),
) -> str:
    """Markdown: a heading per executive and a list per kind of thing owed (the scheduled job's issue body)."""
    out = [f"## {md_cell(_heading(quarter, meeting_date))}", ""]
    if unled:
        out += [f"{md_cell(_unled_heading(quarter, unled))}:", ""]
        out.extend(f"- {md_cell(f'{r.id}: {r.title}')}" for r in unled)
        out.append("")
    out.append(_standing(owing, asked))
    for ask in owing:
        out += ["", f"### {md_cell(f'{ask.executive.title} ({ask.executive.id})')}"]
        for heading, items in _lines(ask):
            out += ["", f"{heading}:", ""]
            out.extend(f"- {md_cell(item)}" for item in items)
    return "\n".join(out) + "\n"
