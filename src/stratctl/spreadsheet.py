"""Tables in and out: CSV/TSV always, XLSX through openpyxl when installed (`pip install stratctl[xlsx]`).

A cell that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at the start)
is written to CSV with a leading apostrophe, and read back without it; in XLSX every cell is
typed as text, so it is shown as written and never run.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from stratctl.errors import StratctlError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Table = list[tuple[int, list[str]]]  # (1-based row number, cells)


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def restore(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _openpyxl():  # type: ignore[no-untyped-def]
    try:
        import openpyxl
    except ImportError:
        raise StratctlError("XLSX needs openpyxl: pip install 'stratctl[xlsx]' (or use --format csv)") from None
    return openpyxl


def read_table(path: Path) -> Table:
    """Rows of a .csv, .tsv/.txt or .xlsx file, numbered as a spreadsheet numbers them."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        workbook = _openpyxl().load_workbook(path, read_only=True, data_only=True)
        sheet = workbook["Tracker"] if "Tracker" in workbook.sheetnames else workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [restore(_cell_text(v)) for v in values]))
        return rows
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")  # Excel's "CSV" on Windows
    delimiter = "," if suffix == ".csv" else "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(reader.line_num, [restore(c) for c in row]) for row in reader]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")  # type: ignore[attr-defined]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(tables: list[list[list[str]]]) -> str:
    """Tables one after another, a blank row between (as the trust's tracker lays them out)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        for row in table:
            writer.writerow([neutralise(c) for c in row])
    return out.getvalue()


def write_xlsx(path: Path, sheets: dict[str, list[list[str]]]) -> None:
    openpyxl = _openpyxl()
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, table in sheets.items():
        sheet = workbook.create_sheet(name)
        for row_number, row in enumerate(table, start=1):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column, value=value)
                cell.data_type = "s"  # typed as text: a cell starting with = is shown, never run as a formula
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    workbook.save(path)
