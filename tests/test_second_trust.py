"""A second trust, written to docs/records.md independently of the bundled data, against hand-computed results.

Every expected value below was worked out by hand from docs/rating.md, with the working in the comments.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, Stratctl

DATA = FIXTURES / "second_trust" / "data"


def _status(stratctl: Stratctl, *args: str) -> dict[str, Any]:
    outcome = stratctl("status", "--data", str(DATA), "--format", "json", *args)
    assert outcome.exit_code == 0, outcome.stderr
    status: dict[str, Any] = json.loads(outcome.stdout)
    return status


def _objectives(status: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {
        o["id"]: (o["computed"], o["declared"], o["reported"], o["trend"], o["stale"]) for o in status["objectives"]
    }


def test_quarter_end(stratctl: Stratctl) -> None:
    status = _status(stratctl, "--quarter", "Q2")
    assert (status["trust"], status["year"], status["quarter"], status["as_of"]) == (
        "RCHT",
        "2022/23",
        "Q2",
        "2022-09-30",
    )
    assert _objectives(status) == {
        # Q1 update complete -> C; nothing newer; Q1 also C -> same; complete is never stale.
        "a-complete": ("C", None, "C", "same", False),
        # due 2022-08-31 < 2022-09-30 -> R; Board declared A; Q1 declared G -> down.
        "b-overdue": ("R", "A", "A", "down", False),
        # (Q1 60, Q2 70): slope 10 a quarter, Q4 projects 90 >= 90 -> G; progress G. No Q1 update -> new.
        "c-measure": ("G", None, "G", "new", False),
        # latest update Q1, behind -> A; declared A in Q1; Q1 reported A -> same; no Q2 update -> stale.
        "d-stale": ("A", "A", "A", "same", True),
        # milestone due 2022-05-15 undone: 138 days overdue > 90 -> R; declared G; no Q1 update -> new.
        "e-milestone": ("R", "G", "G", "new", False),
    }
    risks = {
        r["id"]: (r["score"], r["target_score"], r["band"], r["trend"], r["above_appetite"]) for r in status["risks"]
    }
    assert risks == {
        # Q2 review 4x4 = 16 (extreme); Q1 review 12 -> increased; cautious tolerates 12 -> above.
        "r1": (16, 6, "extreme", "increased", True),
        # no reviews -> current 6 (moderate) in force at Q2 and Q3 alike -> same; averse tolerates 6 -> not above.
        "r2": (6, 4, "moderate", "same", False),
    }
    commitments = {c["id"]: c["status"] for c in status["commitments"]}
    # c1: worst of b-overdue A and c-measure G -> A; c2: nobody -> not-planned; c3: a-complete C.
    assert commitments == {"c1": "A", "c2": "not-planned", "c3": "C"}


def test_as_of_mid_quarter(stratctl: Stratctl) -> None:
    status = _status(stratctl, "--as-of", "2022-08-15")
    assert (status["quarter"], status["as_of"]) == ("Q2", "2022-08-15")
    objectives = _objectives(status)
    # due 2022-08-31 has not passed on 2022-08-15: progress behind -> A.
    assert objectives["b-overdue"] == ("A", "A", "A", "down", False)
    # 2022-05-15 to 2022-08-15 is 92 days: still more than 90 -> R.
    assert objectives["e-milestone"] == ("R", "G", "G", "new", False)


def test_q1_compares_with_the_previous_years_q4(stratctl: Stratctl) -> None:
    objectives = _objectives(_status(stratctl, "--quarter", "Q1"))
    # nothing before 2022/23 Q1 -> every reported position is new; e-milestone has no update yet.
    assert objectives["b-overdue"] == ("G", "G", "G", "new", False)
    assert objectives["e-milestone"] == ("none", None, "none", "new", True)


def test_validate_reports_the_missing_update_and_the_unplanned_commitment(stratctl: Stratctl) -> None:
    outcome = stratctl("validate", "--data", str(DATA), "--format", "json")
    assert outcome.exit_code == 0
    codes = sorted((Path(f["path"]).name, f["code"]) for f in json.loads(outcome.stdout)["findings"])
    # b-overdue declares A where the evidence gives R (Q2), with no rationale; d-stale has no Q2 update;
    # nothing delivers s.c2. e-milestone declares G against R but gives a rationale.
    assert codes == [("b-overdue.yaml", "P001"), ("d-stale.yaml", "P004"), ("s.yaml", "P005")]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_second_trust_renders_with_every_objective_and_risk(stratctl: Stratctl, fmt: str) -> None:
    outcome = stratctl("report", "--data", str(DATA), "--quarter", "Q2", "--format", fmt)
    assert outcome.exit_code == 0, outcome.stderr
    for title in (
        "Open the virtual ward",
        "Agree the discharge protocol with the council",
        "Raise same-day response to 90%",
        "Reduce agency spend by 10%",
        "Retender the community equipment contract",
        "Discharge delays",
        "Underlying deficit",
    ):
        assert title in outcome.stdout, title
