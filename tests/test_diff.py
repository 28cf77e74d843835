"""diff: what changed between two commits of the records, and nothing else."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
                   check=True, capture_output=True)


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled data committed and tagged as the last Board's."""
    root = tmp_path / "trust"
    shutil.copytree(PROJECT / "data", root / "data")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Q3 Board")
    _git(root, "tag", "board-q3")
    monkeypatch.chdir(root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def _changes(stratctl, *args: str) -> list[tuple[str, str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    outcome = stratctl("diff", *args, "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    return [(c["kind"], c["id"], c["before"], c["after"]) for c in json.loads(outcome.stdout)["changes"]]


def test_one_position_one_score_one_comment_are_exactly_the_changes(history: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    _edit(history / "data/objectives/agile-working.yaml", "    projected: G\n", "    projected: A\n")
    _edit(history / "data/objectives/agile-working.yaml", "Agile working policy in place", "Agile working policy agreed")
    _edit(history / "data/risks/103345.yaml", "current: {likelihood: 3, consequence: 3, score: 9}\n", "current: {likelihood: 4, consequence: 3, score: 12}\n")
    _edit(history / "data/risks/103345.yaml", "current: {likelihood: 3, consequence: 3, score: 9}", "current: {likelihood: 4, consequence: 3, score: 12}")
    expected = [("position", "agile-working", "G", "A"), ("score", "103345", "9", "12"), ("comment", "agile-working", None, None)]
    found = [(k, i, b if k != "comment" else None, a if k != "comment" else None) for k, i, b, a in _changes(stratctl)]
    assert found == expected  # the last tag to the work tree
    _git(history, "commit", "-qam", "Q3 revised")
    found = [(k, i, b if k != "comment" else None, a if k != "comment" else None) for k, i, b, a in _changes(stratctl, "board-q3", "HEAD")]
    assert found == expected
    markdown = stratctl("diff", "board-q3", "HEAD", "--format", "md").stdout
    assert "| Position moved | agile-working: Increase agile and flexible working | ↓ G to A |" in markdown


def test_added_removed_completed_and_newly_planned(history: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    (history / "data/objectives/use-of-resources.yaml").unlink()
    _edit(history / "data/objectives/agile-working.yaml", "    progress: on-track\n", "    progress: complete\n")
    _edit(history / "data/objectives/agile-working.yaml", "    projected: G\n", "    projected: C\n")
    assert stratctl("new", "objective", "cyber-plan", "--title", "Write the cyber security plan", "--lead", "CFO",
                    "--priority", "sustainability").exit_code == 0
    _edit(history / "data/objectives/cyber-plan.yaml", "delivers: []", "delivers: [digital.cyber-security-plan]")
    found = _changes(stratctl)
    assert ("removed", "use-of-resources", "G", None) in found
    assert ("completed", "agile-working", "G", "C") in found
    assert ("added", "cyber-plan", None, "none") in found
    assert ("planned", "digital.cyber-security-plan", "not-planned", "none") in found
    assert len(found) == 4


def test_no_change_says_so(history: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    assert _changes(stratctl) == []
    assert "No change" in stratctl("diff").stdout


def test_outside_git_or_with_a_bad_ref_exits_2(repo: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    outcome = stratctl("diff")
    assert outcome.exit_code == 2 and "git" in outcome.stderr


def test_report_since_a_ref_adds_the_changes_section(history: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    _edit(history / "data/objectives/agile-working.yaml", "    projected: G\n", "    projected: R\n")
    markdown = stratctl("report", "-q", "Q3", "--since", "board-q3").stdout
    assert "### Changes since board-q3" in markdown
    assert "| Position moved | agile-working: Increase agile and flexible working | ↓ G to R |" in markdown
    html = stratctl("report", "-q", "Q3", "--since", "board-q3", "--format", "html").stdout
    assert "Changes since board-q3" in html and "↓ G to R" in html
    assert "Changes since" not in stratctl("report", "-q", "Q3").stdout


def test_report_since_a_ref_speaks_of_the_reports_own_quarter(history: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    """A Q4 update written after the tag does not show in the Q3 paper's changes, only in Q4's."""
    assert stratctl("update", "agile-working", "--quarter", "Q4", "--progress", "at-risk",
                    "--comment", "Policy paused", "--projected", "R").exit_code == 0
    q3 = stratctl("report", "-q", "Q3", "--since", "board-q3").stdout
    assert "No change to positions, risk scores, comments or commitments" in q3
    q4 = stratctl("report", "-q", "Q4", "--since", "board-q3").stdout
    assert "| Position moved | agile-working: Increase agile and flexible working | ↓ G to R |" in q4


def test_an_unreadable_record_on_either_side_stops_diff(history: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    """A broken file is not a removed objective: diff refuses rather than report it as one."""
    record = history / "data/objectives/agile-working.yaml"
    good = record.read_text()
    record.write_text(good + "title: [oops\n")
    outcome = stratctl("diff")
    assert outcome.exit_code == 2 and "in the work tree could not be read" in outcome.stderr
    assert "agile-working.yaml" in outcome.stderr and "removed" not in outcome.stdout
    _git(history, "commit", "-qam", "broken")
    _git(history, "tag", "broken")
    record.write_text(good)
    outcome = stratctl("diff", "broken")
    assert outcome.exit_code == 2 and "at broken could not be read" in outcome.stderr
    assert stratctl("report", "-q", "Q3", "--since", "broken").exit_code == 2
