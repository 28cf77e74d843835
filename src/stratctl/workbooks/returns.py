"""`stratctl collect`: reading a returned request workbook, as data.

Cells are read as they were typed: a formula is refused as not a value (never evaluated, and its
cached result never taken), an error value likewise; external links and macros are not read; the
import's size rules apply. The hidden sheet says what the workbook is; each row's locked cells are
checked against the digest it recorded, so an edited id, title or quarter is refused with its sheet
and row. Every input cell is checked for what it must hold (a progress of the list, a number, a
date, a whole number 1 to 5); a row left blank is "no update yet".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from stratctl.errors import StratctlError
from stratctl.periods import PeriodError, Quarter
from stratctl.spreadsheet import open_workbook
from stratctl.workbooks.layout import (
    DIGEST_KEY,
    FIRST_ROW,
    FORMAT,
    HEADER_KIND,
    INDEX_HEADING,
    META_KEYS,
    META_SHEET,
    POSITION_WORDS,
    PROGRESS_WORDS,
    ROW_KINDS,
    SHEET_COLUMNS,
    Column,
    digest,
)

WHAT = "a returned request workbook"
EXTRA_ROWS_READ = 1_000
"""Rows read below a sheet's last requested row, to name anything typed there as not read."""


@dataclass(frozen=True)
class Where:
    """A row of a returned workbook: how every message names it."""

    file: Path
    sheet: str
    row: int

    def __str__(self) -> str:
        return f"{self.file}: sheet {self.sheet} row {self.row}"


@dataclass(frozen=True)
class Problem:
    where: Where
    message: str
    column: str = ""

    def __str__(self) -> str:
        return f"{self.where}{', column ' + repr(self.column) if self.column else ''}: {self.message}"


@dataclass(frozen=True)
class ReturnedUpdate:
    where: Where
    objective_id: str
    progress: str
    comment: str | None
    projected: str | None
    rationale: str | None


@dataclass(frozen=True)
class ReturnedActual:
    where: Where
    owner_kind: str  # objective | strategic objective | commitment
    owner_id: str
    measure_id: str
    period: str  # as the records write it: 2021/22 Q4, or 2022-01
    value: float


@dataclass(frozen=True)
class ReturnedMilestone:
    where: Where
    objective_id: str
    index: int
    title: str
    done: date


@dataclass(frozen=True)
class ReturnedReview:
    where: Where
    risk_id: str
    likelihood: int
    consequence: int
    note: str | None


Returned = ReturnedUpdate | ReturnedActual | ReturnedMilestone | ReturnedReview


@dataclass(frozen=True)
class BlankRow:
    where: Where
    subject: str  # "objective sepsis", "measure ed-4-hour 2023-10"


@dataclass
class ReturnedWorkbook:
    """One returned workbook: what it says it is, its filled rows, its blank rows, and what is wrong with it."""

    file: Path
    trust: str = ""
    repository: str = ""
    commit: str = ""
    quarter: Quarter | None = None
    executive: str = ""
    executive_title: str = ""
    rows: list[Returned] = field(default_factory=list)
    blank: list[BlankRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refused: str | None = None  # why the whole workbook is not read (not a request, tampered, unreadable)


def read_return(path: Path) -> ReturnedWorkbook:
    """The workbook at `path`, read as data; never raises for what is in it (it says so in `refused` or `problems`)."""
    returned = ReturnedWorkbook(path)
    try:
        workbook = open_workbook(path, WHAT)
    except StratctlError as error:
        returned.refused = str(error).removeprefix(f"{path}: ").removeprefix(f"{path} ")
        return returned
    try:
        _read(workbook, returned)
    except _Refused as refused:
        returned.refused = str(refused)
        returned.rows.clear()
        returned.blank.clear()
        returned.problems.clear()
    except Exception as error:  # a damaged sheet inside a readable archive: openpyxl raises anything
        returned.refused = f"a sheet cannot be read: {error}"
    finally:
        workbook.close()
    return returned


class _Refused(Exception):
    """The whole workbook is refused: it is not a request, or what identifies it was edited."""


def _text_of(value: Any) -> str:
    return "" if value is None else str(value)


def _read(workbook: Any, returned: ReturnedWorkbook) -> None:
    if META_SHEET not in workbook.sheetnames:
        raise _Refused(
            "not a workbook made by stratctl request (it has no hidden stratctl sheet): only a request's own "
            "workbook, filled in and saved, can be collected"
        )
    # only the columns written are read: a sheet claiming to span 16,384 columns costs nothing
    lines = [[_text_of(c.value) for c in row] for row in workbook[META_SHEET].iter_rows(max_col=len(INDEX_HEADING))]
    lines = [line[: len(INDEX_HEADING)] + [""] * (len(INDEX_HEADING) - len(line)) for line in lines if any(line)]
    meta = {line[0]: line[1] for line in lines[: len(META_KEYS)]}
    if meta.get("format") != FORMAT:
        raise _Refused(f"not a request workbook this stratctl reads (its format is {meta.get('format', '')!r})")
    body = lines[:-1]
    last = lines[-1] if lines else []
    if not last or last[0] != DIGEST_KEY or digest([v for line in body for v in line]) != last[1]:
        raise _Refused(
            f"sheet {META_SHEET}: the workbook's own record of what it is was edited (its digest does not match): "
            "ask for the request workbook again"
        )
    returned.trust, returned.repository, returned.commit = meta["trust"], meta["repository"], meta["commit"]
    returned.executive, returned.executive_title = meta["executive"], meta["executive title"]
    try:
        quarter = Quarter.parse(meta["quarter"])
    except PeriodError as error:
        raise _Refused(f"sheet {META_SHEET}: {error}") from None
    returned.quarter = quarter
    index = body[len(META_KEYS) + 1 :]
    by_sheet: dict[str, list[list[str]]] = {}
    for line in index:
        by_sheet.setdefault(line[0], []).append(line)
    for name, entries in by_sheet.items():
        if name not in workbook.sheetnames:
            raise _Refused(f"sheet {name} is missing: it was renamed or deleted; ask for the request workbook again")
        _read_sheet(workbook[name], name, entries, quarter, returned)


def _read_sheet(sheet: Any, name: str, entries: list[list[str]], quarter: Quarter, returned: ReturnedWorkbook) -> None:
    columns = SHEET_COLUMNS[name](quarter) if name in SHEET_COLUMNS else ()
    last = max((int(entry[1]) for entry in entries), default=1)
    rows: dict[int, list[Any]] = {}
    # the columns written, and rows to a little past the last: what lies beyond is not read (nor can be typed,
    # the sheet being protected)
    for number, cells in enumerate(sheet.iter_rows(max_col=len(columns) or 2, max_row=last + EXTRA_ROWS_READ), start=1):
        rows[number] = list(cells)
    for entry in entries:
        if entry[2] != HEADER_KIND:
            continue
        number = int(entry[1])
        if digest([_text_of(cell.value) for cell in rows.get(number, [])]) != entry[4]:
            raise _Refused(
                f"{Where(returned.file, name, number)}: locked cells (the quarter, the executive, the headings or what "
                f"to fill in) were edited: the workbook was made for {returned.quarter}; "
                "ask for the request workbook again"
            )
    known = set()
    for entry in entries:
        if entry[2] == HEADER_KIND:
            continue
        number = int(entry[1])
        known.add(number)
        cells = rows.get(number, [])
        values = [cells[i] if i < len(cells) else None for i in range(len(columns))]
        locked = [
            _text_of(getattr(c, "value", None)) for c, spec in zip(values, columns, strict=True) if not spec.field
        ]
        where = Where(returned.file, name, number)
        if digest(locked) != entry[4] or ROW_KINDS.get(name) != entry[2]:
            raise _Refused(
                f"{where}: the row's locked cells (its id, title or period) were edited since the request: "
                "ask for the request workbook again"
            )
        keys = json.loads(entry[3])
        inputs = {spec.field: (spec, cell) for spec, cell in zip(columns, values, strict=True) if spec.field}
        _read_row(where, entry[2], keys, inputs, returned)
    for number, cells in rows.items():
        if columns and number >= FIRST_ROW and number not in known and any(_text_of(c.value).strip() for c in cells):
            returned.problems.append(
                Problem(
                    Where(returned.file, name, number), "not a row of the request: typed outside its rows, not read"
                )
            )


def _read_row(
    where: Where, kind: str, keys: list[str], inputs: dict[str, tuple[Column, Any]], returned: ReturnedWorkbook
) -> None:
    problems: list[Problem] = []

    def value(name: str) -> Any:
        spec, cell = inputs[name]
        if cell is None or cell.value is None:
            return None
        if getattr(cell, "data_type", None) == "f":
            problems.append(
                Problem(where, f"a formula ({str(cell.value)[:40]}), not a value: type the value itself", spec.heading)
            )
            return None
        if getattr(cell, "data_type", None) == "e":
            problems.append(Problem(where, f"an error value ({cell.value}), not a value", spec.heading))
            return None
        if isinstance(cell.value, str) and not cell.value.strip():
            return None
        return cell.value

    raw = {name: value(name) for name in inputs}
    if problems:
        returned.problems.extend(problems)
        return
    if all(v is None for v in raw.values()):
        returned.blank.append(BlankRow(where, _subject(kind, keys)))
        return
    heading = {name: spec.heading for name, (spec, _) in inputs.items()}
    cell_of = {name: cell for name, (_, cell) in inputs.items()}
    try:
        row = _typed(where, kind, keys, raw, heading, cell_of)
    except _CellProblem as problem:
        returned.problems.append(Problem(where, problem.message, problem.column))
        return
    returned.rows.append(row)


class _CellProblem(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _subject(kind: str, keys: list[str]) -> str:
    if kind == "actual":
        return f"measure {keys[2]} {keys[3]} of {keys[0]} {keys[1]}"
    if kind == "milestone":
        return f"milestone {keys[3]!r} of {keys[1]}"
    return f"{keys[0]} {keys[1]}"


def _typed(
    where: Where, kind: str, keys: list[str], raw: dict[str, Any], heading: dict[str, str], cell_of: dict[str, Any]
) -> Returned:
    if kind == "update":
        progress = _choice(raw["progress"], PROGRESS_WORDS, heading["progress"], "progress")
        if progress is None:
            raise _CellProblem(heading["progress"], "the row has an update but no progress: choose one from the list")
        projected = _choice(raw["projected"], {**POSITION_WORDS, "Complete": "C"}, heading["projected"], "position")
        return ReturnedUpdate(
            where, keys[1], progress, _free_text(raw["comment"]), projected, _free_text(raw["rationale"])
        )
    if kind == "actual":
        number = _number(raw["value"], heading["value"], cell_of["value"])
        assert number is not None  # a blank value is a blank row
        return ReturnedActual(where, keys[0], keys[1], keys[2], keys[3], number)
    if kind == "milestone":
        done = _date(raw["done"], heading["done"])
        assert done is not None
        return ReturnedMilestone(where, keys[1], int(keys[2]), keys[3], done)
    likelihood = _rating(raw["likelihood"], heading["likelihood"])
    consequence = _rating(raw["consequence"], heading["consequence"])
    if likelihood is None or consequence is None:
        missing = heading["likelihood"] if likelihood is None else heading["consequence"]
        raise _CellProblem(missing, "a review needs both likelihood and consequence, 1 to 5")
    return ReturnedReview(where, keys[1], likelihood, consequence, _free_text(raw["note"]))


def _free_text(value: Any) -> str | None:
    """A comment or note as typed; a number or date typed into it is taken as its text."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def _choice(value: Any, words: dict[str, str], column: str, what: str) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).replace("-", " ").split()).casefold()
    for word, meant in words.items():
        if text in (word.casefold(), meant.replace("-", " ").casefold()):
            return meant
    raise _CellProblem(column, f"{str(value)[:40]!r} is not a {what} of the list: choose one of {', '.join(words)}")


def _number(value: Any, column: str, cell: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, (bool, date, datetime)):
        raise _CellProblem(column, f"{_shown(value)} is not a number: type the value itself")
    if isinstance(value, (int, float)):
        number = float(value)
        if "%" in str(getattr(cell, "number_format", "") or ""):
            number = round(number * 100, 10)  # typed as 17.5%: the cell holds 0.175, the measure 17.5
        return number
    text = str(value).strip().replace("\u00a0", "")
    try:
        if not text or any(c not in "0123456789.-+eE%" for c in text):
            raise ValueError(text)
        return round(float(text.removesuffix("%")), 10)
    except ValueError:
        raise _CellProblem(
            column,
            f"{str(value)[:40]!r} is not a number: type it as a number, with a decimal point, no thousands separator",
        ) from None


def _date(value: Any, column: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _CellProblem(
            column, f"{text[:40]!r} is not a date: type it as a date, such as {date(2022, 3, 15).isoformat()}"
        ) from None


def _rating(value: Any, column: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise _CellProblem(column, f"{_shown(value)} is not a whole number from 1 to 5")
    if not 1 <= number <= 5:
        raise _CellProblem(column, f"{number} is not from 1 to 5")
    return number


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return f"the date {value.date().isoformat()}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    return repr(str(value)[:40])
