"""Hostile input, the pull-request comment (`diff --format md`): what a bot posts must notify no one.

An author's name is whatever the committer typed, and a file name whatever the pull request made:
neither may reach the comment as an escape sequence, a direction override, a live @mention, an
issue reference, or a backtick that closes its code span early. Each case renders the comment with
markdown-it (GFM tables on) and checks the text a reader, or GitHub's mention filter, would see.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from stratctl.reporting.changes import code_span, pr_cell
from tests.conftest import FIXTURES
from tests.hostile import assert_behaves

LIVE_MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9][A-Za-z0-9-]*")
"""What GitHub links as a mention in a comment's text (outside code): `@` then a user name."""
LIVE_REFERENCE = re.compile(r"(?<![\w&])#[0-9]+")


def git(root: Path, *args: str, name: str = "Board Secretary") -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", f"user.name={name}", "-c", "user.email=e@example.org", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "trust"
    shutil.copytree(FIXTURES / "minimal", root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "the records")
    git(root, "tag", "v1")
    monkeypatch.chdir(root)
    return root


def _commit_as(root: Path, author: str) -> None:
    record = root / "data" / "objectives" / "talent.yaml"
    record.write_text(record.read_text().replace("progress: on-track", "progress: behind", 1))
    git(root, "commit", "-qam", "a change", name=author)


def _outside_code(markdown: str) -> str:
    """The text GitHub's mention and reference filters read: the rendered comment without its code."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return "\n".join(child.content for token in tokens for child in token.children or [] if child.type == "text")


AUTHORS = {
    "mention": "@octocat",
    "team-mention": "@github/security",
    "mention-after-text": "Jo @octocat Bloggs",
    "entity-at": "&#64;octocat",
    "named-entity-at": "&commat;octocat",
    "escape-sequence": "Jo \x1b[31mRed\x1b[0m Bloggs",
    "bell": "Jo\x07 Bloggs",
    "right-to-left-override": "Jo \u202eslggolB",
    "isolate": "Jo \u2066hidden\u2069",
    "issue-reference": "closes #1",
    "cross-reference": "octo/repo#12",
    "backticks": "`@octocat`",
    "table-break": "Jo | Bloggs |",
    "markdown-link": "[click](https://example.org/@octocat)",
    "html": "<img src=x onerror=alert(1)>@octocat",
}


@pytest.mark.parametrize("author", AUTHORS.values(), ids=AUTHORS.keys())
def test_an_authors_name_is_inert_in_the_pull_request_comment(history: Path, stratctl, author: str) -> None:  # type: ignore[no-untyped-def]
    _commit_as(history, author)
    outcome = stratctl("diff", "v1", "HEAD", "--format", "md", "--authors")
    assert_behaves(outcome, 0, "changed by")
    comment = outcome.stdout
    assert not any(c in comment for c in "\x1b\x07\u202e\u2066\u2069")
    shown = _outside_code(comment)
    assert LIVE_MENTION.search(shown) is None, shown
    assert LIVE_REFERENCE.search(shown) is None, shown
    assert "<img" not in MarkdownIt("commonmark").render(comment)


FILE_NAMES = {
    "backtick-mention": "x`@octocat`.yaml",
    "double-backticks": "x``@octocat``.yaml",
    "leading-backtick": "`@octocat.yaml",
    "escape": "x\x1b[2J.yaml",
    "bidi": "x\u202elmay.yaml",
}


@pytest.mark.parametrize("name", FILE_NAMES.values(), ids=FILE_NAMES.keys())
def test_a_file_name_is_shown_whole_in_its_code_span(history: Path, stratctl, name: str) -> None:  # type: ignore[no-untyped-def]
    source = history / "data" / "objectives" / "cancer-standards.yaml"
    stem = name.removesuffix(".yaml")
    (history / "data" / "objectives" / name).write_text(source.read_text().replace("id: cancer-standards", "id: added"))
    git(history, "add", "-A")
    git(history, "commit", "-qm", f"add {stem}", name="@octocat")
    outcome = stratctl("diff", "v1", "HEAD", "--format", "md", "--authors")
    assert_behaves(outcome, 0)
    comment = outcome.stdout
    assert not any(c in comment for c in "\x1b\u202e")
    shown = _outside_code(comment)
    assert LIVE_MENTION.search(shown) is None, shown
    spans = [
        t for tok in MarkdownIt("commonmark").parse(comment) for t in tok.children or [] if t.type == "code_inline"
    ]
    assert any(span.content.strip().endswith(".yaml") and "data/objectives/" in span.content for span in spans)


@pytest.mark.parametrize("text", ["plain", "a`b", "``x", "x`", " x ", "a\nb", "\x1b"])
def test_a_code_span_holds_its_text_exactly(text: str) -> None:
    [paragraph] = [t for t in MarkdownIt("commonmark").parse(code_span(text)) if t.type == "inline"]
    [span] = [t for t in paragraph.children or [] if t.type == "code_inline"]
    expected = text.replace("\n", "\\x0a").replace("\x1b", "\\x1b")
    assert span.content == expected or span.content == expected.strip()


@pytest.mark.parametrize("text", list(AUTHORS.values()))
def test_a_pr_cell_stays_in_its_cell_and_mentions_no_one(text: str) -> None:
    table = f"| a | b |\n| --- | --- |\n| {pr_cell(text)} | x |\n"
    tokens = MarkdownIt("commonmark").enable("table").parse(table)
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 2
    assert LIVE_MENTION.search(_outside_code(table)) is None
