"""The bundled example trust is true to its source documents
(the trust's published 2021/22 Q3 tracker, tests/fixtures/trackers/).

The expected values below are transcribed from the published tracker, not produced by stratctl.
"""

from __future__ import annotations

import json

import pytest

from stratctl.api.validate import validate_repository
from stratctl.workspace import Workspace
from tests.conftest import PROJECT, Stratctl

DATA = PROJECT / "data"

# Seed 001, "Projected Year End Position" by supporting objective (title as published).
SEED_POSITIONS = {
    "Restore and achieve all cancer standards by Q4": "A",
    "Elective activity to exceed pre-pandemic levels": "R",
    "Reduce length of stay for inpatients in our hospitals by Q3": "A",
    "Introduce a new NHS 111 pathway for emergency care": "C",
    (
        "Enhance patient experience and diversity of our patient voice through engagement of minority / "
        "hard to reach patient groups"
    ): "G",
    "Evidence good quality of care through reduction of the measure of mortality (HSMR) to below 100": "A",
    "Maximise safety, quality and patient experience in maternity by implementing Ockenden recommendations.": "A↓",
    "Put addressing health inequalities at the centre of all our plans and strategies": "G",
    "Celebrate staff successes": "G",
    "Introduce individual health and wellbeing conversations by Q1": "C",
    "Talent strategy to recruit, develop and retain staff Q4": "G",
    "Extend e-Rostering to all staff, including Consultants by Q4": "G",
    "Reduce maternity service vacancies to 5% by Q4": "R",
    "Work with Health Education Institution providers to increase student numbers": "G",
    "Widen participation and workforce diversity to recruit staff from local communities": "G",
    "Facilitate staff movement between STP healthcare providers": "G",
    "Increase agile and flexible working": "G",
    "Achieve Associated University of Leicester status": "C",
    "Embed quality improvements and transformation as part of our culture and support staff development": "A",
    "Commence the new build for Hinchingsbrooke theatres": "G",
    "New Urgent Treatment Centre at PCH": "C",
    "Shared pathways with system partners": "C",
    "Develop Trust strategy for 2022 -2025": "R↓",
    "Complete Stamford land sale and commence work on the new car park": "R",
    "Build our plans for maturity as a digital aspirant": "G",
    "Go live with the new shared care records with system partners": "R",
    "Develop our environmental strategy": "G",
    "Achieve financial targets with a focus on the underlying cost base": "G",
    "Maximise the use of resources and improve productivity": "G",
    "Realise the benefits of our strategic investments": "G",
}
# Seed 001, strategic risks: id -> (current score, target score).
SEED_RISKS = {
    "103350": (20, 10),
    "103343": (20, 10),
    "103348": (20, 8),
    "103352": (16, 4),
    "103349": (16, 8),
    "103346": (16, 8),
    "103353": (15, 10),
    "103438": (15, 9),
    "103344": (15, 5),
    "103351": (12, 8),
    "103345": (9, 6),
}
ARROW = {"down": "↓", "up": "↑"}


def test_bundled_data_validates_without_errors() -> None:
    result = validate_repository(Workspace.open(DATA, cwd=PROJECT))
    assert result.errors == 0, [f"{f.path}:{f.line} {f.code} {f.message}" for f in result.findings]


def test_q3_status_reproduces_every_position_and_arrow_of_the_tracker(
    stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECT)
    outcome = stratctl("status", "--year", "2021/22", "--quarter", "Q3", "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    status = json.loads(outcome.stdout)
    shown = {o["title"]: o["reported"] + ARROW.get(o["trend"], "") for o in status["objectives"]}
    assert shown == SEED_POSITIONS
    risks = {r["id"]: (r["score"], r["target_score"]) for r in status["risks"]}
    assert risks == SEED_RISKS
    assert [o["id"] for o in status["objectives"]] == sorted(o["id"] for o in status["objectives"])


def test_text_status_shows_where_the_evidence_disagrees(stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)
    status = json.loads(stratctl("status", "-q", "Q3", "--format", "json").stdout)
    differing = [o for o in status["objectives"] if o["declared"] and o["declared"] != o["computed"]]
    assert differing, "the seed has Board judgements the evidence does not support"
    text = stratctl("status", "-q", "Q3").stdout
    for objective in differing:
        assert f"({objective['id']})" in text


def test_every_priority_cites_the_seeds_risks() -> None:
    from stratctl.loading import load_repository

    trust = load_repository(DATA).repository.trust
    assert trust is not None
    cited = {p.id: sorted(p.risks) for p in trust.record.priorities}
    assert cited == {
        "recover-safely": ["103346", "103349", "103350", "103351", "103352"],
        "celebrate-support-staff": ["103345", "103348"],
        "sustainability": ["103343", "103344", "103353"],
    }


def _titles_in(text: str, titles: list[str]) -> list[str]:
    """The titles in the order they first appear in `text`."""
    found = {title: text.find(title) for title in titles}
    assert all(at >= 0 for at in found.values()), [title for title, at in found.items() if at < 0]
    return sorted(titles, key=found.__getitem__)


def test_the_tracker_lists_the_objectives_in_the_published_order(stratctl: Stratctl) -> None:
    """The paper's tracker and the export list the rows as the published tracker does (SEED_POSITIONS's order)."""
    published = list(SEED_POSITIONS)
    paper = stratctl("report", "--data", str(DATA), "--quarter", "Q3")
    tracker = paper.stdout[paper.stdout.index("## Tracker") : paper.stdout.index("## Exceptions")]
    assert _titles_in(tracker, published) == published
    exported = stratctl("export", "--data", str(DATA), "--quarter", "Q3")
    assert _titles_in(exported.stdout, published) == published
