"""The quarterly round trip through LibreOffice Calc, the real client: request, fill and save in Calc, collect.

Calc opens each requested workbook, the values are typed into its cells through Calc's own input
handling (tests/office_fill.py) in an en-GB and an en-US locale, Calc saves it as .xlsx under
another name, and collect reads what Calc saved. Needs Debian's libreoffice-calc (with python3-uno);
skipped when missing, unless STRATCTL_OFFICE_TESTS=required (as .ci/run sets), when it fails instead.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT, snapshot
from tests.requests_helpers import cell_for, northfield_with_everything

REQUIRED = os.environ.get("STRATCTL_OFFICE_TESTS") == "required"
FILL_SCRIPT = Path(__file__).with_name("office_fill.py")


def _office_python() -> str:
    """A Python that can drive LibreOffice (its `uno` module comes with the office, not from PyPI)."""
    if shutil.which("soffice") is None:
        _missing("LibreOffice (soffice)")
    for candidate in dict.fromkeys(["/usr/bin/python3", shutil.which("python3") or ""]):
        if candidate and subprocess.run([candidate, "-c", "import uno"], capture_output=True).returncode == 0:
            return candidate
    _missing("a Python with LibreOffice's uno module (python3-uno)")
    raise AssertionError("unreachable")


def _missing(what: str) -> None:
    if REQUIRED:
        pytest.fail(f"{what} is required for the LibreOffice tests (STRATCTL_OFFICE_TESTS=required)")
    pytest.skip(f"{what} is not installed")


Typed = dict[str, dict[str, dict[str, str]]]  # sheet -> row key -> heading -> what is typed


def fill_in_libreoffice(source: Path, target: Path, typed: Typed, locale: str, work: Path) -> None:
    """Type each text into its cell in Calc, in `locale`, and save as .xlsx at `target`."""
    import openpyxl

    python = _office_python()
    workbook = openpyxl.load_workbook(source)
    cells = []
    for sheet, rows in typed.items():
        for key, values in rows.items():
            for heading, text in values.items():
                row, column = cell_for(workbook[sheet], key, heading)
                cells.append([sheet, row, column, text])
    fills = work / f"{target.stem}.json"
    fills.write_text(json.dumps(cells), encoding="utf-8")
    done = subprocess.run(
        [python, str(FILL_SCRIPT), str(source), str(target), str(fills), locale, str(work / f"profile-{target.stem}")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and target.is_file(), done.stderr


DATES = {"en-GB": "14/12/2023", "en-US": "12/14/2023"}  # the same day, as each locale types it


def _typed(locale: str) -> tuple[Typed, Typed]:
    coo: Typed = {
        "Objectives": {
            "long-waits-2023-24": {
                "Q3 progress": "Behind",
                "Q3 comment": "Waits rising: 120 over 52 weeks",
                "Q3 projected": "A",
            },
            "virtual-wards": {"Q3 progress": "On track", "Q3 comment": "74 beds open", "Q3 projected": "G"},
        },
        "Measures": {
            "over-52-weeks 2023/24 Q3": {"Value": "120"},
            "beds-open 2023-10": {"Value": "72"},
            "beds-open 2023-11": {"Value": "74.5"},
            "ed-4-hour 2023-10": {"Value": "73.25%"},  # typed as a percentage: the measure's unit is %
            "himss-stage 2023/24 Q3": {"Value": "5"},
        },
        "Risks": {"r1": {"Q3 likelihood": "4", "Q3 consequence": "5", "Q3 note": "Winter demand"}},
    }
    ceo: Typed = {
        "Objectives": {
            "new-hospital": {"Q3 progress": "On track", "Q3 comment": "Outline case drafted.", "Q3 projected": "G"}
        },
        "Milestones": {"Outline business case to the Board": {"Done on": DATES[locale]}},
    }
    return coo, ceo


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_workbooks_filled_and_saved_in_libreoffice_are_collected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stratctl: Any, locale: str
) -> None:
    import openpyxl

    from stratctl.loading import load_repository

    _office_python()
    root = northfield_with_everything(tmp_path / "northfield")
    monkeypatch.chdir(root)
    requests, returns = root / "requests", root / "returns"
    requests.mkdir()
    returns.mkdir()
    assert stratctl("request", "-q", "Q3", "-o", str(requests)).exit_code == 0
    coo, ceo = _typed(locale)
    fill_in_libreoffice(requests / "2023-24-Q3-COO.xlsx", returns / "Operations return.xlsx", coo, locale, tmp_path)
    fill_in_libreoffice(requests / "2023-24-Q3-CEO.xlsx", returns / "from the CEO.xlsx", ceo, locale, tmp_path)
    saved = openpyxl.load_workbook(returns / "Operations return.xlsx")
    assert all(sheet.protection.sheet for sheet in saved.worksheets)  # Calc kept every sheet locked
    assert saved["stratctl"].sheet_state == "hidden"

    outcome = stratctl("collect", *(str(p) for p in sorted(returns.glob("*.xlsx"))))
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    assert "row(s): 10 written, 0 unchanged, 4 blank, 0 not taken" in outcome.stderr
    repository = load_repository(root / "data").repository
    objectives = {o.record.id: o.record for o in repository.objectives}
    q3 = {i: o.updates[-1] for i, o in objectives.items() if o.updates and str(o.updates[-1].quarter) == "2023/24 Q3"}
    assert {i: (u.progress, u.comment, u.projected) for i, u in q3.items()} == {
        "long-waits-2023-24": ("behind", "Waits rising: 120 over 52 weeks", "A"),
        "virtual-wards": ("on-track", "74 beds open", "G"),
        "new-hospital": ("on-track", "Outline case drafted.", "G"),
    }
    beds = {str(k): v for k, v in objectives["virtual-wards"].measures[0].actuals.items()}
    assert beds == {"2023-07": 68, "2023-08": 70, "2023-09": 70, "2023-10": 72, "2023-11": 74.5}
    assert {str(k): v for k, v in objectives["long-waits-2023-24"].measures[0].actuals.items()}["2023/24 Q3"] == 120
    assert repository.trust is not None
    success = next(s for s in repository.trust.record.strategic_objectives if s.id == "QPS2").measures[0]
    assert {str(k): v for k, v in success.actuals.items()}["2023-10"] == 73.25
    stage = repository.strategies[0].record.commitments[0].measures[0]
    assert {str(k): v for k, v in stage.actuals.items()}["2023/24 Q3"] == 5
    assert [m.done for m in objectives["new-hospital"].milestones] == [dt.date(2023, 12, 14), None]
    review = next(r.record for r in repository.risks if r.record.id == "r1").reviews[-1]
    assert (review.current.likelihood, review.current.consequence, review.note) == (4, 5, "Winter demand")
    assert stratctl("validate").exit_code == 0
    paper = stratctl("report", "-q", "Q3", "--format", "html")
    assert paper.exit_code == 0 and "74 beds open" in paper.stdout
    chase = stratctl("chase", "-q", "Q3")
    items = [line.strip() for line in chase.stdout.splitlines() if line.startswith("    - ")]
    assert items == [
        "- Virtual ward beds open (beds-open) of objective virtual-wards: December 2023",
        "- Patients seen within four hours in ED (ed-4-hour) of strategic objective QPS2: November 2023, December 2023",
        "- staff-survey: Act on the staff survey in every division",  # the tracker's order: `order: 0` first
        "- nurse-recruitment: Recruit 100 registered nurses",
        "- r2: Nurse vacancies",
    ]
    collected = snapshot(root / "data")
    again = stratctl("collect", *(str(p) for p in sorted(returns.glob("*.xlsx"))))
    assert again.exit_code == 0 and snapshot(root / "data") == collected


@pytest.mark.slow
def test_a_date_typed_the_other_locales_way_is_refused_by_sheet_and_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stratctl: Any
) -> None:
    _office_python()
    root = northfield_with_everything(tmp_path / "northfield")
    monkeypatch.chdir(root)
    (root / "requests").mkdir()
    assert stratctl("request", "-q", "Q3", "-o", str(root / "requests"), "--lead", "CEO").exit_code == 0
    returned = root / "ceo.xlsx"
    typed: Typed = {"Milestones": {"Outline business case to the Board": {"Done on": DATES["en-GB"]}}}
    fill_in_libreoffice(root / "requests" / "2023-24-Q3-CEO.xlsx", returned, typed, "en-US", tmp_path)
    before = snapshot(root / "data")
    outcome = stratctl("collect", str(returned))
    assert outcome.exit_code == 1
    assert (
        f"{returned}: sheet Milestones row 5, column 'Done on (a date, if done)': '14/12/2023' is not a date"
        in outcome.stderr
    )
    assert snapshot(root / "data") == before


def _saved_in_libreoffice(source: Path, target: Path, locale: str, work: Path) -> None:
    """Open `source` in Calc in `locale` and save it as `target` (its kind by its suffix), typing nothing."""
    python = _office_python()
    fills = work / f"{target.stem}-nothing.json"
    fills.write_text("[]", encoding="utf-8")
    done = subprocess.run(
        [python, str(FILL_SCRIPT), str(source), str(target), str(fills), locale, str(work / f"profile-{target.stem}")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and target.is_file(), done.stderr


def test_an_exported_workbook_saved_in_libreoffice_en_us_keeps_its_numbers_dates_and_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stratctl: Any
) -> None:
    """The bundled trust's export, opened in Calc in an en-US locale and saved: the scores are still numbers,
    the 30 target dates still real dates (a text 01/03/2022 would be read as 3 January there), and
    importing what Calc saved changes no record."""
    import openpyxl

    from stratctl.loading import load_repository

    _office_python()
    root = tmp_path / "trust"
    shutil.copytree(PROJECT / "data", root / "data")
    monkeypatch.chdir(root)
    exported, csv_folder = tmp_path / "board.xlsx", tmp_path / "csv"
    assert stratctl("export", "-q", "Q3", "--format", "xlsx", "--output", str(exported)).exit_code == 0
    assert stratctl("export", "-q", "Q3", "--output", str(csv_folder)).exit_code == 0
    saved, saved_csv = tmp_path / "saved.xlsx", tmp_path / "saved-tracker.csv"
    _saved_in_libreoffice(exported, saved, "en-US", tmp_path)
    _saved_in_libreoffice(csv_folder / "tracker.csv", saved_csv, "en-US", tmp_path)

    workbook = openpyxl.load_workbook(saved)
    tracker, risks = workbook["Tracker"], workbook["Risks"]
    heading = [c.value for c in tracker[1]]
    due = {row[0].value: row[heading.index("Target Date")] for row in tracker.iter_rows(min_row=2)}
    records = {o.record.id: o.record.due for o in load_repository(root / "data").repository.objectives}
    assert len(due) == 30 and all(cell.is_date for cell in due.values())
    assert {key: cell.value.date() for key, cell in due.items()} == records  # none of the 30 dates moved
    heading = [c.value for c in risks[1]]
    scores = [row[heading.index("Current Risk Score")].value for row in risks.iter_rows(min_row=2)]
    assert scores and all(isinstance(score, int) for score in scores)

    before = snapshot(root / "data")
    for command, file in (("tracker", saved), ("risks", saved), ("tracker", saved_csv)):
        outcome = stratctl("import", command, str(file), "--quarter", "Q3")
        assert outcome.exit_code == 0, outcome.stderr
        assert "0 file(s) written; 0 row(s) not read" in outcome.stderr
    assert snapshot(root / "data") == before
