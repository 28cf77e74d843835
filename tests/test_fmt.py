"""fmt: canonical key order and indentation, lossless, idempotent, and never on a broken file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PROJECT, Stratctl, snapshot
from tests.test_authoring import EVERY_LINE_COMMENTED

OUT_OF_ORDER = (
    "# header: stays first\n"
    "title: Talent strategy  # the title\n"
    "id: talent\n"
    "# why this lead\n"
    "lead: CPO\n"
    "year: 2021/22\n"
    "priority: recover\n"
    "supports: [SO2]\n"
    "updates:\n"
    "- progress: on-track   # said so\n"
    "  # the quarter, second\n"
    "  quarter: 2021/22 Q3\n"
    "  comment: 'In development: #1 priority'\n"
    "delivers: [people.pipeline]\n"
    "# trailing note\n"
)
FORMATTED = (
    "# header: stays first\n"
    "id: talent\n"
    "title: Talent strategy  # the title\n"
    "year: 2021/22\n"
    "priority: recover\n"
    "supports: [SO2]\n"
    "# why this lead\n"
    "lead: CPO\n"
    "delivers: [people.pipeline]\n"
    "updates:\n"
    "  # the quarter, second\n"
    "  - quarter: 2021/22 Q3\n"
    "    progress: on-track  # said so\n"
    "    comment: 'In development: #1 priority'\n"
    "# trailing note\n"
)


@pytest.mark.parametrize("data", [PROJECT / "data", FIXTURES / "minimal" / "data", FIXTURES / "second_trust" / "data"])
def test_house_style_repositories_need_no_formatting(stratctl: Stratctl, data: Path) -> None:
    outcome = stratctl("fmt", "--check", "--data", str(data))
    assert outcome.exit_code == 0, outcome.stdout
    assert outcome.stdout == ""


def test_fmt_orders_keys_and_indentation_keeping_comments(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_text(OUT_OF_ORDER)
    check = stratctl("fmt", "--check")
    assert check.exit_code == 1
    assert check.stdout == "would reformat data/objectives/talent.yaml\n"
    assert path.read_text() == OUT_OF_ORDER  # --check writes nothing
    assert stratctl("fmt").exit_code == 0
    assert path.read_text() == FORMATTED
    assert stratctl("validate", "--strict").exit_code == 0


def test_fmt_is_idempotent(repo: Path, stratctl: Stratctl) -> None:
    (repo / "data" / "objectives" / "talent.yaml").write_text(OUT_OF_ORDER)
    stratctl("fmt")
    once = snapshot(repo)
    assert stratctl("fmt", "--check").exit_code == 0
    stratctl("fmt")
    assert snapshot(repo) == once


def test_fmt_keeps_bom_crlf_quotes_blank_lines_and_every_comment(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_bytes(EVERY_LINE_COMMENTED.encode())
    assert stratctl("fmt", "--check").exit_code == 0
    stratctl("fmt")
    assert path.read_bytes() == EVERY_LINE_COMMENTED.encode()
    moved = EVERY_LINE_COMMENTED.replace("id: talent  # the file's stem\r\n", "").replace(
        "lead: CPO  # Chief People Officer\r\n",
        "lead: CPO  # Chief People Officer\r\nid: talent  # the file's stem\r\n",
    )
    path.write_bytes(moved.encode())
    stratctl("fmt")
    after = path.read_bytes().decode("utf-8")
    assert after.startswith("\ufeff# An objective kept by hand\r\nid: talent  # the file's stem\r\n")
    assert sorted(after.split("\r\n")) == sorted(EVERY_LINE_COMMENTED.split("\r\n"))  # every line kept


@pytest.mark.parametrize(
    "name", ["tab-indentation.yaml", "second-document.yaml", "billion-laughs.yaml", "not-utf8.yaml", "empty.yaml"]
)
def test_fmt_never_rewrites_a_file_that_is_not_a_record(repo: Path, stratctl: Stratctl, name: str) -> None:
    shutil.copyfile(PROJECT / "tests" / "corpus" / "invalid" / name, repo / "data" / "objectives" / name)
    before = snapshot(repo)
    outcome = stratctl("fmt")
    assert outcome.exit_code == 1  # as black and ruff format do: a file that cannot be read fails the hook
    assert f"data/objectives/{name}: left alone, " in outcome.stderr
    assert "; 1 left alone" in outcome.stderr
    assert snapshot(repo) == before
    assert stratctl("fmt", "--check").exit_code == 1


def test_fmt_says_where_a_file_stops_being_readable(repo: Path, stratctl: Stratctl) -> None:
    shutil.copyfile(
        PROJECT / "tests" / "corpus" / "invalid" / "tab-indentation.yaml", repo / "data" / "objectives" / "tabs.yaml"
    )
    outcome = stratctl("fmt", "--check")
    assert "tabs.yaml: left alone, not a readable record (line 7, column" in outcome.stderr


def test_flow_mappings_keep_their_order(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "risks" / "0101.yaml"
    text = path.read_text().replace(
        "current: {likelihood: 4, consequence: 5, score: 20}", "current: {score: 20, likelihood: 4, consequence: 5}"
    )
    path.write_text(text)
    outcome = stratctl("fmt", "--check")
    assert outcome.exit_code == 0 and "0 of 5 file(s) would be reformatted" in outcome.stderr, outcome.stderr
    assert stratctl("fmt").exit_code == 0
    assert path.read_text() == text  # the mapping's keys stay in the order the author wrote them


def test_fmt_does_not_hide_text_cut_short_by_a_comment(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_text(path.read_text().replace("comment: Talent strategy in development.", "comment: Our #1 priority"))
    stratctl("fmt")
    assert "comment: Our #1 priority" in path.read_text()
    outcome = stratctl("validate", "--strict")
    assert outcome.exit_code == 1 and "Y009" in outcome.stdout


def test_fmt_with_a_data_folder_that_is_not_one_exits_2(repo: Path, stratctl: Stratctl, tmp_path: Path) -> None:
    outcome = stratctl("fmt", "--check", "--data", str(tmp_path / "typo"))
    assert outcome.exit_code == 2 and "no trust.yaml there" in outcome.stderr


TABS_AND_BLANKS = {  # layouts validate accepts and ruamel.yaml's round-trip reader does not
    "tab after a value": ("lead: CPO", "lead: CPO\t"),
    "tab after the colon": ("lead: CPO", "lead:\tCPO"),
    "tab before a comment": ("lead: CPO", "lead: CPO\t# the new executive"),
    "tab after a quoted value": ("progress: on-track", "progress: 'on-track'\t"),
    "tab in a sequence item": ("delivers: [people.pipeline]", "delivers:\n  - people.pipeline\t"),
    "short blank first line of a folded block": (
        "comment: Talent strategy in development.",
        "comment: >-\n \n      Talent strategy in development.",
    ),
}


@pytest.mark.parametrize("case", sorted(TABS_AND_BLANKS))
def test_fmt_and_update_handle_what_validate_accepts(repo: Path, stratctl: Stratctl, case: str) -> None:
    from stratctl.yamlsource import parse

    path = repo / "data" / "objectives" / "talent.yaml"
    old, new = TABS_AND_BLANKS[case]
    text = path.read_text().replace(old, new)
    path.write_text(text)
    other = repo / "data" / "objectives" / "cancer-standards.yaml"
    first, second, rest = other.read_text().split("\n", 2)
    other.write_text(f"{second}\n{first}\n{rest}")  # out of order: fmt must still reach it
    assert stratctl("validate").exit_code == 0
    outcome = stratctl("fmt")
    assert outcome.exit_code == 0, outcome.stderr
    assert "internal error" not in outcome.stderr
    assert parse(path.read_text()).data == parse(text).data  # layout changed, never a value
    assert other.read_text().startswith("id: cancer-standards\n")
    assert stratctl("fmt", "--check").exit_code == 0
    path.write_text(text)
    outcome = stratctl(
        "update", "talent", "--quarter", "Q4", "--progress", "on-track", "--comment", "Going well", "--projected", "G"
    )
    assert outcome.exit_code == 0, outcome.stderr
    assert stratctl("validate").exit_code == 0


def test_a_file_the_round_trip_cannot_read_is_left_alone_with_its_position(
    repo: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever ruamel.yaml still refuses is reported at its line and column, and fmt goes on with the rest."""
    from ruamel.yaml.error import MarkedYAMLError, StreamMark

    import stratctl.rewrite as rewrite

    def refuse(text: str) -> str:
        raise MarkedYAMLError(problem="something ruamel cannot read", problem_mark=StreamMark("x", 0, 5, 9))

    monkeypatch.setattr(rewrite, "_for_round_trip", refuse)
    (repo / "data" / "objectives" / "cancer-standards.yaml").write_text(
        OUT_OF_ORDER.replace("id: talent", "id: cancer-standards")
    )
    outcome = stratctl("fmt")
    assert outcome.exit_code == 1
    assert "left alone, it cannot be rewritten: line 6, column 10: something ruamel cannot read" in outcome.stderr
    assert "internal error" not in outcome.stderr
    outcome = stratctl(
        "update", "talent", "--quarter", "Q4", "--progress", "on-track", "--comment", "x", "--projected", "G"
    )
    assert outcome.exit_code == 2
    assert "talent.yaml:6:10: stratctl cannot rewrite this file: something ruamel cannot read" in outcome.stderr


HEAD = "id: talent\ntitle: Talent strategy\nyear: 2021/22\npriority: recover\nlead: CPO\n"
LOSSY_FOR_RUAMEL = {
    # the comment above `year` would follow the block scalar, indented deeper than its re-indented text
    "comment after an indented block": (
        "id: talent\ntitle: >-\n      Talent strategy\npriority: recover\n"
        "     # why this year\nyear: 2021/22\nlead: CPO\n"
    ),
    # a line of the block that starts with '#' is text, which ruamel.yaml reads as a comment
    "hash line in a block": HEAD + "updates:\n  - quarter: 2021/22 Q3\n    comment: |-\n"
    "      Agreed.\n      # 3 posts filled\n    progress: on-track\n",
    "keep-chomped block": HEAD
    + "updates:\n  - quarter: 2021/22 Q3\n    comment: |+\n      Agreed.\n\n    progress: on-track\n",
}


@pytest.mark.parametrize("case", sorted(LOSSY_FOR_RUAMEL))
def test_fmt_leaves_alone_what_it_cannot_rewrite_without_changing_a_value(
    repo: Path, stratctl: Stratctl, case: str
) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_text(LOSSY_FOR_RUAMEL[case])
    assert stratctl("validate").exit_code == 0
    before = snapshot(repo)
    outcome = stratctl("fmt")
    assert outcome.exit_code == 1
    assert "data/objectives/talent.yaml: left alone, formatting would change the value of " in outcome.stderr
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    "text",
    [
        "%YAML 1.2\n---\n" + HEAD.replace("lead: CPO\n", "") + "lead: CPO\n",
        "# the record\n%YAML 1.1\n---\n"
        "title: Talent strategy\nid: talent\nyear: 2021/22\npriority: recover\nlead: CPO\n",
        "title: Talent strategy\nid: talent\nyear: 2021/22\npriority: recover\nlead: CPO\n"
        "... # end of the record\n# signed off\n",
        "---  # the record\ntitle: Talent strategy\nid: talent\nyear: 2021/22\npriority: recover\nlead: CPO\n...\n",
    ],
)
def test_fmt_keeps_directives_document_markers_and_the_comments_after_them(
    repo: Path, stratctl: Stratctl, text: str
) -> None:
    from stratctl.yamlsource import layout_tokens, parse

    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_text(text)
    assert stratctl("fmt").exit_code == 0
    after = path.read_text()
    assert sorted(layout_tokens(after) or []) == sorted(layout_tokens(text) or [])
    assert parse(after).data == parse(text).data
    assert after.startswith("id: talent\n") or after.split("\n")[0] == text.split("\n")[0]  # the prologue stays first
    assert stratctl("fmt", "--check").exit_code == 0


def test_fmt_keeps_cr_line_endings(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_bytes(OUT_OF_ORDER.replace("\n", "\r").encode())
    assert stratctl("fmt").exit_code == 0
    assert path.read_bytes() == FORMATTED.replace("\n", "\r").encode()
    assert stratctl("fmt", "--check").exit_code == 0


def test_fmt_orders_600_updates_in_one_run(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    updates = "".join(
        "  - progress: on-track\n    projected: G\n"
        f"    quarter: {2021 + n // 4}/{(22 + n // 4) % 100:02d} Q{n % 4 + 1}\n"
        for n in range(600)
    )
    path.write_text(HEAD + "updates:\n" + updates)
    assert stratctl("fmt").exit_code == 0
    text = path.read_text()
    assert text.count("  - quarter: ") == 600
    assert stratctl("fmt", "--check").exit_code == 0


def test_fmt_leaves_a_file_over_the_size_cap_alone(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_text(path.read_text() + "".join(f"# note {n:07d} {'x' * 40}\n" for n in range(60_000)))  # ~3.5 MB
    before = snapshot(repo)
    outcome = stratctl("fmt")
    assert outcome.exit_code == 1
    assert "data/objectives/talent.yaml: left alone, it is larger than 1.0 MiB" in outcome.stderr
    assert snapshot(repo) == before
