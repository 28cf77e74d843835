"""The paper a Board secretary sends: cover sheet, the BAF in full, errors that stop it, a real PDF."""

from __future__ import annotations

import math
import re
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT, Stratctl

pypdf = pytest.importorskip("pypdf")  # the test extra installs it
weasyprint = pytest.importorskip("weasyprint")  # the pdf extra: dev.py installs it for the tests


@pytest.fixture
def trust(northfield: Path) -> Path:
    return northfield


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


# --- errors stop the paper -----------------------------------------------------------------------


def _break_two_records(root: Path) -> None:
    _edit(root / "data" / "objectives" / "sepsis.yaml", "lead: CMO", "lead: COOO")  # R001 at 7:7
    _edit(
        root / "data" / "risks" / "r2.yaml",
        "current: {likelihood: 3, consequence: 4}",
        "current: {likelihood: 4, consequence: 4}",
    )  # K006: current is not its latest review's rating


def test_a_paper_is_not_rendered_from_records_with_errors(trust: Path, stratctl: Stratctl) -> None:
    _break_two_records(trust)
    output = trust / "board.html"
    outcome = stratctl("report", "--format", "html", "--output", str(output))
    assert outcome.exit_code == 1
    assert "data/objectives/sepsis.yaml:6:7: R001 unknown executive 'COOO'" in outcome.stderr
    assert "data/risks/r2.yaml:6:10: K006" in outcome.stderr
    assert "--allow-errors" in outcome.stderr and not output.exists() and outcome.stdout == ""


def test_allow_errors_says_so_on_the_cover_and_lists_them_for_the_board(trust: Path, stratctl: Stratctl) -> None:
    _break_two_records(trust)
    html = stratctl("report", "--format", "html", "--allow-errors").stdout
    cover = html[html.index('<header class="cover"') : html.index("</header>")]
    assert 'role="alert"' in cover and "Produced from records with 2 errors." in cover
    appendix = html[html.index('id="data-quality"') :]
    assert (
        "Screen every eligible patient for sepsis" in appendix
        and "Every reference names something that exists (1 record)" in appendix
    )
    assert "Nurse vacancies" in appendix and "is the rating of the latest review" in appendix
    markdown = stratctl("report", "--allow-errors").stdout
    assert "> **Produced from records with 2 errors.**" in markdown
    appendix_md = markdown[markdown.index("## Appendix: data quality") :]
    assert "stratctl " not in appendix_md.replace("stratctl 0.", "")  # the Board is never handed a command


# --- the cover sheet -----------------------------------------------------------------------------


def test_the_cover_sheet_comes_from_trust_yaml_and_the_command_line(trust: Path, stratctl: Stratctl) -> None:
    (trust / "data" / "trust.yaml").write_text(
        (trust / "data" / "trust.yaml").read_text()
        + (
            "report:\n  purpose: information\n  presenter: CMO\n"
            "  meeting: Board of Directors meeting in public\n  item: '9'\n"
            "  author: Head of Strategy\n  previously_considered: Executive Committee, 7 December 2023\n"
        )
    )
    markdown = stratctl("report").stdout
    assert "| Meeting | Board of Directors meeting in public, agenda item 9 |" in markdown
    assert "| Presented by | Chief Medical Officer |" in markdown
    assert "| Report author | Head of Strategy |" in markdown
    assert "| Previously considered by | Executive Committee, 7 December 2023 |" in markdown
    dated = stratctl("report", "--meeting-date", "2023-10-12", "--author", "Director of Strategy").stdout
    assert "| Meeting | Board of Directors meeting in public, 12 October 2023, agenda item 9 |" in dated
    assert "| Report author | Director of Strategy |" in dated
    assert "☒ For information" in markdown and "☐ For assurance" in markdown
    given = stratctl(
        "report",
        "--purpose",
        "decision",
        "--presenter",
        "COO",
        "--item",
        "7.2",
        "--recommendation",
        "Approve the recovery plan.",
        "--format",
        "html",
    ).stdout
    assert '☒</span> For decision<span class="visually-hidden"> (this paper\'s purpose)</span>' in given
    assert "Agenda item 7.2" in given and "Chief Operating Officer" in given and "Approve the recovery plan." in given
    assert stratctl("report", "--presenter", "CEOO").exit_code == 2


# --- the BAF in full -----------------------------------------------------------------------------

R1 = {  # every part of risk r1's BAF entry, as tests/fixtures/lifecycle/data/risks/r1.yaml gives it
    "controls": ["Weekly patient tracking list review", "Clinical harm reviews for long waiters"],
    "gaps": ["No insourcing capacity for orthopaedics"],
    "assurance_gaps": ["No independent audit of harm reviews"],
    "assurances": ["Divisional performance reviews", "Internal audit of waiting list validation"],
    "actions": ["Insourcing contract for orthopaedics", "Independent audit of harm reviews"],
}


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_each_risks_baf_entry_is_in_the_paper(trust: Path, stratctl: Stratctl, fmt: str) -> None:
    text = stratctl("report", "--quarter", "2023/24 Q2", "--format", fmt).stdout
    heading = "### r1: Elective backlog" if fmt == "md" else '<h3 id="risk-r1-title">r1: Elective backlog'
    start = text.index(heading)
    entry = text[start : text.index("r2: Nurse vacancies", start)]
    for part, values in R1.items():
        for value in values:
            assert value in entry, (part, value)
    assert "Quality and Safety Committee" in entry and "Chief Operating Officer" in entry
    assert "16 (L4 × C4)" in entry and "20 (L5 × C4)" in entry and "8 (L2 × C4)" in entry  # current, inherent, target
    assert "Backlog falling; harm reviews still unaudited." in entry  # the latest review note
    assert ("**overdue**" if fmt == "md" else "Overdue") in entry  # the audit was due 2023-09-01, not done
    assert ("Positive" in entry and "Limited" in entry) and ("First line" in entry and "Third line" in entry)


def test_the_heat_map_shows_where_each_risk_is_heading_and_how_it_moved(trust: Path, stratctl: Stratctl) -> None:
    # At 2023/24 Q1 r1 is L4 x C4 (16), down from L5 x C4 (20) at 2022/23 Q4; its target is L2 x C4.
    markdown = stratctl("report", "--quarter", "2023/24 Q1").stdout
    rows = {int(row[2]): row for row in re.findall(r"^\| [1-5] \|.*$", markdown, flags=re.MULTILINE)}
    assert "16: ● r1 ↓" in rows[4] and "8: ○ r1" in rows[2]
    html = stratctl("report", "--quarter", "2023/24 Q1", "--format", "html").stdout
    assert (
        '<span class="mark">● r1 <span class="short">Elective backlog</span> <span class="movement">↓</span></span>'
        in html
    )


def test_empty_sections_say_so_in_one_line(repo: Path, stratctl: Stratctl) -> None:
    (repo / "data" / "risks" / "0101.yaml").unlink()
    (repo / "data" / "strategies" / "people.yaml").unlink()
    for path in (repo / "data" / "objectives").glob("*.yaml"):
        path.write_text(path.read_text().replace("delivers: [people.pipeline]\n", "").replace('risks: ["0101"]\n', ""))
    trust = repo / "data" / "trust.yaml"
    trust.write_text(trust.read_text().replace('    risks: ["0101"]\n', ""))
    for fmt in ("md", "html"):
        text = stratctl("report", "--format", fmt).stdout
        assert "No strategic risks are recorded." in text and "No enabling strategies are recorded." in text
    for path in (repo / "data" / "objectives").glob("*.yaml"):
        path.unlink()
    for fmt in ("md", "html"):  # no objective at all: the tracker says so, and no table is a header alone
        text = stratctl("report", "--format", fmt).stdout
        assert "No supporting objectives are recorded for 2021/22." in text
        assert "| Priority | C | G | A | R |" not in text and "By trust priority" not in text
        assert "No supporting objective under this priority in 2021/22." in text  # not a table's header alone


# --- the PDF -------------------------------------------------------------------------------------


def _pdf(stratctl: Stratctl, *args: str) -> bytes:
    outcome = stratctl("report", "--format", "pdf", *args)
    assert outcome.exit_code == 0, outcome.stderr
    output = Path(args[args.index("--output") + 1])
    return output.read_bytes()


def _outline(reader: Any) -> list[str]:
    titles: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def _headings(html: str) -> list[str]:
    """The section headings (h2) and sub-headings (h3) of the HTML paper, as text."""
    found = re.findall(r"<h([23])\b[^>]*>(.*?)</h\1>", html, flags=re.DOTALL)
    return [
        re.sub(r"\s+", " ", re.sub(r"<span class=\"visually-hidden\">.*?</span>|<[^>]+>", "", text))
        .strip()
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&#34;", '"')
        for _, text in found
    ]


@pytest.mark.slow
def test_the_pdf_reads_back_with_its_outline_metadata_and_every_control(
    trust: Path, stratctl: Stratctl, tmp_path: Path
) -> None:
    first = tmp_path / "a.pdf"
    pdf = _pdf(stratctl, "--quarter", "2023/24 Q2", "--output", str(first))
    assert pdf.startswith(b"%PDF-")  # that two renders give one file is tests/test_pdf.py's
    reader = pypdf.PdfReader(first)
    metadata = reader.metadata
    assert metadata.title == "Northfield Hospitals NHS Foundation Trust: Strategy delivery report, 2023/24 Q2"
    assert metadata.author == "Northfield Hospitals NHS Foundation Trust"
    assert metadata.subject == "Board paper on the delivery of the trust strategy"
    html = stratctl("report", "--quarter", "2023/24 Q2", "--format", "html").stdout
    assert _outline(reader) == _headings(html)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for control in R1["controls"]:
        assert control in text
    assert len(reader.pages) >= 8
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers (PDF/UA)
    assert _layout_problems(reader, html) == []  # r1's BAF page ends on its own page, its review note with it


def _own_lines(page: Any, furniture: list[str]) -> list[str]:
    """A PDF page's lines of text without its running header and footer."""
    lines: list[str] = []
    for line in page.extract_text().splitlines():
        text = " ".join(line.split())
        for running in furniture:
            text = text.replace(running, "").strip()
        if text and not re.fullmatch(r"Page \d+ of \d+", text):
            lines.append(text)
    return lines


def _layout_problems(reader: Any, html: str) -> list[str]:
    """Pages that hold too little to stand alone, or that end with a heading its text went on without."""
    furniture = [
        " ".join(re.sub(r"<[^>]+>", "", text).split()).replace("&amp;", "&")
        for text in re.findall(r'<span class="running-(?:trust|paper)">(.*?)</span>', html)
    ]
    headings = {
        " ".join(re.sub(r"<span class=\"visually-hidden\">.*?</span>|<[^>]+>", "", inner).split()).replace("&amp;", "&")
        for _, attributes, inner in re.findall(r"<(h[2-6]|caption)\b([^>]*)>(.*?)</\1>", html, flags=re.DOTALL)
        if "visually-hidden" not in attributes
    }
    sections = {  # a short section whole on a page of its own is no section's last lines left alone
        " ".join(re.sub(r"<[^>]+>", "", inner).split()).replace("&amp;", "&")
        for inner in re.findall(r"<h2\b[^>]*>(.*?)</h2>", html, flags=re.DOTALL)
    }
    problems: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        lines = _own_lines(page, furniture)
        if len(" ".join(lines)) < 150 and not (lines and lines[0] in sections):
            problems.append(f"page {number} holds only {lines}")
        elif lines[-1] in headings:
            problems.append(f"page {number} ends with the heading {lines[-1]!r}")
    return problems


def _font_sizes(page: Any, marker: str) -> list[float]:
    """The point size of each run of text on `page` that holds `marker`."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if marker in text:
            sizes.append(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]))

    page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.slow
def test_the_bundled_q3_pdf_is_laid_out_for_the_board(
    tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECT)
    output = tmp_path / "board.pdf"
    _pdf(stratctl, "--year", "2021/22", "--quarter", "Q3", "--output", str(output))
    html = stratctl("report", "--year", "2021/22", "--quarter", "Q3", "--format", "html").stdout
    reader = pypdf.PdfReader(output)
    # no page holds only a section's last lines, or only "Actions: None recorded.", and none ends with a heading
    assert _layout_problems(reader, html) == []
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    [heat_map] = [
        number
        for number, p in enumerate(pages)
        if "Strategic risks: Board Assurance Framework" in p and "Heat map: where each risk is now" in p
    ]
    assert "a risk's current rating" in pages[heat_map]  # its key on its page, not spilt over the next risk's
    sizes = _font_sizes(reader.pages[heat_map], "●") + _font_sizes(reader.pages[heat_map], "○")
    assert len(sizes) >= 11 and round(min(sizes), 1) >= 8  # every risk placed on it, in print no smaller than 8 points
    # an objective's heading in the measures section stays on the page of its chart, never at the foot of the one before
    [heading_page] = [p for p in pages if "Reduce maternity service vacancies to 5% by Q4 Projected year end" in p]
    assert "Midwife vacancy rate: 17.55%" in heading_page


@pytest.mark.slow
def test_a_paper_never_fetches_anything(
    trust: Path, stratctl: Stratctl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = trust / "templates"
    templates.mkdir()
    shutil.copy(PROJECT / "templates" / "_appendix.html.j2", templates / "_appendix.html.j2")
    _edit(templates / "_appendix.html.j2", "</section>", '<img src="http://198.51.100.7/pixel.png" alt="">\n</section>')
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    _pdf(stratctl, "--output", str(tmp_path / "paper.pdf"))
    assert attempts == []


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_baf_page_says_which_quarters_had_no_review_and_which_priorities_cite_the_risk(
    trust: Path, stratctl: Stratctl, fmt: str
) -> None:
    _edit(
        trust / "data" / "trust.yaml",
        "    year: 2023/24\n    until: 2024/25\n",
        "    year: 2023/24\n    until: 2024/25\n    risks: [r1]\n",
    )
    text = stratctl("report", "--quarter", "2023/24 Q3", "--format", fmt, "--allow-errors").stdout
    heading = "### r1: Elective backlog" if fmt == "md" else '<h3 id="risk-r1-title">r1: Elective backlog'
    start = text.index(heading)
    entry = text[start : text.index("r2: Nurse vacancies", start)]
    # r1 was reviewed at 2023/24 Q2, not at Q3: its Q3 score is carried from Q2, and the page says so
    assert (
        "2023/24 Q2 16, 2023/24 Q3 16 (no review)" in entry
        if fmt == "md"
        else "No review in 2023/24 Q3: the score shown is the one in force from before." in entry
    )
    assert (
        "none cites it; cited by the priority Grow our own" in entry
        if fmt == "md"
        else "Cited by the priority Grow our own." in entry
    )


def test_an_earlier_quarters_paper_lists_no_warning_about_a_later_quarter_or_another_year(
    trust: Path, stratctl: Stratctl
) -> None:
    nurses = trust / "data" / "objectives" / "nurse-recruitment.yaml"
    nurses.write_text(
        nurses.read_text()
        + "  - quarter: 2023/24 Q3\n    progress: on-track\n    comment: 80 in post.\n    projected: R\n"
    )
    assert "P001 declared R, computed G for 2023/24 Q3" in stratctl("validate").stdout

    def appendix(quarter: str) -> str:
        return stratctl("report", "--quarter", quarter).stdout.split("## Appendix: data quality")[1]

    assert "for 2023/24 Q3" in appendix("2023/24 Q3")
    assert "2023/24 Q3" not in appendix("2023/24 Q2")  # the Q2 paper reads as it did before Q3 was entered
    assert stratctl("rollover", "--to", "2024/25").exit_code == 0
    assert "L010" in stratctl("validate").stdout  # long-waits-2024-25 sits under a priority that has ended
    assert "2024/25" not in appendix("2023/24 Q2")  # next year's objectives are not this paper's


def test_objectives_never_reported_and_those_without_this_quarters_update_are_told_apart(
    tmp_path: Path,
    stratctl: Stratctl,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shutil.copytree(PROJECT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    summary = (
        stratctl("report", "--quarter", "Q4").stdout.split("## Executive summary")[1].split("## ")[0]
    )  # no Q4 update yet
    assert "0 not yet reported" in summary  # every objective has a position from an earlier quarter
    assert "25 without a Q4 update" in summary  # the open ones have not been updated this quarter
    assert "with no update" not in summary


def test_the_annual_report_writes_a_title_ending_in_a_full_stop_without_a_stray_colon(
    trust: Path, stratctl: Stratctl
) -> None:
    hospital = trust / "data" / "objectives" / "new-hospital.yaml"
    text = hospital.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    hospital.write_text(text.replace(title, title + "."))
    for fmt in ("md", "html"):
        report = stratctl("report", "--year", "2023/24", "--format", fmt).stdout
        assert "new hospital: continues to 2024/25" in report and ".: continues" not in report


def test_the_appendix_names_an_undelivered_commitment_by_its_title(
    tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(PROJECT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    appendix = stratctl("report", "--quarter", "Q3").stdout.split("## Appendix: data quality")[1]
    assert (
        "- Digital, Data and Technology Strategy: Streamlining IT operations, building on industry best practice"
        in appendix
    )
