"""diff: what changed between two commits of the records, and nothing else."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT, Stratctl


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
        check=True,
        capture_output=True,
    )


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


def _changes(stratctl: Stratctl, *args: str) -> list[tuple[str, str, str | None, str | None]]:
    outcome = stratctl("diff", *args, "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    return [(c["kind"], c["id"], c["before"], c["after"]) for c in json.loads(outcome.stdout)["changes"]]


def test_one_position_one_score_one_comment_are_exactly_the_changes(history: Path, stratctl: Stratctl) -> None:
    _edit(history / "data/objectives/agile-working.yaml", "    projected: G\n", "    projected: A\n")
    _edit(
        history / "data/objectives/agile-working.yaml", "Agile working policy in place", "Agile working policy agreed"
    )
    _edit(
        history / "data/risks/103345.yaml",
        "current: {likelihood: 3, consequence: 3, score: 9}\n",
        "current: {likelihood: 4, consequence: 3, score: 12}\n",
    )
    _edit(
        history / "data/risks/103345.yaml",
        "current: {likelihood: 3, consequence: 3, score: 9}",
        "current: {likelihood: 4, consequence: 3, score: 12}",
    )
    expected = [
        ("position", "agile-working", "G", "A"),
        ("score", "103345", "9", "12"),
        ("comment", "agile-working", None, None),
    ]
    found = [(k, i, b if k != "comment" else None, a if k != "comment" else None) for k, i, b, a in _changes(stratctl)]
    assert found == expected  # the last tag to the work tree
    _git(history, "commit", "-qam", "Q3 revised")
    found = [
        (k, i, b if k != "comment" else None, a if k != "comment" else None)
        for k, i, b, a in _changes(stratctl, "board-q3", "HEAD")
    ]
    assert found == expected
    markdown = stratctl("diff", "board-q3", "HEAD", "--format", "md").stdout
    assert "| Position moved | agile-working: Increase agile and flexible working | ↓ G to A |" in markdown


def test_added_removed_completed_and_newly_planned(history: Path, stratctl: Stratctl) -> None:
    (history / "data/objectives/use-of-resources.yaml").unlink()
    _edit(history / "data/objectives/agile-working.yaml", "    progress: on-track\n", "    progress: complete\n")
    _edit(history / "data/objectives/agile-working.yaml", "    projected: G\n", "    projected: C\n")
    assert (
        stratctl(
            "new",
            "objective",
            "cyber-plan",
            "--title",
            "Write the cyber security plan",
            "--lead",
            "CFO",
            "--priority",
            "sustainability",
        ).exit_code
        == 0
    )
    _edit(history / "data/objectives/cyber-plan.yaml", "delivers: []", "delivers: [digital.cyber-security-plan]")
    found = _changes(stratctl)
    assert ("removed", "use-of-resources", "G", None) in found
    assert ("completed", "agile-working", "G", "C") in found
    assert ("added", "cyber-plan", None, "none") in found
    assert ("planned", "digital.cyber-security-plan", "not-planned", "none") in found
    assert len(found) == 4


def test_no_change_says_so(history: Path, stratctl: Stratctl) -> None:
    assert _changes(stratctl) == []
    assert "No change" in stratctl("diff").stdout


def test_outside_git_or_with_a_bad_ref_exits_2(repo: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("diff")
    assert outcome.exit_code == 2 and "git" in outcome.stderr


def test_report_since_a_ref_adds_the_changes_section(history: Path, stratctl: Stratctl) -> None:
    _edit(history / "data/objectives/agile-working.yaml", "    projected: G\n", "    projected: R\n")
    markdown = stratctl("report", "-q", "Q3", "--since", "board-q3").stdout
    assert "### Changes since board-q3" in markdown
    assert "| Position moved | agile-working: Increase agile and flexible working | ↓ G to R |" in markdown
    html = stratctl("report", "-q", "Q3", "--since", "board-q3", "--format", "html").stdout
    assert "Changes since board-q3" in html and "↓ G to R" in html
    assert "Changes since" not in stratctl("report", "-q", "Q3").stdout


def test_report_since_a_ref_speaks_of_the_reports_own_quarter(history: Path, stratctl: Stratctl) -> None:
    """A Q4 update written after the tag does not show in the Q3 paper's changes, only in Q4's."""
    assert (
        stratctl(
            "update",
            "agile-working",
            "--quarter",
            "Q4",
            "--progress",
            "at-risk",
            "--comment",
            "Policy paused",
            "--projected",
            "R",
        ).exit_code
        == 0
    )
    q3 = stratctl("report", "-q", "Q3", "--since", "board-q3").stdout
    assert "No change to positions, risk scores, comments or commitments" in q3
    q4 = stratctl("report", "-q", "Q4", "--since", "board-q3").stdout
    assert "| Position moved | agile-working: Increase agile and flexible working | ↓ G to R |" in q4


def test_an_unreadable_record_on_either_side_stops_diff(history: Path, stratctl: Stratctl) -> None:
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


def test_a_ref_searched_by_message_works_like_any_other(history: Path, stratctl: Stratctl) -> None:
    for command in (["diff", ":/Q3 Board"], ["report", "-q", "Q3", "--since", ":/Q3 Board"]):
        outcome = stratctl(*command)
        assert outcome.exit_code == 0, outcome.stderr
        assert "internal error" not in outcome.stderr
    assert "Changes from :/Q3 Board (" in stratctl("diff", ":/Q3 Board").stdout


@pytest.mark.parametrize("ref", ["--output=/tmp/x", "-h", "--exec=touch pwned", "-", "", "HEAD\nHEAD"])
def test_a_ref_that_git_would_read_as_an_option_is_refused(history: Path, stratctl: Stratctl, ref: str) -> None:
    for command in (["diff", "--", ref], ["diff", "--", "board-q3", ref], ["report", "--since", ref]):
        if command[-1] == "" and command[-2] == "board-q3":
            continue  # an empty TO is the work tree, as no TO is
        outcome = stratctl(*command)
        assert outcome.exit_code == 2, (command, outcome.stdout)
        assert "is not a git ref" in outcome.stderr, outcome.stderr
    assert not (history / "pwned").exists()


def test_a_ref_that_names_no_commit_exits_2(history: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("diff", "HEAD~5")
    assert outcome.exit_code == 2 and "'HEAD~5' is not a commit" in outcome.stderr


def test_a_committed_name_with_a_newline_is_read_by_object_id(history: Path, stratctl: Stratctl) -> None:
    odd = history / "data" / "objectives" / "odd\nname.yaml"
    odd.write_text("not: [a record\n")
    _git(history, "add", "-A")
    _git(history, "commit", "-qm", "an odd name")
    outcome = stratctl("diff", "HEAD")
    assert outcome.exit_code == 2
    assert "could not be read" in outcome.stderr and "internal error" not in outcome.stderr
    odd.unlink()
    _git(history, "add", "-A")
    _git(history, "commit", "-qm", "gone")
    outcome = stratctl("diff", "board-q3", "HEAD")
    assert outcome.exit_code == 0, outcome.stderr


def test_a_submodule_under_data_is_skipped_with_a_note(history: Path, stratctl: Stratctl) -> None:
    missing = "1" * 40  # a gitlink to a commit this repository does not have, as a submodule's is
    _git(history, "update-index", "--add", "--cacheinfo", f"160000,{missing},data/objectives/vendor")
    _git(history, "commit", "-qm", "a submodule")
    outcome = stratctl("diff", "board-q3", "HEAD")
    assert outcome.exit_code == 0, outcome.stderr
    assert (
        "stratctl: note: data/objectives/vendor at HEAD is a submodule (gitlink), not a file: not read"
        in outcome.stderr
    )
    _git(history, "update-index", "--add", "--cacheinfo", f"160000,{missing},data/objectives/talent-pipeline.yaml")
    _git(history, "commit", "-qm", "a submodule where a record would be")
    outcome = stratctl("diff", "board-q3", "HEAD")
    assert outcome.exit_code == 2
    assert "data/objectives/talent-pipeline.yaml at HEAD is a submodule (gitlink), not a file" in outcome.stderr


def test_only_records_are_read_at_a_ref_and_a_record_over_the_cap_is_refused(history: Path, stratctl: Stratctl) -> None:
    (history / "data" / "minutes.bin").write_bytes(b"\0" * (3 << 20))  # not a record: never read
    _git(history, "add", "-A")
    _git(history, "commit", "-qm", "minutes")
    assert stratctl("diff", "board-q3", "HEAD").exit_code == 0
    (history / "data" / "objectives" / "huge.yaml").write_text("# " + "x" * (2 << 20) + "\n")
    _git(history, "add", "-A")
    _git(history, "commit", "-qm", "huge")
    outcome = stratctl("diff", "board-q3", "HEAD")
    assert outcome.exit_code == 2
    assert "data/objectives/huge.yaml at HEAD is 2,097,155 bytes, more than a record may be" in outcome.stderr


def test_a_ref_before_the_records_existed_shows_every_record_added(history: Path, stratctl: Stratctl) -> None:
    _git(history, "checkout", "-q", "--orphan", "empty")
    _git(history, "rm", "-rq", "--cached", ".")
    (history / "README.md").write_text("empty\n")
    _git(history, "add", "README.md")
    _git(history, "commit", "-qm", "nothing yet")
    _git(history, "tag", "empty-start")
    _git(history, "checkout", "-q", "-f", "board-q3")
    outcome = stratctl("diff", "empty-start")
    assert outcome.exit_code == 0, outcome.stderr
    objectives = sorted(p.stem for p in (history / "data" / "objectives").glob("*.yaml"))
    for objective in objectives:
        assert f"data/objectives/{objective}.yaml; added)" in outcome.stdout
    assert "internal error" not in outcome.stderr and "Traceback" not in outcome.stderr


def test_a_ref_reads_and_parses_only_the_files_that_differ(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """diff's FROM side: a file with the same bytes in the work tree is neither read from git nor parsed;
    it is the same record object, and its text is still there for placing a finding."""
    from stratctl import gitrefs, loading
    from stratctl.workspace import Workspace

    changed = history / "data" / "objectives" / "agile-working.yaml"
    changed.write_text(changed.read_text().replace("progress: on-track", "progress: behind", 1))
    space = Workspace.open(history / "data")
    after = space.load()
    listing = gitrefs.list_records(history, "board-q3", space.data_dir)
    skip = loading.reusable(space.data_dir, listing.blobs, [after])
    texts = gitrefs.read_listing(history, listing, skip)
    assert set(texts) == {"objectives/agile-working.yaml"} and len(skip) == len(listing.blobs) - 1
    parsed: list[Path] = []
    real = loading.read_file

    def counted(path: Path, text: str | None = None) -> loading.ReadResult:
        parsed.append(path)
        return real(path, text)

    monkeypatch.setattr(loading, "read_file", counted)
    before = loading.load_texts(space.data_dir, texts, blobs=listing.blobs, reuse=[after])
    assert parsed == [space.data_dir / "objectives" / "agile-working.yaml"]
    same = {o.record.id for o in before.repository.objectives} - {"agile-working"}
    now = {o.record.id: o.record for o in after.repository.objectives}
    assert same and all(o.record is now[o.record.id] for o in before.repository.objectives if o.record.id in same)
    file = next(f for f in before.files if f.stem != "agile-working" and f.kind == "objective")
    assert before.text_of(file) == (history / "data" / "objectives" / file.path.name).read_text()


def test_a_hidden_file_at_a_ref_is_no_record_as_in_the_work_tree(history: Path) -> None:
    """An editor's `.x.yaml` is never read from the work tree; committed, it is not a record at a ref either."""
    from stratctl import gitrefs
    from stratctl.loading import discover

    hidden = history / "data" / "objectives" / ".agile-working.yaml"
    hidden.write_text((history / "data" / "objectives" / "agile-working.yaml").read_text())
    _git(history, "add", "-f", str(hidden))
    _git(history, "commit", "-qm", "an editor's copy")
    listing = gitrefs.list_records(history, "HEAD", history / "data")
    in_work_tree = {f.path.relative_to(history / "data").as_posix() for f in discover(history / "data")}
    assert set(listing.blobs) == in_work_tree and "objectives/.agile-working.yaml" not in listing.blobs
