"""new and update: valid scaffolds, lossless updates, refusals, and writes that cannot be half done."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from stratctl.rewrite import write_atomically
from tests.conftest import Stratctl, snapshot

EVERY_LINE_COMMENTED = (
    "\ufeff# An objective kept by hand\r\n"
    "id: talent  # the file's stem\r\n"
    "title: 'Talent strategy to recruit, develop and retain staff'  # quoted on purpose\r\n"
    "\r\n"
    "year: 2021/22  # the financial year\r\n"
    "priority: recover  # trust priority\r\n"
    "supports: [SO2]  # strategic objective\r\n"
    "lead: CPO  # Chief People Officer\r\n"
    "delivers: [people.pipeline]  # the people strategy\r\n"
    "due: 2022-03-31  # year end\r\n"
    "\r\n"
    "# the quarterly history\r\n"
    "updates:  # oldest first\r\n"
    "  - quarter: 2021/22 Q3  # the latest\r\n"
    "    progress: on-track  # as reported\r\n"
    '    comment: "Talent strategy in development."  # verbatim\r\n'
    "    projected: G  # the Board's view\r\n"
)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def git_repo(repo: Path) -> Path:
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "start")
    return repo


def test_update_keeps_every_comment_blank_line_quote_bom_and_crlf(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_bytes(EVERY_LINE_COMMENTED.encode())
    outcome = stratctl(
        "update", "talent", "-q", "Q4", "--progress", "behind", "--comment", "Offers delayed", "--projected", "A"
    )
    assert outcome.exit_code == 0, outcome.stderr
    after = path.read_bytes().decode()
    assert after.startswith(EVERY_LINE_COMMENTED)  # everything before is untouched, byte for byte
    assert after[len(EVERY_LINE_COMMENTED) :] == (
        "  - quarter: 2021/22 Q4\r\n    progress: behind\r\n    comment: Offers delayed\r\n    projected: A\r\n"
    )


def test_new_then_three_updates_validate_and_each_diff_adds_only_its_lines(git_repo: Path, stratctl: Stratctl) -> None:
    assert (
        stratctl(
            "new", "objective", "wards", "--title", "Open 40 virtual ward beds", "--lead", "COO", "--supports", "SO1"
        ).exit_code
        == 0
    )
    path = git_repo / "data" / "objectives" / "wards.yaml"
    assert path.read_text().splitlines()[0] == "# yaml-language-server: $schema=../../schemas/objective.schema.json"
    assert (git_repo / "schemas" / "objective.schema.json").is_file()
    _git(git_repo, "add", "-A")
    _git(git_repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "new")
    for number, quarter in enumerate(["Q1", "Q2", "Q3"]):
        outcome = stratctl(
            "update", "wards", "-q", quarter, "--progress", "on-track", "--comment", f"Beds open: {quarter}"
        )
        assert outcome.exit_code == 0, outcome.stderr
        diff = _git(git_repo, "diff", "-U0", "--", "data/objectives/wards.yaml")
        removed = [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
        added = [line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
        assert added[-3:] == [
            f"+  - quarter: 2021/22 {quarter}",
            "+    progress: on-track",
            f"+    comment: 'Beds open: {quarter}'",
        ]
        assert len(removed) == (1 if number == 0 else 0), diff  # only `updates: []` changes, once
        _git(git_repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qam", quarter)
    assert stratctl("validate", "--strict").exit_code == 0


def test_new_scaffolds_of_every_kind_validate(repo: Path, stratctl: Stratctl) -> None:
    assert (
        stratctl("new", "risk", "0202", "--title", "Cyber attack", "--current", "3x5", "--target", "9").exit_code == 0
    )
    risk = (repo / "data" / "risks" / "0202.yaml").read_text()
    assert 'description: ""' not in risk and "# description:" in risk  # optional: a hint, not an empty value
    assert stratctl("new", "strategy", "green", "--title", "Green Plan: net zero by 2040").exit_code == 0
    assert stratctl("new", "objective", "yes", "--title", "yes").exit_code == 0
    text = (repo / "data" / "objectives" / "yes.yaml").read_text()
    assert 'id: "yes"' in text and 'title: "yes"' in text
    assert stratctl("validate").exit_code == 0


def test_new_never_overwrites(repo: Path, stratctl: Stratctl) -> None:
    before = snapshot(repo)
    outcome = stratctl("new", "objective", "talent", "--title", "Again")
    assert outcome.exit_code == 2 and "already exists" in outcome.stderr
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["talent", "-q", "Q3", "--progress", "behind"], "use --replace"),
        (["talent", "-q", "Q9", "--progress", "behind"], "not a quarter"),
        (["nobody", "-q", "Q3", "--progress", "behind"], "no objective or risk"),
        (["talent", "-q", "Q4", "--progress", "behind", "--actual", "x=1"], "no measure 'x'"),
        (["0101", "-q", "Q4"], "give --score"),
        (
            ["talent", "-q", "Q4", "--rationale", "Why"],
            "give --progress (and --comment): there is no 2021/22 Q4 update",
        ),
        (["talent", "-q", "Q4", "--progress", "behind", "--score", "12"], "talent is an objective: --score belong"),
        (["0101", "-q", "Q4", "--score", "12", "--comment", "x"], "0101 is a risk: --comment belong"),
        (
            ["talent", "-q", "Q4", "--progress", "behind", "--actual", "x=1", "--actual", "x=2"],
            "--actual x is given twice (1 and 2)",
        ),
        (  # quoted back as typed: 34:48 is read as 34.8 minutes, which the user never wrote
            ["talent", "-q", "Q4", "--progress", "behind", "--actual", "x=34:48", "--actual", "x=1e3"],
            "--actual x is given twice (34:48 and 1e3)",
        ),
    ],
)
def test_update_refusals_change_nothing(repo: Path, stratctl: Stratctl, args: list[str], message: str) -> None:
    before = snapshot(repo)
    outcome = stratctl("update", *args)
    assert outcome.exit_code == 2, outcome.stderr
    assert message in outcome.stderr
    assert snapshot(repo) == before


def test_replace_changes_the_fields_given_and_keeps_the_rest(
    tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from tests.conftest import PROJECT

    shutil.copytree(PROJECT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "data" / "objectives" / "e-rostering.yaml"
    assert "P001 declared G, computed A for 2021/22 Q3" in stratctl("validate").stdout
    outcome = stratctl(
        "update", "e-rostering", "-q", "Q3", "--replace", "--rationale", "Medical rostering is funded for Q4."
    )
    assert outcome.exit_code == 0, outcome.stderr
    text = path.read_text()
    entry = text[text.index("  - quarter: 2021/22 Q3") :]
    assert (
        entry.index("progress: on-track")
        < entry.index("comment: >-")
        < entry.index("projected: G")
        < entry.index("rationale:")
    )
    assert "Programme on track. 84% of clinical" in entry  # the comment as it was, folded as it was
    assert not [line for line in stratctl("validate").stdout.splitlines() if "e-rostering" in line and "P001" in line]
    assert stratctl("fmt", "--check").exit_code == 0  # written in the record format's order
    risk = tmp_path / "data" / "risks" / "103348.yaml"
    assert (
        stratctl("update", "103348", "-q", "Q3", "--replace", "--note", "Reviewed by the People Committee.").exit_code
        == 0
    )
    review = risk.read_text().split("- quarter: 2021/22 Q3")[1]
    assert (
        "current: {likelihood: 4, consequence: 5, score: 20}" in review
        and "note: Reviewed by the People Committee." in review
    )


def test_an_update_that_would_not_validate_is_not_written(repo: Path, stratctl: Stratctl) -> None:
    before = snapshot(repo)
    outcome = stratctl("update", "talent", "-q", "Q4", "--progress", "at-risk")  # R without a comment: P002
    assert outcome.exit_code == 1
    assert "P002" in outcome.stderr and "not written" in outcome.stderr
    assert snapshot(repo) == before


def test_replace_and_risk_reviews_keep_current_in_step(repo: Path, stratctl: Stratctl) -> None:
    assert (
        stratctl(
            "update",
            "talent",
            "-q",
            "Q3",
            "--progress",
            "behind",
            "--comment",
            "Slipped",
            "--projected",
            "A",
            "--replace",
        ).exit_code
        == 0
    )
    assert (
        stratctl("update", "0101", "-q", "Q4", "--likelihood", "3", "--consequence", "5", "--note", "yes").exit_code
        == 0
    )
    risk = (repo / "data" / "risks" / "0101.yaml").read_text()
    assert "current: {likelihood: 3, consequence: 5}" in risk and 'note: "yes"' in risk
    assert stratctl("validate").exit_code == 0


def test_a_write_killed_before_the_rename_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "record.yaml"
    target.write_text("id: old\n")

    def killed(*_: object) -> None:
        raise KeyboardInterrupt  # the process dies between writing the temporary file and the rename

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "id: new\n" * 1000)
    assert target.read_text() == "id: old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["record.yaml"]  # no temporary file left behind


def test_a_linked_record_is_updated_through_its_link(repo: Path, stratctl: Stratctl) -> None:
    record = repo / "data" / "objectives" / "talent.yaml"
    kept = repo / "shared" / "talent.yaml"
    kept.parent.mkdir()
    record.rename(kept)
    record.symlink_to(kept)
    assert stratctl("update", "talent", "-q", "Q4", "--progress", "behind", "--comment", "Slipped").exit_code == 0
    assert record.is_symlink() and "2021/22 Q4" in kept.read_text()


def test_a_read_only_record_is_refused_and_left_as_it_is(repo: Path, stratctl: Stratctl) -> None:
    record = repo / "data" / "objectives" / "talent.yaml"
    record.write_text(
        "lead: CPO\n" + record.read_text().replace("lead: CPO\n", "")
    )  # out of order: fmt would rewrite it
    record.chmod(0o444)
    before = record.read_bytes()
    outcome = stratctl("update", "talent", "-q", "Q4", "--progress", "behind", "--comment", "Slipped")
    assert outcome.exit_code == 2 and "is read-only: stratctl will not replace it" in outcome.stderr
    assert record.read_bytes() == before
    formatted = stratctl("fmt")
    assert (
        formatted.exit_code == 1
        and "talent.yaml: left alone" in formatted.stderr
        and "is read-only" in formatted.stderr
    )
    assert record.read_bytes() == before


def test_an_update_waits_for_the_repository_lock(repo: Path) -> None:
    """Two updates at once must not lose one: the second waits until the first has written."""
    import threading

    from stratctl.api.records import update
    from stratctl.authoring.update import ObjectiveChange
    from stratctl.periods import Quarter
    from stratctl.rewrite import exclusive
    from stratctl.workspace import Workspace

    data = repo / "data"
    change = ObjectiveChange(Quarter.parse("2021/22 Q4"), "behind", "Slipped", None, None, {})
    with exclusive(data):
        writer = threading.Thread(
            target=update,
            args=(Workspace(data.resolve()), "talent", change),
            kwargs={"replace": False, "dry_run": False},
        )
        writer.start()
        writer.join(timeout=1.0)
        assert writer.is_alive(), "the update did not wait for the lock"
        assert "2021/22 Q4" not in (data / "objectives" / "talent.yaml").read_text()
    writer.join(timeout=30)
    assert "2021/22 Q4" in (data / "objectives" / "talent.yaml").read_text()


def test_new_refuses_an_id_too_long_to_name_a_file(repo: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("new", "objective", "x" * 300, "--title", "Long")
    assert outcome.exit_code == 2 and "keep it to 100" in outcome.stderr


@pytest.mark.parametrize("ending", ["# kept last: the Q4 review is due in April\n", "\n# a note after a blank line\n"])
def test_a_comment_after_the_last_update_stays_after_the_new_one(repo: Path, stratctl: Stratctl, ending: str) -> None:
    record = repo / "data" / "objectives" / "talent.yaml"
    record.write_text(record.read_text() + ending)
    assert stratctl("update", "talent", "-q", "Q4", "--progress", "behind", "--comment", "Slipped").exit_code == 0
    text = record.read_text()
    assert text.endswith(ending) and text.index("2021/22 Q4") < text.index(ending.strip())
    assert text.replace("2021/22 Q4", "").count("#") == ending.count("#")  # no comment lost or doubled


def test_replacing_a_review_keeps_the_comments_that_still_apply(repo: Path, stratctl: Stratctl) -> None:
    record = repo / "data" / "risks" / "0101.yaml"
    text = record.read_text().replace(
        "  - quarter: 2021/22 Q3\n    current: {score: 20}\n",
        "  - quarter: 2021/22 Q3  # as the Board minuted it\n    current: {score: 20}  # the old score\n"
        "# reviewed quarterly by the Quality and Safety Committee\n",
    )
    record.write_text(text)
    outcome = stratctl("update", "0101", "-q", "Q3", "--likelihood", "3", "--consequence", "5", "--replace")
    assert outcome.exit_code == 0, outcome.stderr
    after = record.read_text()
    assert "  - quarter: 2021/22 Q3  # as the Board minuted it\n" in after  # the quarter did not change
    assert "# the old score" not in after  # it described the score replaced
    assert after.endswith("# reviewed quarterly by the Quality and Safety Committee\n")


def test_a_loop_of_links_is_a_plain_error(tmp_path: Path) -> None:
    from stratctl.errors import StratctlError

    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    with pytest.raises(StratctlError, match=r"cannot write .*a\.yaml"):
        write_atomically(tmp_path / "a.yaml", "id: a\n")


def test_replacing_keeps_a_kept_lines_comment_and_the_closing_note_together(repo: Path, stratctl: Stratctl) -> None:
    record = repo / "data" / "objectives" / "talent.yaml"
    record.write_text(
        record.read_text().replace("    projected: G\n", "    projected: G  # agreed at Board\n") + "# closing note\n"
    )
    outcome = stratctl(
        "update",
        "talent",
        "-q",
        "Q3",
        "--progress",
        "on-track",
        "--comment",
        "Strategy agreed",
        "--projected",
        "G",
        "--replace",
    )
    assert outcome.exit_code == 0, outcome.stderr
    assert record.read_text().endswith("    projected: G  # agreed at Board\n# closing note\n")


def test_update_stores_crlf_in_a_comment_as_lf_and_says_so(repo: Path, stratctl: Stratctl) -> None:
    outcome = stratctl(
        "update",
        "talent",
        "--quarter",
        "Q4",
        "--progress",
        "on-track",
        "--comment",
        "one\r\ntwo\rthree",
        "--projected",
        "G",
    )
    assert outcome.exit_code == 0, outcome.stderr
    assert "CR LF and CR line breaks stored as LF" in outcome.stderr
    status = stratctl("status", "--quarter", "Q4", "--format", "json")
    import json

    talent = next(o for o in json.loads(status.stdout)["objectives"] if o["id"] == "talent")
    assert talent["stale"] is False  # the Q4 update written is the one Q4 reads, not Q3's carried on
    from stratctl.yamlsource import parse

    data = parse((repo / "data" / "objectives" / "talent.yaml").read_text()).data
    assert data["updates"][-1]["comment"] == "one\ntwo\nthree"


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize("option", ["--comment", "--rationale"])
def test_update_refuses_a_line_break_editors_do_not_show(
    repo: Path, stratctl: Stratctl, char: str, option: str
) -> None:
    before = snapshot(repo)
    outcome = stratctl(
        "update",
        "talent",
        "--quarter",
        "Q4",
        "--progress",
        "on-track",
        "--projected",
        "A",
        *(["--comment", "x"] if option != "--comment" else []),
        option,
        f"one{char}two",
    )
    assert outcome.exit_code == 2
    assert option in outcome.stderr and f"U+{ord(char):04X}" in outcome.stderr
    assert snapshot(repo) == before


def test_update_refuses_to_write_a_record_over_the_size_cap(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_text(path.read_text() + "".join(f"# note {n:07d} {'x' * 40}\n" for n in range(17_000)))  # ~0.95 MB
    assert stratctl("validate").exit_code == 0
    before = snapshot(repo)
    outcome = stratctl(
        "update", "talent", "--quarter", "Q4", "--progress", "on-track", "--comment", "y" * 120_000, "--projected", "G"
    )
    assert outcome.exit_code == 1
    assert (
        "Y010 the file would be 1,0" in outcome.stderr
        and "a record may be at most 1 MiB (1,048,576 bytes)" in outcome.stderr
    )
    assert snapshot(repo) == before


def test_update_refuses_rather_than_change_another_value_in_the_round_trip(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    # the line '#1 in the region' is text of the title; ruamel.yaml's round trip would take it for a comment
    path.write_text(
        "id: talent\ntitle: |-\n      Talent strategy\n      #1 in the region\n\n   # a note\n"
        "year: 2021/22\npriority: recover\nlead: CPO\n"
    )
    assert stratctl("validate").exit_code == 0
    before = snapshot(repo)
    outcome = stratctl(
        "update", "talent", "--quarter", "Q3", "--progress", "on-track", "--comment", "x", "--projected", "G"
    )
    assert outcome.exit_code == 2
    assert "cannot add this without also changing title" in outcome.stderr
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    "text",
    [
        "# the record\n%YAML 1.2\n---\n{body}",
        "{body}... # end of the record\n# signed off\n",
    ],
)
def test_update_keeps_directives_document_markers_and_their_comments(repo: Path, stratctl: Stratctl, text: str) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    original = text.format(body=path.read_text())
    path.write_text(original)
    outcome = stratctl(
        "update", "talent", "--quarter", "Q4", "--progress", "on-track", "--comment", "x", "--projected", "G"
    )
    assert outcome.exit_code == 0, outcome.stderr
    after = path.read_text()
    for line in original.split("\n"):
        assert line in after.split("\n")
