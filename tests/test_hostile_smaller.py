"""Hostile input, the smaller findings: options where the README promises them, a path validate never
reads, titles that would start Markdown blocks, a file-size limit, and templates that reach out."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.conftest import FIXTURES, Stratctl
from tests.hostile import Outside, assert_behaves, run_stratctl, tree

TRACKER = FIXTURES / "trackers" / "nwaft-2021-22-q3.tsv"

# --- --no-cache after every command ------------------------------------------------------------------

COMMANDS = {
    "validate": (["validate"], 0),
    "rules": (["rules"], 0),
    "rules-code": (["rules", "R001"], 0),
    "schema": (["schema"], 0),
    "status": (["status"], 0),
    "explain": (["explain", "talent"], 0),
    "report": (["report", "-q", "Q3"], 0),
    "update": (["update", "talent", "-q", "Q4", "--progress", "on-track", "--comment", "On course", "--dry-run"], 0),
    "new": (["new", "objective", "fresh", "--title", "A new one", "--lead", "COO", "--priority", "recover"], 0),
    "fmt": (["fmt", "--check"], 0),
    "init": (["init", "elsewhere"], 0),
    "rollover": (["rollover", "--to", "2022/23", "--dry-run"], 0),
    "signoff": (["signoff", "Q3"], 2),  # not a git repository: refused, but the option is taken
    "codeowners": (["codeowners", "--check"], 1),  # no CODEOWNERS yet
    "diff": (["diff"], 2),  # not a git repository
    "import-tracker": (["import", "tracker", str(TRACKER), "-q", "Q3", "--dry-run"], None),
    "import-risks": (["import", "risks", str(TRACKER), "--dry-run"], None),
    "export": (["export", "-q", "Q3"], 0),
}


@pytest.mark.parametrize(("args", "code"), COMMANDS.values(), ids=COMMANDS.keys())
def test_no_cache_is_taken_after_every_command(
    repo: Path, stratctl: Stratctl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int | None
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("STRATCTL_CACHE_DIR", str(cache))
    outcome = stratctl(*args, "--no-cache")
    assert "No such option" not in outcome.stderr, outcome.stderr
    if code is not None:
        assert_behaves(outcome, code)
    else:
        assert outcome.exit_code in (0, 1, 2) and "Traceback" not in outcome.stderr
    assert list(cache.iterdir()) == [], "--no-cache wrote the cache"


# --- validate on a path it never reads ----------------------------------------------------------------


def _plant(repo: Path, relative: str) -> Path:
    path = repo / "data" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((repo / "data" / "objectives" / "talent.yaml").read_text())
    return path


@pytest.mark.parametrize(
    ("relative", "given", "why"),
    [
        ("objectives/sub/x.yaml", "data/objectives/sub/x.yaml", "sub-folder of objectives/"),
        ("objectives/sub/x.yaml", "data/objectives/sub", "sub-folder of objectives/"),
        ("objectives/X.YAML", "data/objectives/X.YAML", "lower case"),
        ("objective/x.yaml", "data/objective/x.yaml", "not read"),
    ],
    ids=["file-in-sub-folder", "the-sub-folder", "upper-case-extension", "misspelt-folder"],
)
def test_validate_on_a_file_it_never_reads_says_so(
    repo: Path, stratctl: Stratctl, relative: str, given: str, why: str
) -> None:
    _plant(repo, relative)
    outcome = stratctl("validate", given)
    assert_behaves(outcome, 0, "Y012", why, f"data/{relative}:1:1")
    assert_behaves(stratctl("validate", "--strict", given), 1, "Y012")


def test_validate_on_a_record_folder_also_names_the_files_it_never_reads(repo: Path, stratctl: Stratctl) -> None:
    _plant(repo, "objectives/sub/x.yaml")
    outcome = stratctl("validate", "data/objectives")
    assert_behaves(outcome, 0, "data/objectives/sub/x.yaml:1:1: Y012", "2 files checked")


@pytest.mark.parametrize("relative", ["notes.txt", "objectives/sub/notes.txt", "objectives/sub"])
def test_validate_on_a_path_with_no_record_is_refused(repo: Path, stratctl: Stratctl, relative: str) -> None:
    path = repo / "data" / relative
    if relative.endswith("sub"):
        path.mkdir(parents=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("a note\n")
    outcome = stratctl("validate", f"data/{relative}")
    assert_behaves(outcome, 2, f"data/{relative}", "no record file stratctl reads")


# --- a title with blank lines in the paper's lists ---------------------------------------------------


BLOCKS = {
    "list": "Talent\n\n- injected item",
    "ordered-list": "Talent\n\n1. injected item",
    "heading": "Talent\n\n# Injected heading",
    "rule": "Talent\n\n---\n\nafter",
    "quote": "Talent\n\n> injected quote",
    "starts-a-list": "- Talent",
    "starts-an-ordered-list": "1. Talent",
    "crlf": "Talent\r\n\r\n- injected item",
}


def _blocks(markdown: str) -> list[str]:
    """The paper's block structure: every block token's type, in order (inline content left out)."""
    return [t.type for t in MarkdownIt("commonmark").enable("table").parse(markdown) if t.type != "inline"]


@pytest.mark.parametrize("title", BLOCKS.values(), ids=BLOCKS.keys())
def test_a_title_with_blank_lines_starts_no_block_in_the_paper(repo: Path, stratctl: Stratctl, title: str) -> None:
    import json

    record = repo / "data" / "objectives" / "talent.yaml"
    plain = stratctl("report", "-q", "Q3").stdout
    text = record.read_text()
    record.write_text(
        text.replace("title: Talent strategy to recruit, develop and retain staff", f"title: {json.dumps(title)}")
    )
    outcome = stratctl("report", "-q", "Q3")
    assert_behaves(outcome, 0)
    assert _blocks(outcome.stdout) == _blocks(plain)  # the same lists, items, headings and paragraphs


# --- a file-size limit while writing ------------------------------------------------------------------


def _limited(cwd: Path, limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run(
        [sys.executable, "-m", "stratctl", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit_file_size,
    )


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="no file-size limit on this system")
@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "xlsx", "--output", "tracker.xlsx"],
        ["report", "-q", "Q3", "--format", "html", "--output", "paper.html"],
        ["export", "--output", "tracker.csv"],
    ],
    ids=["xlsx", "html", "csv"],
)
def test_a_file_size_limit_while_writing_is_a_clear_error(repo: Path, tmp_path: Path, args: list[str]) -> None:
    pytest.importorskip("openpyxl")
    template = (repo / "data" / "objectives" / "talent.yaml").read_text()
    for n in range(300):  # enough rows that each sheet goes past the limit while openpyxl writes it
        (repo / "data" / "objectives" / f"talent-{n}.yaml").write_text(
            template.replace("id: talent", f"id: talent-{n}")
        )
    before = tree(repo)
    done = _limited(repo, 4096, *args)
    assert done.returncode == 2, done.stderr
    assert "file too large" in done.stderr and "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "Exception ignored" not in done.stderr
    assert tree(repo) == before


# --- templates that reach out of templates/ -----------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "needle"),
    [
        ('{% include "../../../etc/passwd" %}', "refused"),
        ('{% include "/etc/passwd" %}', "refused"),
        ('{% import "../data/trust.yaml" as t %}', "refused"),
        ('{% extends "../../x.j2" %}', "refused"),
        ('{% include "..\\\\..\\\\etc\\\\passwd" %}', "refused"),
        ('{% include "no-such-template.j2" %}', "in neither"),
    ],
    ids=["dotdot", "absolute", "import-dotdot", "extends-dotdot", "backslashes", "missing"],
)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_template_that_loads_a_path_out_of_templates_is_refused_as_such(
    repo: Path, stratctl: Stratctl, statement: str, needle: str, fmt: str
) -> None:
    (repo / "templates").mkdir()
    (repo / "templates" / f"board.{fmt}.j2").write_text(f"A paper\n{statement}\n")
    outcome = stratctl("report", "-q", "Q3", "--format", fmt)
    assert_behaves(outcome, 2, f"board.{fmt}.j2 line 2", needle)
    assert "cannot write the paper" not in outcome.stderr and "root:" not in outcome.stdout


@pytest.mark.parametrize("target", ["/etc/passwd", "outside"])
def test_a_template_that_is_a_link_out_of_templates_is_not_read(
    repo: Path, stratctl: Stratctl, tmp_path: Path, target: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("a secret of the CI runner\n")
    (repo / "templates").mkdir()
    (repo / "templates" / "x.j2").symlink_to(secret if target == "outside" else Path(target))
    (repo / "templates" / "board.md.j2").write_text('A paper\n{% include "x.j2" %}\n')
    outcome = stratctl("report", "-q", "Q3")
    assert_behaves(outcome, 2, "x.j2", "link out of templates/")
    assert "secret of the CI runner" not in outcome.stdout and "root:" not in outcome.stdout


def test_a_templates_folder_linked_elsewhere_is_still_the_repositorys(
    repo: Path, stratctl: Stratctl, tmp_path: Path
) -> None:
    shared = tmp_path / "shared-templates"
    shared.mkdir()
    (shared / "board.md.j2").write_text("The trust's own paper\n")
    (repo / "templates").symlink_to(shared, target_is_directory=True)
    outcome = stratctl("report", "-q", "Q3")
    assert_behaves(outcome, 0)
    assert outcome.stdout == "The trust's own paper\n"


def test_a_hostile_repository_renders_every_paper_without_writing_outside(tmp_path: Path) -> None:
    """The first round's hostile repository, through the command in a process of its own."""
    from tests.hostile import write_hostile_repository

    root = tmp_path / "hostile"
    write_hostile_repository(root)
    outside = Outside(tmp_path / "outside")
    for fmt in ("md", "html", "json"):
        done = run_stratctl(root, "report", "-q", "Q3", "--format", fmt, "--output", f"paper.{fmt}")
        assert_behaves(done, 0, outside=outside)
    shutil.rmtree(root / "data")
