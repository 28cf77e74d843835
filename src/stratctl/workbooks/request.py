"""`stratctl request`: one executive's quarterly update workbook, as XLSX bytes.

Built with openpyxl, opened alike by Excel and LibreOffice: a front sheet saying what to fill in
and by when; one sheet each for objectives, measures, milestones and risks (only those with rows),
every cell locked but the yellow input cells (sheet protection, no password: it guards against
accidents, and `collect` detects an edit all the same); drop-down lists for progress, position,
likelihood and consequence; a hidden sheet recording what the workbook is (workbooks/layout.py).
The same records and options always give the same bytes: the workbook's dates are fixed, never
the clock, and the archive's entries carry a fixed time.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from stratctl import __version__
from stratctl.asks import ExecutiveAsk, MeasureAsk, Period
from stratctl.measure_words import point_text, target_text
from stratctl.periods import Month, Quarter
from stratctl.records import Rating, Update
from stratctl.spreadsheet import require_openpyxl
from stratctl.vocabulary import label, position_key
from stratctl.workbooks.layout import (
    DIGEST_KEY,
    FIRST_ROW,
    FORMAT,
    FRONT_QUARTER_ROW,
    FRONT_SHEET,
    FRONT_TRUST_ROW,
    HEADER_KIND,
    HEADER_ROW,
    INDEX_HEADING,
    MEASURES_SHEET,
    META_KEYS,
    META_SHEET,
    MILESTONES_SHEET,
    OBJECTIVES_SHEET,
    POSITION_WORDS,
    PROGRESS_WORDS,
    RATING_VALUES,
    RISKS_SHEET,
    ROW_KINDS,
    SHEET_COLUMNS,
    Column,
    digest,
    written,
)

INPUT_FILL = "FFF2CC"  # a pale yellow: the cells to type in
HEADING_FILL = "D9E2F3"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry: fixed, so the bytes are too


@dataclass(frozen=True)
class RequestContext:
    """What every workbook of one request shares: the repository it comes from and the dates it gives."""

    trust_name: str
    short_name: str
    repository: str  # the git history's first commit: which repository, whatever its folder is called
    commit: str  # the commit the records were read at ('' outside git)
    start_month: int = 4
    meeting: str = "Board of Directors"
    meeting_date: date | None = None
    return_by: date | None = None


Cells = list[Any]  # one row's values: str, date or None


def long_date(day: date) -> str:
    """`12 May 2022`: the same in every locale (a date cell would be shown month-first in some)."""
    return f"{day.day} {day:%B %Y}"


def request_workbook(ask: ExecutiveAsk, context: RequestContext) -> bytes:
    """The executive's workbook as XLSX bytes."""
    openpyxl = require_openpyxl()  # an optional dependency (stratctl[xlsx]): imported only when a workbook is made
    from openpyxl.workbook.protection import WorkbookProtection

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    quarter = ask.quarter
    index = _front_sheet(workbook, ask, context)
    rows_by_sheet = _rows_by_sheet(ask, context)
    stages = {FIRST_ROW + offset for offset, m in enumerate(ask.measures) if m.measure.kind == "level"}
    for name, columns_of in SHEET_COLUMNS.items():
        rows = rows_by_sheet[name]
        if rows:
            index += _data_sheet(workbook, name, ask, columns_of(quarter), rows, stages)
    _meta_sheet(workbook, ask, context, index)
    workbook.security = WorkbookProtection(lockStructure=True)  # no sheet renamed, moved, deleted or unhidden

    stamp = datetime.combine(quarter.last_day(context.start_month) + timedelta(days=1), time())
    workbook.properties.creator = "stratctl"
    workbook.properties.lastModifiedBy = "stratctl"
    workbook.properties.title = f"{context.short_name} quarterly update {quarter}: {ask.executive.id}"
    workbook.properties.created = stamp
    stream = io.BytesIO()
    workbook.save(stream)
    return _fixed(stream.getvalue(), stamp)


# The sheet builders below are called only from request_workbook, once openpyxl (optional) is known to be
# installed: each imports the openpyxl styles it uses there.


def _front_sheet(workbook: Any, ask: ExecutiveAsk, context: RequestContext) -> list[list[str]]:
    """The front sheet: what to fill in, by when and how. Returns its lines for the hidden index."""
    from openpyxl.styles import Alignment, Font

    front = workbook.create_sheet(FRONT_SHEET)
    front_rows = _front_rows(ask, context)
    for row_number, row in enumerate(front_rows, start=1):
        for column, value in enumerate(row, start=1):
            _text(front.cell(row=row_number, column=column), value)
    front["A1"].font = Font(bold=True, size=14)
    for row_number, row in enumerate(front_rows, start=1):
        if row and row[0] in ("What to fill in", "How"):
            front.cell(row=row_number, column=1).font = Font(bold=True)
    front.column_dimensions["A"].width = 26
    front.column_dimensions["B"].width = 100
    for row_number, row in enumerate(front_rows, start=1):
        front.cell(row=row_number, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        if row_number > 1:  # the title runs on across the sheet
            front.row_dimensions[row_number].height = _height(
                [(written(v), w) for v, w in zip(row, (26, 100), strict=False)]
            )
    _print_setup(front)
    _protect(front)
    return _top_lines(FRONT_SHEET, front_rows)


def _rows_by_sheet(ask: ExecutiveAsk, context: RequestContext) -> dict[str, list[tuple[list[str], Cells]]]:
    """Each data sheet's rows: the keys that name the row in the hidden index, and its locked cells."""
    return {
        OBJECTIVES_SHEET: [
            (["objective", o.id], _objective_cells(o.id, o.title, o.priority, o.due, o.last)) for o in ask.objectives
        ],
        MEASURES_SHEET: [(list(m.key), _measure_cells(m, context.start_month)) for m in ask.measures],
        MILESTONES_SHEET: [
            (["milestone", m.objective_id, str(m.index), m.title], [m.objective_id, m.title, long_date(m.due)])
            for m in ask.milestones
        ],
        RISKS_SHEET: [
            (["risk", r.id], [r.id, r.title, _rating_text(r.last, r.last_quarter), _rating_text(r.target, None)])
            for r in ask.risks
        ],
    }


def _data_sheet(
    workbook: Any,
    name: str,
    ask: ExecutiveAsk,
    columns: Sequence[Column],
    rows: list[tuple[list[str], Cells]],
    stages: set[int],
) -> list[list[str]]:
    """One sheet of rows to fill in (objectives, measures, milestones or risks). Returns its index lines."""
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet = workbook.create_sheet(name)
    top = _sheet_top(name, ask, columns)
    for row_number, row in enumerate(top, start=1):
        for column, value in enumerate(row, start=1):
            _text(sheet.cell(row=row_number, column=column), value)
    sheet["A1"].font = Font(bold=True)
    sheet.row_dimensions[HEADER_ROW].height = _height([(c.heading, c.width) for c in columns])
    for column, spec in enumerate(columns, start=1):
        heading = sheet.cell(row=HEADER_ROW, column=column)
        heading.font = Font(bold=True)
        heading.fill = PatternFill("solid", fgColor=INPUT_FILL if spec.field else HEADING_FILL)
        heading.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[heading.column_letter].width = spec.width
    index = _top_lines(name, top)
    numbers = range(FIRST_ROW, FIRST_ROW + len(rows))
    for number, (keys, cells) in zip(numbers, rows, strict=True):
        locked = _data_row(sheet, number, columns, cells)
        index.append([name, str(number), ROW_KINDS[name], _json(keys), digest(locked)])
    for column, spec in enumerate(columns, start=1):
        if spec.field is not None:
            _input_column(sheet, column, spec, numbers, stages)
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=3)
    _print_setup(sheet)
    _protect(sheet)
    return index


def _data_row(sheet: Any, number: int, columns: Sequence[Column], cells: Cells) -> list[str]:
    """One row: its locked cells written, its input cells left open and yellow. Returns the locked cells' text."""
    from openpyxl.styles import Alignment, PatternFill, Protection

    padded = [*cells, *[None] * (len(columns) - len(cells))]
    for column, (spec, value) in enumerate(zip(columns, padded, strict=True), start=1):
        cell = sheet.cell(row=number, column=column)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if spec.field:
            cell.protection = Protection(locked=False)
            cell.fill = PatternFill("solid", fgColor=INPUT_FILL)
        else:
            _text(cell, value)
    sheet.row_dimensions[number].height = _height(
        [(written(value), spec.width) for spec, value in zip(columns, padded, strict=True)], minimum=2
    )  # room to type a comment in
    return [written(value) for spec, value in zip(columns, padded, strict=True) if not spec.field]


def _input_column(sheet: Any, column: int, spec: Column, numbers: range, stages: set[int]) -> None:
    """The drop-down or check on an input column's cells, and a date column's display format."""
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = sheet.cell(row=FIRST_ROW, column=column).column_letter
    groups = [list(numbers)]
    if spec.field == "value":  # a stage (HIMSS 0-7) is a whole number; any other value a decimal
        groups = [[n for n in numbers if n in stages], [n for n in numbers if n not in stages]]
    for whole, group in zip((True, False), groups, strict=False):
        validation = _validation(DataValidation, spec, whole=whole and spec.field == "value")
        if validation is None or not group:
            continue
        for number in group:
            validation.add(f"{letter}{number}")
        sheet.add_data_validation(validation)
    if spec.field == "done":
        for number in numbers:
            sheet.cell(row=number, column=column).number_format = "yyyy-mm-dd"  # ISO: one reading everywhere


def _meta_sheet(workbook: Any, ask: ExecutiveAsk, context: RequestContext, index: list[list[str]]) -> None:
    """The hidden sheet: what the workbook is, a line per locked row, and a digest of it all."""
    meta = workbook.create_sheet(META_SHEET)
    values = [
        FORMAT,
        context.trust_name,
        context.repository,
        context.commit,
        str(ask.quarter),
        ask.executive.id,
        ask.executive.title,
    ]
    lines: list[list[str]] = [[key, value] for key, value in zip(META_KEYS, values, strict=True)]
    lines += [list(INDEX_HEADING), *index]
    lines.append([DIGEST_KEY, digest([written(v) for line in lines for v in line])])
    for row_number, line in enumerate(lines, start=1):
        for column, value in enumerate(line, start=1):
            _text(meta.cell(row=row_number, column=column), value)
    meta.sheet_state = "hidden"
    _protect(meta)


def _text(cell: Any, value: Any) -> None:
    """A locked cell: text, typed as text, so a title starting with = is shown, never run."""
    text = written(value)
    if text:
        cell.value = text
        cell.data_type = "s"


LINE_HEIGHT = 15.0  # points: one line of the default 11-point font
MAX_ROW_HEIGHT = 409.0  # the most a spreadsheet row may be


def _height(cells: Sequence[tuple[str, int]], minimum: int = 1) -> float:
    """A row tall enough to show each cell's wrapped text (text, column width in characters): spreadsheets
    do not all grow a row to fit on opening."""
    lines = minimum
    for text, width in cells:
        per_line = max(1, int(width * 1.1))
        lines = max(lines, sum(max(1, -(-len(paragraph) // per_line)) for paragraph in text.split("\n")))
    return min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)


def _print_setup(sheet: Any) -> None:
    """A4 landscape, each sheet one page wide: an executive may print it to fill in by hand first."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _protect(sheet: Any) -> None:
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False  # widening a column or a row to read it is allowed
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _top_lines(sheet: str, rows: Sequence[Sequence[str]]) -> list[list[str]]:
    """The hidden sheet's lines for a sheet's locked rows above its data: one per row, so an edit is named by row."""
    return [
        [sheet, str(row_number), HEADER_KIND, "[]", digest([written(v) for v in row])]
        for row_number, row in enumerate(rows, start=1)
    ]


def _json(keys: Sequence[str]) -> str:
    return json.dumps(list(keys), ensure_ascii=False, separators=(",", ":"))


def _front_rows(ask: ExecutiveAsk, context: RequestContext) -> list[list[str]]:
    quarter = ask.quarter
    when = long_date(context.return_by) if context.return_by else "as the strategy office asks"
    meeting = f"{context.meeting}, {long_date(context.meeting_date)}" if context.meeting_date else context.meeting
    count = {
        "objectives": len(ask.objectives),
        "periods": len(ask.measures),
        "milestones": len(ask.milestones),
        "risks": len(ask.risks),
    }
    asked = []
    if count["objectives"]:
        asked.append(
            [
                OBJECTIVES_SHEET,
                f"An update on each of your {count['objectives']} objective(s): "
                f"the {quarter.label} progress (choose from the list), a comment, "
                "and your projected year-end position (R, A, G or C), beside the "
                f"{quarter.previous().label} update for reference. A rationale if the position you give differs from "
                "what the measures and milestones show.",
            ]
        )
    if count["periods"]:
        asked.append(
            [
                MEASURES_SHEET,
                f"The value of each measure for each period listed ({count['periods']} in all), as a number in the "
                "measure's unit; recent values are shown beside it.",
            ]
        )
    if count["milestones"]:
        asked.append(
            [MILESTONES_SHEET, "The date each milestone was done, for those now done; leave the others blank."]
        )
    if count["risks"]:
        asked.append(
            [
                RISKS_SHEET,
                f"A {quarter.label} review of each of your {count['risks']} strategic risk(s): likelihood and "
                "consequence, each 1 to 5 (choose from the list), and a note.",
            ]
        )
    made = f"Made by stratctl {__version__}" + (
        f" from commit {context.commit[:12]} of the strategy records." if context.commit else "."
    )
    rows = [
        [f"{context.short_name}: quarterly update for {quarter}"],
        [],
        ["For", f"{ask.executive.title} ({ask.executive.id})"],
        ["Trust", context.trust_name],
        ["Quarter", str(quarter)],
        ["Please return by", when],
        ["For the meeting", meeting],
        [],
        ["What to fill in"],
        *asked,
        [],
        ["How"],
        ["Yellow cells", "Type only in the yellow cells; everything else is locked."],
        ["Nothing to report yet?", "Leave the row blank: it is read as no update yet, not as a mistake."],
        ["Numbers and dates", "Type the number or the date itself, never a formula."],
        ["Progress", "; ".join(PROGRESS_WORDS)],
        ["Position", position_key()],
        ["Saving", "Save as .xlsx (Excel or LibreOffice) and send it back. You may rename the file."],
        [],
        ["", made],
    ]
    assert rows[FRONT_TRUST_ROW - 1][0] == "Trust" and rows[FRONT_QUARTER_ROW - 1][0] == "Quarter"
    return rows


def _sheet_top(name: str, ask: ExecutiveAsk, columns: Sequence[Column]) -> list[list[str]]:
    hints = {
        OBJECTIVES_SHEET: "One row per objective you lead. Leave a row blank if there is no update yet.",
        MEASURES_SHEET: "One row per measure and period due. Leave the value blank if it is not known yet.",
        MILESTONES_SHEET: "Give the date a milestone was done; leave it blank if it is not done yet.",
        RISKS_SHEET: "One row per strategic risk you lead: give both likelihood and consequence, or leave both blank.",
    }
    return [
        ["Quarter", str(ask.quarter), "Executive", f"{ask.executive.title} ({ask.executive.id})"],
        [hints[name]],
        [],
        [column.heading for column in columns],
    ]


def _objective_cells(objective_id: str, title: str, priority: str, due: date | None, last: Update | None) -> Cells:
    return [
        objective_id,
        title,
        priority,
        long_date(due) if due else "",
        label(last.progress) if last else "",
        (last.comment or "") if last else "",
        (last.projected or "") if last else "",
    ]


def period_text(period: Period) -> str:
    """A period as the records write it: `2021/22 Q4`, or a month `2022-01`."""
    return str(period)


def _measure_cells(ask: MeasureAsk, start_month: int) -> Cells:
    measure = ask.measure
    owner = {"objective": "", "strategic objective": "Strategic objective: ", "commitment": "Commitment: "}[
        ask.owner_kind
    ]
    recent = ", ".join(f"{_short(period, start_month)}: {point_text(measure, value)}" for period, value in ask.recent)
    return [
        ask.owner_id,
        owner + ask.owner_title,
        f"{measure.name} ({measure.id})",
        measure.unit or "",
        target_text(measure) if measure.target is not None else "none (watched)",
        recent,
        period_text(ask.period),
    ]


def _short(period: Period, start_month: int) -> str:
    if isinstance(period, Month):
        return f"{period.first_day():%b %Y}"
    assert isinstance(period, Quarter)
    return str(period)


def _rating_text(rating: Rating, quarter: Quarter | None) -> str:
    if rating.likelihood is not None and rating.consequence is not None:
        text = f"{rating.likelihood} x {rating.consequence} = {rating.value}"
    else:
        text = f"score {rating.value}"
    return text + (f" ({quarter} review)" if quarter is not None else "")


def _validation(data_validation: Any, spec: Column, *, whole: bool) -> Any:
    """The drop-down, or the check, on a column's input cells."""

    def listed(values: Sequence[str], title: str) -> Any:
        return data_validation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=title,
            error=f"Choose one of: {', '.join(values)}",
        )

    if spec.field == "progress":
        return listed(list(PROGRESS_WORDS), "Progress")
    if spec.field == "projected":
        return listed(list(POSITION_WORDS), "Projected year-end position")
    if spec.field in ("likelihood", "consequence"):
        return listed(list(RATING_VALUES), spec.field.capitalize())
    if spec.field == "value":
        return data_validation(
            type="whole" if whole else "decimal",
            operator="between",
            formula1="-1000000000000",
            formula2="1000000000000",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Value",
            error="Type a whole number: this measure counts stages." if whole else "Type a number.",
        )
    if spec.field == "done":
        return data_validation(
            type="date",
            operator="greaterThan",
            formula1="DATE(2000,1,1)",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Done on",
            error="Type the date the milestone was done, e.g. 2022-03-15.",
        )
    return None


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed(data: bytes, stamp: datetime) -> bytes:
    """The archive again, with every entry's time fixed and the document's modified date set to `stamp`
    (openpyxl stamps both with the clock when it saves)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content)
            entry = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()
