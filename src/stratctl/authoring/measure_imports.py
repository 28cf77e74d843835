"""`import measures`: a long table of measure values (an information team's monthly export) into the
records that hold each measure, planned into the write plan and validated before anything is written.

Each row names a measure by its id (and, where two records hold a measure of that id, the record in
a `record` column), a period and a value. A row lands in the one record whose measure accepts its
period: of the measure's cadence, in the record's span or, from the measure's `history_from`, before
it. A row that cannot be placed (an unknown measure, a period of the other cadence or outside what
the measure accepts, a value that is not a number or a duration) is a problem, by its row number,
and then nothing is written. A value equal to the one recorded changes nothing, so importing the
same file twice writes nothing the second time; a value that differs is reported and left alone
unless `replace` is given.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from stratctl.authoring.imports import ImportPlan
from stratctl.authoring.plan import WritePlan
from stratctl.importing import MeasureRow, Problem
from stratctl.numbers import duration, number, read_duration
from stratctl.periods import MONTH_ABBREVIATIONS, FinancialYear, Month, PeriodError, Quarter, parse_quarter
from stratctl.records import Measure
from stratctl.repository import MeasureList
from stratctl.rewrite import SourceText, dump, load, original
from stratctl.suggest import did_you_mean

__all__ = ["MeasureImport", "plan_measures"]

_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?")
_UK_DAY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_MONTH_WORDS = re.compile(r"([A-Za-z]{3,9})[\s-]+([0-9]{4})")
_NUMBER = re.compile(r"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[-+]?\.[0-9]+")


@dataclass(frozen=True)
class _Holder:
    """A measure where it is recorded, and the years its actuals may fall in."""

    held: MeasureList
    index: int
    measure: Measure
    span: tuple[FinancialYear, FinancialYear] | None  # None: any year (no strategy period to bound it)

    @property
    def path(self) -> Path:
        return self.held.file.path

    @property
    def where(self) -> str:
        return f"{self.held.kind} {self.held.owner}"


@dataclass
class _Counts:
    added: int = 0
    replaced: int = 0
    marked: int = 0
    unmarked: int = 0
    noted: int = 0

    def words(self) -> str:
        parts = [
            f"{n} {what}"
            for n, what in (
                (self.added, "actual(s) added"),
                (self.replaced, "replaced"),
                (self.marked, "marked provisional"),
                (self.unmarked, "no longer provisional"),
                (self.noted, "note(s)"),
            )
            if n
        ]
        return ", ".join(parts)


@dataclass
class MeasureImport:
    """What `import measures` planned beside the write plan: how many rows changed nothing, and the
    rows whose value differs from the one recorded (left alone without `replace`)."""

    plan: ImportPlan
    unchanged: int = 0
    differing: list[str] = field(default_factory=list)


def plan_measures(writes: WritePlan, rows: list[MeasureRow], problems: list[Problem], replace: bool) -> MeasureImport:
    """Plan every row's value into the record that holds its measure; any problem stops every write."""
    result = MeasureImport(ImportPlan(writes, problems=list(problems)))
    repository = writes.loaded.repository
    start = repository.trust.record.year_start_month if repository.trust is not None else 4
    holders = _holders(writes, start)
    trees: dict[Path, tuple[SourceText, Any]] = {}
    counts: dict[tuple[Path, tuple[str | int, ...], int], _Counts] = defaultdict(_Counts)
    seen: dict[tuple[Path, tuple[str | int, ...], int, str], tuple[int, float]] = {}
    placed: list[tuple[MeasureRow, _Holder, Quarter | Month, float, str]] = []
    for row in rows:
        outcome = _place(row, holders, start)
        if isinstance(outcome, Problem):
            result.plan.problems.append(outcome)
            continue
        for holder, period, value, written in outcome:
            key = (holder.path, holder.held.at, holder.index, str(period))
            if key in seen and not _same(seen[key][1], value):
                result.plan.problems.append(
                    Problem(
                        row.row, f"measure {row.measure} {period}: row {seen[key][0]} gives another value; keep one"
                    )
                )
                break
            seen.setdefault(key, (row.row, value))
            placed.append((row, holder, period, value, written))
    if result.plan.problems:
        result.plan.problems.sort(key=lambda p: p.row)
        return result  # nothing is planned: a file with a row that cannot be placed is not half imported
    for row, holder, period, value, written in placed:
        if holder.path not in trees:
            source = writes.source(holder.path)
            trees[holder.path] = (source, load(source))
        node = _measure_node(trees[holder.path][1], holder)
        tally = counts[holder.path, holder.held.at, holder.index]
        _apply(result, node, holder, row, period, value, written, replace, tally)
        result.plan.origins.setdefault(holder.path, row.row)
    for path, (source, tree) in trees.items():
        text = dump(source, tree)
        if text != original(source):
            writes.put(path, text)
    for (path, at, index), tally in sorted(counts.items(), key=lambda item: (str(item[0][0]), item[0][1:])):
        if tally.words():
            holder = next(h for hs in holders.values() for h in hs if (h.path, h.held.at, h.index) == (path, at, index))
            result.plan.messages.append(f"{path.name}: {holder.where}, measure {holder.measure.id}: {tally.words()}")
    result.plan.findings = writes.errors()
    return result


def _holders(writes: WritePlan, start_month: int) -> dict[str, list[_Holder]]:
    """Every measure in the repository by its id: several records may hold a measure of one id."""
    repository = writes.loaded.repository
    strategy = repository.trust.record.strategy_period if repository.trust is not None else None
    holders: dict[str, list[_Holder]] = defaultdict(list)
    for held in repository.measure_lists():
        if held.file.path in writes.removed:
            continue
        objective = held.objective
        span = (objective.year, objective.last_year) if objective is not None else strategy
        for index, measure in enumerate(held.measures):
            holders[measure.id].append(_Holder(held, index, measure, span))
    return holders


def _place(
    row: MeasureRow, holders: dict[str, list[_Holder]], start_month: int
) -> list[tuple[_Holder, Quarter | Month, float, str]] | Problem:
    """Where the row's value lands: each record whose measure of that id accepts its period (an ED
    four-hour measure an objective and a strategic objective both report takes the value in both),
    with the period, the value (in seconds for a duration) and its text."""
    candidates = holders.get(row.measure, [])
    if row.record:
        candidates = [h for h in candidates if h.held.owner == row.record]
    if not candidates:
        return Problem(row.row, _unknown(row, holders))
    cadence: list[str] = []
    outside: list[str] = []
    fits: list[tuple[_Holder, Quarter | Month]] = []
    for holder in candidates:
        period = _period(row.period, holder.measure)
        if isinstance(period, str):
            cadence.append(period)
            continue
        refusal = _refusal(holder, period, start_month)
        if refusal is not None:
            outside.append(refusal)
            continue
        fits.append((holder, period))
    if not fits:
        if outside:
            return Problem(
                row.row, f"measure {row.measure}: {row.period.strip()} is outside what it accepts: {'; '.join(outside)}"
            )
        return Problem(row.row, f"measure {row.measure}: {cadence[0]}")
    placed: list[tuple[_Holder, Quarter | Month, float, str]] = []
    for holder, period in fits:
        value = _value(row.value, holder.measure)
        if isinstance(value, str):
            return Problem(row.row, f"measure {row.measure} {period}: {value}")
        placed.append((holder, period, *value))
    return placed


def _unknown(row: MeasureRow, holders: dict[str, list[_Holder]]) -> str:
    if row.record and row.measure in holders:
        owners = ", ".join(h.held.owner for h in holders[row.measure])
        return f"no measure {row.measure!r} in record {row.record!r} (it is in {owners})"
    return f"no measure {row.measure!r} in the records{did_you_mean(row.measure, sorted(holders))}"


def _period(text: str, measure: Measure) -> Quarter | Month | str:
    """The row's period in the measure's cadence, or why it is not one."""
    month = _month(text)
    quarter = _quarter(text)
    if measure.cadence == "monthly":
        if month is not None:
            return month
        if quarter is not None:
            return f"{text!r} is a quarter, but the measure is monthly: give the month, such as 2024-04"
        return f"{text!r} is not a month: write it as 2024-04"
    if quarter is not None:
        return quarter
    if month is not None:
        return (
            f"{text!r} is a month, but the measure is quarterly: give the quarter, such as "
            f"{month.quarter()} (or make the measure monthly)"
        )
    return f"{text!r} is not a quarter: write it as 2024/25 Q1"


def _month(text: str) -> Month | None:
    """2024-04, 2024-04-01, 01/04/2024 (a spreadsheet's date of the month) or Apr 2024."""
    text = text.strip()
    try:
        if match := _ISO_DAY.fullmatch(text):
            return Month(int(match[1]), int(match[2]))
        if match := _UK_DAY.fullmatch(text):
            return Month(int(match[3]), int(match[2]))
        if match := _MONTH_WORDS.fullmatch(text):
            names = [m.lower() for m in MONTH_ABBREVIATIONS]
            word = match[1][:3].lower()
            return Month(int(match[2]), names.index(word) + 1) if word in names else None
    except PeriodError:
        return None
    return None


def _quarter(text: str) -> Quarter | None:
    try:
        return parse_quarter(text) if "q" in text.lower() else None
    except PeriodError:
        return None


def _refusal(holder: _Holder, period: Quarter | Month, start_month: int) -> str | None:
    """Why the measure does not accept `period` (outside its record's span and before its history), or None."""
    if holder.span is None:
        return None
    first, last = holder.span
    year = period.financial_year(start_month) if isinstance(period, Month) else period.year
    if first <= year <= last:
        return None
    history = holder.measure.history_from
    if year < first and history is not None and type(history) is type(period) and history <= period:
        return None
    years = str(first) if first == last else f"{first} to {last}"
    since = f", history from {history}" if history is not None else ""
    return f"{holder.where} takes {years}{since}"


def _value(text: str, measure: Measure) -> tuple[float, str] | str:
    """The value as the model holds it (seconds for a duration) and as the record will say it."""
    cell = text.strip()
    if measure.duration:
        if ":" in cell:
            try:
                seconds = read_duration(cell)
            except ValueError:
                return f"{text!r} is not a duration: write minutes and seconds, such as 34:48"
            return seconds, duration(seconds)
        minutes = _number(cell, measure)
        if minutes is None:
            return f"{text!r} is not a duration: write minutes and seconds, such as 34:48, or minutes"
        return minutes * 60, duration(minutes * 60)
    value = _number(cell, measure)
    if value is None:
        return f"{text!r} is not a number"
    if measure.kind == "level" and not value.is_integer():
        return f"{text!r} is not a whole stage: the measure counts stages"
    return value, ""


def _number(cell: str, measure: Measure) -> float | None:
    if cell.endswith("%") and (measure.unit or "").startswith("%"):
        cell = cell[:-1].strip()
    if not _NUMBER.fullmatch(cell):
        return None
    value = float(cell.replace(",", ""))
    return value if math.isfinite(value) else None


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)


def _measure_node(tree: Any, holder: _Holder) -> Any:
    node = tree
    for key in holder.held.at:
        node = node[key]
    return node[holder.index]


def _apply(
    result: MeasureImport,
    node: Any,
    holder: _Holder,
    row: MeasureRow,
    period: Quarter | Month,
    value: float,
    written: str,
    replace: bool,
    tally: _Counts,
) -> None:
    """One row into its measure's mapping: the actual, its provisional mark and its note."""
    measure, label = holder.measure, str(period)
    recorded = measure.actuals.get(period)
    if recorded is not None and not _same(recorded, value) and not replace:
        shown = duration if measure.duration else number
        result.differing.append(
            f"row {row.row}: measure {measure.id} {label} is {shown(recorded)} in {holder.path.name} and "
            f"{shown(value)} in the file: left alone (--replace replaces it)"
        )
        return
    if recorded is None or not _same(recorded, value):
        actuals = node.get("actuals")
        if not isinstance(actuals, CommentedMap):
            actuals = CommentedMap()
            node["actuals"] = actuals
        if recorded is None:
            tally.added += 1
        else:
            tally.replaced += 1
        # A duration in quotes ("34:48"), as the contract writes it: a YAML 1.1 reader would take 34:48 as 2088.
        actuals[label] = DoubleQuotedScalarString(written) if written else (int(value) if value.is_integer() else value)
        _sort_periods(actuals)
    else:
        result.unchanged += 1
    if row.provisional is not None:
        _mark(node, label, row.provisional, tally)
    if row.note:
        notes = _flow_map(node, "notes")
        if notes.get(label) != row.note:
            if label in notes and not replace:
                result.differing.append(
                    f"row {row.row}: measure {measure.id} {label} has another note in {holder.path.name}: "
                    "left alone (--replace replaces it)"
                )
            else:
                notes[label] = row.note
                _sort_periods(notes)
                tally.noted += 1


def _mark(node: Any, label: str, provisional: bool, tally: _Counts) -> None:
    marks = node.get("provisional")
    listed = [str(p) for p in marks] if isinstance(marks, list) else []
    if provisional and label not in listed:
        seq = _flow_seq(node, "provisional")
        seq.append(label)
        ordered = sorted((str(p) for p in seq), key=_period_index)
        seq[:] = ordered
        tally.marked += 1
    elif not provisional and label in listed:
        seq = node["provisional"]
        seq[:] = [p for p in seq if str(p) != label]
        if not seq:
            del node["provisional"]
        tally.unmarked += 1


def _flow_seq(node: Any, key: str) -> CommentedSeq:
    seq = node.get(key)
    if isinstance(seq, CommentedSeq):
        return seq
    seq = CommentedSeq()
    seq.fa.set_flow_style()
    _insert_before_actuals(node, key, seq)
    return seq


def _flow_map(node: Any, key: str) -> CommentedMap:
    mapping = node.get(key)
    if isinstance(mapping, CommentedMap):
        return mapping
    mapping = CommentedMap()
    mapping.fa.set_flow_style()
    _insert_before_actuals(node, key, mapping)
    return mapping


def _insert_before_actuals(node: Any, key: str, value: Any) -> None:
    """A new key where fmt writes it: `provisional` and `notes` come just before `actuals`."""
    keys = list(node.keys())
    if isinstance(node, CommentedMap) and "actuals" in keys:
        node.insert(keys.index("actuals"), key, value)
    else:
        node[key] = value


def _period_index(label: str) -> tuple[int, str]:
    try:
        return (Month.parse(label).index, "")
    except PeriodError:
        pass
    try:
        return (Quarter.parse(label).index, "")
    except PeriodError:
        return (1 << 30, label)


def _sort_periods(mapping: CommentedMap) -> None:
    """Keys in time order, once the row's key is in: a mapping read in order reads as a series."""
    keys = list(mapping.keys())
    ordered = sorted(keys, key=lambda k: _period_index(str(k)))
    if ordered != keys:
        for key in ordered:
            mapping.move_to_end(key)
