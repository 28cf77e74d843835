"""import tracker, import risks and export: the trust's spreadsheets in and out."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PROJECT, snapshot
from tests.test_bundled_data import SEED_POSITIONS, SEED_RISKS

TRACKER = FIXTURES / "trackers" / "nwaft-2021-22-q3.tsv"  # seed 001 as published


@pytest.fixture
def fresh(tmp_path: Path, stratctl, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "trust"
    assert stratctl("init", str(root), "--year", "2021/22").exit_code == 0
    monkeypatch.chdir(root)
    return root


def _positions(stratctl) -> dict[str, str]:  # type: ignore[no-untyped-def]
    status = json.loads(stratctl("status", "--year", "2021/22", "--quarter", "Q3", "--format", "json").stdout)
    return {o["title"]: o["reported"] for o in status["objectives"]}


def test_the_published_tracker_imports_into_a_fresh_repository(fresh: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    outcome = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    assert "0 row(s) not read" in outcome.stderr
    assert "new executive CSATO" in outcome.stdout and "new priority sustainability" in outcome.stdout
    assert stratctl("validate").exit_code == 0
    positions = _positions(stratctl)
    expected = {title: position.rstrip("↓↑") for title, position in SEED_POSITIONS.items()}
    assert {t: p for t, p in positions.items() if t in expected} == expected


def test_risks_then_tracker_links_the_priorities_risks(fresh: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    assert stratctl("import", "risks", str(TRACKER)).exit_code == 0
    assert stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3").exit_code == 0
    status = json.loads(stratctl("status", "-q", "Q3", "--year", "2021/22", "--format", "json").stdout)
    assert {r["id"]: (r["score"], r["target_score"]) for r in status["risks"] if r["id"] in SEED_RISKS} == SEED_RISKS
    from stratctl.loading import load_repository

    trust = load_repository(fresh / "data").repository.trust
    assert trust is not None
    cited = {p.id: list(p.risks) for p in trust.record.priorities}
    assert cited == {
        "recover-safely": ["100001", "103346", "103349", "103350", "103351", "103352"],  # init's example risk kept
        "celebrate-and-support-our-staff": ["103345", "103348"],
        "sustainability": ["103343", "103344", "103353"],
    }


def test_reimporting_a_later_quarter_adds_updates_not_objectives(fresh: Path, stratctl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    before = sorted(p.name for p in (fresh / "data" / "objectives").iterdir())
    q4 = tmp_path / "q4.tsv"
    q4.write_text(TRACKER.read_text().replace("Celebrate staff successes\tCPO\tOn track", "Celebrate staff successes\tCPO\tBehind"))
    outcome = stratctl("import", "tracker", str(q4), "--quarter", "Q4")
    assert outcome.exit_code == 0, outcome.stderr
    assert sorted(p.name for p in (fresh / "data" / "objectives").iterdir()) == before
    text = (fresh / "data" / "objectives" / "celebrate-staff-successes.yaml").read_text()
    assert "quarter: 2021/22 Q3" in text and "quarter: 2021/22 Q4" in text
    assert stratctl("validate").exit_code == 0
    settled = snapshot(fresh)
    again = stratctl("import", "tracker", str(q4), "--quarter", "Q4")
    assert again.exit_code == 0 and "0 file(s) written" in again.stderr
    assert snapshot(fresh) == settled


def test_unreadable_rows_are_reported_by_number_and_the_rest_imported(fresh: Path, stratctl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.tsv"
    text = TRACKER.read_text().replace("Celebrate staff successes\tCPO\tOn track", "Celebrate staff successes\tCPO\tSort of")
    bad.write_text(text.replace("31/01/2022\tR", "31/02/2022\tR"))
    outcome = stratctl("import", "tracker", str(bad), "--quarter", "Q3")
    assert outcome.exit_code == 1
    assert "row 19: 'Celebrate staff successes': progress 'Sort of' is not one of" in outcome.stderr
    assert "row 43: 'Complete Stamford land sale" in outcome.stderr and "'31/02/2022' is not a date" in outcome.stderr
    assert "2 row(s) not read" in outcome.stderr
    assert len(list((fresh / "data" / "objectives").iterdir())) == 1 + 28
    assert stratctl("validate").exit_code == 0


def test_dry_run_writes_nothing(fresh: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(fresh)
    outcome = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3", "--dry-run")
    assert outcome.exit_code == 0 and "would change" in outcome.stdout
    assert snapshot(fresh) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_no_record(tmp_path: Path, stratctl, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "trust"
    shutil.copytree(PROJECT / "data", root / "data")
    monkeypatch.chdir(root)
    sheet = tmp_path / f"board.{fmt}"
    assert stratctl("export", "--format", fmt, "--quarter", "Q3", "--output", str(sheet)).exit_code == 0
    before = snapshot(root)
    assert stratctl("import", "tracker", str(sheet), "--quarter", "Q3").exit_code == 0
    assert stratctl("import", "risks", str(sheet)).exit_code == 0
    assert snapshot(root) == before


def test_export_neutralises_formulas(repo: Path, stratctl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_text(path.read_text().replace("comment: Talent strategy in development.", 'comment: "=HYPERLINK(\\"http://x\\")"'))
    rows = list(csv.reader(io.StringIO(stratctl("export", "-q", "Q3").stdout)))
    comments = [row[7] for row in rows[1:] if len(row) > 7 and row[0] == "talent"]
    assert comments == ["'=HYPERLINK(\"http://x\")"]
    openpyxl = pytest.importorskip("openpyxl")
    assert stratctl("export", "-q", "Q3", "--format", "xlsx", "--output", str(tmp_path / "x.xlsx")).exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["Tracker"]
    cell = next(row[7] for row in sheet.iter_rows() if row[0].value == "talent")
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
