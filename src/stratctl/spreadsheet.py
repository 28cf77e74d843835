"""Tables in and out: CSV/TSV always, XLSX through openpyxl when installed (`pip install stratctl[xlsx]`).

A cell that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at the start,
after any apostrophes) is written to CSV with one more leading apostrophe, and read back without it;
in XLSX every cell is typed as text, so it is shown as written and never run (only a cell that
already starts with apostrophes and a formula character gets its extra apostrophe there too).
"""

from __future__ import annotations

import csv
import errno
import gc
import io
import re
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from stratctl.errors import StratctlError
from stratctl.output import write_output
from stratctl.reading import FileTooLarge, UnreadableFile, describe_size, read_capped

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Table = list[tuple[int, list[str]]]  # (1-based row number, cells)
# A cell that a spreadsheet could run: a formula start, after any apostrophes. Prefixing one more apostrophe
# neutralises it, and restore() takes exactly that one off again, so "'=x" (text that really starts with an
# apostrophe) is written "''=x" and read back as "'=x": import undoes exactly what export adds.
_STARTS = "[" + re.escape("".join(FORMULA_STARTS)) + "]"
_RUNNABLE = re.compile("'*" + _STARTS)
_NEUTRALISED = re.compile("'+" + _STARTS)
DELIMITERS = {",": "comma-separated", "\t": "tab-separated"}


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + cell if _RUNNABLE.match(cell) else cell


def restore(cell: str) -> str:
    """The cell as it was before neutralise(): the inverse of neutralise on every cell."""
    return cell[1:] if _NEUTRALISED.match(cell) else cell


def require_openpyxl() -> Any:
    """The openpyxl module, or a StratctlError saying how to install it."""
    try:
        import openpyxl
    except ImportError:
        raise StratctlError("XLSX needs openpyxl: pip install 'stratctl[xlsx]' (or use --format csv)") from None
    return openpyxl


MAX_TABLE_BYTES = 20 * 1024 * 1024
"""A tracker or risk table file, as stored: a trust's is tens of kilobytes."""
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
"""A workbook's parts once uncompressed, together: a zip bomb of sheet XML is refused before it is read."""
MAX_PARTS = 10_000


def _workbook(path: Path, *, as_written: bool = False, what: str = "a tracker") -> Any:
    openpyxl = require_openpyxl()
    data = _bytes(path, what)
    _check_unpacked_size(path, data, what)
    try:
        # read from its bytes: openpyxl refuses a name not ending .xlsx, and the bytes are what was checked
        return openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=not as_written, keep_links=False, keep_vba=False
        )
    except Exception as error:  # openpyxl raises many kinds of error for a file it cannot parse
        raise StratctlError(f"{path} is not an Excel workbook (.xlsx): {error}") from None


def open_workbook(path: Path, what: str) -> Any:
    """A workbook to read cell by cell as it was typed: a formula comes back as its text (data type
    'f'), never evaluated nor its cached result taken; external links and macros are not read; the
    size rules of an import apply (`what` names the kind of workbook in their messages)."""
    return _workbook(path, as_written=True, what=what)


def _bytes(path: Path, what: str = "a tracker") -> bytes:

    try:
        return read_capped(path, MAX_TABLE_BYTES)
    except FileTooLarge as error:
        raise StratctlError(
            f"{path}: cannot be read: it is {describe_size(error.size)}, and {what} may be at most "
            f"{describe_size(MAX_TABLE_BYTES)}"
        ) from None
    except UnreadableFile as error:
        raise StratctlError(str(error)) from None


def _check_unpacked_size(path: Path, data: bytes, what: str = "a tracker") -> None:
    """Refuse a workbook whose parts uncompress to more than MAX_UNPACKED_BYTES, before openpyxl reads
    any of them. The sizes are the archive's own; Python's zipfile stops reading a part at its stated
    size, so a part cannot unpack to more than it says."""

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise StratctlError(f"{path} is not an Excel workbook (.xlsx): {error}") from None
    if len(parts) > MAX_PARTS:
        raise StratctlError(
            f"{path}: refused: the workbook has {len(parts)} parts, more than {what} needs ({MAX_PARTS})"
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        largest = max(parts, key=lambda part: part.file_size)
        raise StratctlError(
            f"{path}: refused: the workbook unpacks to {unpacked / 1024 / 1024:.0f} MiB "
            f"({largest.filename} alone {largest.file_size / 1024 / 1024:.0f} MiB), more than the "
            f"{MAX_UNPACKED_BYTES // 1024 // 1024} MiB {what} may take"
            + (": save only the tracker's sheets" if what == "a tracker" else "")
        )


def _rows(path: Path, sheet: Any) -> Table:
    try:
        return [
            (number, [restore(_cell_text(v)) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except Exception as error:
        raise StratctlError(f"{path}: sheet {sheet.title!r} cannot be read: {error}") from None


def read_sheet(path: Path, name: str) -> Table | None:
    """The rows of one named sheet of an .xlsx file, None when it has no such sheet."""
    workbook = _workbook(path)
    return _rows(path, workbook[name]) if name in workbook.sheetnames else None


def is_xlsx(path: Path) -> bool:
    """An .xlsx file by its name, or a workbook (a zip archive) under another name."""
    if path.suffix.lower() == ".xlsx":
        return True
    try:
        with path.open("rb") as stream:
            return stream.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def read_table(path: Path) -> Table:
    """Rows of a .csv, .tsv/.txt or .xlsx file, numbered as a spreadsheet numbers them.

    A text file's delimiter is the one under which more rows split into cells, so a comma-separated
    file named .tsv or .txt (or a tab-separated one named .csv) reads as it is; the name decides a tie.
    """
    if is_xlsx(path):
        workbook = _workbook(path)
        sheet = workbook["Tracker"] if "Tracker" in workbook.sheetnames else workbook.worksheets[0]
        return _rows(path, sheet)
    text = _text(path)
    default = "," if path.suffix.lower() == ".csv" else "\t"
    tables: list[Table] = []
    errors: list[StratctlError] = []
    for delimiter in (default, *(d for d in DELIMITERS if d != default)):
        try:
            tables.append(_parse(path, text, delimiter))
        except StratctlError as error:
            errors.append(error)
    if not tables:
        raise errors[0]
    return max(tables, key=lambda table: sum(len(cells) > 1 for _, cells in table))  # the first wins a tie


def _text(path: Path) -> str:
    data = _bytes(path)  # bytes: a carriage return inside a cell must reach the CSV reader as it is
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # Excel's "CSV" on Windows
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise StratctlError(
            f"{path}:{line}:{column}: not text: neither UTF-8 nor Windows-1252 (save it as CSV UTF-8 or as .xlsx)"
        ) from None


def _parse(path: Path, text: str, delimiter: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Table = []
    try:
        # numbered by record, as a spreadsheet numbers its rows: a cell with line breaks is one row, not several
        for number, row in enumerate(reader, start=1):
            rows.append((number, [restore(c) for c in row]))
    except csv.Error as error:
        raise StratctlError(
            f"{path}:{reader.line_num + 1}: cannot be read as {DELIMITERS[delimiter]} text: {error}"
        ) from None
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


Cell = str | int | float | date | None
"""A cell of a table written out: text, a number, a date, or empty."""
FIRST_SERIAL_DATE = date(1900, 3, 1)
"""The first day a spreadsheet's day numbers give unambiguously (Excel counts a 29 February 1900)."""
DATE_FORMAT = "dd mmm yyyy"
"""How an XLSX date cell shows its date: `31 Mar 2022` reads the same in every locale (31/03 is 3 March in en-US)."""


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()  # ISO 8601: a spreadsheet in any locale reads 2022-03-31 as that day
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return neutralise(value) if isinstance(value, str) else str(value)


def csv_text(table: list[list[Cell]]) -> str:
    """One table as CSV (a file holds one table): dates ISO 8601, numbers as written, formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in table:
        writer.writerow([_csv_cell(c) for c in row])
    return out.getvalue()


def write_xlsx(path: Path, sheets: dict[str, list[list[Cell]]]) -> None:
    """Write the workbook to `path` as write_output() writes: a regular file is replaced atomically."""

    write_output(path, xlsx_bytes(sheets), example="export.xlsx")


def xlsx_bytes(sheets: dict[str, list[list[Cell]]]) -> bytes:
    """The workbook, built in memory: a write that fails (a full disk) then leaves the previous file whole.

    Numbers are number cells and dates date cells (DATE_FORMAT), so a spreadsheet sorts, filters and sums
    them; text is typed as text, so a cell starting with = is shown, never run as a formula.
    """
    openpyxl = require_openpyxl()
    from openpyxl.styles import Alignment  # with openpyxl: an optional dependency, imported where it is needed

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    wrapped = Alignment(wrap_text=True, vertical="top")
    for name, table in sheets.items():
        sheet = workbook.create_sheet(name)
        for row_number, row in enumerate(table, start=1):
            for column, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                if isinstance(value, date) and value < FIRST_SERIAL_DATE:
                    value = value.isoformat()  # a spreadsheet's day numbers start in 1900: earlier, the date as text
                if isinstance(value, str):
                    # typed as text, so only what restore() would change needs its apostrophe
                    cell = sheet.cell(
                        row=row_number, column=column, value="'" + value if _NEUTRALISED.match(value) else value
                    )
                    cell.data_type = "s"
                    if "\n" in value:
                        cell.alignment = wrapped  # a list, one item a line
                else:
                    cell = sheet.cell(row=row_number, column=column, value=value)
                    if isinstance(value, date):
                        cell.number_format = DATE_FORMAT
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    stream = io.BytesIO()
    failure = None
    with _unraisable_ignored():
        try:
            workbook.save(stream)
        except OSError as error:  # openpyxl writes each sheet to a temporary file before zipping it
            failure = StratctlError(f"cannot build the workbook: {_why(error)}; nothing was written")
        if failure is not None:
            del workbook
            gc.collect()  # the half-written sheets' writers fail again as they close: the same failure
    if failure is not None:
        raise failure
    return stream.getvalue()


def _why(error: OSError) -> str:
    reason = (error.strerror or str(error)).lower()
    if error.errno == errno.EFBIG:
        return f"{reason} (a limit on the size of a file this process may write, as `ulimit -f` sets)"
    if error.errno == errno.ENOSPC:
        return f"{reason} in {tempfile.gettempdir()}, where its sheets are written first"
    return f"{reason} (writing its sheets to {tempfile.gettempdir()})"


@contextmanager
def _unraisable_ignored() -> Iterator[None]:
    """Errors Python can only report as "Exception ignored" (a generator failing as it is closed) are not
    printed while the block runs: the block reports its failure itself."""
    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        yield
    finally:
        sys.unraisablehook = previous
