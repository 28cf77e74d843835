"""A year that changes, tried on an invented ambulance trust's 2025/26 (tests/fixtures/ambulance).

Its strategy is replaced in Q2 (goals G1-G3 by missions M1-M4), its BAF rebuilt between Q2 and Q3
from seven risks to ten with the ids reused (the old files renamed BAF2024-SRn, linked to the new
by `successors`), three objectives start in-year, a milestone is reprofiled twice and risk SR3 is
overseen by two committees. Every expected value below is worked out by hand from the fixture's
records and the rules in docs/records.md and docs/rating.md ("A year that changes"); the comments
beside each say how. None is copied from stratctl's output.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from stratctl import __version__
from stratctl.loading import load_repository
from stratctl.periods import Quarter, ReportingPoint
from stratctl.reporting.board import BoardReport, build_board_report
from stratctl.reporting.provenance import Provenance
from stratctl.status import Scope, Status, build_status
from tests.conftest import FIXTURES, snapshot

AMBULANCE = FIXTURES / "ambulance" / "data"

# --- the quarters' risks: score, band, trend -----------------------------------------------------
# The old BAF (BAF2024-SR1..SR7) has no `opened` and closes in 2025/26 Q3, so it is the BAF of Q1 and
# Q2 only. Its reviews (likelihood x consequence) are:
#            24/25 Q4   Q1      Q2      Q3
#   SR1      4x5=20   4x5=20  5x5=25    -
#   SR2      5x4=20   4x4=16  4x4=16  3x4=12  (a review in the closing quarter: its last score)
#   SR3      4x4=16   4x4=16  3x4=12    -
#   SR4      3x4=12   3x4=12  3x4=12    -
#   SR5      3x5=15   4x5=20  4x5=20    -
#   SR6      3x3=9    3x3=9   3x4=12    -
#   SR7      3x5=15   3x5=15  3x5=15    -
# Bands (the NPSA default): 8-12 high, 15-25 extreme. Trend: the score at Q against that at Q-1.
RISKS: dict[str, dict[str, tuple[int, str, str]]] = {
    "Q1": {
        "BAF2024-SR1": (20, "extreme", "same"),  # 20 against 24/25 Q4's 20
        "BAF2024-SR2": (16, "extreme", "decreased"),  # 16 against 20
        "BAF2024-SR3": (16, "extreme", "same"),
        "BAF2024-SR4": (12, "high", "same"),
        "BAF2024-SR5": (20, "extreme", "increased"),  # 20 against 15
        "BAF2024-SR6": (9, "high", "same"),
        "BAF2024-SR7": (15, "extreme", "same"),
    },
    "Q2": {
        "BAF2024-SR1": (25, "extreme", "increased"),  # 25 against 20
        "BAF2024-SR2": (16, "extreme", "same"),
        "BAF2024-SR3": (12, "high", "decreased"),  # 12 against 16
        "BAF2024-SR4": (12, "high", "same"),
        "BAF2024-SR5": (20, "extreme", "same"),
        "BAF2024-SR6": (12, "high", "increased"),  # 12 against 9
        "BAF2024-SR7": (15, "extreme", "same"),
    },
    # The new BAF (SR1..SR10) opens in Q3: each is `new` there, whatever SRn meant before. Reviews:
    #            Q3      Q4
    #   SR1    4x5=20  4x5=20        SR6    3x4=12  3x3=9
    #   SR2    4x4=16  3x4=12        SR7    2x4=8   4x4=16
    #   SR3    4x5=20  3x5=15        SR8    4x5=20  4x5=20
    #   SR4    3x3=9   3x4=12        SR9    3x3=9   3x3=9
    #   SR5    4x4=16  4x4=16        SR10   never reviewed: `current` 3x5=15 throughout
    "Q3": {
        "SR1": (20, "extreme", "new"),
        "SR2": (16, "extreme", "new"),
        "SR3": (20, "extreme", "new"),
        "SR4": (9, "high", "new"),
        "SR5": (16, "extreme", "new"),
        "SR6": (12, "high", "new"),
        "SR7": (8, "high", "new"),
        "SR8": (20, "extreme", "new"),
        "SR9": (9, "high", "new"),
        "SR10": (15, "extreme", "new"),  # opened in Q3: new, though it has no reviews
    },
    "Q4": {
        "SR1": (20, "extreme", "same"),
        "SR2": (12, "high", "decreased"),
        "SR3": (15, "extreme", "decreased"),
        "SR4": (12, "high", "increased"),
        "SR5": (16, "extreme", "same"),
        "SR6": (9, "high", "decreased"),
        "SR7": (16, "extreme", "increased"),
        "SR8": (20, "extreme", "same"),
        "SR9": (9, "high", "same"),
        "SR10": (15, "extreme", "same"),  # no reviews at all: `current` against itself
    },
}

# Heat-map cells (likelihood, consequence) of the ratings in force, from the reviews above.
HEAT: dict[str, dict[str, tuple[int, int]]] = {
    "Q1": {
        "BAF2024-SR1": (4, 5),
        "BAF2024-SR2": (4, 4),
        "BAF2024-SR3": (4, 4),
        "BAF2024-SR4": (3, 4),
        "BAF2024-SR5": (4, 5),
        "BAF2024-SR6": (3, 3),
        "BAF2024-SR7": (3, 5),
    },
    "Q2": {
        "BAF2024-SR1": (5, 5),
        "BAF2024-SR2": (4, 4),
        "BAF2024-SR3": (3, 4),
        "BAF2024-SR4": (3, 4),
        "BAF2024-SR5": (4, 5),
        "BAF2024-SR6": (3, 4),
        "BAF2024-SR7": (3, 5),
    },
    "Q3": {
        "SR1": (4, 5),
        "SR2": (4, 4),
        "SR3": (4, 5),
        "SR4": (3, 3),
        "SR5": (4, 4),
        "SR6": (3, 4),
        "SR7": (2, 4),
        "SR8": (4, 5),
        "SR9": (3, 3),
        "SR10": (3, 5),
    },
    "Q4": {
        "SR1": (4, 5),
        "SR2": (3, 4),
        "SR3": (3, 5),
        "SR4": (3, 4),
        "SR5": (4, 4),
        "SR6": (3, 3),
        "SR7": (4, 4),
        "SR8": (4, 5),
        "SR9": (3, 3),
        "SR10": (3, 5),
    },
}

# The paper's risk summary: the risks of RISKS above by band (in the bands' order, low to extreme),
# then those above appetite (minimal tolerates 8, cautious 12, open 16) and those increased.
BAND_COUNTS = {
    # high: SR4 12, SR6 9; extreme: SR1 20, SR2 16, SR3 16, SR5 20, SR7 15
    # above: SR1 20 and SR2 16 and SR5 20 (cautious), SR7 15 (minimal); SR3 16 is not above open's 16
    "Q1": "2 high, 5 extreme, 4 above appetite, 1 increased since the previous quarter",  # SR5
    # high: SR3, SR4, SR6 at 12; extreme: SR1 25, SR2 16, SR5 20, SR7 15; above: SR1, SR2, SR5, SR7
    "Q2": "3 high, 4 extreme, 4 above appetite, 2 increased since the previous quarter",  # SR1, SR6
    # high: SR4, SR6, SR7, SR9; extreme: SR1, SR2, SR3, SR5, SR8, SR10
    # above: SR1, SR2, SR8 (cautious), SR3, SR6, SR10 (minimal); none increased: all are new
    "Q3": "4 high, 6 extreme, 6 above appetite",
    # high: SR2, SR4, SR6, SR9; extreme: SR1, SR3, SR5, SR7, SR8, SR10
    # above: SR1, SR8 (cautious 20), SR3 15, SR6 9, SR10 15 (minimal); increased: SR4, SR7
    "Q4": "4 high, 6 extreme, 5 above appetite, 2 increased since the previous quarter",
}

# Risks closed in each quarter, at their last score (the rating in force in the closing quarter).
CLOSED: dict[str, dict[str, tuple[int, tuple[str, ...]]]] = {
    "Q1": {},
    "Q2": {},
    "Q3": {
        "BAF2024-SR1": (25, ("SR1", "SR2")),  # Q2's 5x5
        "BAF2024-SR2": (12, ("SR2",)),  # its own Q3 review, 3x4
        "BAF2024-SR3": (12, ("SR5",)),
        "BAF2024-SR4": (12, ("SR6",)),
        "BAF2024-SR5": (20, ("SR8",)),
        "BAF2024-SR6": (12, ("SR9",)),
        "BAF2024-SR7": (15, ("SR10",)),
    },
    "Q4": {},
}

# Committees: each risk's `committee` (SR3 names two), for the risks on the BAF at the quarter.
COMMITTEE_RISKS = {
    "Q1": {
        "performance-committee": ["BAF2024-SR1", "BAF2024-SR2"],
        "quality-committee": [],
        "people-committee": ["BAF2024-SR3", "BAF2024-SR4"],
        "finance-committee": ["BAF2024-SR5", "BAF2024-SR6"],
        "audit-committee": ["BAF2024-SR7"],
    },
    "Q3": {
        "performance-committee": ["SR1", "SR2", "SR3"],
        "quality-committee": ["SR3", "SR4"],
        "people-committee": ["SR5", "SR6", "SR7"],
        "finance-committee": ["SR8", "SR9"],
        "audit-committee": ["SR10"],
    },
}
COMMITTEE_RISKS["Q2"] = COMMITTEE_RISKS["Q1"]  # the same old BAF
COMMITTEE_RISKS["Q4"] = COMMITTEE_RISKS["Q3"]  # the same new BAF

# --- the quarters' objectives: reported position, trend, stale -----------------------------------
# Position: the latest update's declared position, else progress (on-track G, behind A, at-risk R,
# not-started A) and any milestone overdue; complete is C. Before `start`: none, never stale.
POSITIONS: dict[str, dict[str, tuple[str, str, bool]]] = {
    "Q1": {
        "c2-mean-response": ("A", "new", False),  # declared A; no earlier position
        "hear-and-treat": ("G", "new", False),  # on-track
        "staff-survey": ("A", "new", False),  # not-started gives A
        "new-dispatch-model": ("none", "new", False),  # starts 2025/26 Q3: not stale
        "wellbeing-hubs": ("none", "new", False),  # starts Q3
        "net-zero-fleet": ("none", "new", False),  # starts Q4
        "balanced-budget": ("G", "new", False),  # on-track
    },
    "Q2": {
        "c2-mean-response": ("A", "same", False),  # behind: A against A
        "hear-and-treat": ("G", "same", False),  # declared G against G
        "staff-survey": ("G", "up", False),  # on-track: G against A
        "new-dispatch-model": ("none", "new", False),
        "wellbeing-hubs": ("none", "new", False),
        "net-zero-fleet": ("none", "new", False),
        "balanced-budget": ("A", "down", False),  # behind: A against G
    },
    "Q3": {
        "c2-mean-response": ("G", "up", False),  # declared G against A
        "hear-and-treat": ("A", "down", False),  # declared A (computed R, at-risk) against G
        "staff-survey": ("G", "same", False),
        # on-track G; the design milestone is due 2026-01-31, after 2025-12-31: not late, though it
        # was first due 2025-10-31 (lateness is judged against `due`); first quarter: new
        "new-dispatch-model": ("G", "new", False),
        # declared A with the tracker's arrow: no earlier position, so the declared trend is shown
        "wellbeing-hubs": ("A", "down", False),
        "net-zero-fleet": ("none", "new", False),  # starts Q4
        "balanced-budget": ("A", "same", False),
    },
    "Q4": {
        "c2-mean-response": ("G", "same", False),  # on-track; due 2026-03-31 is not before as-of
        "hear-and-treat": ("A", "same", False),
        "staff-survey": ("C", "up", False),  # complete
        # on-track, but the go-live milestone was due 2026-03-15: 16 days overdue at 2026-03-31, A
        "new-dispatch-model": ("A", "down", False),
        # declared trend up against A then A: the computed `same` is shown (and validate warns)
        "wellbeing-hubs": ("A", "same", False),
        "net-zero-fleet": ("G", "new", False),  # its first quarter
        "balanced-budget": ("R", "down", False),  # declared R against A
    },
}

# Counts of the reported positions above (C, G, A, R, none).
COUNTS = {
    "Q1": {"C": 0, "G": 2, "A": 2, "R": 0, "none": 3},
    "Q2": {"C": 0, "G": 2, "A": 2, "R": 0, "none": 3},
    "Q3": {"C": 0, "G": 3, "A": 3, "R": 0, "none": 1},
    "Q4": {"C": 1, "G": 2, "A": 3, "R": 1, "none": 0},
}

# The strategy in force, and its strategic objectives with the counts of what supports each.
PLAN = {"Q1": "Our strategy 2020-25", "Q2": "Our strategy 2025-30", "Q3": "Our strategy 2025-30"}
PLAN["Q4"] = PLAN["Q3"]
STRATEGIC: dict[str, dict[str, dict[str, int]]] = {
    # G1: c2 (A), hear (G); G2: staff (A); G3: budget (G)
    "Q1": {
        "G1": {"C": 0, "G": 1, "A": 1, "R": 0, "none": 0},
        "G2": {"C": 0, "G": 0, "A": 1, "R": 0, "none": 0},
        "G3": {"C": 0, "G": 1, "A": 0, "R": 0, "none": 0},
    },
    # M1: c2 (A), dispatch (none); M2: hear (G); M3: wellbeing (none); M4: net-zero (none), budget (A)
    "Q2": {
        "M1": {"C": 0, "G": 0, "A": 1, "R": 0, "none": 1},
        "M2": {"C": 0, "G": 1, "A": 0, "R": 0, "none": 0},
        "M3": {"C": 0, "G": 0, "A": 0, "R": 0, "none": 1},
        "M4": {"C": 0, "G": 0, "A": 1, "R": 0, "none": 1},
    },
    # M1: c2 G, dispatch G; M2: hear A; M3: wellbeing A; M4: net-zero none, budget A
    "Q3": {
        "M1": {"C": 0, "G": 2, "A": 0, "R": 0, "none": 0},
        "M2": {"C": 0, "G": 0, "A": 1, "R": 0, "none": 0},
        "M3": {"C": 0, "G": 0, "A": 1, "R": 0, "none": 0},
        "M4": {"C": 0, "G": 0, "A": 1, "R": 0, "none": 1},
    },
    # M1: c2 G, dispatch A; M2: hear A; M3: wellbeing A; M4: net-zero G, budget R
    "Q4": {
        "M1": {"C": 0, "G": 1, "A": 1, "R": 0, "none": 0},
        "M2": {"C": 0, "G": 0, "A": 1, "R": 0, "none": 0},
        "M3": {"C": 0, "G": 0, "A": 1, "R": 0, "none": 0},
        "M4": {"C": 0, "G": 1, "A": 0, "R": 1, "none": 0},
    },
}

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
PROVENANCE = Provenance(__version__, None, False)


@pytest.fixture(scope="module")
def views() -> dict[str, tuple[Status, BoardReport]]:
    """The status and the Board paper's view of each quarter of 2025/26."""
    loaded = load_repository(AMBULANCE)
    assert not loaded.findings
    found = {}
    for label in QUARTERS:
        status = build_status(loaded.repository, ReportingPoint.end_of(Quarter.parse(f"2025/26 {label}")))
        found[label] = (status, build_board_report(status, PROVENANCE))
    return found


@pytest.mark.parametrize("quarter", QUARTERS)
def test_every_view_of_a_quarter_holds_exactly_the_risks_on_its_baf(
    views: dict[str, tuple[Status, BoardReport]], quarter: str
) -> None:
    status, paper = views[quarter]
    assert {k.id: (r.score, r.band, r.trend) for k, r in status.risks} == RISKS[quarter]
    assert {e.id: (e.score, e.band, e.trend) for e in paper.risks} == RISKS[quarter]
    assert paper.risk_summary == BAND_COUNTS[quarter]
    json_risks = {r["id"] for r in status.to_dict()["risks"]}
    assert json_risks == set(RISKS[quarter])


@pytest.mark.parametrize("quarter", QUARTERS)
def test_the_heat_map_places_each_risk_on_the_baf_once_where_its_rating_is(
    views: dict[str, tuple[Status, BoardReport]], quarter: str
) -> None:
    _, paper = views[quarter]
    placed = [
        (mark.id, (cell.likelihood, cell.consequence))
        for row in paper.heat_map
        for cell in row
        for mark in cell.current
    ]
    assert sorted(placed) == sorted(HEAT[quarter].items())


@pytest.mark.parametrize("quarter", QUARTERS)
def test_the_risks_closed_in_a_quarter_are_listed_apart_with_their_last_score_and_successors(
    views: dict[str, tuple[Status, BoardReport]], quarter: str
) -> None:
    status, paper = views[quarter]
    assert {k.id: (k.score, tuple(s.id for s in k.successors)) for k in paper.closed_risks} == CLOSED[quarter]
    assert not set(CLOSED[quarter]) & {k.id for k, _ in status.risks}  # apart from the BAF
    for closed in paper.closed_risks:
        assert closed.reason == "BAF rebuilt around the 2025-30 missions"


@pytest.mark.parametrize("quarter", QUARTERS)
def test_committee_lists_hold_the_quarters_risks_and_a_risk_under_two_committees_in_both(
    views: dict[str, tuple[Status, BoardReport]], quarter: str
) -> None:
    status, _ = views[quarter]
    listed = {c["id"]: c["risks"] for c in status.to_dict()["committees"]}
    assert listed == COMMITTEE_RISKS[quarter]
    for committee, risks in COMMITTEE_RISKS[quarter].items():
        narrowed = status.narrowed(Scope(committee=committee))
        assert sorted(k.id for k, _ in narrowed.risks) == sorted(risks)


@pytest.mark.parametrize("quarter", QUARTERS)
def test_positions_trends_and_staleness_follow_in_year_starts_and_declared_trends(
    views: dict[str, tuple[Status, BoardReport]], quarter: str
) -> None:
    status, paper = views[quarter]
    assert {o.id: (r.reported, r.trend, r.stale) for o, r in status.objectives} == POSITIONS[quarter]
    assert status.counts() == COUNTS[quarter]
    assert paper.counts == COUNTS[quarter]
    # before its start an objective is on the tracker, never stale and never an exception
    starting = {o.id for o, r in status.objectives if r.starts is not None}
    expected_starting = {
        "Q1": {"new-dispatch-model", "wellbeing-hubs", "net-zero-fleet"},
        "Q2": {"new-dispatch-model", "wellbeing-hubs", "net-zero-fleet"},
        "Q3": {"net-zero-fleet"},
        "Q4": set(),
    }[quarter]
    assert starting == expected_starting
    assert not starting & {e.row.id for e in paper.exceptions}


@pytest.mark.parametrize("quarter", QUARTERS)
def test_each_view_shows_the_strategy_and_strategic_objectives_in_force(
    views: dict[str, tuple[Status, BoardReport]], quarter: str
) -> None:
    status, paper = views[quarter]
    assert status.plan is not None and status.plan.title == PLAN[quarter]
    assert paper.strategy is not None and paper.strategy.title == PLAN[quarter]
    assert status.by_strategic_objective() == STRATEGIC[quarter]
    assert [t.id for t in paper.themes] == (["goals"] if quarter == "Q1" else ["missions"])
    assert [s.id for s in paper.strategic_objective_names] == list(STRATEGIC[quarter])


def test_exceptions_say_a_declared_deterioration_was_declared(views: dict[str, tuple[Status, BoardReport]]) -> None:
    _, paper = views["Q3"]
    why = {e.row.id: e.why for e in paper.exceptions}
    # wellbeing-hubs: A with the Board's ↓ and no earlier position; hear-and-treat: G at Q2 to A
    assert why["wellbeing-hubs"] == ("deteriorated to A (declared by the Board)",)
    assert why["hear-and-treat"] == ("deteriorated from G to A",)


def test_the_milestone_reprofiled_twice_keeps_its_dates_and_is_late_only_against_its_due(
    views: dict[str, tuple[Status, BoardReport]],
) -> None:
    _, q3 = views["Q3"]
    (row,) = [r for r in q3.with_milestones if r.id == "new-dispatch-model"]
    design, golive = row.milestones
    assert design.due_words == "31 January 2026, reprofiled from 31 October 2025, then 31 December 2025"
    assert design.state_words == "Not yet due"  # 2025-12-31 is before 2026-01-31; 61 days past the first date
    assert golive.state_words == "Not yet due"
    _, q4 = views["Q4"]
    (row,) = [r for r in q4.with_milestones if r.id == "new-dispatch-model"]
    design, golive = row.milestones
    assert design.state_words == "Done 20 February 2026"
    assert golive.state_words == "Overdue by 16 days"  # 2026-03-15 to 2026-03-31


def test_the_papers_say_what_a_board_reader_needs(stratctl: Any, tmp_path: Path) -> None:
    root = tmp_path / "fcas"
    shutil.copytree(AMBULANCE, root / "data")
    texts = {}
    for quarter in QUARTERS:
        outcome = stratctl("report", "--data", str(root / "data"), "--quarter", quarter, "--format", "md")
        assert outcome.exit_code == 0, outcome.stderr
        texts[quarter] = outcome.stdout
    q1, q3 = texts["Q1"], texts["Q3"]
    assert "Our strategy 2020-25" in q1 and "Our strategy 2025-30" not in q1
    assert "Our strategy 2025-30" in q3 and "Our strategy 2020-25" not in q3
    assert "SR8: Financial sustainability" not in q1  # the new BAF's risk is not in Q1's paper
    assert "### Risks closed in Q3" in q3 and "### Risks closed in" not in q1
    assert (
        "| BAF2024-SR1: Response times | 25 | extreme | BAF rebuilt around the 2025-30 missions | SR1: Category 1" in q3
    )
    assert "new (opened in 2025/26 Q3)" in q3
    assert "(wellbeing-hubs): to A (declared by the Board)" in q3  # no earlier position: not "none to A"
    assert "Starts 2025/26 Q3" in q1 and "Starts 2025/26 Q3" not in q3 and "Starts 2025/26 Q4" in q3
    assert "31 January 2026, reprofiled from 31 October 2025, then 31 December 2025" in q3
    committee = stratctl(
        "report", "--data", str(root / "data"), "--quarter", "Q3", "--committee", "quality-committee", "--format", "md"
    )
    assert committee.exit_code == 0, committee.stderr
    assert "SR3: Safety of patients waiting for a response" in committee.stdout
    assert "SR4: Capacity to care closer to home" in committee.stdout
    assert "SR1: Category 1 and 2 response |" not in committee.stdout


def test_validate_warns_of_citations_of_closed_risks_and_contradicted_trends(stratctl: Any) -> None:
    outcome = stratctl("validate", "--data", str(AMBULANCE), "--format", "json")
    findings = {
        (f["path"].rsplit("/", 1)[-1], f["code"], f["line"], f["column"])
        for f in json.loads(outcome.stdout)["findings"]
    }
    assert findings == {
        ("balanced-budget.yaml", "K011", 8, 9),  # risks: [BAF2024-SR5, SR8]: the first item
        ("hear-and-treat.yaml", "K011", 9, 9),  # risks: [BAF2024-SR1]
        ("wellbeing-hubs.yaml", "P008", 21, 12),  # trend: up, on the Q4 update
        ("SR10.yaml", "K008", 9, 10),  # never reviewed: no review for Q4, the latest quarter reported
    }
    assert outcome.exit_code == 0  # warnings only
    messages = " ".join(f["message"] for f in json.loads(outcome.stdout)["findings"])
    assert "its successors are SR1, SR2" in messages and "its successor is SR8" in messages


def test_export_holds_the_quarters_risks(stratctl: Any, tmp_path: Path) -> None:
    out = tmp_path / "q1.csv"
    outcome = stratctl("export", "--data", str(AMBULANCE), "--quarter", "Q1", "--output", str(out), "--table", "risks")
    assert outcome.exit_code == 0, outcome.stderr
    text = out.read_text(encoding="utf-8")
    assert "BAF2024-SR7" in text and "Industrial action" not in text


# --- bad input: each at its file, line and column, nothing written, no traceback -----------------


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "fcas"
    shutil.copytree(AMBULANCE, root / "data")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD = [
    pytest.param(
        "risks/SR4.yaml",
        "reviews:\n",
        "reviews:\n  - quarter: 2025/26 Q2\n    current: {likelihood: 3, consequence: 3, score: 9}\n",
        ("K009", 11, 14),  # the review's quarter, after `reviews:` on line 10
        "before the risk opened in 2025/26 Q3",
        id="a review before opened",
    ),
    pytest.param(
        "risks/BAF2024-SR3.yaml",
        "  - quarter: 2025/26 Q2\n    current: {likelihood: 3, consequence: 4, score: 12}\n",
        "  - quarter: 2025/26 Q2\n    current: {likelihood: 3, consequence: 4, score: 12}\n"
        "  - quarter: 2025/26 Q4\n    current: {likelihood: 3, consequence: 4, score: 12}\n",
        ("K009", 21, 14),  # the fourth review's quarter, after 14 lines before `reviews:`'s items
        "after the risk closed in 2025/26 Q3",
        id="a review after closed",
    ),
    pytest.param(
        "risks/SR9.yaml",
        "opened: 2025/26 Q3\n",
        "opened: 2025/26 Q3\nclosed: {quarter: 2025/26 Q2, reason: Merged into SR8}\n",
        ("K010", 5, 19),  # `closed: {quarter: ` is 18 characters
        "closed in 2025/26 Q2, but opened in 2025/26 Q3",
        id="closed before opened",
    ),
    pytest.param(
        "risks/BAF2024-SR6.yaml",
        "successors: [SR9]",
        "successors: [SR11]",
        ("R001", 8, 16),  # the first item of `  successors: [SR11]`
        "unknown risk 'SR11'",
        id="a successor that does not exist",
    ),
    pytest.param(
        "objectives/net-zero-fleet.yaml",
        "updates:\n",
        "updates:\n  - quarter: 2025/26 Q3\n    progress: on-track\n    comment: Early.\n",
        ("L011", 12, 14),  # the new update's quarter, under `updates:` on line 11
        "before the objective starts in 2025/26 Q4",
        id="an update before start",
    ),
    pytest.param(
        "objectives/net-zero-fleet.yaml",
        "start: 2025/26 Q4",
        "start: 2024/25 Q4",
        ("L012", 4, 8),  # the value of `start: `
        "start 2024/25 Q4 is outside the objective's span (2025/26)",
        id="start outside the span",
    ),
    pytest.param(
        "trust.yaml",
        "{id: M1, title: Reach every patient in time, theme: missions, from: 2025/26 Q2}",
        "{id: M1, title: Reach every patient in time, theme: missions, from: 2025/26 Q3, until: 2025/26 Q2}",
        ("L013", 29, 73),  # the value of `from` in M1's flow mapping
        "strategic objective M1 is in force from 2025/26 Q3 until 2025/26 Q2",
        id="from after until",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "where", "words"), BAD)
def test_bad_input_is_found_at_its_place(
    tmp_path: Path, stratctl: Any, file: str, old: str, new: str, where: tuple[str, int, int], words: str
) -> None:
    root = _repo(tmp_path)
    _edit(root / "data" / file, old, new)
    outcome = stratctl("validate", "--data", str(root / "data"))
    code, line, column = where
    expected = f"data/{file}:{line}:{column}: {code} "
    assert outcome.exit_code == 1, outcome.stdout
    assert any(expected in text and words in text for text in outcome.stdout.splitlines()), outcome.stdout
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_an_update_that_would_review_a_risk_before_it_opened_writes_nothing(tmp_path: Path, stratctl: Any) -> None:
    root = _repo(tmp_path)
    before = snapshot(root)
    outcome = stratctl("update", "SR4", "--data", str(root / "data"), "--quarter", "2025/26 Q2", "--score", "9")
    assert outcome.exit_code == 1
    assert "K009" in outcome.stderr and "before the risk opened in 2025/26 Q3" in outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert snapshot(root) == before
