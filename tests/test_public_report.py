"""The public annual report (`report --year Y --audience public`), as a patient or a member of the public
reads it: no record id, file path, rule code or git hash in any format; nothing of the BAF the trust
has not marked public; the trust's own words; the same bytes from the same records.

The ids are read from each bundled trust's records, not written out here: every id a record, a list
of trust.yaml, a measure or a commitment has, and every reference (an executive's id as `lead`). The
trust's own prose (titles, comments, descriptions) is taken out of the text before the ids are looked
for, since an id such as `quality` or `digital` is also an ordinary word the trust may write.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from stratctl.loading import load_repository
from stratctl.periods import FinancialYear
from stratctl.rules import RULES
from tests.conftest import FIXTURES, PROJECT, Stratctl
from tests.hostile import PAYLOADS, write_hostile_repository

TRUSTS = {
    "nwaft": (PROJECT / "data", "2021/22"),
    "sthft-2022-23": (PROJECT / "examples" / "sthft" / "data", "2022/23"),
    "sthft-2023-24": (PROJECT / "examples" / "sthft" / "data", "2023/24"),
    "northfield-2022-23": (FIXTURES / "lifecycle" / "data", "2022/23"),
    "northfield-2023-24": (FIXTURES / "lifecycle" / "data", "2023/24"),
    "ambulance": (FIXTURES / "ambulance" / "data", "2025/26"),
    "riverside": (FIXTURES / "second_trust" / "data", "2022/23"),
    "minimal": (FIXTURES / "minimal" / "data", "2021/22"),
}
"""Every bundled trust (the repository's data/, examples/ and the test fixtures), in a year it reports."""
TEMPLATES = PROJECT / "templates"

PROSE_KEYS = {
    "title",
    "name",
    "short_name",
    "description",
    "statement",
    "comment",
    "rationale",
    "note",
    "reason",
    "vision",
    "values",
    "source",
    "controls",
    "gaps",
    "assurance_gaps",
    "amended",
    "unit",
    "meeting",
    "recommendation",
    "author",
    "previously_considered",
}
"""The fields whose values are the trust's own words, not references to an id."""

REFERENCE_KEYS = {"lead", "owner", "priority", "supports", "threatens", "risks", "delivers", "committee", "theme"}


def _walk(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(field, text) for every string in a record's dump, lists and nested records included."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, str(k))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk(item, key)
    elif isinstance(value, str):
        yield key, value


def ids_and_prose(data: Path) -> tuple[set[str], list[str]]:
    """Every id and reference the trust's records hold, and the trust's own words, longest first."""
    loaded = load_repository(data)
    repository = loaded.repository
    assert repository.trust is not None
    dumps = [repository.trust.record.model_dump(by_alias=True)]
    dumps += [item.record.model_dump(by_alias=True) for records in repository.records.values() for item in records]
    ids: set[str] = set()
    prose: set[str] = set()
    for dump in dumps:
        for key, text in _walk(dump):
            if key == "id" or key in REFERENCE_KEYS or key == "carried_from" or key == "successors":
                ids.add(text)
            elif key in PROSE_KEYS:
                prose.add(" ".join(text.split()))
    for strategy in repository.strategies:
        ids.update(f"{strategy.record.id}.{c.id}" for c in strategy.record.commitments)
    ids.discard("")
    # an id that is also a word of stratctl's own sentences ("goals": "our long-term goals") is a word there
    template_words = set(re.findall(r"[\w-]+", "".join(p.read_text() for p in TEMPLATES.glob("public.*.j2"))))
    return ids - template_words, sorted(prose, key=len, reverse=True)


class _Text(HTMLParser):
    """The visible text of an HTML page and every attribute value (an id in `id=` is an id too)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "style":
            self.skip += 1
        self.parts.extend(f" {value} " for _, value in attrs if value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def without_prose(text: str, prose: list[str]) -> str:
    """The text with the trust's own words taken out (whitespace made single spaces first)."""
    flat = " ".join(text.split())
    for words in prose:
        flat = flat.replace(words, " ")
    return flat


def leaked(text: str, ids: set[str], prose: list[str]) -> list[str]:
    """The ids, paths and rule codes in `text` outside the trust's own words."""
    rest = without_prose(text, prose)
    found = sorted(i for i in ids if re.search(rf"(?<![\w.-]){re.escape(i)}(?![\w-])", rest))
    found += sorted(set(re.findall(r"[\w./-]*\.ya?ml\b|\bdata/\w*|\b(?:objectives|risks|strategies)/", rest)))
    found += sorted(code for code in RULES if re.search(rf"\b{code}\b", rest))
    return found


def _render(stratctl: Stratctl, data: Path, year: str, fmt: str, out: Path) -> bytes:
    outcome = stratctl(
        "report", "--data", str(data), "--year", year, "--audience", "public", "--format", fmt, "-o", str(out)
    )
    assert outcome.exit_code == 0, outcome.stderr
    return out.read_bytes()


def _pdf_text(pdf: bytes) -> list[str]:
    pypdf = pytest.importorskip("pypdf")
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("name", list(TRUSTS))
def test_no_record_id_path_or_rule_code_in_markdown_or_html(stratctl: Stratctl, tmp_path: Path, name: str) -> None:
    data, year = TRUSTS[name]
    ids, prose = ids_and_prose(data)
    assert len(ids) >= 5  # the check reads the records it is about
    markdown = _render(stratctl, data, year, "md", tmp_path / "public.md").decode("utf-8")
    html = _render(stratctl, data, year, "html", tmp_path / "public.html").decode("utf-8")
    assert leaked(markdown, ids, prose) == []
    assert leaked(html_text(html), ids, prose) == []
    # the check can fail: the Board's annual report of the same year names executives by their ids
    if name == "nwaft":
        board = stratctl("report", "--data", str(data), "--year", year).stdout
        assert leaked(board, ids, prose) != []


@pytest.mark.slow
@pytest.mark.parametrize("name", ["nwaft", "sthft-2023-24", "northfield-2023-24", "ambulance"])
def test_no_record_id_in_the_pdf_and_every_page_says_illustrative(
    stratctl: Stratctl, tmp_path: Path, name: str
) -> None:
    pytest.importorskip("weasyprint")
    data, year = TRUSTS[name]
    ids, prose = ids_and_prose(data)
    pages = _pdf_text(_render(stratctl, data, year, "pdf", tmp_path / "public.pdf"))
    text = " ".join(pages)
    # pypdf joins a wrapped line with a space or a line break: words are compared one space apart
    assert leaked(text, ids, prose) == []
    assert "What we set out to do in" in " ".join(text.split())
    illustrative = load_repository(data).repository.trust
    assert illustrative is not None
    if illustrative.record.illustrative:
        assert [n for n, page in enumerate(pages, 1) if "Illustrative data" not in page] == []


def test_the_bundled_trusts_illustrative_banner_and_the_trusts_own_words(stratctl: Stratctl, tmp_path: Path) -> None:
    data, year = TRUSTS["sthft-2023-24"]
    markdown = _render(stratctl, data, year, "md", tmp_path / "public.md").decode("utf-8")
    html = _render(stratctl, data, year, "html", tmp_path / "public.html").decode("utf-8")
    assert markdown.startswith("> **Illustrative data.**")
    assert 'class="banner illustrative"' in html
    repository = load_repository(data).repository
    assert repository.trust is not None
    # each strategic objective's description and each objective's year-end comment, as the records say them
    financial_year = FinancialYear.parse(year)
    quarters = [financial_year.quarter(n) for n in range(1, 5)]
    described = [
        s.description
        for s in repository.trust.record.strategic_objectives
        if s.description and any(s.in_force_at(q) for q in quarters)
    ]
    assert described
    for description in described:
        assert " ".join(description.split()) in " ".join(markdown.split())
    last_comments = [
        o.record.updates[-1].comment
        for o in repository.objectives
        if o.record.updates and o.record.updates[-1].quarter.year == financial_year
    ]
    assert last_comments
    for comment in last_comments:
        assert comment is not None and " ".join(comment.split()) in " ".join(markdown.split())


def test_only_what_the_trust_marked_public_of_the_baf(stratctl: Stratctl, tmp_path: Path) -> None:
    data, year = TRUSTS["sthft-2023-24"]
    markdown = _render(stratctl, data, year, "md", tmp_path / "public.md").decode("utf-8")
    html = html_text(_render(stratctl, data, year, "html", tmp_path / "public.html").decode("utf-8"))
    for text in (" ".join(markdown.split()), " ".join(html.split())):
        for loaded in load_repository(data).repository.risks:
            risk = loaded.record
            private = [*risk.controls, *risk.gaps, *risk.assurance_gaps, *(a.source for a in risk.assurances)]
            private += [r.note for r in risk.reviews if r.note]
            assert [words for words in private if " ".join(words.split()) in text] == []
            assert (risk.description is not None and " ".join(risk.description.split()) in text) == risk.public
            for action in risk.actions:
                assert (action.title in text) == (risk.public and action.public), action.title
        assert "The main risks we are managing" in text
    # a trust that marks nothing public has no risk section at all
    assert "The main risks" not in _render(stratctl, *TRUSTS["ambulance"], "md", tmp_path / "a.md").decode("utf-8")


def test_the_same_records_give_the_same_bytes_wherever_they_are(stratctl: Stratctl, tmp_path: Path) -> None:
    """Two copies of the records, in git (so the records' date is shown) at different paths: the same bytes."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    outputs: dict[str, list[bytes]] = {"md": [], "html": [], "pdf": []}
    hashes = []
    for place in ("first", "second/deeper"):
        root = tmp_path / place
        shutil.copytree(PROJECT / "examples" / "sthft" / "data", root / "data")
        environment = {
            "GIT_AUTHOR_DATE": "2024-05-02T10:00:00+00:00",
            "GIT_COMMITTER_DATE": "2024-05-02T10:00:00+00:00",
            "GIT_AUTHOR_NAME": "Strategy office",
            "GIT_AUTHOR_EMAIL": "strategy@example.nhs.uk",
            "GIT_COMMITTER_NAME": "Strategy office",
            "GIT_COMMITTER_EMAIL": "strategy@example.nhs.uk",
            "PATH": "/usr/bin:/bin",
        }
        for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "records"]):
            subprocess.run(["git", "-C", str(root), *command], check=True, env=environment)
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
        ).stdout.strip()
        hashes.append(commit)
        for fmt in ("md", "html", *(["pdf"] if _has_weasyprint() else [])):
            outputs[fmt].append(_render(stratctl, root / "data", "2023/24", fmt, tmp_path / f"{len(hashes)}.{fmt}"))
    assert hashes[0] == hashes[1]  # the same commit: the same repository
    for fmt, pair in outputs.items():
        if pair:
            assert pair[0] == pair[1], fmt
    markdown = outputs["md"][0].decode("utf-8")
    assert "2 May 2024" in markdown  # the records' date, from the commit
    assert hashes[0][:7] not in markdown and hashes[0][:7] not in outputs["html"][0].decode("utf-8")
    if outputs["pdf"]:
        assert hashes[0][:7] not in " ".join(_pdf_text(outputs["pdf"][0]))


def _has_weasyprint() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def test_positions_are_words_never_letters_alone(stratctl: Stratctl) -> None:
    from stratctl.periods import Quarter, ReportingPoint
    from stratctl.reporting.provenance import Provenance
    from stratctl.reporting.public import build_public_report
    from stratctl.status import build_status
    from stratctl.workspace import Workspace

    for data, year in TRUSTS.values():
        repository = Workspace.open(data).load().repository
        assert repository.trust is not None
        point = ReportingPoint.end_of(Quarter(FinancialYear.parse(year), 4), repository.trust.record.year_start_month)
        lineage = {o.record.id: o.record for o in repository.objectives}
        report = build_public_report(build_status(repository, point), Provenance("0", None, False), lineage)
        words = [report.summary]
        for theme in report.themes:
            for goal in theme.goals:
                words.append(goal.summary)
                words += [m.sentence for m in goal.measures]
                for objective in goal.objectives:
                    words += [objective.outcome, objective.journey, *(m.sentence for m in objective.measures)]
        words += [f"{risk.level} {risk.aim}" for risk in report.risks]
        assert [w for w in words if re.search(r"(?<![\w-])[RAGC](?![\w-])", w)] == []
        assert [w for w in words if re.search(r"\bQ[1-4]\b", w)] == []  # quarters are months


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_hostile_text_is_escaped_in_every_format(stratctl: Stratctl, tmp_path: Path) -> None:
    data = write_hostile_repository(tmp_path / "hostile")
    risk = data / "risks" / "100.yaml"
    risk.write_text(risk.read_text(encoding="utf-8") + "public: true\n", encoding="utf-8")
    html = _render(stratctl, data, "2021/22", "html", tmp_path / "public.html").decode("utf-8")
    markdown = _render(stratctl, data, "2021/22", "md", tmp_path / "public.md").decode("utf-8")
    parser = _Tags()
    parser.feed(html)
    assert {tag for tag, _ in parser.tags} & {"script", "img", "iframe", "object", "embed", "style"} == {"style"}
    assert [t for t, attrs in parser.tags if t == "style"] == ["style"]  # the page's own, and no other
    assert [(t, name) for t, attrs in parser.tags for name, _ in attrs if name.startswith("on")] == []
    links = [value or "" for _, attrs in parser.tags for name, value in attrs if name in ("href", "src")]
    assert [link for link in links if link.strip().lower().startswith("javascript:")] == []
    text = html_text(html)
    assert "{{ 7 * 7 }}" in text and "loop loop" not in text  # a template in the text is never run
    assert "<script>window.__xss = 1</script>" in text  # shown as the text it is
    assert "The main risks we are managing" in text
    assert "\n<script>" not in markdown and "\\<script\\>" in markdown
    assert "](javascript:" not in markdown.replace("\\](javascript:", "")
    assert "{{ 7 \\* 7 }}" in markdown
    assert "The main risks we are managing" in markdown
    assert PAYLOADS[-1].split(" ")[0] in markdown  # Welsh and other scripts kept as written


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--quarter", "Q3"], "give --year alone"),
        (["--format", "json"], "md, html or pdf"),
        (["--committee", "quality-committee"], "--committee"),
        (["--allow-errors"], "--allow-errors"),
        (["--since", "HEAD"], "--since"),
    ],
)
def test_what_the_public_report_refuses(stratctl: Stratctl, args: list[str], says: str) -> None:
    data = FIXTURES / "lifecycle" / "data"
    outcome = stratctl("report", "--data", str(data), "--year", "2023/24", "--audience", "public", *args)
    assert outcome.exit_code == 2
    assert says in outcome.stderr
    assert outcome.stdout == ""


def test_an_audience_stratctl_does_not_know_is_refused(stratctl: Stratctl) -> None:
    outcome = stratctl("report", "--data", str(PROJECT / "data"), "--year", "2021/22", "--audience", "press")
    assert outcome.exit_code == 2
    assert "board" in outcome.stderr and "public" in outcome.stderr


def test_the_board_annual_report_is_still_the_default(stratctl: Stratctl) -> None:
    data, year = TRUSTS["nwaft"]
    default = stratctl("report", "--data", str(data), "--year", year).stdout
    board = stratctl("report", "--data", str(data), "--year", year, "--audience", "board").stdout
    public = stratctl("report", "--data", str(data), "--year", year, "--audience", "public").stdout
    assert default == board and "| Supporting objective | Executive director |" in board
    assert "| Supporting objective |" not in public and "What we set out to do in 2021/22" in public


def test_a_trusts_own_template_overrides_the_public_one(stratctl: Stratctl, northfield: Path) -> None:
    (northfield / "templates").mkdir()
    (northfield / "templates" / "public.md.j2").write_text(
        "Our own report for {{ r.year }}: {{ r.objective_count }} objectives.\n", encoding="utf-8"
    )
    outcome = stratctl("report", "--year", "2023/24", "--audience", "public")
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.startswith("Our own report for 2023/24: ")


def test_a_time_in_minutes_and_seconds_says_so(stratctl: Stratctl, tmp_path: Path) -> None:
    """A handover time of 18:40 could be read as twenty to seven: the sentence says what the figures are."""
    data, year = TRUSTS["sthft-2023-24"]
    text = _render(stratctl, data, year, "md", tmp_path / "public.md").decode("utf-8")
    timed = [line for line in text.splitlines() if re.search(r"\b\d{1,3}:[0-5]\d\b", line)]
    assert timed, "the South Tees example has a handover time in minutes and seconds"
    assert all("Times are in minutes and seconds." in line for line in timed)


@pytest.mark.parametrize("name", ["sthft-2023-24", "northfield-2023-24"])
def test_the_public_charts_speak_no_spc(stratctl: Stratctl, tmp_path: Path, name: str) -> None:
    """A chart for the public shows the values against the target: no limits, special causes or icons,
    which the Board's paper explains and a patient would not know."""
    data, year = TRUSTS[name]
    html = _render(stratctl, data, year, "html", tmp_path / "public.html").decode("utf-8")
    assert "<svg" in html
    jargon = ["process limit", "special cause", "trial limit", "assurance", "variation", "spc"]
    shown = re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL).lower()  # the stylesheet's class names aside
    assert [word for word in jargon if word in shown] == []
    board_data, board_year = TRUSTS["sthft-2023-24"]
    board = stratctl("report", "--data", str(board_data), "--year", board_year, "--format", "html").stdout
    assert "special cause" in board.lower()  # the Board's annual report keeps them: the check can tell


def test_a_public_action_reads_as_it_stood_at_the_years_end(stratctl: Stratctl, tmp_path: Path) -> None:
    """An action done after the year ended was still open in that year: its report says when it was
    due, as the Board's last paper of the year did, never that it was done."""
    root = tmp_path / "sthft"
    shutil.copytree(PROJECT / "examples" / "sthft", root)
    risk = root / "data" / "risks" / "elective-waits.yaml"
    text = risk.read_text(encoding="utf-8")
    done = "    done: 2023-07-14\n"
    assert done in text
    risk.write_text(text.replace(done, done + "    public: true\n"), encoding="utf-8")
    that_year = _render(stratctl, root / "data", "2022/23", "md", tmp_path / "2022-23.md").decode("utf-8")
    next_year = _render(stratctl, root / "data", "2023/24", "md", tmp_path / "2023-24.md").decode("utf-8")
    action = "Waiting list validation of every pathway over 18 weeks"
    assert f"{action} (due 30 June 2023)" in that_year and "done 14 July 2023" not in that_year
    assert f"{action} (done 14 July 2023)" in next_year
