"""request, collect and chase: quarterly updates from executives who do not use git, filled with openpyxl.

The same round trip through LibreOffice, in two locales, is in test_office_round_trip.py.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT, Outcome, snapshot
from tests.requests_helpers import (
    Fills,
    fill_with_openpyxl,
    git,
    headings,
    northfield_with_everything,
    row_of,
)


@pytest.fixture
def trust(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = northfield_with_everything(tmp_path / "northfield")
    monkeypatch.chdir(root)
    return root


def _request(stratctl: Any, root: Path, *options: str) -> Path:
    folder = root / "requests"
    folder.mkdir(exist_ok=True)
    outcome = stratctl("request", "--quarter", "Q3", "--output", str(folder), *options)
    assert outcome.exit_code == 0, outcome.stderr
    return folder


COO_FILLS: Fills = {
    "Objectives": {
        "long-waits-2023-24": {
            "Q3 progress": "Behind",
            "Q3 comment": "Waits of 52 weeks | rising: *again*",
            "Q3 projected": "A",
        },
        # virtual-wards left blank: no update yet
    },
    "Measures": {
        "over-52-weeks 2023/24 Q3": {"Value": 120},
        "beds-open 2023-10": {"Value": 72},
        "beds-open 2023-11": {"Value": 74.5},
        # beds-open 2023-12 left blank
        "ed-4-hour 2023-10": {"Value": 73.25},
        "himss-stage 2023/24 Q3": {"Value": 5},
    },
    "Risks": {"r1": {"Q3 likelihood": 4, "Q3 consequence": "5", "Q3 note": "Demand up =SUM(A1) over winter"}},
}
CEO_FILLS: Fills = {
    "Objectives": {
        "new-hospital": {"Q3 progress": "on track", "Q3 comment": "Outline case drafted.", "Q3 projected": "G"}
    },
    "Milestones": {"Outline business case to the Board": {"Done on": dt.datetime(2023, 12, 14)}},
}


def _records(root: Path) -> dict[str, Any]:
    from stratctl.loading import load_repository

    repository = load_repository(root / "data").repository
    assert repository.trust is not None
    return {
        "objectives": {o.record.id: o.record for o in repository.objectives},
        "risks": {r.record.id: r.record for r in repository.risks},
        "strategies": {s.record.id: s.record for s in repository.strategies},
        "trust": repository.trust.record,
    }


def test_request_writes_one_workbook_per_executive_holding_only_what_they_lead(trust: Path, stratctl: Any) -> None:
    import openpyxl

    folder = _request(stratctl, trust)
    assert sorted(p.name for p in folder.iterdir()) == [
        "2023-24-Q3-CEO.xlsx",
        "2023-24-Q3-COO.xlsx",
        "2023-24-Q3-CPO.xlsx",
    ]  # the CMO's one objective is complete since Q2: nothing to ask
    coo = openpyxl.load_workbook(folder / "2023-24-Q3-COO.xlsx")
    assert coo.sheetnames == ["Read me", "Objectives", "Measures", "Risks", "stratctl"]
    objectives = coo["Objectives"]
    assert [objectives.cell(row=r, column=1).value for r in range(5, objectives.max_row + 1)] == [
        "long-waits-2023-24",
        "virtual-wards",
    ]
    columns = headings(objectives)
    waits = row_of(objectives, "long-waits-2023-24")
    assert objectives.cell(row=waits, column=columns["Q2 progress"]).value == "On track"
    assert objectives.cell(row=waits, column=columns["Q2 comment"]).value == "Backlog falling each month."
    measures = coo["Measures"]
    keys = [
        (measures.cell(row=r, column=1).value, measures.cell(row=r, column=7).value)
        for r in range(5, measures.max_row + 1)
    ]
    assert keys == [
        ("long-waits-2023-24", "2023/24 Q3"),
        ("virtual-wards", "2023-10"),
        ("virtual-wards", "2023-11"),
        ("virtual-wards", "2023-12"),
        ("QPS2", "2023-10"),
        ("QPS2", "2023-11"),
        ("QPS2", "2023-12"),
        ("digital.epr", "2023/24 Q3"),
    ]
    recent = measures.cell(row=row_of(measures, "beds-open 2023-10"), column=headings(measures)["Recent values"])
    assert recent.value == "Jul 2023: 68, Aug 2023: 70, Sep 2023: 70"
    risks = coo["Risks"]
    assert risks.cell(row=5, column=1).value == "r1"
    assert risks.cell(row=5, column=3).value == "4 x 4 = 16 (2023/24 Q2 review)"
    for sheet in coo.worksheets:
        assert sheet.protection.sheet, sheet.title
    assert coo["stratctl"].sheet_state == "hidden" and coo.security.lockStructure
    # the input cells, and only they, are unlocked, with the drop-down lists on progress, position and ratings
    unlocked = {
        (sheet.title, cell.coordinate)
        for sheet in coo.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if not cell.protection.locked
    }
    assert unlocked == {
        *(("Objectives", f"{c}{r}") for c in "HIJK" for r in (5, 6)),
        *(("Measures", f"H{r}") for r in range(5, 13)),
        *(("Risks", f"{c}5") for c in "EFG"),
    }
    lists = {
        (sheet.title, str(v.sqref)): v.formula1
        for sheet in coo.worksheets
        for v in sheet.data_validations.dataValidation
        if v.type == "list"
    }
    assert lists == {
        ("Objectives", "H5 H6"): '"Not started,On track,Behind,At risk,Complete"',
        ("Objectives", "J5 J6"): '"R,A,G,C"',
        ("Risks", "E5"): '"1,2,3,4,5"',
        ("Risks", "F5"): '"1,2,3,4,5"',
    }
    whole = [str(v.sqref) for v in measures.data_validations.dataValidation if v.type == "whole"]
    assert whole == ["H12"]  # the HIMSS stage takes whole numbers only
    ceo = openpyxl.load_workbook(folder / "2023-24-Q3-CEO.xlsx")
    assert ceo["Milestones"].cell(row=5, column=2).value == "Outline business case to the Board"
    assert ceo["Read me"]["B5"].value == "2023/24 Q3"


def test_request_is_byte_identical_whatever_the_clock_says(
    trust: Path, stratctl: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _request(stratctl, trust)
    import openpyxl.writer.excel

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Later:
            return cls(2031, 7, 4, 12, 30, tzinfo=tz)

    monkeypatch.setattr(openpyxl.writer.excel.datetime, "datetime", Later)
    second = tmp_path / "again"
    second.mkdir()
    assert stratctl("request", "-q", "Q3", "-o", str(second)).exit_code == 0
    assert snapshot(first) == snapshot(second)
    # and a second request into the same folder finds them there, the same, and changes nothing
    again = stratctl("request", "-q", "Q3", "-o", str(first))
    assert again.exit_code == 0 and "3 already there and the same" in again.stderr


def test_request_never_replaces_a_returned_workbook(trust: Path, stratctl: Any) -> None:
    folder = _request(stratctl, trust)
    returned = folder / "2023-24-Q3-COO.xlsx"
    fill_with_openpyxl(returned, returned, {"Risks": {"r1": {"Q3 note": "x"}}})
    before = snapshot(folder)
    outcome = stratctl("request", "-q", "Q3", "-o", str(folder))
    assert outcome.exit_code == 2
    assert "2023-24-Q3-COO.xlsx exists and differs" in outcome.stderr and "nothing was written" in outcome.stderr
    assert snapshot(folder) == before


def test_request_front_sheet_says_when_from_trust_yaml(trust: Path, stratctl: Any) -> None:
    import openpyxl

    trust_yaml = trust / "data" / "trust.yaml"
    trust_yaml.write_text(
        trust_yaml.read_text() + "report:\n  meeting: Board of Directors in public\n  meeting_date: 2024-01-25\n"
    )
    folder = _request(stratctl, trust, "--lead", "CEO")
    assert [p.name for p in folder.iterdir()] == ["2023-24-Q3-CEO.xlsx"]
    front = openpyxl.load_workbook(folder / "2023-24-Q3-CEO.xlsx")["Read me"]
    said = {row[0]: row[1] for row in front.iter_rows(values_only=True) if row[0]}
    assert said["Please return by"] == "18 January 2024"
    assert said["For the meeting"] == "Board of Directors in public, 25 January 2024"
    assert said["Quarter"] == "2023/24 Q3"
    assert "Milestones" in said and "Objectives" in said and "Risks" not in said


def test_round_trip_writes_exactly_the_filled_values_and_chase_lists_exactly_the_blanks(
    trust: Path, stratctl: Any
) -> None:
    folder = _request(stratctl, trust)
    returns = trust / "returns"
    returns.mkdir()
    # renamed, as an executive's e-mail client would
    fill_with_openpyxl(folder / "2023-24-Q3-COO.xlsx", returns / "COO update FINAL v2.xlsx", COO_FILLS)
    fill_with_openpyxl(folder / "2023-24-Q3-CEO.xlsx", returns / "ceo.xlsx", CEO_FILLS)
    outcome = stratctl("collect", str(returns / "COO update FINAL v2.xlsx"), str(returns / "ceo.xlsx"))
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    assert "sheet Objectives row 6: objective virtual-wards: no update yet" in outcome.stdout
    assert "row(s): 9 written, 0 unchanged," in outcome.stderr
    records = _records(trust)
    waits = records["objectives"]["long-waits-2023-24"]
    q3 = waits.updates[-1]
    assert (str(q3.quarter), q3.progress, q3.comment, q3.projected) == (
        "2023/24 Q3",
        "behind",
        "Waits of 52 weeks | rising: *again*",
        "A",
    )
    assert {str(k): v for k, v in waits.measures[0].actuals.items()}["2023/24 Q3"] == 120
    beds = {str(k): v for k, v in records["objectives"]["virtual-wards"].measures[0].actuals.items()}
    assert beds == {"2023-07": 68, "2023-08": 70, "2023-09": 70, "2023-10": 72, "2023-11": 74.5}
    assert str(records["objectives"]["virtual-wards"].updates[-1].quarter) == "2023/24 Q2"
    success = next(s for s in records["trust"].strategic_objectives if s.id == "QPS2").measures[0]
    assert {str(k): v for k, v in success.actuals.items()} == {"2023-08": 71.9, "2023-09": 72.5, "2023-10": 73.25}
    stage = records["strategies"]["digital"].commitments[0].measures[0]
    assert {str(k): v for k, v in stage.actuals.items()}["2023/24 Q3"] == 5
    review = records["risks"]["r1"].reviews[-1]
    assert (str(review.quarter), review.current.likelihood, review.current.consequence, review.note) == (
        "2023/24 Q3",
        4,
        5,
        "Demand up =SUM(A1) over winter",
    )
    assert records["risks"]["r1"].current.value == 20
    hospital = records["objectives"]["new-hospital"]
    assert [m.done for m in hospital.milestones] == [dt.date(2023, 12, 14), None]
    assert hospital.updates[-1].progress == "on-track"
    # the files keep their layout: the added actual sits in order, a whole number written as one
    text = (trust / "data" / "objectives" / "long-waits-2023-24.yaml").read_text()
    assert "      2023/24 Q2: 150\n      2023/24 Q3: 120\n" in text
    assert stratctl("validate").exit_code == 0
    report = stratctl("report", "--quarter", "Q3", "--format", "html")
    assert report.exit_code == 0 and "Waits of 52 weeks" in report.stdout
    # chase lists exactly what was left blank
    chase = stratctl("chase", "--quarter", "Q3", "--format", "md")
    assert chase.exit_code == 1
    items = [line for line in chase.stdout.splitlines() if line.startswith("- ")]
    assert items == [
        "- virtual-wards: Open 80 virtual ward beds",
        "- Virtual ward beds open (beds-open) of objective virtual-wards: December 2023",
        "- Patients seen within four hours in ED (ed-4-hour) of strategic objective QPS2: November 2023, December 2023",
        "- staff-survey: Act on the staff survey in every division",  # as the tracker lists them: `order: 0` first
        "- nurse-recruitment: Recruit 100 registered nurses",
        "- r2: Nurse vacancies",
    ]
    assert "Chief Executive" not in chase.stdout  # the CEO gave everything asked


def test_collecting_twice_changes_nothing(trust: Path, stratctl: Any) -> None:
    folder = _request(stratctl, trust)
    filled = trust / "filled.xlsx"
    fill_with_openpyxl(folder / "2023-24-Q3-COO.xlsx", filled, COO_FILLS)
    assert stratctl("collect", str(filled)).exit_code == 0
    after_first = snapshot(trust / "data")
    again = stratctl("collect", str(filled))
    assert again.exit_code == 0, again.stderr
    assert "row(s): 0 written, 7 unchanged, 4 blank, 0 not taken" in again.stderr
    assert snapshot(trust / "data") == after_first
    # the same workbook twice in one collect: taken once
    twice = stratctl("collect", str(filled), str(folder / "2023-24-Q3-COO.xlsx"), str(filled))
    assert twice.exit_code == 0, twice.stderr
    assert "the same as" in twice.stdout and snapshot(trust / "data") == after_first


def test_an_existing_different_update_is_left_alone_unless_replace(trust: Path, stratctl: Any) -> None:
    folder = _request(stratctl, trust)
    assert (
        stratctl("update", "r1", "-q", "Q3", "--likelihood", "3", "--consequence", "4").exit_code == 0
    )  # the office got there first
    filled = trust / "filled.xlsx"
    fill_with_openpyxl(folder / "2023-24-Q3-COO.xlsx", filled, COO_FILLS)
    risk_file = trust / "data" / "risks" / "r1.yaml"
    held = risk_file.read_bytes()
    outcome = stratctl("collect", str(filled))
    assert outcome.exit_code == 1
    assert (
        "sheet Risks row 5: risk r1: not taken: the records already hold a different 2023/24 Q3 review (3 x 4): "
        "collect --replace takes this one instead" in outcome.stdout
    )
    assert "1 not taken" in outcome.stderr
    assert risk_file.read_bytes() == held  # left alone; the other rows are written
    assert _records(trust)["objectives"]["long-waits-2023-24"].updates[-1].progress == "behind"
    replaced = stratctl("collect", str(filled), "--replace")
    assert replaced.exit_code == 0, replaced.stderr
    review = _records(trust)["risks"]["r1"].reviews[-1]
    assert (review.current.likelihood, review.current.consequence) == (4, 5)


def test_dry_run_writes_nothing(trust: Path, stratctl: Any) -> None:
    folder = _request(stratctl, trust)
    filled = trust / "filled.xlsx"
    fill_with_openpyxl(folder / "2023-24-Q3-COO.xlsx", filled, COO_FILLS)
    before = snapshot(trust / "data")
    outcome = stratctl("collect", str(filled), "--dry-run")
    assert outcome.exit_code == 0
    assert "would write the 2023/24 Q3 update: behind, A" in outcome.stdout
    assert "dry run: 5 file(s) would change" in outcome.stderr
    assert snapshot(trust / "data") == before


def _refused(stratctl: Any, root: Path, *files: Path) -> Outcome:
    before = snapshot(root / "data")
    outcome: Outcome = stratctl("collect", *map(str, files))
    assert outcome.exit_code == 1, outcome.stdout + outcome.stderr
    assert "nothing written" in outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert snapshot(root / "data") == before
    return outcome


@pytest.mark.parametrize(
    ("fills", "said"),
    [
        (
            {"Objectives": {"virtual-wards": {"Q3 progress": "Nearly there"}}},
            "sheet Objectives row 6, column 'Q3 progress': 'Nearly there' is not a progress of the list",
        ),
        (
            {"Objectives": {"virtual-wards": {"Q3 progress": "Behind", "Q3 projected": "Amber-ish"}}},
            "sheet Objectives row 6, column 'Q3 projected year-end position (R, A, G, C)': "
            "'Amber-ish' is not a position",
        ),
        (
            {"Objectives": {"virtual-wards": {"Q3 comment": "Beds opening."}}},
            "sheet Objectives row 6, column 'Q3 progress': the row has an update but no progress",
        ),
        (
            {"Measures": {"beds-open 2023-12": {"Value": "about 75"}}},
            "sheet Measures row 8, column 'Value': 'about 75' is not a number",
        ),
        (
            {"Measures": {"beds-open 2023-12": {"Value": dt.datetime(2023, 12, 1)}}},
            "sheet Measures row 8, column 'Value': the date 2023-12-01 is not a number",
        ),
        (
            {"Measures": {"beds-open 2023-12": {"Value": "=70+5"}}},
            "sheet Measures row 8, column 'Value': a formula (=70+5), not a value",
        ),
        (
            {"Measures": {"himss-stage 2023/24 Q3": {"Value": 5.5}}},
            "sheet Measures row 12: M",  # a stage is a whole number: validate's own rule, at the row
        ),
        (
            {"Risks": {"r1": {"Q3 likelihood": 4}}},
            "sheet Risks row 5, column 'Q3 consequence (1-5)': a review needs both likelihood and consequence",
        ),
        (
            {"Risks": {"r1": {"Q3 likelihood": 7, "Q3 consequence": 2}}},
            "sheet Risks row 5, column 'Q3 likelihood (1-5)': 7 is not from 1 to 5",
        ),
    ],
)
def test_bad_input_is_named_by_sheet_and_row_and_nothing_is_written(
    trust: Path, stratctl: Any, fills: Fills, said: str
) -> None:
    folder = _request(stratctl, trust)
    filled = trust / "filled.xlsx"
    merged = json.loads(json.dumps(COO_FILLS, default=str))
    for sheet, rows in fills.items():
        merged.setdefault(sheet, {}).update(rows)  # the bad row beside the good ones
    fill_with_openpyxl(folder / "2023-24-Q3-COO.xlsx", filled, merged)
    outcome = _refused(stratctl, trust, filled)
    assert f"{filled}: {said}" in outcome.stderr, outcome.stderr


def test_a_bad_date_is_named(trust: Path, stratctl: Any) -> None:
    folder = _request(stratctl, trust)
    filled = trust / "filled.xlsx"
    fill_with_openpyxl(
        folder / "2023-24-Q3-CEO.xlsx", filled, {"Milestones": {"Site purchase agreed": {"Done on": "31/02/2024"}}}
    )
    outcome = _refused(stratctl, trust, filled)
    assert (
        f"{filled}: sheet Milestones row 6, column 'Done on (a date, if done)': '31/02/2024' is not a date"
        in outcome.stderr
    )


def test_a_row_whose_record_is_gone_is_refused(trust: Path, stratctl: Any) -> None:
    folder = _request(stratctl, trust)
    filled = trust / "filled.xlsx"
    fill_with_openpyxl(folder / "2023-24-Q3-COO.xlsx", filled, COO_FILLS)
    (trust / "data" / "risks" / "r1.yaml").rename(trust / "data" / "risks" / "r9.yaml")
    text = (trust / "data" / "risks" / "r9.yaml").read_text().replace("id: r1", "id: r9")
    (trust / "data" / "risks" / "r9.yaml").write_text(text)
    outcome = _refused(stratctl, trust, filled)
    assert f"{filled}: sheet Risks row 5: no risk 'r1' in the repository" in outcome.stderr


def test_a_tampered_workbook_is_refused_with_its_sheet_and_row(trust: Path, stratctl: Any) -> None:
    import openpyxl

    folder = _request(stratctl, trust)
    cases = {
        "id": ("Objectives", "A6", "long-waits", "sheet Objectives row 6: the row's locked cells"),
        "quarter": ("Objectives", "B1", "2023/24 Q4", "sheet Objectives row 1: locked cells (the quarter"),
        "front": ("Read me", "B5", "2023/24 Q4", "sheet Read me row 5: locked cells (the quarter"),
        "heading": ("Risks", "E4", "Likelihood", "sheet Risks row 4: locked cells (the quarter"),
        "period": ("Measures", "G6", "2023-09", "sheet Measures row 6: the row's locked cells"),
        "hidden": (
            "stratctl",
            "B5",
            "2023/24 Q4",
            "sheet stratctl: the workbook's own record of what it is was edited",
        ),
    }
    for name, (sheet, cell, value, said) in cases.items():
        workbook = openpyxl.load_workbook(folder / "2023-24-Q3-COO.xlsx")
        workbook[sheet][cell] = value
        workbook["Objectives"]["H5"] = "Behind"
        tampered = trust / f"tampered-{name}.xlsx"
        workbook.save(tampered)
        outcome = _refused(stratctl, trust, tampered)
        assert f"{tampered}: refused: " in outcome.stderr and said in outcome.stderr, (name, outcome.stderr)


def test_a_workbook_of_another_quarter_or_repository_is_refused_by_name(
    trust: Path, stratctl: Any, tmp_path: Path
) -> None:
    folder = _request(stratctl, trust)
    q2 = trust / "q2"
    q2.mkdir()
    assert stratctl("request", "-q", "Q2", "-o", str(q2), "--lead", "CPO").exit_code == 0
    filled = trust / "coo.xlsx"
    fill_with_openpyxl(folder / "2023-24-Q3-COO.xlsx", filled, COO_FILLS)
    old = q2 / "2023-24-Q2-CPO.xlsx"
    outcome = _refused(stratctl, trust, filled, old)
    assert (
        f"{old}: refused: sheet Read me row 5: made for 2023/24 Q2, not 2023/24 Q3, the quarter collected"
        in outcome.stderr
    )
    # another trust's workbook
    nwaft = tmp_path / "nwaft"
    shutil.copytree(PROJECT / "data", nwaft / "data")
    foreign = nwaft / "out"
    foreign.mkdir()
    assert (
        stratctl(
            "--no-cache", "request", "-q", "Q3", "-o", str(foreign), "--data", str(nwaft / "data"), "--lead", "COO"
        ).exit_code
        == 0
    )
    other = foreign / "2021-22-Q3-COO.xlsx"
    outcome = _refused(stratctl, trust, filled, other)
    assert (
        f"{other}: refused: sheet Read me row 4: made from another repository's records (North West Anglia"
        in outcome.stderr
    )
    # the same trust's records in another git repository: its first commit differs
    twin = northfield_with_everything(tmp_path / "twin")
    git(twin, "commit", "-q", "--amend", "-m", "another history")  # the same records, another first commit
    (twin / "out").mkdir()
    made = stratctl("request", "-q", "Q3", "-o", str(twin / "out"), "--data", str(twin / "data"), "--lead", "CPO")
    assert made.exit_code == 0
    assert git(trust, "rev-list", "--max-parents=0", "HEAD") != git(twin, "rev-list", "--max-parents=0", "HEAD")
    outcome = _refused(stratctl, trust, filled, twin / "out" / "2023-24-Q3-CPO.xlsx")
    assert (
        "refused: sheet stratctl row 3: made from another repository's records (Northfield Hospitals NHS Foundation "
        "Trust (repository" in outcome.stderr
    )


def test_two_returns_that_disagree_are_both_refused(trust: Path, stratctl: Any) -> None:
    folder = _request(stratctl, trust)
    first, second = trust / "mine.xlsx", trust / "deputy.xlsx"
    fill_with_openpyxl(folder / "2023-24-Q3-COO.xlsx", first, COO_FILLS)
    other = json.loads(json.dumps(COO_FILLS))
    other["Objectives"]["long-waits-2023-24"]["Q3 progress"] = "At risk"
    fill_with_openpyxl(folder / "2023-24-Q3-COO.xlsx", second, other)
    outcome = _refused(stratctl, trust, first, second)
    assert (
        f"{first}: sheet Objectives row 5: two returns for the same objective (long-waits-2023-24) disagree "
        f"(also {second}: sheet Objectives row 5): neither is taken" in outcome.stderr
    )


def test_what_is_not_a_request_workbook_is_refused_by_name(trust: Path, stratctl: Any) -> None:
    text = trust / "notes.xlsx"
    text.write_text("not a workbook")
    outcome = _refused(stratctl, trust, text)
    assert f"{text}: refused: is not an Excel workbook" in outcome.stderr
    export = trust / "export.xlsx"
    assert stratctl("export", "--format", "xlsx", "-o", str(export)).exit_code == 0
    outcome = _refused(stratctl, trust, export)
    assert f"{export}: refused: not a workbook made by stratctl request" in outcome.stderr


def test_chase_within_waits_for_the_meeting(trust: Path, stratctl: Any) -> None:
    trust_yaml = trust / "data" / "trust.yaml"
    base = trust_yaml.read_text()
    soon = dt.date.today() + dt.timedelta(days=10)
    trust_yaml.write_text(base + f"report:\n  meeting_date: {soon.isoformat()}\n")
    near = stratctl("chase", "--within", "14", "--quarter", "2023/24 Q3")
    assert near.exit_code == 1 and "Quarterly updates outstanding for 2023/24 Q3, for the meeting on" in near.stdout
    later = dt.date.today() + dt.timedelta(days=40)
    trust_yaml.write_text(base + f"report:\n  meeting_date: {later.isoformat()}\n")
    far = stratctl("chase", "--within", "14", "--quarter", "2023/24 Q3")
    assert far.exit_code == 0 and far.stdout == ""
    assert "is 40 day(s) away, not within 14" in far.stderr
    trust_yaml.write_text(base)
    none = stratctl("chase", "--within", "14", "--quarter", "2023/24 Q3")
    assert none.exit_code == 0 and none.stdout == "" and "gives no report: meeting_date" in none.stderr


def test_chase_defaults_to_the_quarter_before_the_meeting(trust: Path, stratctl: Any) -> None:
    trust_yaml = trust / "data" / "trust.yaml"
    trust_yaml.write_text(trust_yaml.read_text() + "report:\n  meeting_date: 2024-02-01\n")
    outcome = stratctl("chase")
    assert outcome.stdout.startswith("Quarterly updates outstanding for 2023/24 Q3, for the meeting on 1 February 2024")


def test_chase_escapes_user_text_in_markdown(trust: Path, stratctl: Any) -> None:
    wards = trust / "data" / "objectives" / "virtual-wards.yaml"
    wards.write_text(
        wards.read_text().replace(
            "title: Open 80 virtual ward beds", 'title: "Open <b>80</b> | *beds* [x](javascript:y)"'
        )
    )
    outcome = stratctl("chase", "-q", "Q3", "--format", "md", "--lead", "COO")
    line = next(line for line in outcome.stdout.splitlines() if line.startswith("- virtual"))
    assert "<b>" not in line and "\\|" in line and "\\*beds\\*" in line and "\\[x\\]" in line


def test_a_signed_off_quarter_is_not_changed_by_a_return(trust: Path, stratctl: Any) -> None:
    folder = _request(stratctl, trust)
    filled = trust / "filled.xlsx"
    fill_with_openpyxl(folder / "2023-24-Q3-COO.xlsx", filled, COO_FILLS)
    assert stratctl("collect", str(filled)).exit_code == 0
    git(trust, "add", "data")
    git(trust, "commit", "-q", "-m", "Q3 returns")
    signed = stratctl("signoff", "Q3")
    assert signed.exit_code == 0, signed.stderr
    late = trust / "late.xlsx"
    changed = json.loads(json.dumps(COO_FILLS))
    changed["Objectives"]["long-waits-2023-24"]["Q3 progress"] = "At risk"
    fill_with_openpyxl(folder / "2023-24-Q3-COO.xlsx", late, changed)
    before = snapshot(trust / "data")
    outcome = stratctl("collect", str(late), "--replace")
    assert outcome.exit_code == 1
    assert f"{late}: sheet Objectives row 5: G001 " in outcome.stderr and "nothing written" in outcome.stderr
    assert snapshot(trust / "data") == before


def test_request_refuses_what_it_cannot_do_and_writes_nothing(trust: Path, stratctl: Any) -> None:
    unknown = stratctl("request", "-q", "Q3", "-o", str(trust), "--lead", "COOO")
    assert (
        unknown.exit_code == 2
        and "--lead 'COOO' is not an executive in trust.yaml; did you mean 'COO'?" in unknown.stderr
    )
    missing = stratctl("request", "-q", "Q3", "-o", str(trust / "nowhere"))
    assert missing.exit_code == 2 and "no such folder" in missing.stderr
    nobody = stratctl("request", "-q", "Q3", "-o", str(trust), "--lead", "CMO")
    assert nobody.exit_code == 2 and "leads anything open in 2023/24 Q3" in nobody.stderr
    assert not list(trust.glob("*.xlsx"))
    (trust / "out").mkdir()
    (trust / "elsewhere.xlsx").write_bytes(b"theirs")
    (trust / "out" / "2023-24-Q3-COO.xlsx").symlink_to(trust / "elsewhere.xlsx")
    linked = stratctl("request", "-q", "Q3", "-o", str(trust / "out"))
    assert linked.exit_code == 2 and "is a symbolic link" in linked.stderr
    assert (trust / "elsewhere.xlsx").read_bytes() == b"theirs" and sorted(
        p.name for p in (trust / "out").iterdir()
    ) == ["2023-24-Q3-COO.xlsx"]


def test_text_typed_below_the_rows_is_named_and_not_read(trust: Path, stratctl: Any) -> None:
    import openpyxl

    folder = _request(stratctl, trust)
    workbook = openpyxl.load_workbook(folder / "2023-24-Q3-COO.xlsx")
    workbook["Objectives"]["H5"] = "Behind"
    workbook["Objectives"]["B9"] = "an objective of my own"
    workbook["Objectives"]["A90000"] = "far below: never read"
    returned = trust / "extra.xlsx"
    workbook.save(returned)
    outcome = _refused(stratctl, trust, returned)
    assert f"{returned}: sheet Objectives row 9: not a row of the request" in outcome.stderr
    assert "90000" not in outcome.stderr


def test_chase_names_a_risk_on_the_baf_that_no_one_leads(tmp_path: Path, stratctl: Any) -> None:
    """A risk imported without a lead is asked of no executive: the chase says so, until its lead is named
    or its review recorded, and the chase is not clear while it does."""
    root = tmp_path / "sthft"
    shutil.copytree(PROJECT / "examples" / "sthft", root)
    data = ["--data", str(root / "data"), "-q", "2024/25 Q1"]
    risk = root / "data" / "risks" / "cyber-security.yaml"
    led = stratctl("chase", *data)
    assert "no lead named" not in led.stdout and "cyber-security" in led.stdout  # under its lead, the CIO
    risk.write_text(risk.read_text(encoding="utf-8").replace("lead: CIO\n", ""), encoding="utf-8")
    for fmt in ("text", "md"):
        unled = stratctl("chase", *data, "--format", fmt)
        assert unled.exit_code == 1
        heading = next(line for line in unled.stdout.splitlines() if "no lead named" in line)
        assert "(1)" in heading and unled.stdout.count("cyber-security: Cyber security") == 1
    assert "no lead named" not in stratctl("chase", *data, "--lead", "CEO").stdout  # asked of the CEO alone
