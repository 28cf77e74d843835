"""An import that needs no hand edit: a trust's tracker and BAF table to a paper whose risks carry their
titles, leads and heat-map places, with nothing invented where the tables are silent.

The hold-out-like tables (tests/fixtures/trackers/westbrook-*) are a BAF summary and tracker in the
shape NHS trusts publish them, for an invented trust; every expected value below is read from them by
hand (or, for the heat map, by the test's own reading of the CSV, not by stratctl's).
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import FIXTURES, PROJECT, Stratctl, snapshot

TRACKERS = FIXTURES / "trackers"
SEED = TRACKERS / "nwaft-2021-22-q3.tsv"
TRACKER = TRACKERS / "westbrook-2023-24-q2-tracker.csv"
BAF = TRACKERS / "westbrook-2023-24-q2-baf.csv"


def _repository(root: Path) -> Any:
    from stratctl.loading import load_repository

    return load_repository(root / "data").repository


def _risk(root: Path, risk_id: str) -> Any:
    return next(r.record for r in _repository(root).risks if r.record.id == risk_id)


@pytest.fixture
def bare(tmp_path: Path, stratctl, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "trust"
    assert stratctl("init", str(root), "--bare").exit_code == 0
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def westbrook(bare: Path, stratctl) -> Path:  # type: ignore[no-untyped-def]
    """The adoption path with no hand edit: the tracker (its heading gives the name, year and quarter), then the BAF."""
    tracker = stratctl(
        "import", "tracker", str(TRACKER), "--presenter", "COO", "--meeting", "Board of Directors in public"
    )
    assert tracker.exit_code == 0, tracker.stderr
    risks = stratctl("import", "risks", str(BAF))
    assert risks.exit_code == 0, risks.stderr
    return bare


def _published() -> dict[str, dict[str, str]]:
    """The BAF table as published, by risk id: each row's cells by heading (continuation rows left out)."""
    with BAF.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "BAF Ref")
    return {row[0]: dict(zip(rows[header], row, strict=True)) for row in rows[header + 1 :] if row and row[0]}


def _heat_map_cells(paper: str) -> dict[str, tuple[int, int]]:
    """Each risk's (likelihood, consequence) cell in the Markdown paper's heat map, by the ● mark before its id."""
    section = paper[paper.index("### Heat map") :]
    places = {}
    for line in section.splitlines()[4:9]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for consequence, cell in enumerate(cells[1:], start=1):
            for risk in re.findall(r"● (\w+)", cell):
                places[risk] = (int(cells[0]), consequence)
    return places


def test_a_tracker_and_baf_summary_make_a_paper_with_no_hand_edit(westbrook: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    assert stratctl("validate").exit_code == 0
    assert stratctl("fmt", "--check").exit_code == 0  # every file in the canonical layout, trust.yaml included
    trust = _repository(westbrook).trust.record
    assert (trust.name, trust.short_name, str(trust.year)) == (
        "Westbrook Hospitals NHS Foundation Trust",
        "WHFT",
        "2023/24",
    )
    assert {e.id: e.title for e in trust.executives} == {
        "COO": "Chief Operating Officer",  # `Chief Operating Officer (COO)` in the tracker
        "DoN": "Director of Nursing",
        "CPO": "Chief People Officer",  # `Chief People Officer`: its initials, titled in the tracker's words
        "MD": "Medical Director",
        "DoF": "Director of Finance",
    }
    assert (trust.report.presenter, trust.report.meeting) == ("COO", "Board of Directors in public")
    published = _published()
    leads = {"Chief Operating Officer": "COO", "CPO": "CPO", "Director of Finance (DoF)": "DoF"}
    for risk_id, cells in published.items():
        risk = _risk(westbrook, risk_id)
        assert risk.title == cells["Risk Title"] and risk.description == cells["Risk Description"]
        assert risk.lead == leads[cells["Executive Lead"]]
        assert risk.committee == cells["Lead Committee"]
        likelihood, consequence = (int(n) for n in re.findall(r"[1-5]", cells["Current Risk (L x C)"])[:2])
        assert (risk.current.likelihood, risk.current.consequence) == (likelihood, consequence)
        assert [str(r.quarter) for r in risk.reviews] == ["2023/24 Q2"]  # the quarter the table's heading names
    paper = stratctl("report", "--format", "md").stdout
    assert (
        "| Presented by | Chief Operating Officer |" in paper and "| Meeting | Board of Directors in public |" in paper
    )
    places = _heat_map_cells(paper)
    for risk_id, cells in published.items():
        likelihood, consequence = (int(n) for n in re.findall(r"[1-5]", cells["Current Risk (L x C)"])[:2])
        assert places[risk_id] == (likelihood, consequence), risk_id
        assert f"### {risk_id}: {cells['Risk Title']}" in paper
    assert "Not yet named" not in paper and "None recorded" not in paper.split("### SR1:")[1].split("### ")[0]


def test_the_baf_page_holds_the_tables_controls_assurances_and_actions(westbrook: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    sr1 = _risk(westbrook, "SR1")
    assert sr1.controls == [
        "Weekly patient tracking list review",
        "Clinical harm reviews for patients waiting over 52 weeks",
        "Insourcing contract for orthopaedics",
    ]
    assert sr1.gaps == ["Theatre staffing below establishment", "Limited independent sector capacity"]
    assert sr1.assurance_gaps == ["No validated data on harm from long waits"]
    assert [(a.line, a.source, a.rating) for a in sr1.assurances] == [
        (1, "Divisional performance reviews", "positive"),
        (2, "Finance and Performance Committee monthly report", "limited"),
        (3, "Internal audit of waiting list management", "limited"),
    ]
    assert [(a.title, a.owner, str(a.due)) for a in sr1.actions] == [
        ("Open the second day-case theatre", "COO", "2023-12-31"),
        ("Validate the whole waiting list", "COO", "2023-11-30"),
    ]
    assert (str(sr1.inherent.likelihood), str(sr1.target.likelihood), str(sr1.target_date)) == ("5", "2", "2024-03-31")
    assert (sr1.appetite, sr1.threatens) == ("cautious", ["SO1"])
    assert _repository(westbrook).trust.record.risk_appetite == {"cautious": 12, "open": 16, "minimal": 8}
    sr2 = _risk(westbrook, "SR2")  # its second action is on a row of its own, under the risk's row
    assert [(a.title, str(a.due)) for a in sr2.actions] == [
        ("Open the discharge lounge", "2024-01-31"),  # `Jan 2024`: the month's last day, and said
        ("Agree the winter plan with system partners", "2023-10-31"),
    ]
    assert _risk(westbrook, "SR5").threatens == ["SO1", "SO3"]
    paper = stratctl("report", "--format", "md").stdout
    page = paper[paper.index("### SR1: Elective recovery") :]
    page = page[: page.index("\n### ", 1)]
    assert "- Lead: Chief Operating Officer · Committee: Finance and Performance Committee" in page
    assert "- Second line: oversight: Finance and Performance Committee monthly report (Limited)" in page
    assert "- Open the second day-case theatre: Chief Operating Officer, due 2023-12-31" in page


def test_a_month_given_for_a_date_is_said_and_a_second_import_changes_nothing(bare: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    assert stratctl("import", "tracker", str(TRACKER)).exit_code == 0
    first = stratctl("import", "risks", str(BAF))
    assert "note: row 6: risk SR2: action 1's due date 'Jan 2024' is a month: taken as its last day, 2024-01-31" in (
        first.stdout
    )
    assert "note: the ratings are the 2023/24 Q2 reviews, as the table's heading says" in first.stdout
    settled = snapshot(bare)
    again = stratctl("import", "risks", str(BAF))
    assert again.exit_code == 0 and "0 file(s) written" in again.stderr
    assert snapshot(bare) == settled


def test_a_later_baf_table_changes_what_differs_and_reviews_its_quarter(westbrook: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    later = westbrook / "q3.csv"
    text = BAF.read_text(encoding="utf-8").replace("Quarter 2 2023/24", "Quarter 3 2023/24")
    text = text.replace(",4 x 5 = 20,2 x 5 = 10,", ",4 x 4 = 16,2 x 5 = 10,", 1)  # SR1 rescored
    text = text.replace(
        "• Insourcing contract for orthopaedics", "• Insourcing contract for orthopaedics\n• Second theatre open"
    )
    later.write_text(text, encoding="utf-8")
    outcome = stratctl("import", "risks", str(later))
    assert outcome.exit_code == 0, outcome.stderr
    lines = outcome.stdout.splitlines()
    assert "SR1.yaml: current score now 16 (4 x 4); added the 2023/24 Q3 review; controls from the table (4)" in lines
    assert "SR2.yaml: added the 2023/24 Q3 review" in lines  # unchanged: only its review for the quarter
    sr1 = _risk(westbrook, "SR1")
    assert [(str(r.quarter), r.current.value) for r in sr1.reviews] == [("2023/24 Q2", 20), ("2023/24 Q3", 16)]
    assert sr1.controls[-1] == "Second theatre open" and sr1.current.likelihood == 4
    assert stratctl("validate").exit_code == 0


def test_a_row_that_cannot_be_read_is_named_and_the_others_are_imported(bare: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    assert stratctl("import", "tracker", str(TRACKER)).exit_code == 0
    bad = bare / "bad.csv"
    bad.write_text(BAF.read_text(encoding="utf-8").replace(",4 x 4 = 16,3 x 4 = 12,", ",4 x 4 = 15,3 x 4 = 12,", 1))
    outcome = stratctl("import", "risks", str(bad))
    assert outcome.exit_code == 1
    assert (
        f"{bad}: row 6: risk SR2: '4 x 4 = 15': 4 x 4 is 16, not 15" in outcome.stderr
    )  # the spreadsheet's row: SR1's cells hold line breaks
    assert "1 row(s) not read" in outcome.stderr
    assert sorted(p.stem for p in (bare / "data" / "risks").glob("*.yaml")) == ["SR1", "SR3", "SR4", "SR5", "SR6"]


def test_a_risk_table_without_titles_or_leads_invents_neither_and_says_so(bare: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    assert stratctl("import", "tracker", str(SEED), "--quarter", "Q3").exit_code == 0
    outcome = stratctl("import", "risks", str(SEED), "--quarter", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    assert "the risk table has no title column, so 11 new risks" in outcome.stdout
    assert "the risk table names no lead for 11 new risks" in outcome.stdout and "none is invented" in outcome.stdout
    text = (bare / "data" / "risks" / "103351.yaml").read_text()
    assert "# title made from the description" in text and "\nlead:" not in text
    assert _risk(bare, "103351").title == "The recovery of Trust services perpetuates health inequalities"
    checked = stratctl("validate")
    assert checked.exit_code == 0 and checked.stdout.count("P009") == 11
    paper = stratctl("report", "--format", "md").stdout
    assert paper.count("- Lead: Not yet named") == 11
    assert "11 strategic risks have no executive lead named yet" in paper


@pytest.mark.parametrize(
    ("description", "title"),
    [
        # the seed's descriptions (tests/fixtures/trackers/nwaft-2021-22-q3.tsv), worked by hand: the lead-in
        # dropped, then up to the end of the first clause, at most 12 words (14 kept whole)
        (
            "There is a risk that the recovery of Trust services perpetuates health inequalities",
            "The recovery of Trust services perpetuates health inequalities",
        ),
        (
            "There is a risk that failure to recognise and deliver fundamental standards of care impacting on "
            "patient safety, experience and regulatory requirements",
            "Failure to recognise and deliver fundamental standards of care",
        ),
        (
            "This is a risk the Trust is unable to achieve financial balance as a consequence of increased "
            "resource requirements",
            "The Trust is unable to achieve financial balance",
        ),
        (
            "Risk of major and / or repeated minor outages of technology infrastructure causing business interruption",
            "Major and / or repeated minor outages of technology infrastructure",
        ),
        (
            "As a result of the ongoing impact of Covid-19, there is a risk that the Trust is not able to safely "
            "restore all local and specialist services to previous levels of capacity which results in delays",
            "The Trust is not able to safely restore all local and specialist…",
        ),
    ],
)
def test_a_title_made_from_a_description_is_its_first_clause(description: str, title: str) -> None:
    from stratctl.risk_table import derived_title

    assert derived_title(description) == title


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("BAF Ref", "id"),
        ("Risk ID", "id"),
        ("Ref.", "id"),
        ("Strategic Risk", "risk"),
        ("Risk Title", "title"),
        ("Risk Description", "description"),
        ("Executive Lead", "lead"),
        ("Risk Owner", "lead"),
        ("Lead Committee", "committee"),
        ("Strategic Objective", "threatens"),
        ("Risk Appetite", "appetite"),
        ("Inherent Risk (L x C)", "inherent"),
        ("Initial Likelihood", "inherent_likelihood"),
        ("Current Risk Score", "current"),
        ("Residual Risk Rating", "current"),
        ("Likelihood", "current_likelihood"),
        ("Current Impact", "current_consequence"),
        ("Target Risk Score", "target"),
        ("Target Consequence", "target_consequence"),
        ("Target Date", "target_date"),
        ("Key Controls", "controls"),
        ("Gaps in Control", "gaps"),
        ("Sources of Assurance", "assurances"),
        ("Gaps in Assurance", "assurance_gaps"),
        ("Further Actions", "actions"),
        ("Action Owner", "action_owners"),
        ("Due Date", "action_due"),
        ("Distance To Target", None),
        ("Above Appetite", None),
        ("Band", None),
    ],
)
def test_a_baf_tables_headings_are_read_for_their_part(heading: str, role: str | None) -> None:
    from stratctl.risk_table import risk_role

    assert risk_role(heading) == role


def test_every_heading_export_writes_reads_back_as_its_own_column() -> None:
    from stratctl.risk_table import RISK_COLUMNS, risk_role
    from stratctl.vocabulary import RISK_HEADINGS

    assert set(RISK_COLUMNS) == set(RISK_HEADINGS) | {"risk"}
    taken: set[str] = set()
    for role, heading in RISK_HEADINGS.items():  # in the export's order, each taking its own column
        assert risk_role(heading, taken) == role, heading
        taken.add(role)


@pytest.mark.parametrize(
    ("cell", "likelihood", "consequence", "score"),
    [
        ("20", None, None, 20),
        ("4x5", 4, 5, None),
        ("4 × 5 = 20", 4, 5, 20),
        ("L4 x C5", 4, 5, None),
        ("20 (L4 x C5)", 4, 5, 20),
        ("Extreme 20", None, None, 20),
    ],
)
def test_a_rating_cell_is_read_as_trusts_write_it(cell: str, likelihood: int, consequence: int, score: int) -> None:
    from stratctl.risk_table import RatingCells, rating_cell

    assert rating_cell(cell) == RatingCells(likelihood, consequence, score)


@pytest.mark.parametrize("cell", ["4 x 5 = 16", "30", "high", "12 16"])
def test_a_cell_that_is_no_rating_is_refused(cell: str) -> None:
    from stratctl.risk_table import rating_cell

    with pytest.raises(ValueError, match=re.escape(repr(cell))):
        rating_cell(cell)


def test_a_lists_items_are_its_bulleted_lines_and_a_plain_line_continues_one() -> None:
    from stratctl.risk_table import assurance, items

    assert items("• Daily huddles\n  across both sites\n• Discharge lounge") == [
        "Daily huddles across both sites",
        "Discharge lounge",
    ]
    assert items("1. First\n2) Second") == ["First", "Second"]
    assert items("One\nTwo") == ["One", "Two"]
    assert items("• One • Two • Three") == ["One", "Two", "Three"]
    assert assurance("3rd line: Internal audit (limited assurance)") == assurance("Line 3 - Internal audit (limited)")
    assert (assurance("Internal audit (2021)").source, assurance("Internal audit (2021)").rating) == (
        "Internal audit (2021)",
        None,
    )


@pytest.mark.parametrize(
    ("written", "post"),
    [
        ("Chief Operating Officer (COO)", ("COO", "Chief Operating Officer")),
        ("COO - Chief Operating Officer", ("COO", "Chief Operating Officer")),
        ("Director of Nursing (DoN)", ("DoN", "Director of Nursing")),
        ("CMO & Dep CEO", (None, "CMO & Dep CEO")),
        ("Chief Executive (Interim)", (None, "Chief Executive (Interim)")),
    ],
)
def test_an_executive_written_with_its_letters_gives_id_and_title(written: str, post: tuple[str | None, str]) -> None:
    from stratctl.authoring.trust_editor import post_parts

    assert post_parts(written) == post


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("North West Anglia NHS Foundation Trust", "NWAFT"),  # the seed trust's own short name
        ("South Tees Hospitals NHS Foundation Trust", "STHFT"),  # the second bundled trust's
        ("East of England Ambulance Service NHS Trust", "EEAST"),
    ],
)
def test_a_short_name_is_made_as_trusts_make_theirs(name: str, short: str) -> None:
    from stratctl.authoring.trust_editor import short_name_of

    assert short_name_of(name) == short


def test_executive_titles_given_on_the_command_line_title_the_trackers_letters(bare: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    outcome = stratctl(
        "import", "tracker", str(SEED), "--quarter", "Q3",
        "--executive", "CPO=Chief People Officer", "--executive", "CSATO=Chief Strategy and Transformation Officer",
        "--presenter", "Chief Strategy and Transformation Officer", "--item", "7.2",
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.stderr
    trust = _repository(bare).trust.record
    titles = {e.id: e.title for e in trust.executives}
    assert titles["CPO"] == "Chief People Officer" and titles["CSATO"] == "Chief Strategy and Transformation Officer"
    assert titles["CFO"] == "CFO"  # not given: left as the tracker writes it (and said)
    assert (trust.report.presenter, trust.report.item) == ("CSATO", "7.2")
    again = stratctl("import", "tracker", str(SEED), "--quarter", "Q3", "--executive", "CFO=Chief Finance Officer")
    assert "trust.yaml: executive CFO titled Chief Finance Officer (--executive)" in again.stdout
    assert {e.id: e.title for e in _repository(bare).trust.record.executives}["CFO"] == "Chief Finance Officer"


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--executive", "CPO"], "--executive 'CPO': write the id, '=' and the title"),
        (["--executive", "C P O=Chief People Officer"], "'C P O' is not an id"),
        (["--presenter", "CEX"], "--presenter 'CEX' is not an executive in trust.yaml or the file imported"),
    ],
)
def test_a_setting_that_cannot_be_written_is_refused_and_nothing_written(  # type: ignore[no-untyped-def]
    bare: Path, stratctl, options: list[str], said: str
) -> None:
    before = snapshot(bare)
    outcome = stratctl("import", "tracker", str(SEED), "--quarter", "Q3", *options)
    assert outcome.exit_code == 2 and said in outcome.stderr, outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert snapshot(bare) == before


def _count_script() -> Any:
    spec = importlib.util.spec_from_file_location("count_hand_edits", PROJECT / "scripts" / "count_hand_edits.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_the_hand_edit_count_finds_none_for_the_hold_out_trust_and_only_what_the_seed_lacks() -> None:
    """What README says the adoption path leaves to edit by hand, counted by scripts/count_hand_edits.py."""
    script = _count_script()
    held_out = script.count(script.CASES["hold-out-like (a tracker and a BAF summary)"], plain=False, src=None)
    assert held_out.exit_codes == [0, 0, 0, 0] and held_out.values == {}
    seed = script.count(script.CASES["seed (the published tracker and its risk table)"], plain=False, src=None)
    assert "trust.yaml" not in seed.values
    assert len(seed.values) == 11 and all(values == ["title", "lead"] for values in seed.values.values())


def test_the_cover_sheet_given_on_the_command_line_is_written_as_fmt_keeps_it(bare: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    outcome = stratctl(
        "import", "tracker", str(TRACKER), "--meeting", "Board of Directors in public", "--item", "7.2",
        "--purpose", "decision", "--recommendation", "The Board is asked to note the report.",
        "--author", "Head of Strategy", "--previously-considered", "Executive Committee",
        "--meeting-date", "2023-10-26", "--presenter", "Chief Operating Officer",
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.stderr
    assert stratctl("fmt", "--check").exit_code == 0  # the keys in the model's order, as fmt writes them
    paper = stratctl("report", "--format", "md").stdout
    for row in (
        "| Meeting | Board of Directors in public, 26 October 2023, agenda item 7.2 |",
        "| Presented by | Chief Operating Officer |",
        "| Report author | Head of Strategy |",
        "| Previously considered by | Executive Committee |",
        "| Recommendation | The Board is asked to note the report. |",
    ):
        assert row in paper
    assert "☒ For decision" in paper


def test_lead_names_only_new_risks_the_table_gives_no_lead(westbrook: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    again = stratctl("import", "risks", str(BAF), "--lead", "CEO")
    assert again.exit_code == 0 and "0 file(s) written" in again.stderr  # every risk has its lead from the table
    assert "CEO" not in [e.id for e in _repository(westbrook).trust.record.executives]


def yaml_safe(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def test_owners_and_dates_run_together_with_semicolons_are_one_an_action(bare: Path, stratctl: Stratctl) -> None:
    """`COO; CNO` beside two actions is their two owners: never one executive titled "COO; CNO"."""
    table = bare / "baf.csv"
    table.write_text(
        "Id,Title,Lead,Current Likelihood,Current Consequence,Target Risk Score,Actions,Action Owners,"
        'Action Due Dates\nzz,Zed,COO,2,3,4,"• first\n• second","COO; CNO","2024-01-01; 2024-02-01"\n',
        encoding="utf-8",
    )
    outcome = stratctl("import", "risks", str(table))
    assert outcome.exit_code == 0, outcome.stderr
    risk = yaml_safe(bare / "data" / "risks" / "zz.yaml")
    assert [(a["title"], a["owner"], str(a["due"])) for a in risk["actions"]] == [
        ("first", "COO", "2024-01-01"),
        ("second", "CNO", "2024-02-01"),
    ]
    executives = yaml_safe(bare / "data" / "trust.yaml")["executives"]
    assert sorted(e["id"] for e in executives) == ["CNO", "COO"]
