"""Shared by the request/collect/chase tests: a trust with every kind of thing to ask for, and workbook helpers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import FIXTURES

MILESTONES = """\
milestones:
  - title: Outline business case to the Board
    due: 2023-12-31
  - title: Site purchase agreed
    due: 2024-06-30
"""
MONTHLY = """\
measures:
  - id: beds-open
    name: Virtual ward beds open
    direction: up
    cadence: monthly
    baseline: {month: 2022-03, value: 0}
    target: 80
    actuals: {2023-07: 68, 2023-08: 70, 2023-09: 70}
"""
SUCCESS_MEASURE = """\
    measures:
      - id: ed-4-hour
        name: Patients seen within four hours in ED
        unit: "%"
        direction: up
        cadence: monthly
        target: {at_least: 76}
        actuals: {2023-08: 71.9, 2023-09: 72.5}
"""
STRATEGY = """\
id: digital
title: Digital Strategy
lead: COO
status: approved
supports: [QPS2]
commitments:
  - id: epr
    title: One electronic patient record
    measures:
      - id: himss-stage
        name: HIMSS stage
        direction: up
        kind: level
        target: 6
        actuals: {2023/24 Q1: 4, 2023/24 Q2: 5}
"""


def northfield_with_everything(root: Path) -> Path:
    """The lifecycle fixture, with milestones, a monthly measure, a strategic objective's success measure and a
    strategy commitment's measure added (each led by an executive), in a git repository of its own."""
    shutil.copytree(FIXTURES / "lifecycle", root)
    data = root / "data"
    hospital = data / "objectives" / "new-hospital.yaml"
    hospital.write_text(hospital.read_text().replace("updates:\n", MILESTONES + "updates:\n"))
    wards = data / "objectives" / "virtual-wards.yaml"
    wards.write_text(wards.read_text().replace("updates:\n", MONTHLY + "updates:\n"))
    trust = data / "trust.yaml"
    text = trust.read_text()
    anchor = "    title: Timely care for every patient\n    theme: quality\n    lead: COO\n"
    assert anchor in text
    trust.write_text(text.replace(anchor, anchor + SUCCESS_MEASURE))
    (data / "strategies").mkdir(exist_ok=True)
    (data / "strategies" / "digital.yaml").write_text(STRATEGY)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "records")
    return root


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-C", str(root), *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def headings(sheet: Any) -> dict[str, int]:
    """A data sheet's column headings (row 4) -> column number."""
    return {str(c.value): c.column for c in sheet[4] if c.value is not None}


def row_of(sheet: Any, key: str) -> int:
    """The row of a data sheet whose key reads `key`: the id in column A; a measure's `measure-id period`;
    a milestone's title."""
    for number in range(5, sheet.max_row + 1):
        first = str(sheet.cell(row=number, column=1).value)
        if sheet.title == "Measures":
            name = str(sheet.cell(row=number, column=3).value)
            measure = name[name.rindex("(") + 1 : -1]
            if f"{measure} {sheet.cell(row=number, column=7).value}" == key:
                return number
        elif sheet.title == "Milestones":
            if sheet.cell(row=number, column=2).value == key:
                return number
        elif first == key:
            return number
    raise KeyError(f"{sheet.title}: no row {key!r}")


Fills = dict[str, dict[str, dict[str, Any]]]
"""sheet -> row key -> heading (or its start) -> value."""


def cell_for(sheet: Any, key: str, heading: str) -> tuple[int, int]:
    columns = headings(sheet)
    column = next(number for text, number in columns.items() if text.startswith(heading))
    return row_of(sheet, key), column


def fill_with_openpyxl(source: Path, target: Path, fills: Fills) -> None:
    """Type values into cells with openpyxl (as a script would) and save under another name."""
    import openpyxl

    workbook = openpyxl.load_workbook(source)
    for sheet_name, rows in fills.items():
        sheet = workbook[sheet_name]
        for key, values in rows.items():
            for heading, value in values.items():
                row, column = cell_for(sheet, key, heading)
                sheet.cell(row=row, column=column, value=value)
    workbook.save(target)


def read_only_cells(path: Path, sheet_name: str, key: str, heading: str) -> Any:
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    row, column = cell_for(workbook[sheet_name], key, heading)
    return workbook[sheet_name].cell(row=row, column=column)
