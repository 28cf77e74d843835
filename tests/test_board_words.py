"""The paper a Board secretary sends unchanged: the Board's words throughout, nothing invented shown as fact.

No file path, line number, rule code or command anywhere in the bundled paper; its data-quality
appendix counts each kind of note once and names records by title; an illustrative repository
says so on every page of every format; the strategy office's copy keeps the technical detail.
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest

from tests.conftest import PROJECT, Stratctl

DATA = str(PROJECT / "data")
PATH = re.compile(r"[\w./-]+\.ya?ml\b")
LINE = re.compile(r"\bline \d+")
CODE = re.compile(r"\b[A-Z]\d{3}\b")
TAGS = re.compile(r"<svg\b.*?</svg>|<style\b.*?</style>|<[^>]+>", re.S)


def _machinery(text: str) -> list[str]:
    """Everything in `text` that belongs to the strategy office's tools, not to a Board paper."""
    return PATH.findall(text) + LINE.findall(text) + CODE.findall(text) + re.findall(r"\bstratctl [a-z]+", text)


def _visible(page: str) -> str:
    """The words an HTML page shows (its markup, styles and charts' drawing left out)."""
    return html.unescape(TAGS.sub(" ", page))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_bundled_paper_holds_no_path_line_number_rule_code_or_command(stratctl: Stratctl, fmt: str) -> None:
    outcome = stratctl("report", "--data", DATA, "--quarter", "Q3", "--format", fmt)
    assert outcome.exit_code == 0, outcome.stderr
    text = outcome.stdout if fmt == "md" else _visible(outcome.stdout)
    assert _machinery(text) == []


def test_the_appendix_counts_each_kind_of_note_and_names_records_by_title(stratctl: Stratctl) -> None:
    paper = stratctl("report", "--data", DATA, "--quarter", "Q3").stdout
    appendix = paper[paper.index("## Appendix: data quality") :]
    assert "**14 commitments of the enabling strategies are not yet planned: no objective delivers them.**" in appendix
    assert "- Green Plan: Engage our staff to create a network of Net Zero Heroes\n" in appendix
    assert (
        "**5 objectives are declared at positions their evidence does not give, with no reason recorded.**" in appendix
    )
    assert "- Develop our environmental strategy: declared G, computed A for 2021/22 Q3\n" in appendix
    assert appendix.count("\n- ") == 19  # the example's 19 warnings, each once


def test_the_technical_appendix_is_the_strategy_offices_copy(stratctl: Stratctl) -> None:
    paper = stratctl("report", "--data", DATA, "--quarter", "Q3", "--technical-appendix").stdout
    technical = paper[paper.index("## Appendix: technical detail for the strategy office") :]
    assert "| P005 " in technical and "data/strategies/green.yaml, line " in technical
    assert technical.count("\n| ") == 2 + 19  # header, rule, and one row a finding


def test_an_illustrative_repository_says_so_in_every_format(stratctl: Stratctl) -> None:
    markdown = stratctl("report", "--data", DATA, "--quarter", "Q3").stdout
    assert markdown.startswith("> **Illustrative data.**") and markdown.rstrip().endswith(
        "some values above are invented."
    )
    page = stratctl("report", "--data", DATA, "--quarter", "Q3", "--format", "html").stdout
    assert 'content: "Illustrative data: some values are invented"' in page  # the foot of every printed page
    assert "<strong>Illustrative data.</strong>" in _visible(page) or "Illustrative data." in _visible(page)
    document = json.loads(stratctl("report", "--data", DATA, "--quarter", "Q3", "--format", "json").stdout)
    assert document["illustrative"] is True
    annual = stratctl("report", "--data", DATA, "--year", "2021/22").stdout
    assert annual.startswith("> **Illustrative data.**")


def test_a_repository_of_its_own_values_carries_no_notice(stratctl: Stratctl, repo: Path) -> None:
    paper = stratctl("report", "--quarter", "Q3").stdout
    assert "Illustrative" not in paper


@pytest.mark.slow
def test_every_page_of_the_bundled_pdf_says_illustrative_and_none_shows_machinery(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    from typer.testing import CliRunner

    from stratctl.cli.app import app

    output = tmp_path / "paper.pdf"
    result = CliRunner().invoke(
        app, ["report", "--data", DATA, "--quarter", "Q3", "--format", "pdf", "-o", str(output)]
    )
    assert result.exit_code == 0, result.stderr
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(output.read_bytes())).pages]
    assert len(pages) > 5
    assert [n for n, text in enumerate(pages, 1) if "Illustrative data" not in text] == []
    assert [(n, _machinery(text)) for n, text in enumerate(pages, 1) if _machinery(text)] == []


SAID_BY_THEIR_FIRST_SENTENCE = {
    "O002": "about .github/CODEOWNERS, never a record: no paper lists it",
    "N001": "a suppression comment that suppresses nothing: the strategy office's own housekeeping",
    "Y009": "text cut where ' #' begins: the rule's own sentence says it plainly",
    "Y012": "a file that is never read: about the repository's folders, not a record",
}


def test_every_warning_a_paper_can_list_has_words_for_the_board() -> None:
    """A new warning rule needs its Board words (BoardWords in the catalogue), or a reason here why not."""
    from stratctl.rules import RULES

    unsaid = {code for code, rule in RULES.items() if rule.severity.value == "warning" and rule.board is None}
    assert unsaid == set(SAID_BY_THEIR_FIRST_SENTENCE)
    for code, rule in RULES.items():
        if rule.board is not None:
            assert "{n}" in rule.board.one and "{n}" in rule.board.many, code
            assert rule.board.sentence(1) != rule.board.sentence(2).replace("2", "1"), code  # one and many differ
