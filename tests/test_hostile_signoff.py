"""Hostile input, sign-off tags: a tag whose tree writes anywhere, tags that only look like sign-offs.

`report --signed-off` is what an auditor runs on a fetched tag, so the tag is the attacker's: its
templates/ tree is checked path by path before anything is written, and only an annotated tag named
`board/YYYY-YY-Qn` in ASCII digits is a sign-off.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from stratctl.gitrefs import tree_path_problem
from tests.conftest import PROJECT
from tests.hostile import Outside, assert_behaves, tree

TAG = "board/2021-22-Q3"


def git(root: Path, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
        capture_output=True,
        text=True,
        input=stdin,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def trust(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled data committed; scratch folders made inside tmp_path/scratch, so a `..` lands there."""
    root = tmp_path / "trust"
    shutil.copytree(PROJECT / "data", root / "data")
    git(root, "init", "-q")
    git(root, "config", "user.name", "Board Secretary")
    git(root, "config", "user.email", "board.secretary@example.nhs.uk")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Q3 paper as the Board approved it")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(root)
    return root


def _tree_with(root: Path, entries: list[tuple[str, str, str, str]]) -> str:
    """A tree object from (mode, type, id, name) entries, any name git's mktree takes (`..` included)."""
    return git(
        root, "mktree", "-z", stdin="".join(f"{mode} {kind} {oid}\t{name}\0" for mode, kind, oid, name in entries)
    )


def _blob(root: Path, text: str) -> str:
    return git(root, "hash-object", "-w", "--stdin", stdin=text)


def _commit_with_templates(root: Path, templates: str) -> str:
    """A commit whose tree is HEAD's with `templates` (a tree id) as its templates/ folder."""
    listing = git(root, "ls-tree", "HEAD").splitlines()
    entries: list[tuple[str, str, str, str]] = []
    for line in listing:
        mode, kind, object_id, name = line.replace("\t", " ").split(" ", 3)
        entries.append((mode, kind, object_id, name))
    top = _tree_with(root, [*(e for e in entries if e[3] != "templates"), ("040000", "tree", templates, "templates")])
    return git(root, "commit-tree", top, "-p", "HEAD", "-m", "a tree made by hand")


def _nested_dotdot(root: Path, leaf: tuple[str, str, str, str], depth: int) -> str:
    """A tree that reaches `leaf` through `depth` entries named `..`."""
    current = _tree_with(root, [leaf])
    for _ in range(depth - 1):
        current = _tree_with(root, [("040000", "tree", current, "..")])
    return _tree_with(root, [("040000", "tree", current, "..")])


def _sign(root: Path, commit: str, name: str = TAG) -> None:
    message = "Stratctl-Signoff: 1\nPaper-SHA256: " + "0" * 64 + "\n"
    git(root, "tag", "-a", "--cleanup=verbatim", "-m", message, name, commit)


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_a_tag_whose_templates_climb_out_with_dotdot_writes_nothing(trust: Path, stratctl, depth: int) -> None:  # type: ignore[no-untyped-def]
    scratch = Outside(trust.parent / "scratch")
    outside = Outside(trust.parent / "outside")
    leaf = ("100644", "blob", _blob(trust, "echo pwned\n"), "pwned.txt")
    _sign(trust, _commit_with_templates(trust, _nested_dotdot(trust, leaf, depth)))
    before = tree(trust)
    outcome = stratctl("report", "--signed-off", "Q3", "--output", str(trust / "paper.html"))
    assert_behaves(outcome, 2, "'..'", TAG, "nothing was written", outside=outside, unchanged=(trust, before))
    assert scratch.unchanged()
    assert not any(p.name == "pwned.txt" for p in trust.parent.rglob("*"))


@pytest.mark.parametrize(
    "name", [".git", ".GIT", ".git.", "git~1"], ids=["dot-git", "upper-case", "trailing-dot", "short-name"]
)
def test_a_tag_whose_templates_name_a_git_folder_writes_nothing(trust: Path, stratctl, name: str) -> None:  # type: ignore[no-untyped-def]
    hook = _tree_with(trust, [("100755", "blob", _blob(trust, "#!/bin/sh\necho pwned\n"), "post-checkout")])
    hooks = _tree_with(trust, [("040000", "tree", hook, "hooks")])
    _sign(trust, _commit_with_templates(trust, _tree_with(trust, [("040000", "tree", hooks, name)])))
    before = tree(trust)
    outcome = stratctl("report", "--signed-off", "2021/22", "Q3")
    assert_behaves(outcome, 2, ".git folder", "nothing was written", unchanged=(trust, before))


@pytest.mark.parametrize(
    "name", ["x\nPaper-SHA256: " + "f" * 64 + ".j2", "tab\there.j2", "esc\x1b[2J.j2", "back\\slash.j2"]
)
def test_a_template_name_with_a_control_character_or_backslash_is_refused(trust: Path, stratctl, name: str) -> None:  # type: ignore[no-untyped-def]
    templates = _tree_with(trust, [("100644", "blob", _blob(trust, "{{ 1 }}\n"), name)])
    _sign(trust, _commit_with_templates(trust, templates))
    outcome = stratctl("report", "--signed-off", TAG)
    assert_behaves(outcome, 2, "control character or a backslash", "nothing was written")
    assert "\x1b" not in outcome.stderr  # the name is shown escaped


def test_a_template_that_is_a_symbolic_link_in_the_tag_is_refused(trust: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    outside = Outside(trust.parent / "outside")
    link = _blob(trust, str(outside.path / "board.html.j2"))
    _sign(trust, _commit_with_templates(trust, _tree_with(trust, [("120000", "blob", link, "board.html.j2")])))
    outcome = stratctl("report", "--signed-off", "Q3")
    assert_behaves(outcome, 2, "templates/board.html.j2 at board/2021-22-Q3 is a symbolic link", outside=outside)


def test_a_template_listed_twice_in_a_tree_is_refused(trust: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    one, two = _blob(trust, "{{ 1 }}\n"), _blob(trust, "{{ 2 }}\n")
    templates = _tree_with(trust, [("100644", "blob", one, "board.html.j2"), ("100644", "blob", two, "board.html.j2")])
    _sign(trust, _commit_with_templates(trust, templates))
    outcome = stratctl("report", "--signed-off", "Q3")
    assert_behaves(outcome, 2, "listed twice")


def test_signoff_of_a_head_whose_tree_climbs_out_writes_nothing(trust: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    outside = Outside(trust.parent / "outside")
    leaf = ("100644", "blob", _blob(trust, "pwned\n"), "pwned.txt")
    git(trust, "update-ref", "HEAD", _commit_with_templates(trust, _nested_dotdot(trust, leaf, 2)))
    outcome = stratctl("signoff", "Q3")
    assert outcome.exit_code == 2
    assert_behaves(outcome, 2, outside=outside)
    assert git(trust, "tag", "-l") == ""
    assert not any(p.name == "pwned.txt" for p in trust.parent.rglob("*"))


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("templates/board.html.j2", None),
        ("templates/.../x.j2", None),
        ("templates/../x", "'..'"),
        ("/etc/passwd", "absolute"),
        ("templates//x", "empty"),
        ("templates/./x", "'.'"),
        ("templates/.Git/config", ".git"),
        ("templates/a\x00b", "control"),
        ("templates/a\u009bb", "control"),
    ],
)
def test_every_component_of_a_tree_path_is_checked(path: str, problem: str | None) -> None:
    found = tree_path_problem(path)
    assert (found is None) if problem is None else (found is not None and problem in found)


# --- tags that only look like sign-offs -------------------------------------------------------------


def test_a_lightweight_board_tag_does_not_block_the_real_signoff(trust: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    git(trust, "tag", TAG)  # lightweight: no message, no digest, anyone can make one
    outcome = stratctl("signoff", "Q3")
    assert_behaves(outcome, 0, "was not a sign-off, and is replaced")
    assert git(trust, "cat-file", "-t", TAG) == "tag"
    assert "Paper-SHA256:" in git(trust, "for-each-ref", "--format=%(contents)", f"refs/tags/{TAG}")
    assert stratctl("report", "--signed-off", "Q3", "--output", str(trust.parent / "paper.html")).exit_code == 0


def test_a_lightweight_board_tag_is_not_checked_as_a_signoff(trust: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    git(trust, "tag", TAG)
    outcome = stratctl("report", "--signed-off", "Q3")
    assert_behaves(outcome, 2, f"tag {TAG} is a lightweight tag", "not a sign-off")


def test_a_lightweight_board_tag_holds_no_record_to_it(trust: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    git(trust, "tag", TAG)
    record = trust / "data" / "objectives" / "agile-working.yaml"
    text = record.read_text()
    assert "progress: on-track" in text
    record.write_text(text.replace("progress: on-track", "progress: behind", 1))
    outcome = stratctl("validate", "--format", "json")
    assert '"G001"' not in outcome.stdout


@pytest.mark.parametrize(
    "name",
    ["board/２０２１-２２-Q3", "board/٢٠٢١-٢٢-Q3", "board/2021-22-Q３"],
    ids=["full-width", "arabic-indic", "full-width-quarter"],
)
def test_a_tag_in_other_digits_is_not_a_signoff_and_blocks_nothing(trust: Path, stratctl, name: str) -> None:  # type: ignore[no-untyped-def]
    _sign(trust, git(trust, "rev-parse", "HEAD"), name)
    record = trust / "data" / "objectives" / "agile-working.yaml"
    validated = stratctl("validate", "--format", "json")
    assert '"G001"' not in validated.stdout
    outcome = stratctl("signoff", "Q3")
    assert_behaves(outcome, 0, TAG)
    assert record.exists() and git(trust, "cat-file", "-t", TAG) == "tag"
    assert stratctl("report", "--signed-off", "Q3", "--output", str(trust.parent / "p.html")).exit_code == 0


def test_an_annotated_board_tag_of_a_blob_is_not_a_signoff(trust: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    blob = _blob(trust, "not a commit\n")
    git(trust, "tag", "-a", "-m", "Stratctl-Signoff: 1", TAG, blob)
    outcome = stratctl("report", "--signed-off", "Q3")
    assert_behaves(outcome, 2, "not of a commit")
    # and the real sign-off replaces it
    assert_behaves(stratctl("signoff", "Q3"), 0, "was not a sign-off")
