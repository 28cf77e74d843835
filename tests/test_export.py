"""export as the Board reads it: rows in the tracker's order, numbers and dates typed, leads with their
titles, one table a CSV file; and an export imported back changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, PROJECT, Stratctl, snapshot
from tests.test_bundled_data import SEED_RISKS

TRACKERS = FIXTURES / "trackers"


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "trust"
    shutil.copytree(PROJECT / "data", root / "data")
    monkeypatch.chdir(root)
    return root


def _records(root: Path) -> Any:
    from stratctl.loading import load_repository

    return load_repository(root / "data").repository


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_workbook_holds_scores_as_numbers_and_dates_as_dates(bundled: Path, stratctl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    openpyxl = pytest.importorskip("openpyxl")
    from stratctl.spreadsheet import DATE_FORMAT

    book = tmp_path / "board.xlsx"
    assert stratctl("export", "-q", "Q3", "--format", "xlsx", "--output", str(book)).exit_code == 0
    workbook = openpyxl.load_workbook(book)
    tracker, risks = workbook["Tracker"], workbook["Risks"]
    heading = [c.value for c in tracker[1]]
    due = heading.index("Target Date")
    repository = _records(bundled)
    expected = {o.record.id: o.record.due for o in repository.objectives}
    cells = {row[0].value: row[due] for row in tracker.iter_rows(min_row=2)}
    assert len(cells) == 30
    for objective, cell in cells.items():
        assert cell.is_date and cell.number_format == DATE_FORMAT, objective
        assert cell.value.date() == expected[objective], objective  # every one of the 30 dates, as the records hold it
    heading = [c.value for c in risks[1]]
    score, target = heading.index("Current Risk Score"), heading.index("Target Risk Score")
    scores = {row[0].value: (row[score].value, row[target].value) for row in risks.iter_rows(min_row=2)}
    assert {k: v for k, v in scores.items() if k in SEED_RISKS} == SEED_RISKS  # whole numbers, not text
    assert all(isinstance(value, int) for pair in scores.values() for value in pair)


def test_each_lead_is_exported_beside_its_title(bundled: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(stratctl("export", "-q", "Q3").stdout)
    heading = rows[0]
    lead, title = heading.index("Executive Director"), heading.index("Executive Title")
    assert title == lead + 1
    pairs = {(row[lead], row[title]) for row in rows[1:]}
    assert ("CPO", "Chief People Officer") in pairs and ("CN", "Chief Nurse") in pairs
    assert all(t for _, t in pairs)  # every lead has its title
    risks = _rows(stratctl("export", "-q", "Q3", "--table", "risks").stdout)
    heading = risks[0]
    by_id = {row[0]: row for row in risks[1:]}
    assert by_id["103350"][heading.index("Lead")] == "COO"
    assert by_id["103350"][heading.index("Lead Title")] == "Chief Operating Officer"


def test_the_tracker_is_exported_in_the_trackers_order(bundled: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    from stratctl.importing import read_tracker
    from stratctl.spreadsheet import read_table

    rows = _rows(stratctl("export", "-q", "Q3").stdout)
    objective = rows[0].index("Supporting Objectives")
    seed = [row.title for row in read_tracker(read_table(TRACKERS / "nwaft-2021-22-q3.tsv")).rows]
    exported = [row[objective] for row in rows[1:]]
    assert exported == seed
    assert exported != sorted(exported)  # not an order the check could pass by accident


def test_csv_holds_one_table_a_file_and_iso_dates(bundled: Path, stratctl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "export"
    outcome = stratctl("export", "-q", "Q3", "--output", str(folder))
    assert outcome.exit_code == 0, outcome.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "measure-summary.csv",
        "measures.csv",
        "risks.csv",
        "tracker.csv",
    ]
    tracker = _rows((folder / "tracker.csv").read_text(encoding="utf-8"))
    risks = _rows((folder / "risks.csv").read_text(encoding="utf-8"))
    assert tracker[0][0] == "Id" and "Supporting Objectives" in tracker[0] and "Strategic Risk" not in tracker[0]
    assert risks[0][:3] == ["Id", "Title", "Description"] and len(risks) == 1 + len(_records(bundled).risks)
    due = tracker[0].index("Target Date")
    assert {row[due] for row in tracker[1:]} >= {"2022-03-31", "2021-06-30"}
    assert all(row[due] == "" or dt.date.fromisoformat(row[due]) for row in tracker[1:])
    alone = stratctl("export", "-q", "Q3")  # standard output: the tracker, and a word on where the risks are
    assert _rows(alone.stdout)[0] == tracker[0] and len(_rows(alone.stdout)) == len(tracker)
    assert "--table risks" in alone.stderr and "--output FOLDER" in alone.stderr
    assert _rows(stratctl("export", "-q", "Q3", "--table", "risks").stdout) == risks
    one = tmp_path / "risks-only.csv"
    assert stratctl("export", "-q", "Q3", "--table", "risks", "--output", str(one)).exit_code == 0
    assert _rows(one.read_text(encoding="utf-8")) == risks


def test_an_export_folder_is_never_written_through_a_link(bundled: Path, stratctl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "export"
    folder.mkdir()
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("kept\n")
    (folder / "risks.csv").symlink_to(outside)
    outcome = stratctl("export", "-q", "Q3", "--output", str(folder))
    assert outcome.exit_code == 2 and "is a symbolic link" in outcome.stderr and "nothing was written" in outcome.stderr
    assert outside.read_text() == "kept\n" and not (folder / "tracker.csv").exists()  # not the other file either


def _full_baf(root: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    """A repository from the hold-out-like tracker and BAF summary: every part of a BAF entry filled in."""
    assert stratctl("init", str(root), "--bare").exit_code == 0
    tracker = stratctl(
        "import", "tracker", str(TRACKERS / "westbrook-2023-24-q2-tracker.csv"), "--data", str(root / "data")
    )
    assert tracker.exit_code == 0, tracker.stderr
    risks = stratctl("import", "risks", str(TRACKERS / "westbrook-2023-24-q2-baf.csv"), "--data", str(root / "data"))
    assert risks.exit_code == 0, risks.stderr


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_full_baf_exported_and_imported_back_changes_nothing(tmp_path: Path, stratctl, fmt: str) -> None:  # type: ignore[no-untyped-def]
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    root = tmp_path / "westbrook"
    _full_baf(root, stratctl)
    data = ["--data", str(root / "data")]
    target = tmp_path / ("board.xlsx" if fmt == "xlsx" else "board")
    assert stratctl("export", "--format", fmt, "--output", str(target), *data).exit_code == 0
    tracker, risks = (target, target) if fmt == "xlsx" else (target / "tracker.csv", target / "risks.csv")
    exported = _rows((target / "risks.csv").read_text(encoding="utf-8")) if fmt == "csv" else None
    if exported is not None:  # the register as a BAF summary: lists a line an item, each action's owner beside it
        heading, sr1 = exported[0], next(row for row in exported if row[0] == "SR1")
        assert sr1[heading.index("Sources of Assurance")].splitlines()[1] == (
            "• 2nd line: Finance and Performance Committee monthly report (limited assurance)"
        )
        assert sr1[heading.index("Action Owners")].splitlines() == ["COO", "COO"]
        assert sr1[heading.index("Action Due Dates")].splitlines() == ["2023-12-31", "2023-11-30"]
    before = snapshot(root)
    for command, file in (("tracker", tracker), ("risks", risks)):
        outcome = stratctl("import", command, str(file), *data)
        assert outcome.exit_code == 0, outcome.stderr
        assert "0 file(s) written" in outcome.stderr
    assert snapshot(root) == before


def test_a_risk_without_a_lead_is_exported_as_not_yet_named_and_reads_back(bundled: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    path = bundled / "data" / "risks" / "103350.yaml"
    path.write_text(
        "".join(line for line in path.read_text().splitlines(keepends=True) if not line.startswith("lead:"))
    )
    assert (
        _records(bundled).risks
        and next(r for r in _records(bundled).risks if r.record.id == "103350").record.lead is None
    )
    risks = _rows(stratctl("export", "-q", "Q3", "--table", "risks").stdout)
    row = next(r for r in risks if r[0] == "103350")
    assert (row[risks[0].index("Lead")], row[risks[0].index("Lead Title")]) == ("", "Not yet named")
    folder = bundled / "out"
    assert stratctl("export", "-q", "Q3", "--output", str(folder)).exit_code == 0
    before = snapshot(bundled / "data")
    assert stratctl("import", "risks", str(folder / "risks.csv")).exit_code == 0
    assert snapshot(bundled / "data") == before  # "Not yet named" is not taken for an executive


def test_every_table_the_export_writes_can_be_asked_for_by_name() -> None:
    from stratctl.cli.app import ExportTable
    from stratctl.cli.bridges import EXPORT_FILES

    assert [t.value for t in ExportTable] == list(EXPORT_FILES)


def test_a_published_action_stays_published_when_the_export_is_imported_back(
    tmp_path: Path, stratctl: Stratctl
) -> None:
    """A BAF table says nothing of what the trust publishes: South Tees marks one action public, and its
    risk register exported and imported back leaves every record as it was, that mark included."""
    root = tmp_path / "sthft"
    shutil.copytree(PROJECT / "examples" / "sthft", root)
    data = ["--data", str(root / "data")]
    assert "public: true" in (root / "data" / "risks" / "elective-waits.yaml").read_text(encoding="utf-8")
    target = tmp_path / "export"
    assert stratctl("export", "--output", str(target), *data).exit_code == 0
    before = snapshot(root)
    outcome = stratctl("import", "risks", str(target / "risks.csv"), *data)
    assert outcome.exit_code == 0, outcome.stderr
    assert "0 file(s) written" in outcome.stderr
    assert snapshot(root) == before


def test_the_measures_values_are_number_cells_a_spreadsheet_can_sum(tmp_path: Path, stratctl: Stratctl) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "export.xlsx"
    data = ["--data", str(PROJECT / "examples" / "sthft" / "data")]
    assert stratctl("export", "--format", "xlsx", "--output", str(book), *data).exit_code == 0
    sheet = openpyxl.load_workbook(book)["Measures"]
    header = [c.value for c in sheet[1]]
    values = [row[header.index("Value")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    durations = [v for v in values if isinstance(v, str)]
    assert all(":" in v for v in durations)  # only a duration is text (m:ss, as import measures reads it)
    assert sum(isinstance(v, (int, float)) for v in values) > 100


def test_an_action_the_table_changes_keeps_its_public_mark(tmp_path: Path, stratctl: Stratctl) -> None:
    root = tmp_path / "sthft"
    shutil.copytree(PROJECT / "examples" / "sthft", root)
    data = ["--data", str(root / "data")]
    target = tmp_path / "export"
    assert stratctl("export", "--output", str(target), *data).exit_code == 0
    table = target / "risks.csv"
    text = table.read_text(encoding="utf-8")
    assert text.count("2022-11-07") == 1
    table.write_text(text.replace("2022-11-07", "2022-11-08"), encoding="utf-8")  # the spinal contract's done date
    outcome = stratctl("import", "risks", str(table), *data)
    assert outcome.exit_code == 0, outcome.stderr
    risk = (root / "data" / "risks" / "elective-waits.yaml").read_text(encoding="utf-8")
    assert "done: 2022-11-08" in risk
    contract = risk.split("- title: Independent sector contract for spinal surgery")[1].split("- title:")[0]
    assert "public: true" in contract
