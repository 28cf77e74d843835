"""A strategy over its whole life: years, multi-year and carried-forward objectives, roll-ups up the
strategy, committee papers, rollover, and the mistakes each new field invites.

The fixture (tests/fixtures/lifecycle) is a trust with a 2022-2029 strategy, two themes, three
strategic objectives and two committees, with objectives over 2022/23 and 2023/24. Every expected
value below is worked out by hand from the rules in docs/rating.md; the working is in the comments.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT, Stratctl, snapshot


@pytest.fixture
def trust(northfield: Path) -> Path:
    return northfield


def _status(stratctl: Stratctl, *args: str) -> dict[str, Any]:
    outcome = stratctl("status", "--format", "json", *args)
    assert outcome.exit_code == 0, outcome.stderr
    document: dict[str, Any] = json.loads(outcome.stdout)
    return document


def _positions(document: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    return {o["id"]: (o["computed"], o["reported"], o["trend"]) for o in document["objectives"]}


# Hand computation, quarter by quarter (positions: computed, reported, trend):
# 2022/23 Q3: active in 2022/23 are long-waits, mortality, virtual-wards (a 2022/23-2023/24 objective).
#   long-waits: Q3 behind -> A; Q2 behind -> A: same. mortality: Q3 complete -> C; Q2 on-track G: up.
#   virtual-wards: latest by Q3 is Q2 on-track -> G (and stale: no Q3 update); Q2 G: same.
# 2022/23 Q4: long-waits Q4 at-risk -> computed R, declared A (with a rationale) -> reported A; Q3 A: same.
#   mortality C, same. virtual-wards Q4 behind -> A; Q3 G: down.
# 2023/24 Q1: long-waits-2023-24 (carried from long-waits): on-track -> G; its measure 650 (baseline
#   2022/23 Q4) then 400 projects 650 - 250 x 4 = -350 by Q4, meeting 0 -> G. It has no Q4 of its own:
#   the trend compares with long-waits' final reported position, A -> up. virtual-wards Q1 behind A,
#   2022/23 Q4 A: same. new-hospital G, sepsis G, nurse-recruitment A (behind), staff-survey A
#   (not started): new, as none has a position at 2022/23 Q4.
# 2023/24 Q2: long-waits-2023-24 G same; new-hospital G same; nurse-recruitment A (declared A) same;
#   sepsis complete C up; staff-survey A same, stale; virtual-wards on-track G up.
EXPECTED = {
    "2022/23 Q3": {
        "long-waits": ("A", "A", "same"),
        "mortality": ("C", "C", "up"),
        "virtual-wards": ("G", "G", "same"),
    },
    "2022/23 Q4": {
        "long-waits": ("R", "A", "same"),
        "mortality": ("C", "C", "same"),
        "virtual-wards": ("A", "A", "down"),
    },
    "2023/24 Q1": {
        "long-waits-2023-24": ("G", "G", "up"),
        "new-hospital": ("G", "G", "new"),
        "nurse-recruitment": ("A", "A", "new"),
        "sepsis": ("G", "G", "new"),
        "staff-survey": ("A", "A", "new"),
        "virtual-wards": ("A", "A", "same"),
    },
    "2023/24 Q2": {
        "long-waits-2023-24": ("G", "G", "same"),
        "new-hospital": ("G", "G", "same"),
        "nurse-recruitment": ("A", "A", "same"),
        "sepsis": ("C", "C", "up"),
        "staff-survey": ("A", "A", "same"),
        "virtual-wards": ("G", "G", "up"),
    },
}


@pytest.mark.parametrize("quarter", list(EXPECTED))
def test_each_quarter_holds_the_objectives_of_its_year_with_hand_computed_positions(
    trust: Path,
    stratctl: Stratctl,
    quarter: str,
) -> None:
    assert _positions(_status(stratctl, "--quarter", quarter)) == EXPECTED[quarter]


# Roll-ups at 2023/24 Q2. QPS1: sepsis C (mortality belongs to 2022/23, group-strategy to 2024/25).
# QPS2: virtual-wards, long-waits-2023-24 and new-hospital, all G. OC1: nurse-recruitment, staff-survey, A.
# Themes: quality = QPS1 + QPS2 = C1 G3; people = OC1 = A2.
def test_roll_ups_per_strategic_objective_and_theme_in_the_boards_order(trust: Path, stratctl: Stratctl) -> None:
    document = _status(stratctl, "--quarter", "2023/24 Q2")
    zero = {"C": 0, "G": 0, "A": 0, "R": 0, "none": 0}
    assert [(s["id"], s["counts"]) for s in document["strategic_objectives"]] == [
        ("QPS1", {**zero, "C": 1}),
        ("QPS2", {**zero, "G": 3}),
        ("OC1", {**zero, "A": 2}),
    ]
    assert [(t["id"], t["counts"]) for t in document["themes"]] == [
        ("quality", {**zero, "C": 1, "G": 3}),
        ("people", {**zero, "A": 2}),
    ]
    assert document["summary"]["objectives"] == {**zero, "C": 1, "G": 3, "A": 2}


# 2022/23 Q4: quality theme = mortality C + long-waits A + virtual-wards A.
def test_roll_ups_follow_the_year(trust: Path, stratctl: Stratctl) -> None:
    document = _status(stratctl, "--quarter", "2022/23 Q4")
    assert document["themes"][0]["counts"] == {"C": 1, "G": 0, "A": 2, "R": 0, "none": 0}


def test_committee_lists_and_committee_views(trust: Path, stratctl: Stratctl) -> None:
    document = _status(stratctl, "--quarter", "2023/24 Q2")
    assert [(c["id"], c["objectives"], c["risks"]) for c in document["committees"]] == [
        ("quality-committee", ["long-waits-2023-24", "sepsis", "virtual-wards"], ["r1"]),
        ("people-committee", ["nurse-recruitment", "staff-survey"], ["r2"]),
    ]
    people = _status(stratctl, "--quarter", "2023/24 Q2", "--committee", "people-committee")
    assert [o["id"] for o in people["objectives"]] == ["nurse-recruitment", "staff-survey"]
    assert [r["id"] for r in people["risks"]] == ["r2"]
    theme = _status(stratctl, "--quarter", "2023/24 Q2", "--theme", "people")
    assert [o["id"] for o in theme["objectives"]] == ["nurse-recruitment", "staff-survey"]
    assert [s["id"] for s in theme["strategic_objectives"]] == ["OC1"]


def test_a_committee_paper_holds_that_committees_records_only_and_says_whose_it_is(
    trust: Path, stratctl: Stratctl
) -> None:
    outcome = stratctl("report", "--quarter", "2023/24 Q2", "--committee", "people-committee")
    assert outcome.exit_code == 0, outcome.stderr
    text = outcome.stdout
    assert (
        text.splitlines()[0]
        == "# Northfield Hospitals NHS Foundation Trust: People Committee: strategy delivery report, 2023/24 Q2"
    )
    assert "Recruit 100 registered nurses" in text and "Open 80 virtual ward beds" not in text
    assert "Nurse vacancies" in text and "Elective backlog" not in text
    assert stratctl("report", "--committee", "audit").exit_code == 2


def test_the_default_view_is_trust_yamls_year_at_its_latest_reported_quarter(trust: Path, stratctl: Stratctl) -> None:
    document = _status(stratctl)
    assert (document["year"], document["quarter"]) == ("2023/24", "Q2")


def test_a_multi_year_objective_is_rated_to_the_end_of_its_span_and_says_so(trust: Path, stratctl: Stratctl) -> None:
    document = _status(stratctl, "--quarter", "2022/23 Q4")
    wards = next(o for o in document["objectives"] if o["id"] == "virtual-wards")
    assert (wards["year"], wards["until"], wards["target_date"]) == ("2022/23", "2023/24", "2024-03-31")
    assert any("projected to 2024-03-31, the end of its span (2022/23 to 2023/24)" in r for r in wards["reasons"])


def test_the_paper_marks_carried_forward_and_continuing_objectives(trust: Path, stratctl: Stratctl) -> None:
    for quarter in ("2023/24 Q1", "2023/24 Q2"):  # where the predecessor ended, not the successor's last quarter
        text = stratctl("report", "--quarter", quarter).stdout
        assert "Eliminate waits of over 52 weeks (carried forward from 2022/23, where it ended A)" in text
    previous_year = stratctl("report", "--quarter", "2022/23 Q4").stdout
    assert "Open 80 virtual ward beds (continues to 2023/24)" in previous_year
    assert "Recruit 100 registered nurses" not in previous_year  # a 2023/24 objective is in no 2022/23 view
    annual = stratctl("report", "--year", "2022/23").stdout
    assert "| Open 80 virtual ward beds | COO | — | G | — | A | Continues to 2023/24 (year end: A) |" in annual
    assert "Agree a clinical strategy for the hospital group" not in stratctl("report", "--year", "2023/24").stdout


def test_the_strategy_section_lists_themes_strategic_objectives_and_their_objectives(
    trust: Path, stratctl: Stratctl
) -> None:
    text = stratctl("report", "--quarter", "2023/24 Q2").stdout
    strategy = text[text.index("## Our strategy") : text.index("## Tracker")]
    assert strategy.index("### Quality and patient safety") < strategy.index(
        "#### To be in the best quartile for mortality"
    )
    assert strategy.index("#### Timely care for every patient") < strategy.index("### Organisational capability")
    assert "Lead: Chief People Officer. Supporting objectives: C 0, G 0, A 2, R 0, not yet reported 0." in strategy
    assert "- **C↑** Screen every eligible patient for sepsis" in strategy


def test_trackers_follow_order_then_id(trust: Path, stratctl: Stratctl) -> None:
    text = stratctl("report", "--quarter", "2023/24 Q2").stdout
    tracker = text[text.index("### Grow our own") : text.index("## Exceptions")]
    # staff-survey has order 0; the others have none and follow by id.
    titles = [
        "Act on the staff survey",
        "Agree the outline business case",
        "Recruit 100 registered nurses",
        "Screen every eligible",
    ]
    assert [tracker.index(t) for t in titles] == sorted(tracker.index(t) for t in titles)


# --- rollover ------------------------------------------------------------------------------------


def test_rollover_carries_exactly_the_unfinished_objectives_whose_span_ends(trust: Path, stratctl: Stratctl) -> None:
    objectives = trust / "data" / "objectives"
    before = {p.name: p.read_bytes() for p in objectives.iterdir()}
    dry = stratctl("rollover", "--to", "2024/25", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert {p.name: p.read_bytes() for p in objectives.iterdir()} == before  # a dry run writes nothing
    outcome = stratctl("rollover", "--to", "2024/25")
    assert outcome.exit_code == 0, outcome.stderr
    # The unfinished one-year objectives of 2023/24: long-waits-2023-24, nurse-recruitment, staff-survey.
    # sepsis is complete; new-hospital runs to 2024/25; virtual-wards is a 2022/23-2023/24 objective.
    assert "leave sepsis: complete (2023/24 Q2)" in outcome.stdout
    assert "leave new-hospital: continues to 2024/25" in outcome.stdout
    assert "leave virtual-wards: multi-year (2022/23 to 2023/24)" in outcome.stdout
    assert "next: priority recover ends with 2023/24 but long-waits-2024-25 carried forward under it" in outcome.stderr
    created = sorted(set(p.name for p in objectives.iterdir()) - set(before))
    assert created == ["long-waits-2024-25.yaml", "nurse-recruitment-2024-25.yaml", "staff-survey-2024-25.yaml"]
    assert {name: (objectives / name).read_bytes() for name in before} == before  # no existing objective changes
    assert "year: 2024/25" in (trust / "data" / "trust.yaml").read_text()
    assert stratctl("validate").exit_code == 0
    fmt = stratctl("fmt", "--check")  # rollover writes its files in the canonical layout
    assert fmt.exit_code == 0, fmt.stdout
    successor = (objectives / "long-waits-2024-25.yaml").read_text()
    assert "carried_from: long-waits-2023-24" in successor and "committee: quality-committee" in successor
    assert "baseline: {quarter: 2023/24 Q2, value: 150}" in successor and "actuals: {}" in successor
    assert "due: 2025-03-31  # carried forward to the end of 2024/25: COO to confirm the new target date" in successor
    assert "updates: []" in successor
    document = _status(stratctl, "--quarter", "2024/25 Q1")
    assert sorted(o["id"] for o in document["objectives"]) == [
        "group-strategy",
        "long-waits-2024-25",
        "new-hospital",
        "nurse-recruitment-2024-25",
        "staff-survey-2024-25",
    ]


def test_rollover_shows_errors_in_full_but_only_the_warnings_on_the_files_it_writes(
    trust: Path, stratctl: Stratctl
) -> None:
    assert "P004" in stratctl("validate").stdout  # staff-survey has no Q2 update: a warning about the closing year
    outcome = stratctl("rollover", "--to", "2024/25")
    assert outcome.exit_code == 0, outcome.stderr
    lines = outcome.stderr.splitlines()
    assert any("long-waits-2024-25.yaml" in line and "L010" in line for line in lines)  # on a file it writes: shown
    assert not any("P004" in line or "L009" in line for line in lines)  # elsewhere: counted, not listed
    assert "and 2 warnings elsewhere: stratctl validate lists them" in lines
    assert lines[-1].startswith("next: priority recover ends with 2023/24")  # what to do comes last
    assert lines.index("and 2 warnings elsewhere: stratctl validate lists them") < len(lines) - 2


def test_rollover_shows_an_error_in_a_file_it_does_not_write(trust: Path, stratctl: Stratctl) -> None:
    risk = trust / "data" / "risks" / "r1.yaml"
    risk.write_text(
        risk.read_text().replace("\ncurrent: {likelihood: 4, consequence: 4}\n", "\ncurrent: {score: 7}\n", 1)
    )
    before = snapshot(trust)
    outcome = stratctl("rollover", "--to", "2024/25")
    assert outcome.exit_code == 1, outcome.stderr
    assert "r1.yaml" in outcome.stderr and "K003" in outcome.stderr, outcome.stderr
    assert "nothing written" in outcome.stderr and snapshot(trust) == before


@pytest.mark.parametrize(
    "predecessor, successor",
    [
        ("long-waits", "long-waits-2024-25"),
        ("long-waits-2023-24", "long-waits-2024-25"),  # the closing year's own suffix is replaced, not added to
        ("trust-strategy-2022-25", "trust-strategy-2022-25-2024-25"),  # a span, not a financial year: kept
        ("audit-2021-22", "audit-2021-22-2024-25"),  # a real year, but not the closing one: part of the name
        ("develop-trust-strategy-for-2022-2025", "develop-trust-strategy-for-2022-2025-2024-25"),
    ],
)
def test_a_successor_id_replaces_only_the_closing_years_suffix(predecessor: str, successor: str) -> None:
    from stratctl.authoring.rollover import successor_id
    from stratctl.periods import FinancialYear

    assert successor_id(predecessor, FinancialYear(2024), set()) == successor
    assert successor_id(predecessor, FinancialYear(2024), {successor}) == f"{successor}-2"


@pytest.mark.parametrize(
    "to, message",
    [
        ("2023/24", "already 2023/24"),
        ("2025/26", "from trust.yaml's 2023/24 to 2024/25"),
        ("2024", "is not a financial year"),
    ],
)
def test_rollover_refusals_change_nothing(trust: Path, stratctl: Stratctl, to: str, message: str) -> None:
    before = snapshot(trust)
    outcome = stratctl("rollover", "--to", to)
    assert outcome.exit_code == 2 and message in outcome.stderr
    assert snapshot(trust) == before


# --- the mistakes the new fields invite ----------------------------------------------------------

BAD_INPUTS = [
    # (file, text replaced, replacement, code, line, column)
    ("objectives/sepsis.yaml", "  - quarter: 2023/24 Q1", "  - quarter: 2022/23 Q4", "L001", 9, 14),
    ("objectives/virtual-wards.yaml", "until: 2023/24", "until: 2021/22", "L002", 4, 8),
    ("objectives/long-waits-2023-24.yaml", "carried_from: long-waits", "carried_from: long-wait", "R001", 4, 15),
    ("objectives/long-waits-2023-24.yaml", "carried_from: long-waits", "carried_from: new-hospital", "L003", 4, 15),
    ("objectives/sepsis.yaml", "committee: quality-committee", "committee: quality", "R001", 7, 12),
    ("trust.yaml", "    theme: people", "    theme: peple", "R001", 30, 12),
    ("trust.yaml", "  end: 2028/29", "  end: 2021/22", "L006", 10, 8),
    ("risks/r2.yaml", "committee: people-committee", "committee: People", "R001", 4, 12),
]


@pytest.mark.parametrize("file, old, new, code, line, column", BAD_INPUTS)
def test_each_bad_input_is_found_at_its_line_and_nothing_is_written(
    trust: Path,
    stratctl: Stratctl,
    file: str,
    old: str,
    new: str,
    code: str,
    line: int,
    column: int,
) -> None:
    path = trust / "data" / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    before = snapshot(trust)
    outcome = stratctl("validate")
    assert outcome.exit_code == 1
    assert f"data/{file}:{line}:{column}: {code} " in outcome.stdout, outcome.stdout
    assert "Traceback" not in outcome.stdout + outcome.stderr
    assert stratctl("rollover", "--to", "2024/25").exit_code == 1  # a rollover onto bad records is refused
    assert snapshot(trust) == before


def test_a_lineage_loop_and_a_second_successor_are_reported(trust: Path, stratctl: Stratctl) -> None:
    objectives = trust / "data" / "objectives"
    mortality = objectives / "mortality.yaml"
    mortality.write_text(
        mortality.read_text().replace("year: 2022/23\n", "year: 2022/23\ncarried_from: long-waits-2023-24\n")
    )
    second = objectives / "long-waits-again.yaml"
    second.write_text(
        (objectives / "long-waits-2023-24.yaml").read_text().replace("id: long-waits-2023-24", "id: long-waits-again")
    )
    lines = stratctl("validate").stdout
    assert "data/objectives/mortality.yaml:4:15: L003 " in lines
    assert "data/objectives/long-waits-again.yaml:4:15: L004 " in lines and "[warning]" in lines
    loop = objectives / "long-waits.yaml"
    loop.write_text(loop.read_text().replace("year: 2022/23\n", "year: 2022/23\ncarried_from: long-waits-2023-24\n"))
    assert "data/objectives/long-waits.yaml:4:15: L005 carried_from goes round in a loop" in stratctl("validate").stdout


def test_a_year_that_mixes_nothing_in(tmp_path: Path, stratctl: Stratctl, repo: Path) -> None:
    """The first round's trust, moved to 2022/23 with one new objective: the paper holds only that one."""
    trust_file = repo / "data" / "trust.yaml"
    trust_file.write_text(trust_file.read_text().replace("year: 2021/22", "year: 2022/23"))
    (repo / "data" / "objectives" / "new-year.yaml").write_text(
        "id: new-year\ntitle: Next year's objective\nyear: 2022/23\npriority: recover\nlead: COO\n"
        "updates:\n  - {quarter: 2022/23 Q1, progress: on-track, comment: Started.}\n"
    )
    report = stratctl("report", "--quarter", "Q1", "--format", "json")
    assert report.exit_code == 0, report.stderr
    assert [o["id"] for o in json.loads(report.stdout)["objectives"]] == ["new-year"]
    assert [o["id"] for o in _status(stratctl)["objectives"]] == ["new-year"]
    assert "P004" not in stratctl("validate").stdout  # last year's objectives are not stale this year


def test_an_until_before_year_is_one_finding_not_one_for_every_update(trust: Path, stratctl: Stratctl) -> None:
    path = trust / "data" / "objectives" / "virtual-wards.yaml"
    path.write_text(path.read_text().replace("until: 2023/24", "until: 2021/22", 1))
    lines = [line for line in stratctl("validate").stdout.splitlines() if "virtual-wards.yaml" in line]
    codes = [line.split()[1] for line in lines]
    assert "L002" in codes and not {"L001", "P001", "M001"} & set(codes), lines  # not one for each update or actual


def test_an_unreadable_objective_raises_no_undelivered_commitment_warnings(
    tmp_path: Path,
    stratctl: Stratctl,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shutil.copytree(PROJECT / "data", tmp_path / "data")  # the bundled trust: its strategies' commitments are delivered
    monkeypatch.chdir(tmp_path)
    delivering = tmp_path / "data" / "objectives" / "maternity-vacancies.yaml"
    assert "delivers: [people." in delivering.read_text()
    delivering.write_text("id: [unclosed\n")
    codes = [line.split()[1] for line in stratctl("validate").stdout.splitlines()[:-1]]
    assert "Y001" in codes and "P005" not in codes  # the broken file may be the one that delivers it


def test_a_risk_without_a_review_for_the_latest_quarter_is_warned_with_the_command_to_record_it(
    trust: Path, stratctl: Stratctl
) -> None:
    def k008() -> list[dict[str, Any]]:
        return [
            f for f in json.loads(stratctl("validate", "--format", "json").stdout)["findings"] if f["code"] == "K008"
        ]

    assert k008() == []  # every risk is reviewed at 2023/24 Q2, the latest quarter reported
    risk = trust / "data" / "risks" / "r1.yaml"
    text = risk.read_text()
    risk.write_text(text[: text.index("reviews:")] + "reviews: []\n")  # as imported: a score, no review
    found = k008()
    assert [(f["path"], f["severity"]) for f in found] == [("data/risks/r1.yaml", "warning")]
    assert (
        "no review for 2023/24 Q2 (no reviews yet): record the rating the Board sees "
        '(stratctl update r1 --quarter "2023/24 Q2" --likelihood 4 --consequence 4)'
    ) in found[0]["message"]


def test_after_rollover_the_default_view_is_the_last_quarter_the_board_heard(trust: Path, stratctl: Stratctl) -> None:
    assert stratctl("rollover", "--to", "2024/25").exit_code == 0
    document = _status(stratctl)  # 2024/25 has no update yet
    assert (document["year"], document["quarter"], document["as_of"]) == ("2023/24", "Q2", "2023-09-30")
    assert "long-waits-2024-25" not in {o["id"] for o in document["objectives"]}  # next year's plan is not yet reported


def test_an_until_before_year_raises_no_finding_for_each_actual_either(trust: Path, stratctl: Stratctl) -> None:
    path = trust / "data" / "objectives" / "long-waits-2023-24.yaml"
    path.write_text(path.read_text().replace("year: 2023/24\n", "year: 2023/24\nuntil: 2022/23\n", 1))
    codes = [line.split()[1] for line in stratctl("validate").stdout.splitlines() if "long-waits-2023-24.yaml" in line]
    assert "L002" in codes and "M001" not in codes, codes


def test_an_objective_that_supports_no_strategic_objective_is_warned(trust: Path, stratctl: Stratctl) -> None:
    path = trust / "data" / "objectives" / "sepsis.yaml"
    text = path.read_text()
    supports = next(line for line in text.splitlines() if line.startswith("supports:"))
    path.write_text(text.replace(supports, "supports: []"))
    found = [f for f in json.loads(stratctl("validate", "--format", "json").stdout)["findings"] if f["code"] == "P007"]
    assert [(f["path"], f["line"], f["severity"]) for f in found] == [
        ("data/objectives/sepsis.yaml", text.splitlines().index(supports) + 1, "warning")
    ]
    assert "say which (" in found[0]["message"]
