"""The quarterly round trip over the bundled trusts, filled by rule: nothing here knows their records.

For the quarter after the latest reported (closing the year first with rollover when that quarter
opens the next), every executive's workbook is filled in as a person would, cell by cell, under a
new name: some rows filled, some left blank, by a rule over the row's place. For South Tees half
the executives fill theirs in LibreOffice Calc (alternately in an en-GB and an en-US locale), the
others with openpyxl; for North West Anglia all with openpyxl. Then collect: the records hold
exactly what was typed, the repository validates, the paper renders, and chase lists exactly the
rows left blank.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT, snapshot
from tests.requests_helpers import git, headings
from tests.test_office_round_trip import fill_in_libreoffice

_START = {"Value": "Value", "Done on": "Done on"}
"""An input column's heading starts with its field's name, or with the quarter and the field (Q1 progress)."""
PROGRESS = [("On track", "on-track", "G"), ("Behind", "behind", "A"), ("At risk", "at-risk", "R")]


@dataclass(frozen=True)
class Expected:
    kind: str  # update, actual, milestone, review
    keys: tuple[str, ...]
    value: Any


def _cell(sheet: Any, row: int, column: int) -> Any:
    return sheet.cell(row=row, column=column).value


def _input_rows(sheet: Any) -> list[int]:
    return [r for r in range(5, sheet.max_row + 1) if sheet.cell(row=r, column=1).value]


@dataclass(frozen=True)
class _RowPlan:
    """What one row gets: the values to type (field -> value) and what the records must then hold, or the
    row left blank that chase must list, or neither (a row not owed)."""

    values: dict[str, Any] | None = None
    expected: Expected | None = None
    blank: tuple[str, ...] | None = None


def _plan(
    workbook: Any, label: str, quarter_end: dt.date, locale: str | None
) -> tuple[dict[str, dict[int, dict[str, Any]]], list[Expected], list[tuple[str, ...]]]:
    """What to type where (sheet -> row -> heading -> value), what the records must then hold, and the blank rows."""
    typed: dict[str, dict[int, dict[str, Any]]] = {}
    expected: list[Expected] = []
    blank: list[tuple[str, ...]] = []
    for sheet in workbook.worksheets:
        if sheet.title not in ("Objectives", "Measures", "Milestones", "Risks"):
            continue
        columns = headings(sheet)
        for index, row in enumerate(_input_rows(sheet)):
            cell = functools.partial(_cell, sheet, row)
            if sheet.title == "Objectives":
                planned = _objective_row(cell, index)
            elif sheet.title == "Measures":
                planned = _measure_row(sheet, row, cell, index, in_office=locale is not None)
            elif sheet.title == "Milestones":
                planned = _milestone_row(cell, index, quarter_end, locale)
            else:
                planned = _risk_row(cell, index, in_office=locale is not None)
            if planned.blank is not None:
                blank.append(planned.blank)
            if planned.values is None or planned.expected is None:
                continue
            expected.append(planned.expected)
            typed.setdefault(sheet.title, {})[row] = {
                next(text for text in columns if text.startswith(_START.get(field, f"{label} {field}"))): value
                for field, value in planned.values.items()
            }
    return typed, expected, blank


def _objective_row(cell: Any, index: int) -> _RowPlan:
    first = str(cell(1))
    if index % 4 == 3:
        return _RowPlan(blank=("objective", first))
    word, progress, position = PROGRESS[index % 3]
    comment = f"Hold-out update {index}: {word.lower()} | see *the plan*"
    return _RowPlan(
        {"progress": word, "comment": comment, "projected": position},
        Expected("update", (first,), (progress, comment, position)),
    )


def _measure_row(sheet: Any, row: int, cell: Any, index: int, *, in_office: bool) -> _RowPlan:
    first = str(cell(1))
    name, period, unit = str(cell(3)), str(cell(7)), str(cell(4) or "")
    measure = name[name.rindex("(") + 1 : -1]
    owner = str(cell(2))
    kind = (
        "strategic objective"
        if owner.startswith("Strategic objective: ")
        else ("commitment" if owner.startswith("Commitment: ") else "objective")
    )
    if index % 3 == 2:
        return _RowPlan(blank=("actual", kind, first, measure, period))
    recent = [float(v) for v in re.findall(r": (-?[0-9.]+)", str(cell(6) or ""))]
    stage = sheet.data_validations.dataValidation and any(
        v.type == "whole" and f"H{row}" in str(v.sqref).split() for v in sheet.data_validations.dataValidation
    )
    base = recent[-1] if recent else 10.0
    number = float(int(base)) if stage else round(base * 1.05 + 1, 2)
    text: Any = number if not in_office else (f"{number:g}%" if unit == "%" and index % 2 == 0 else f"{number:g}")
    return _RowPlan({"Value": text}, Expected("actual", (kind, first, measure, period), number))


def _milestone_row(cell: Any, index: int, quarter_end: dt.date, locale: str | None) -> _RowPlan:
    first, title = str(cell(1)), str(cell(2))
    if index % 2 == 1:
        return _RowPlan()  # a milestone not done is not owed: chase never lists it
    done = quarter_end - dt.timedelta(days=3 + index)
    if locale is None:
        typed_done: Any = dt.datetime.combine(done, dt.time())
    else:
        typed_done = done.strftime("%d/%m/%Y" if locale == "en-GB" else "%m/%d/%Y")
    return _RowPlan({"Done on": typed_done}, Expected("milestone", (first, title), done))


def _risk_row(cell: Any, index: int, *, in_office: bool) -> _RowPlan:
    first = str(cell(1))
    if index % 3 == 2:
        return _RowPlan(blank=("review", first))
    likelihood, consequence = _rating(str(cell(3)), str(cell(4)), index)
    values: dict[str, Any] = {"likelihood": likelihood, "consequence": consequence, "note": f"Reviewed {index}"}
    if in_office:
        values = {k: str(v) for k, v in values.items()}
    return _RowPlan(values, Expected("review", (first,), (likelihood, consequence, f"Reviewed {index}")))


def _rating(last: str, target: str, index: int) -> tuple[int, int]:
    """A plausible review: the last rating with its likelihood one up on every other risk, or, where the last
    was a score alone, a likelihood and consequence at or above the target (a risk rated below its target
    is K004's error, which collect rightly refuses)."""
    both = re.match(r"([1-5]) x ([1-5])", last)
    if both:
        return min(5, int(both[1]) + index % 2), int(both[2])
    floor = int(re.findall(r"[0-9]+", target.split("=")[-1])[0])
    pairs = sorted(
        ((lik * con, lik, con) for lik in range(1, 6) for con in range(1, 6) if lik * con >= floor),
        key=lambda p: p[0],
    )
    _, likelihood, consequence = pairs[index % 3]
    return likelihood, consequence


def _fill_openpyxl(source: Path, target: Path, typed: dict[str, dict[int, dict[str, Any]]]) -> None:
    import openpyxl

    workbook = openpyxl.load_workbook(source)
    for sheet_name, rows in typed.items():
        sheet = workbook[sheet_name]
        columns = headings(sheet)
        for row, values in rows.items():
            for heading, value in values.items():
                sheet.cell(row=row, column=columns[heading], value=value)
    workbook.save(target)


def _fill_office(
    source: Path, target: Path, typed: dict[str, dict[int, dict[str, Any]]], locale: str, work: Path
) -> None:
    """The same, typed in LibreOffice: keyed by the row's first cell as the office helper finds rows."""
    import openpyxl

    workbook = openpyxl.load_workbook(source)
    keyed: dict[str, dict[str, dict[str, str]]] = {}
    for sheet_name, rows in typed.items():
        sheet = workbook[sheet_name]
        for row, values in rows.items():
            if sheet_name == "Measures":
                name = str(sheet.cell(row=row, column=3).value)
                key = f"{name[name.rindex('(') + 1 : -1]} {sheet.cell(row=row, column=7).value}"
            elif sheet_name == "Milestones":
                key = str(sheet.cell(row=row, column=2).value)
            else:
                key = str(sheet.cell(row=row, column=1).value)
            keyed.setdefault(sheet_name, {})[key] = {h: str(v) for h, v in values.items()}
    fill_in_libreoffice(source, target, keyed, locale, work)


def _holds(root: Path, quarter: str, expected: list[Expected]) -> list[str]:
    """Each expected value the records do not hold, in words (empty: all held)."""
    from stratctl.loading import load_repository
    from stratctl.periods import Quarter

    repository = load_repository(root / "data").repository
    assert repository.trust is not None
    q = Quarter.parse(quarter)
    objectives = {o.record.id: o.record for o in repository.objectives}
    risks = {r.record.id: r.record for r in repository.risks}
    wrong = []
    for item in expected:
        if item.kind == "update":
            update = next((u for u in objectives[item.keys[0]].updates if u.quarter == q), None)
            held: Any = (update.progress, update.comment, update.projected) if update else None
        elif item.kind == "actual":
            kind, owner, measure_id, period = item.keys
            if kind == "objective":
                measures = objectives[owner].measures
            elif kind == "strategic objective":
                measures = next(s for s in repository.trust.record.strategic_objectives if s.id == owner).measures
            else:
                strategy_id, commitment_id = owner.split(".", 1)
                strategy = next(s.record for s in repository.strategies if s.record.id == strategy_id)
                measures = next(c for c in strategy.commitments if c.id == commitment_id).measures
            measure = next(m for m in measures if m.id == measure_id)
            held = {str(k): v for k, v in measure.actuals.items()}.get(period)
            if measure.duration and held is not None and held == round(float(item.value) * 60):
                held = item.value  # a number typed for a duration is minutes, held in whole seconds
        elif item.kind == "milestone":
            held = next(m.done for m in objectives[item.keys[0]].milestones if m.title == item.keys[1])
        else:
            review = next((r for r in risks[item.keys[0]].reviews if r.quarter == q), None)
            held = (review.current.likelihood, review.current.consequence, review.note) if review else None
        if held != item.value:
            wrong.append(f"{item.kind} {item.keys}: expected {item.value!r}, the records hold {held!r}")
    return wrong


def _owed(root: Path, quarter: str) -> set[tuple[str, ...]]:
    from stratctl.asks import asks_for, outstanding
    from stratctl.loading import load_repository
    from stratctl.periods import Quarter

    repository = load_repository(root / "data").repository
    owed: set[tuple[str, ...]] = set()
    for ask in outstanding(asks_for(repository, Quarter.parse(quarter))):
        owed |= {("objective", o.id) for o in ask.objectives}
        owed |= {("actual", m.owner_kind, m.owner_id, m.measure.id, str(m.period)) for m in ask.measures}
        owed |= {("review", r.id) for r in ask.risks}
    return owed


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "data", "in_office"),
    [("nwaft", PROJECT / "data", False), ("sthft", PROJECT / "examples" / "sthft" / "data", True)],
)
def test_hold_out_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stratctl: Any, name: str, data: Path, in_office: bool
) -> None:
    import openpyxl

    from stratctl.loading import load_repository
    from stratctl.periods import FinancialYear

    if in_office:
        from tests.test_office_round_trip import _office_python

        _office_python()
    root = tmp_path / name
    shutil.copytree(data, root / "data")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "records")
    monkeypatch.chdir(root)
    repository = load_repository(root / "data").repository
    assert repository.trust is not None
    latest = repository.latest_quarter(repository.trust.record.year)
    assert latest is not None
    quarter = latest.next()
    if quarter.year != latest.year:  # the year is over: close it, as the office would before asking
        assert stratctl("rollover", "--to", str(FinancialYear(quarter.year.start))).exit_code == 0
        git(root, "commit", "-q", "-am", "rollover")
        git(root, "add", ".")
        git(root, "commit", "-q", "-m", "successors")
    requests, returns = root / "requests", tmp_path / "returns"
    requests.mkdir()
    returns.mkdir()
    made = stratctl("request", "--quarter", str(quarter), "--output", str(requests))
    assert made.exit_code == 0, made.stderr
    expected: list[Expected] = []
    blank: list[tuple[str, ...]] = []
    locales = ["en-GB", "en-US"]
    for number, workbook_path in enumerate(sorted(requests.glob("*.xlsx"))):
        locale = locales[number // 2 % 2] if in_office and number % 2 == 0 else None
        typed, wanted, left = _plan(openpyxl.load_workbook(workbook_path), quarter.label, quarter.last_day(), locale)
        expected += wanted
        blank += left
        target = returns / f"return {number} from {workbook_path.stem.rsplit('-', 1)[-1].lower()}.xlsx"
        if locale is not None:
            _fill_office(workbook_path, target, typed, locale, tmp_path)
        else:
            _fill_openpyxl(workbook_path, target, typed)
    before = snapshot(root / "data")
    collected = stratctl("collect", *(str(p) for p in sorted(returns.glob("*.xlsx"))))
    assert collected.exit_code == 0, collected.stdout + collected.stderr
    summary = collected.stderr.strip().splitlines()[-2]
    print(f"{name} {quarter}: {len(expected)} row(s) filled, {len(blank)} owed row(s) left blank; collect: {summary}")
    assert f"row(s): {len(expected)} written, 0 unchanged" in summary and "0 not taken" in summary
    assert snapshot(root / "data") != before
    assert _holds(root, str(quarter), expected) == []
    assert stratctl("validate").exit_code == 0
    paper = stratctl("report", "--quarter", str(quarter), "--format", "html")
    assert paper.exit_code == 0, paper.stderr
    assert _owed(root, str(quarter)) == set(blank)
    chase = stratctl("chase", "--quarter", str(quarter))
    assert chase.exit_code == (1 if blank else 0)
    again = stratctl("collect", *(str(p) for p in sorted(returns.glob("*.xlsx"))))
    assert again.exit_code == 0 and f"0 written, {len(expected)} unchanged" in again.stderr
