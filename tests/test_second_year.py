"""The bundled trusts' next year, tried as a new user would: rollover with no hand edit, then diff and
report --since across it, then the old names after it (update, explain, signoff)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT, snapshot


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: Path) -> Path:
    root = tmp_path / "trust"
    shutil.copytree(data, root / "data")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "the closing year")
    monkeypatch.chdir(root)
    return root


# NWAFT 2021/22 (data/): 30 objectives; five are complete by Q3 (nhs-111-pathway, pch-urgent-treatment-
# centre, shared-pathways, university-status, wellbeing-conversations), the other 25 are one-year
# objectives still open, so rollover carries those 25 forward and the five close with the year.
COMPLETE = {
    "nhs-111-pathway",
    "pch-urgent-treatment-centre",
    "shared-pathways",
    "university-status",
    "wellbeing-conversations",
}


@pytest.fixture
def nwaft_next_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stratctl: Any) -> Path:
    """The bundled trust rolled over into 2022/23 and its first update written, each a commit."""
    root = _repository(tmp_path, monkeypatch, PROJECT / "data")
    outcome = stratctl("rollover", "--to", "2022/23")
    assert outcome.exit_code == 0, outcome.stderr
    assert stratctl("validate").exit_code == 0
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "rollover to 2022/23")
    update = stratctl(
        "update", "cancer-standards-2022-23", "--quarter", "Q1", "--progress", "on-track", "--comment", "Plan agreed."
    )
    assert update.exit_code == 0, update.stderr
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "the first update of 2022/23")
    return root


def test_diff_across_the_years_turn_removes_no_objective(nwaft_next_year: Path, stratctl: Any) -> None:
    outcome = stratctl("diff", "HEAD~1", "HEAD", "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    document = json.loads(outcome.stdout)
    kinds: dict[str, set[str]] = {}
    for change in document["changes"]:
        kinds.setdefault(change["kind"], set()).add(change["id"])
    assert "removed" not in kinds and "added" not in kinds
    assert len(kinds["carried"]) == 25 and not kinds["carried"] & COMPLETE
    assert kinds["ended"] == COMPLETE
    details = {c["id"]: c["detail"] for c in document["changes"]}
    assert details["cancer-standards"] == "carried forward to 2022/23 as cancer-standards-2022-23"
    assert details["nhs-111-pathway"] == "closed with 2021/22"
    # record by record: only the file the commit changed
    assert [r["path"] for r in document["records"]] == ["data/objectives/cancer-standards-2022-23.yaml"]
    text = stratctl("diff", "HEAD~1", "HEAD").stdout
    assert "objective removed" not in text and "carried forward to 2022/23 as" in text


def test_report_since_sums_up_the_objectives_that_left_the_year(nwaft_next_year: Path, stratctl: Any) -> None:
    for fmt in ("md", "html"):
        outcome = stratctl("report", "--since", "HEAD~1", "--format", fmt)
        assert outcome.exit_code == 0, outcome.stderr
        paper = outcome.stdout
        assert "25 objectives carried forward to 2022/23" in paper
        assert "5 objectives closed with 2021/22" in paper
        assert "Removed" not in paper and "objective removed" not in paper
        assert "nhs-111-pathway" not in paper  # no row, no raw id, for an objective that closed with its year


def test_the_old_names_point_to_the_successor_after_rollover(nwaft_next_year: Path, stratctl: Any) -> None:
    before = snapshot(nwaft_next_year)
    update = stratctl("update", "cancer-standards", "--quarter", "Q2", "--progress", "on-track", "--comment", "x")
    assert update.exit_code == 1
    assert (
        "carried forward to 2022/23 as cancer-standards-2022-23: "
        'stratctl update cancer-standards-2022-23 --quarter "2022/23 Q2"' in update.stderr
    )
    assert snapshot(nwaft_next_year) == before
    explain = stratctl("explain", "cancer-standards")
    assert explain.exit_code == 2
    assert (
        "carried forward to 2022/23 as cancer-standards-2022-23: stratctl explain cancer-standards-2022-23"
        in explain.stderr
    )
    closed = stratctl("explain", "nhs-111-pathway")
    assert "closed with 2021/22: give --year 2021/22" in closed.stderr
    signoff = stratctl("signoff", "Q3")
    assert signoff.exit_code == 2
    assert 'did you mean 2021/22 Q3? (stratctl signoff "2021/22 Q3")' in signoff.stderr
    report = stratctl("report", "--quarter", "Q3", "--format", "md")
    assert report.exit_code == 0
    assert 'give --quarter "2021/22 Q3" for that paper' in report.stderr


def test_sthft_rolls_over_with_no_hand_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stratctl: Any) -> None:
    """South Tees' priorities end with 2023/24; three of them would hold carried objectives."""
    root = _repository(tmp_path, monkeypatch, PROJECT / "examples" / "sthft" / "data")
    plain = stratctl("rollover", "--to", "2024/25", "--dry-run")
    assert plain.exit_code == 0
    assert plain.stderr.count("stratctl rollover --extend-priorities does it") == 3
    outcome = stratctl("rollover", "--to", "2024/25", "--extend-priorities")
    assert outcome.exit_code == 0, outcome.stderr
    for priority in ("timely-access", "our-people", "financial-recovery"):
        assert f"trust.yaml: priority {priority} runs on to 2024/25 (until: 2024/25)" in outcome.stdout
    checked = stratctl("validate", "--format", "json")
    codes = {f["code"] for f in json.loads(checked.stdout)["findings"]}
    assert "L010" not in codes  # every carried objective sits under a priority of 2024/25
    assert checked.exit_code == 0
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "rollover to 2024/25")
    diff = json.loads(stratctl("diff", "HEAD~1", "HEAD", "--format", "json").stdout)
    assert not [c for c in diff["changes"] if c["kind"] == "removed"]
