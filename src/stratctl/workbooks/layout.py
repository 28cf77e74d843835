"""The layout of a request workbook: its sheets, their columns, and the record it keeps of itself.

`stratctl request` writes it and `stratctl collect` reads it back, both from this one description,
so the two can never disagree about where a cell is.

A workbook carries, on a hidden sheet, which trust and repository it was made for, the quarter,
the commit, the executive, and one line per row of its visible sheets: what the row is (whose
update, which measure and period) and a digest of the row's locked cells. `collect` recomputes each
digest from the cells as returned, so an edited id, title or quarter is found and named by sheet
and row; and a digest over the hidden sheet itself finds an edit there. The digests detect edits
made by mistake or by unprotecting a sheet; they are not a signature (anyone with stratctl could
make a matching workbook), and the repository's review of the resulting change is the control.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from stratctl.periods import Quarter

FORMAT = "stratctl quarterly request 1"
"""The hidden sheet's first value: a workbook of another format (or none) is not read."""

META_SHEET = "stratctl"
FRONT_SHEET = "Read me"
OBJECTIVES_SHEET = "Objectives"
MEASURES_SHEET = "Measures"
MILESTONES_SHEET = "Milestones"
RISKS_SHEET = "Risks"

META_KEYS = ("format", "trust", "repository", "commit", "quarter", "executive", "executive title")
"""The hidden sheet's first rows, in this order: one key and its value a row."""
INDEX_HEADING = ("sheet", "row", "kind", "keys", "digest")
"""The heading of the hidden sheet's index, one line per visible row that carries data or headings."""
DIGEST_KEY = "digest"

FRONT_TRUST_ROW, FRONT_QUARTER_ROW = 4, 5
"""Where the front sheet shows the trust and the quarter: a refusal for another trust or quarter points there."""
META_REPOSITORY_ROW = META_KEYS.index("repository") + 1
"""Where the hidden sheet records the repository (its git history's first commit)."""

HEADER_ROW = 4
"""Every data sheet: the quarter and executive on row 1, what to do on row 2, headings on row 4, rows from 5."""
FIRST_ROW = HEADER_ROW + 1

PROGRESS_WORDS = {
    "Not started": "not-started",
    "On track": "on-track",
    "Behind": "behind",
    "At risk": "at-risk",
    "Complete": "complete",
}
"""The progress drop-down's words (the tracker's own) and the record's values."""
POSITION_WORDS = {"R": "R", "A": "A", "G": "G", "C": "C"}
RATING_VALUES = ("1", "2", "3", "4", "5")


@dataclass(frozen=True)
class Column:
    heading: str
    width: int
    field: str | None = None  # the input it takes; None for a locked cell


def objective_columns(quarter: Quarter) -> tuple[Column, ...]:
    last, this = quarter.previous().label, quarter.label
    return (
        Column("Id", 22),
        Column("Objective", 44),
        Column("Trust priority", 24),
        Column("Target date", 13),
        Column(f"{last} progress", 13),
        Column(f"{last} comment", 44),
        Column(f"{last} position", 10),
        Column(f"{this} progress", 14, "progress"),
        Column(f"{this} comment", 56, "comment"),
        Column(f"{this} projected year-end position (R, A, G, C)", 16, "projected"),
        Column("Rationale: why the position differs from what the evidence shows (if it does)", 40, "rationale"),
    )


def measure_columns(quarter: Quarter) -> tuple[Column, ...]:
    return (
        Column("Id", 22),
        Column("Of", 40),
        Column("Measure", 36),
        Column("Unit", 8),
        Column("Target", 18),
        Column("Recent values", 34),
        Column("Period", 12),
        Column("Value", 12, "value"),
    )


def milestone_columns(quarter: Quarter) -> tuple[Column, ...]:
    return (
        Column("Objective id", 22),
        Column("Milestone", 52),
        Column("Due", 13),
        Column("Done on (a date, if done)", 16, "done"),
    )


def risk_columns(quarter: Quarter) -> tuple[Column, ...]:
    this = quarter.label
    return (
        Column("Id", 12),
        Column("Risk", 44),
        Column("Last rating", 30),
        Column("Target", 16),
        Column(f"{this} likelihood (1-5)", 13, "likelihood"),
        Column(f"{this} consequence (1-5)", 13, "consequence"),
        Column(f"{this} note", 56, "note"),
    )


SHEET_COLUMNS = {
    OBJECTIVES_SHEET: objective_columns,
    MEASURES_SHEET: measure_columns,
    MILESTONES_SHEET: milestone_columns,
    RISKS_SHEET: risk_columns,
}
"""Each data sheet, in the workbook's order, and its columns for a quarter."""
ROW_KINDS = {OBJECTIVES_SHEET: "update", MEASURES_SHEET: "actual", MILESTONES_SHEET: "milestone", RISKS_SHEET: "review"}
HEADER_KIND = "header"
"""The index line of a sheet's locked rows above its data (the quarter, the headings)."""

# openpyxl refuses these in a cell (XML 1.0 cannot hold them); the records may. Shown as U+FFFD.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL_CHARS = 32_767
"""A spreadsheet cell holds at most this many characters (Excel's limit): longer text is cut, marked with …."""


def cell_text(value: str) -> str:
    """Record text as a workbook cell can hold it: characters XML cannot carry replaced, cut to a cell's size."""
    text = _NOT_IN_XML.sub("\ufffd", value)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def written(value: object) -> str:
    """A locked cell's text as the workbook holds it ('' for an empty cell): what its digest is taken over."""
    return "" if value is None else cell_text(str(value))


def digest(values: Sequence[object]) -> str:
    """The SHA-256 of the non-empty texts of some cells, in order (a row's locked cells, a sheet's top, the
    hidden sheet): the same from writer and reader, whichever empty cells a spreadsheet keeps or drops."""
    texts = [text for text in ("" if v is None else str(v) for v in values) if text]
    canonical = json.dumps(texts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def file_name(quarter: Quarter, executive: str) -> str:
    """`2021-22-Q4-COO.xlsx`: a request's file name (the executive may rename it: the workbook says what it is)."""
    return f"{str(quarter.year).replace('/', '-')}-{quarter.label}-{executive}.xlsx"
