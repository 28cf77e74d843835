"""`stratctl import measures FILE`: an information team's long table of values, into the records.

A 1,000-row monthly file writes every value; importing it again changes nothing; every row that
cannot be placed is reported by its number and nothing is written; a value that differs from the
one recorded is reported and left alone unless --replace.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from stratctl.importing import read_measure_rows
from stratctl.periods import Month
from stratctl.records import Objective, Trust
from stratctl.spreadsheet import read_sheet, read_table
from tests.conftest import snapshot

MEASURES = 25
MONTHS = 40  # 2018-12 to 2022-03: 28 months of history and the objective's year, 2021/22
FIRST = Month(2018, 12)


def _objective(root: Path) -> Path:
    lines = [
        "id: performance",
        "title: Hold the integrated performance report's standards",
        "year: 2021/22",
        "priority: recover",
        "lead: COO",
        "measures:",
    ]
    for k in range(MEASURES):
        lines += [
            f"  - id: m{k:02d}",
            f"    name: Indicator {k}",
            "    direction: up" if k % 2 else "    direction: down",
            "    cadence: monthly",
            "    history_from: 2018-04",
        ]
    lines += ["  - id: wait", "    name: Mean handover time", '    unit: "mm:ss"', "    direction: down"]
    lines += ["    cadence: monthly", '    target: {at_most: "15:00", over: year}']
    path = root / "data" / "objectives" / "performance.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _value(k: int, i: int) -> float:
    """A value a performance report might hold: between 40 and 99.9, one decimal, never repeating a pattern."""
    return round(40 + (k * 7.3 + i * 3.1 + (k * i) % 11) % 59.9, 1)


def _write(path: Path, rows: list[list[str]], header: tuple[str, ...] = ("Measure", "Period", "Value")) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _thousand(root: Path) -> Path:
    rows = [
        [f"m{k:02d}", str(Month.from_index(FIRST.index + i)), str(_value(k, i))]
        for k in range(MEASURES)
        for i in range(MONTHS)
    ]
    assert len(rows) == 1000
    return _write(root / "values.csv", rows)


def _read(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _loaded(path: Path) -> Objective:
    return Objective.model_validate(_read(path))


@pytest.fixture
def performance(repo: Path) -> Path:
    return _objective(repo)


def test_a_thousand_monthly_values_are_all_written_and_a_second_import_changes_nothing(
    repo: Path, performance: Path, stratctl: Any
) -> None:
    file = _thousand(repo)
    first = stratctl("import", "measures", str(file))
    assert first.exit_code == 0, first.stderr
    objective = _loaded(performance)
    for k, m in enumerate(objective.measures[:MEASURES]):
        expected = {Month.from_index(FIRST.index + i): _value(k, i) for i in range(MONTHS)}
        assert m.actuals == expected, m.id
        assert list(m.actuals) == sorted(m.actuals, key=lambda p: p.index)
    assert "performance.yaml: objective performance, measure m00: 40 actual(s) added" in first.stdout
    assert stratctl("validate").exit_code in (0, 1)
    assert not [
        line for line in stratctl("validate").stdout.splitlines() if "performance.yaml" in line and " error " in line
    ]
    before = snapshot(repo)
    again = stratctl("import", "measures", str(file))
    assert again.exit_code == 0, again.stderr
    assert snapshot(repo) == before
    assert (
        "0 file(s) written" in again.stderr and "1000 value(s) already recorded as the file gives them" in again.stderr
    )


def test_every_row_that_cannot_be_placed_is_reported_by_number_and_nothing_is_written(
    repo: Path, performance: Path, stratctl: Any
) -> None:
    file = _write(
        repo / "bad.csv",
        [
            ["m00", "2021-04", "71.2"],  # row 2: fine
            ["m99", "2021-04", "70"],  # row 3: no such measure
            ["m01", "2021/22 Q1", "70"],  # row 4: a quarter for a monthly measure
            ["m02", "2021-05", "seventy"],  # row 5: not a number
            ["m03", "2017-04", "70"],  # row 6: before history_from
            ["m04", "2022-04", "70"],  # row 7: after the objective's year
            ["wait", "2021-04", "15:75"],  # row 8: not a duration
            ["m05", "April 2021", "70.5"],  # row 9: fine (a month in words)
            ["", "2021-04", "1"],  # row 10: no measure
        ],
    )
    before = snapshot(repo)
    outcome = stratctl("import", "measures", str(file))
    assert outcome.exit_code == 1
    assert snapshot(repo) == before
    rows = sorted(int(line.split("row ")[1].split(":")[0]) for line in outcome.stderr.splitlines() if ": row " in line)
    assert rows == [3, 4, 5, 6, 7, 8, 10]
    assert f"{file}: row 3: no measure 'm99' in the records" in outcome.stderr
    assert "row 4: measure m01: '2021/22 Q1' is a quarter, but the measure is monthly" in outcome.stderr
    assert "row 5: measure m02 2021-05: 'seventy' is not a number" in outcome.stderr
    outside = "row 6: measure m03: 2017-04 is outside what it accepts: objective performance takes 2021/22"
    assert f"{outside}, history from 2018-04" in outcome.stderr
    assert "row 8: measure wait 2021-04: '15:75' is not a duration" in outcome.stderr
    assert "nothing written: 7 row(s) could not be placed" in outcome.stderr


def test_a_differing_value_is_left_alone_unless_replace(repo: Path, performance: Path, stratctl: Any) -> None:
    assert stratctl("import", "measures", str(_write(repo / "a.csv", [["m00", "2021-04", "71.2"]]))).exit_code == 0
    changed = _write(repo / "b.csv", [["m00", "2021-04", "72"], ["m00", "2021-05", "73"]])
    dry = snapshot(repo)
    assert stratctl("import", "measures", str(changed), "--dry-run").exit_code == 1
    assert snapshot(repo) == dry
    outcome = stratctl("import", "measures", str(changed))
    assert outcome.exit_code == 1
    assert "row 2: measure m00 2021-04 is 71.2 in performance.yaml and 72 in the file: left alone" in outcome.stderr
    actuals = _loaded(performance).measures[0].actuals
    assert (actuals[Month(2021, 4)], actuals[Month(2021, 5)]) == (71.2, 73)
    assert stratctl("import", "measures", str(changed), "--replace").exit_code == 0
    assert _loaded(performance).measures[0].actuals[Month(2021, 4)] == 72


def test_provisional_marks_notes_and_durations(repo: Path, performance: Path, stratctl: Any) -> None:
    header = ("measure id", "period", "value", "provisional", "note")
    first = _write(
        repo / "p.csv",
        [["wait", "2021-04", "16:10", "", ""], ["wait", "2021-05", "15.5", "p", "New handover cohort area"]],
        header,
    )
    assert stratctl("import", "measures", str(first)).exit_code == 0
    text = performance.read_text(encoding="utf-8")
    assert "provisional: [2021-05]\n    notes: {2021-05: New handover cohort area}\n    actuals:" in text
    assert '2021-04: "16:10"' in text and '2021-05: "15:30"' in text
    wait = _loaded(performance).measures[-1]
    assert wait.actuals == {Month(2021, 4): 970, Month(2021, 5): 930}  # 15.5 minutes is 15:30
    final = _write(repo / "f.csv", [["wait", "2021-05", "15:30", "", ""]], header)
    outcome = stratctl("import", "measures", str(final))
    assert outcome.exit_code == 0, outcome.stderr
    assert "no longer provisional" in outcome.stdout
    assert "provisional:" not in performance.read_text(encoding="utf-8")


def test_a_strategic_objectives_measure_in_trust_yaml_from_an_xlsx(repo: Path, stratctl: Any) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    trust = repo / "data" / "trust.yaml"
    trust.write_text(
        trust.read_text(encoding="utf-8").replace(
            "  - id: SO1\n    title: Outstanding care\n",
            "  - id: SO1\n    title: Outstanding care\n    measures:\n      - id: ed-4-hour\n"
            "        name: Patients seen within four hours\n        unit: '%'\n        direction: up\n"
            "        cadence: monthly\n        target: {at_least: 76}\n",
        ),
        encoding="utf-8",
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Measures"
    sheet.append(["Measure", "Period", "Value"])
    sheet.append(["ed-4-hour", "2021-04", 72.1])
    sheet.append(["ed-4-hour", "2021-05", "73%"])
    workbook.save(repo / "values.xlsx")
    outcome = stratctl("import", "measures", str(repo / "values.xlsx"))
    assert outcome.exit_code == 0, outcome.stderr
    record = Trust.model_validate(_read(trust))
    assert record.strategic_objectives[0].measures[0].actuals == {Month(2021, 4): 72.1, Month(2021, 5): 73}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_read_back_by_import_measures_changes_no_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stratctl: Any, fmt: str
) -> None:
    """The export's measures table is in the layout import reads: the bundled South Tees trust's
    measures (durations, history, provisional values and notes among them) come back unchanged."""
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    import shutil

    from tests.conftest import PROJECT

    root = tmp_path / "sthft"
    shutil.copytree(PROJECT / "examples" / "sthft", root)
    monkeypatch.chdir(root)
    sheet = tmp_path / f"export.{fmt}"
    table_option = ["--table", "measures"] if fmt == "csv" else []  # a CSV file holds one table
    assert stratctl("export", "--format", fmt, "--output", str(sheet), *table_option).exit_code == 0
    before = snapshot(root)
    outcome = stratctl("import", "measures", str(sheet))
    assert outcome.exit_code == 0, outcome.stderr
    assert snapshot(root) == before
    assert "0 file(s) written" in outcome.stderr
    recorded = int(outcome.stderr.split(" value(s) already recorded")[0].rsplit("\n", 1)[-1])
    table = (read_sheet(sheet, "Measures") if fmt == "xlsx" else None) or read_table(sheet)
    rows, problems = read_measure_rows(table)
    assert problems == [] and len(rows) > 150
    assert recorded == len(rows)  # every value of every measure in the year's view, each found as recorded
