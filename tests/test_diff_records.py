"""diff, record by record: the commonest pull request (a quarter's updates, same positions) shows in full."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from stratctl.kinds import KINDS
from stratctl.records import Objective
from tests.conftest import Stratctl
from tests.test_diff import _edit, _git, history  # noqa: F401 - the fixture: bundled data committed and tagged

AGILE = "data/objectives/agile-working.yaml"
MATERNITY = "data/objectives/maternity-vacancies.yaml"


def _records(stratctl: Stratctl, *args: str) -> dict[str, Any]:
    outcome = stratctl("diff", *args, "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    records: dict[str, Any] = json.loads(outcome.stdout)
    return records


def _edits(document: dict[str, Any], record_id: str) -> list[tuple[str, list[str], Any, Any]]:
    record = next(r for r in document["records"] if r["id"] == record_id)
    return [(e["action"], e["path"], e["before"], e["after"]) for e in record["edits"]]


def _quarter_with_same_positions(root: Path, stratctl: Stratctl) -> None:
    """Q4 updates that keep every position, a new measure actual, and a Q3 progress value corrected."""
    _edit(root / MATERNITY, "    progress: behind\n", "    progress: at-risk\n")  # Q3; the Board's declared R stands
    assert (
        stratctl(
            "update",
            "agile-working",
            "--quarter",
            "Q4",
            "--progress",
            "on-track",
            "--comment",
            "Policy adopted in every directorate",
            "--projected",
            "G",
        ).exit_code
        == 0
    )
    assert (
        stratctl(
            "update",
            "maternity-vacancies",
            "--quarter",
            "Q4",
            "--progress",
            "behind",
            "--comment",
            "Overseas recruits arrive in April",
            "--projected",
            "R",
            "--actual",
            "midwife-vacancy-rate=15.1",
        ).exit_code
        == 0
    )


def test_a_quarter_with_unchanged_positions_shows_field_by_field(history: Path, stratctl: Stratctl) -> None:  # noqa: F811
    _quarter_with_same_positions(history, stratctl)
    document = _records(stratctl)
    # no reported position moves, but the paper does change: it has two new updates
    moved = sorted(
        (c["kind"], c["id"]) for c in document["changes"] if c["id"] in ("agile-working", "maternity-vacancies")
    )
    assert moved == [("update", "agile-working"), ("update", "maternity-vacancies")]
    assert _edits(document, "agile-working") == [
        (
            "added",
            ["updates", "2021/22 Q4"],
            None,
            {
                "quarter": "2021/22 Q4",
                "progress": "on-track",
                "comment": "Policy adopted in every directorate",
                "projected": "G",
            },
        ),
    ]
    maternity = _edits(document, "maternity-vacancies")
    assert ("added", ["measures", "midwife-vacancy-rate", "actuals", "2021/22 Q4"], None, 15.1) in maternity
    assert ("changed", ["updates", "2021/22 Q3", "progress"], "behind", "at-risk") in maternity
    assert [e[1] for e in maternity if e[0] == "added"][-1] == ["updates", "2021/22 Q4"]
    assert document["quarters"] == {"from": "2021/22 Q3", "to": "2021/22 Q4"}

    text = stratctl("diff").stdout
    assert "No change" not in text.splitlines()[1] and "Nothing moves" not in text
    assert (
        "2021/22 Q4 update added: progress on-track; comment “Policy adopted in every directorate”; projected G" in text
    )
    assert "2021/22 Q3 update › progress: behind → at-risk" in text
    assert "measure midwife-vacancy-rate › 2021/22 Q4 actual added: 15.1" in text

    markdown = stratctl("diff", "--format", "md").stdout
    assert "#### Objective maternity-vacancies: Reduce maternity service vacancies to 5% by Q4" in markdown
    assert "| 2021/22 Q3 update › progress | behind | at-risk |" in markdown
    assert "| measure midwife-vacancy-rate › 2021/22 Q4 actual (added) | — | 15.1 |" in markdown


def test_an_edited_update_shows_each_field_that_changed(history: Path, stratctl: Stratctl) -> None:  # noqa: F811
    _edit(history / AGILE, "    projected: G\n", "    projected: A\n    rationale: Estates delays\n")
    edits = _edits(_records(stratctl), "agile-working")
    assert edits == [
        ("changed", ["updates", "2021/22 Q3", "projected"], "G", "A"),
        ("added", ["updates", "2021/22 Q3", "rationale"], None, "Estates delays"),
    ]


def test_risk_reviews_ratings_controls_and_actions(history: Path, stratctl: Stratctl) -> None:  # noqa: F811
    risk = history / "data/risks/103348.yaml"
    _edit(
        risk, "target: {likelihood: 2, consequence: 4, score: 8}", "target: {likelihood: 2, consequence: 3, score: 6}"
    )
    risk.write_text(
        risk.read_text() + "controls: [Recruitment and retention plan]\n"
        "actions:\n  - title: Overseas recruitment round\n    due: 2022-06-30\n"
    )
    assert stratctl("update", "103348", "--quarter", "Q4", "--likelihood", "4", "--consequence", "4").exit_code == 0
    edits = _edits(_records(stratctl), "103348")
    assert (
        "changed",
        ["target"],
        {"likelihood": 2, "consequence": 4, "score": 8},
        {"likelihood": 2, "consequence": 3, "score": 6},
    ) in edits
    assert ("added", ["controls"], None, "Recruitment and retention plan") in edits
    assert (
        "added",
        ["actions", "Overseas recruitment round"],
        None,
        {"title": "Overseas recruitment round", "due": "2022-06-30"},
    ) in edits
    assert (
        "added",
        ["reviews", "2021/22 Q4"],
        None,
        {"quarter": "2021/22 Q4", "current": {"likelihood": 4, "consequence": 4}},
    ) in edits
    text = stratctl("diff").stdout
    assert "target rating: 2×4 (8) → 2×3 (6)" in text and "Risk target changed" in text


def test_records_come_in_the_papers_order(history: Path, stratctl: Stratctl) -> None:  # noqa: F811
    """Objectives by priority in trust.yaml's order then id, then risks, strategies, trust.yaml."""
    for path, old, new in [
        ("data/trust.yaml", "short_name: NWAFT", "short_name: NWAngliaFT"),
        ("data/strategies/people.yaml", "status: in-development", "status: approved"),
        ("data/risks/103345.yaml", "\ntitle: ", "\ntitle: Revised "),
        ("data/objectives/use-of-resources.yaml", "\ntitle: ", "\ntitle: Revised "),  # sustainability
        (AGILE, "\ntitle: ", "\ntitle: Revised "),  # celebrate-support-staff
        ("data/objectives/reduce-hsmr.yaml", "\ntitle: ", "\ntitle: Revised "),  # recover-safely
        ("data/objectives/cancer-standards.yaml", "\ntitle: ", "\ntitle: Revised "),  # recover-safely
    ]:
        _edit(history / path, old, new)
    order = [(r["kind"], r["id"]) for r in _records(stratctl)["records"]]
    assert order == [
        ("objective", "cancer-standards"),
        ("objective", "reduce-hsmr"),
        ("objective", "agile-working"),
        ("objective", "use-of-resources"),
        ("risk", "103345"),
        ("strategy", "people"),
        ("trust", "trust"),
    ]


def test_added_removed_and_carried_forward_objectives(
    history: Path,  # noqa: F811
    stratctl: Stratctl,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`carried_from` is read when the model has it: a lifecycle field other work adds to objectives."""

    class CarriedObjective(Objective):
        carried_from: str | None = None

    monkeypatch.setitem(KINDS, "objective", dataclasses.replace(KINDS["objective"], source=CarriedObjective))
    old = history / "data/objectives/use-of-resources.yaml"
    text = old.read_text().replace("id: use-of-resources", "id: use-of-resources-2022")
    (history / "data/objectives/use-of-resources-2022.yaml").write_text(text + "carried_from: use-of-resources\n")
    old.unlink()
    records = {r["id"]: r for r in _records(stratctl)["records"]}
    assert records["use-of-resources-2022"]["status"] == "added"
    assert records["use-of-resources-2022"]["carried_from"] == "use-of-resources"
    assert records["use-of-resources"]["status"] == "removed"
    assert records["use-of-resources"]["carried_to"] == "use-of-resources-2022"
    text = stratctl("diff").stdout
    assert (
        "carried forward from use-of-resources" in text and "removed (carried forward to use-of-resources-2022)" in text
    )


def test_authors_names_who_changed_each_record_and_in_which_commit(history: Path, stratctl: Stratctl) -> None:  # noqa: F811
    _quarter_with_same_positions(history, stratctl)
    subprocess.run(
        [
            "git",
            "-C",
            str(history),
            "-c",
            "user.name=Ann Author",
            "-c",
            "user.email=ann@example.org",
            "commit",
            "-qam",
            "Q4 updates for the CPO's objectives",
        ],
        check=True,
    )
    commit = subprocess.run(
        ["git", "-C", str(history), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    _edit(history / AGILE, "Policy adopted in every directorate", "Policy adopted in all directorates")
    document = _records(stratctl, "board-q3", "--authors")
    record = next(r for r in document["records"] if r["id"] == "agile-working")
    assert [(a["name"], a["email"], a["commit"]) for a in record["authors"]] == [
        ("Ann Author", "ann@example.org", commit)
    ]
    assert record["uncommitted"] is True  # the work tree has a later edit
    assert "authors" not in next(r for r in _records(stratctl, "board-q3")["records"] if r["id"] == "agile-working")
    text = stratctl("diff", "board-q3", "HEAD", "--authors").stdout
    assert f"changed by Ann Author <ann@example.org> in {commit[:9]}" in text
    markdown = stratctl("diff", "board-q3", "HEAD", "--authors", "--format", "md").stdout
    assert f"changed by Ann Author ({commit[:9]})" in markdown


def test_the_board_papers_section_stays_compact(history: Path, stratctl: Stratctl) -> None:  # noqa: F811
    """report --since lists what moved, not every field: the Board reads the paper, reviewers read the diff."""
    _quarter_with_same_positions(history, stratctl)
    paper = stratctl("report", "-q", "Q4", "--since", "board-q3").stdout
    assert "### Changes since board-q3" in paper
    assert (
        "Record by record" not in paper
        and "midwife-vacancy-rate" not in paper.split("### Changes since")[1].split("##")[0]
    )


@pytest.mark.parametrize(
    "args",
    [
        ("diff", "--", "--output=/tmp/stratctl-x"),
        ("diff", "board-q3", "--", "-x"),
        ("report", "--since=--upload-pack=touch /tmp/stratctl-x"),
    ],
)
def test_a_ref_beginning_with_a_dash_is_refused(history: Path, stratctl: Stratctl, args: tuple[str, ...]) -> None:  # noqa: F811
    outcome = stratctl(*args)
    assert outcome.exit_code == 2
    assert "begin with '-'" in outcome.stderr


def test_computed_positions_that_move_are_in_the_papers_table_not_only_below_it(
    history: Path,  # noqa: F811
    stratctl: Stratctl,
) -> None:
    _quarter_with_same_positions(history, stratctl)
    document = _records(stratctl)
    computed = [c for c in document["changes"] if c["kind"] == "computed"]
    assert computed, "moving to Q4 moves some computed positions (a target date passes)"
    table = stratctl("diff", "--format", "md").stdout.split("**Record by record**")[0]
    assert "Nothing moves" not in table
    for change in computed:
        assert f"| Computed position moved | {change['id']}: " in table


def test_diff_outside_git_says_so_plainly(repo: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GIT_DIR", raising=False)
    if any((folder / ".git").exists() for folder in (repo, *repo.parents)):
        pytest.skip("the temporary folder is inside a git repository here")
    for args in (("diff",), ("report", "--since", "HEAD")):
        outcome = stratctl(*args)
        assert outcome.exit_code == 2
        assert "is not in a git repository: comparing with a git ref needs one" in outcome.stderr
        assert "fatal:" not in outcome.stderr
