"""The Board report: golden files, escaping of hostile text, whole table cells, determinism."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stratctl.reporting import render as render_module
from tests.conftest import PROJECT, Stratctl
from tests.hostile import LONG_TITLE, PAYLOADS, write_hostile_repository

sys.path.insert(0, str(PROJECT / "scripts"))
from regenerate_golden import EXAMPLES, render_all

GOLDEN = PROJECT / "tests" / "golden"


@pytest.mark.parametrize("data", list(EXAMPLES), ids=lambda path: path.parent.name)
def test_golden_reports_match(data: Path) -> None:
    """If this fails after an intended change, run scripts/regenerate_golden.py and review the diff."""
    for name, text in render_all(data, EXAMPLES[data]).items():
        assert text == (GOLDEN / name).read_text(encoding="utf-8"), name


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hostile_repository(tmp_path_factory.mktemp("hostile"))


def _report(stratctl: Stratctl, data: Path, *args: str) -> str:
    outcome = stratctl("report", "--data", str(data), "--quarter", "Q3", *args)
    assert outcome.exit_code == 0, outcome.stderr
    return outcome.stdout


def test_hostile_html_is_escaped(stratctl: Stratctl, hostile: Path) -> None:
    html = _report(stratctl, hostile, "--format", "html")
    assert "<script" not in html
    assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    # The paper's own charts are inline SVG images (role="img"); no other SVG, and no image, may appear.
    assert re.findall(r'<svg(?![^>]*\brole="img")', html) == [] and "onload=" not in html.replace(
        "onload=&#34;", ""
    ).replace("onload=&quot;", "")
    assert "<img" not in html and "javascript:" not in html.replace("javascript:window", "")
    assert 'href="javascript' not in html
    assert "198.51.100.7/pixel.png" not in re.findall(r'(?:src|href)="([^"]*)"', html)
    assert "{{ 7 * 7 }}" in html and ">49<" not in html
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in html


def test_hostile_markdown_is_escaped_and_cells_stay_whole(stratctl: Stratctl, hostile: Path) -> None:
    markdown = _report(stratctl, hostile)
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "{{ 7 \\* 7 }}" in markdown
    assert "](javascript:" not in markdown.replace("\\](javascript:", "")
    for table in re.findall(r"(?:^\|.*\|\n)+", markdown, flags=re.MULTILINE):
        rows = table.strip("\n").split("\n")
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, rows
    assert LONG_TITLE in markdown
    assert "Ysbyty Gwynedd ŵ ŷ · 医院 · مستشفى · 🏥" in markdown


def test_every_objective_and_risk_is_present(stratctl: Stratctl, hostile: Path) -> None:
    for fmt in ("md", "html"):
        text = _report(stratctl, hostile, "--format", fmt)
        for n in range(len(PAYLOADS)):
            assert f"#{20 + n}" in text or n % 4 == 3, (fmt, n)  # each objective's Q3 comment
        assert "#60" in text  # the risk's title


def test_reports_are_byte_identical_across_runs(stratctl: Stratctl, hostile: Path) -> None:
    for fmt in ("md", "html", "json"):
        assert _report(stratctl, hostile, "--format", fmt) == _report(stratctl, hostile, "--format", fmt)


def test_output_file_is_written_and_nothing_else_changes(stratctl: Stratctl, hostile: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "board.html"
    target.parent.mkdir()
    outcome = stratctl("report", "--data", str(hostile), "-q", "Q3", "--format", "html", "--output", str(target))
    assert outcome.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in target.parent.iterdir()) == ["board.html"]


def test_a_repository_template_overrides_and_cannot_escape_the_sandbox(stratctl: Stratctl, repo: Path) -> None:
    (repo / "templates").mkdir()
    (repo / "templates" / "board.md.j2").write_text(
        "Trust: {{ r.trust_name }}\n{{ r.__class__.__init__.__globals__ }}\n"
    )
    outcome = stratctl("report", "-q", "Q3")
    assert outcome.exit_code == 2
    assert "SecurityError" in outcome.stderr or "unsafe" in outcome.stderr
    (repo / "templates" / "board.md.j2").write_text("Trust: {{ r.trust_name }}\n")
    assert stratctl("report", "-q", "Q3").stdout == "Trust: Example Valley NHS Trust\n"


def test_unknown_template_and_bad_quarter_exit_2(stratctl: Stratctl, repo: Path) -> None:
    said = {
        ("-q", "Q3", "--template", "nope"): "no template 'nope.md.j2' in the repository's templates/ or stratctl's own",
        ("-q", "Q7"): "'Q7' is not a quarter: write it as 2021/22 Q3, or Q3 for trust.yaml's year",
        ("-q", "Q3", "--as-of", "2021-11-01"): "give --quarter or --as-of, not both",
    }
    for options, message in said.items():
        outcome = stratctl("report", *options)
        assert (outcome.exit_code, outcome.stdout) == (2, ""), options  # no paper at all
        assert outcome.stderr == f"stratctl: error: {message}\n"


def test_a_broken_record_stops_the_report(stratctl: Stratctl, repo: Path) -> None:
    (repo / "data" / "risks" / "0101.yaml").write_text("id: [\n")
    outcome = stratctl("report", "-q", "Q3")
    assert outcome.exit_code == 1  # an error in the records: no paper, the finding named (docs/records.md)
    assert "data/risks/0101.yaml:2:1: Y001" in outcome.stderr and outcome.stdout == ""
    allowed = stratctl("report", "-q", "Q3", "--allow-errors")
    assert allowed.exit_code == 0 and "Produced from records with 1 error" in allowed.stdout


def test_output_file_gets_ordinary_permissions(stratctl: Stratctl, repo: Path) -> None:
    import os

    umask = os.umask(0o022)
    try:
        assert stratctl("report", "-q", "Q3", "--output", "out.md").exit_code == 0
    finally:
        os.umask(umask)
    assert (repo / "out.md").stat().st_mode & 0o777 == 0o644


# Prose characters, with the ones that matter to Markdown mixed in, so that about half of the
# generated comments take the plain-paragraph shortcut and the rest go through markdown-it.
_PROSE = [*"abZ9 .,-+:;()/'\"£é&!#=", "Q3", "1.", "&amp;"]
_MARKDOWN = [*"*_`[]<>|~\\\n\t\u00a0", "1. ", "  ", "&#35;", "- "]
_PROSE_COMMENTS = st.builds(
    lambda first, rest: first + "".join(rest),
    st.sampled_from(["R", "9", "é", "Q3"]),
    st.lists(st.sampled_from(_PROSE), max_size=16),
)
_COMMENTS = st.one_of(
    _PROSE_COMMENTS, st.lists(st.sampled_from(_PROSE + _MARKDOWN), min_size=1, max_size=16).map("".join)
)


@given(_COMMENTS)
@example("C&P MOU in place - NWAFT will implement when it is launched.")
@example('Recruited 12 "international" nurses; 3 start in Q4 (see plan)')
@example("1) first")
@example("Ends with two spaces  ")
def test_plain_comment_shortcut_matches_markdown_it(comment: str) -> None:
    """The shortcut for plain comments must give exactly what markdown-it gives."""
    expected = render_module._markdown().render(comment).replace("<a href=", '<a rel="noopener noreferrer" href=')
    assert str(render_module.markdown_html(comment)) == expected


def test_plain_comment_shortcut_is_taken_for_prose() -> None:
    assert render_module._is_plain_paragraph('Recruited 12 "international" nurses & 3 HCAs (Q4)')
    assert not render_module._is_plain_paragraph("Recruited *12* nurses")
    assert not render_module._is_plain_paragraph("1. Recruit\n2. Retain")


def test_the_sandbox_judges_each_attribute_by_the_type_that_holds_it() -> None:
    """Verdicts are remembered per (type, attribute): a safe `gi_frame` elsewhere never unlocks a generator's."""
    from types import SimpleNamespace

    from jinja2.exceptions import SecurityError

    env = render_module.environment("md", None)
    template = env.from_string("{{ holder.gi_frame }}|{{ gen.gi_frame }}")
    generator = (n for n in range(1))
    with pytest.raises(SecurityError):
        template.render(holder=SimpleNamespace(gi_frame="ok"), gen=generator)
    assert env.from_string("{{ holder.gi_frame }}").render(holder=SimpleNamespace(gi_frame="ok")) == "ok"


def test_line_breaks_in_names_and_block_markdown_in_comments_stay_in_place(stratctl: Stratctl, repo: Path) -> None:
    """A line break in a heading's text cannot end the heading; a comment cannot make a heading."""
    trust = repo / "data" / "trust.yaml"
    trust.write_text(
        trust.read_text()
        .replace("name: Example Valley NHS Trust", 'name: "Example Valley\\n\\nNHS Trust"')
        .replace("    title: Recover safely", '    title: "Recover\\n\\n- safely"')
    )
    talent = repo / "data" / "objectives" / "talent.yaml"
    talent.write_text(
        talent.read_text().replace(
            "comment: Talent strategy in development.", 'comment: "# Strategy\\n\\n---\\n\\n> in *development*"'
        )
    )
    for args in (("-q", "Q3"), ("--year", "2021/22")):
        markdown = stratctl("report", *args).stdout
        assert "Example Valley NHS Trust" in markdown and "Recover - safely" in markdown
        assert not re.search(r"^(NHS Trust|- safely)", markdown, flags=re.MULTILINE)
    html = stratctl("report", "-q", "Q3", "--format", "html").stdout
    assert "<h1>Strategy" not in html and "<hr" not in html and "<blockquote" not in html
    assert "# Strategy" in html and "<em>development</em>" in html


def test_the_annual_report_says_whether_the_year_is_over(stratctl: Stratctl, repo: Path) -> None:
    unfinished = stratctl("report", "--year", "2021/22").stdout
    assert "Reported up to Q3. The year is not over: no outcome is final until the Q4 updates." in unfinished
    for objective in sorted((repo / "data" / "objectives").glob("*.yaml")):
        outcome = stratctl("update", objective.stem, "--quarter", "Q4", "--progress", "complete", "--comment", "Done")
        assert outcome.exit_code == 0, outcome.stderr
    finished = stratctl("report", "--year", "2021/22").stdout
    assert "Reported up to Q4." in finished and "The year is not over" not in finished
    assert "| Delivered |" in finished


def test_an_unscored_risk_is_listed_last_not_a_template_failure(stratctl: Stratctl, repo: Path) -> None:
    risk = repo / "data" / "risks" / "0101.yaml"
    scored = risk.read_text()
    (repo / "data" / "risks" / "0102.yaml").write_text(
        scored.replace('id: "0101"', 'id: "0102"').replace("Patient flow", "Estates")
    )
    risk.write_text(
        scored.replace("current: {likelihood: 4, consequence: 5, score: 20}", "current: {likelihood: 4}").replace(
            "    current: {score: 20}", "    current: {likelihood: 4}"
        )
    )
    assert stratctl("report", "-q", "Q3").exit_code == 1  # an unscored risk is an error: no paper from it
    for fmt in ("md", "html"):
        outcome = stratctl("report", "-q", "Q3", "--format", fmt, "--allow-errors")
        assert outcome.exit_code == 0, outcome.stderr
        assert outcome.stdout.index("Estates") < outcome.stdout.rindex("Patient flow")  # the unscored one last


HOSTILE_TEMPLATES = {  # each template, and the guard that stops it
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}": "loop iterations and calls",
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}": "loop iterations and calls",
    "{{ 'a' * 10**10 }}": "characters or items",
    "{{ [0] * 10**9 }}": "characters or items",
    "{{ 10 ** 1000000 }}": "an integer too large to compute",
    "{{ 'x'.ljust(10**10) }}": "a width beyond any report's",
    "{{ '{:>9999999999}'.format(1) }}": "a width or precision beyond any report's",
    "{{ '%099999999999d' % 1 }}": "a width or precision beyond any report's",
    "{{ 'x' | center(10**10) }}": "center would give",
    "{{ ('x' * 1000000) | replace('x', 'x' * 1000) }}": "replace would give",
    "{{ range(100000) | join('x' * 1000) }}": "join would give",
    "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
    "{{ ns.s | length }}": "a text of",
    "{% set l = [1] %}{% for i in range(60) %}{{ l.extend(l) }}{% endfor %}": "a list of more than",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}": "calls itself",
}


@pytest.mark.parametrize(("template", "guard"), HOSTILE_TEMPLATES.items())
def test_a_repository_template_that_would_run_unbounded_stops_with_a_message(
    stratctl: Stratctl, repo: Path, monkeypatch: pytest.MonkeyPatch, template: str, guard: str
) -> None:
    from stratctl.reporting import render as rendering

    # a twentieth of the budget, which the loops reach in a fraction of a second rather than seconds; the
    # test below holds the real budget far above what a report uses, and how fast is the benchmark's
    monkeypatch.setattr(rendering, "MAX_OPERATIONS", rendering.MAX_OPERATIONS // 20)
    (repo / "templates").mkdir()
    (repo / "templates" / "board.md.j2").write_text(template + "\n")
    outcome = stratctl("report", "-q", "Q3")
    assert (outcome.exit_code, outcome.stdout) == (2, ""), outcome.stdout[:200]
    assert outcome.stderr.startswith("stratctl: error: template board.md.j2 stopped: "), outcome.stderr
    assert guard in outcome.stderr, outcome.stderr


def test_the_template_budget_is_far_above_what_a_report_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled repository's reports count their operations and stay far inside the budget."""
    from stratctl.api.report import render_paper
    from stratctl.config import Config
    from stratctl.loading import load_repository
    from stratctl.reporting import render as rendering
    from stratctl.reporting.report import ReportRequest
    from stratctl.status import choose_point

    made: list[rendering._Sandbox] = []
    real = rendering.environment

    def remembered(fmt: str, repository_templates: Path | None) -> rendering._Sandbox:
        made.append(real(fmt, repository_templates))
        return made[-1]

    monkeypatch.setattr(rendering, "environment", remembered)
    loaded = load_repository(PROJECT / "data")
    for fmt in ("md", "html"):
        render_paper(loaded, ReportRequest(choose_point(loaded.repository, None, "Q3"), fmt), Config())
    assert [env._operations > 0 for env in made] == [True, True]
    assert all(env._operations < rendering.MAX_OPERATIONS // 10_000 for env in made)


def test_a_fifo_template_is_refused_not_waited_on(repo: Path) -> None:
    import os
    import subprocess
    import sys

    (repo / "templates").mkdir()
    os.mkfifo(repo / "templates" / "board.md.j2")
    done = subprocess.run(
        [sys.executable, "-m", "stratctl", "report", "-q", "Q3"], cwd=repo, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 2
    assert "board.md.j2" in done.stderr and "named pipe" in done.stderr


def test_a_comment_too_long_for_markdown_is_shown_as_escaped_text(stratctl: Stratctl, repo: Path) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_text(
        path.read_text().replace("comment: Talent strategy in development.", "comment: '" + "[" * 800_000 + "<b>'")
    )
    outcome = stratctl("report", "-q", "Q3", "--format", "html")
    assert outcome.exit_code == 0, outcome.stderr
    assert "[" * 1000 + "&lt;b&gt;" in outcome.stdout
    assert "shown as plain text: too long to be read as Markdown" in outcome.stdout


def test_a_title_of_whitespace_is_written_out_whole_on_its_line(stratctl: Stratctl, repo: Path) -> None:
    """Half a megabyte of spaces once took minutes to render (a pattern that backtracked over the run).
    A test holds what the paper says, not how long it took: a slow render shows as a slow suite."""
    path = repo / "data" / "trust.yaml"  # an executive's title is written out as it is, kept on its line
    path.write_text(
        path.read_text().replace("title: Chief People Officer", 'title: "Chief' + " " * 500_000 + 'People\\n"')
    )
    outcome = stratctl("report", "-q", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    executives = [line for line in outcome.stdout.splitlines() if line.startswith("Executive directors: ")]
    assert executives == ["Executive directors: COO Chief Operating Officer; CPO Chief" + " " * 500_000 + "People ."]


@pytest.mark.parametrize("kind", ["a loop of links", "a broken link"])
def test_a_template_that_is_a_broken_link_is_an_error_not_a_fallback(stratctl: Stratctl, repo: Path, kind: str) -> None:
    (repo / "templates").mkdir()
    link = repo / "templates" / "board.md.j2"
    link.symlink_to(link if kind == "a loop of links" else repo / "nowhere.j2")
    outcome = stratctl("report", "-q", "Q3")
    assert outcome.exit_code == 2
    assert "board.md.j2" in outcome.stderr and "cannot be read" in outcome.stderr


@pytest.mark.parametrize("data", list(EXAMPLES), ids=lambda path: path.parent.name)
def test_the_bundled_examples_are_in_the_layout_fmt_writes(data: Path, stratctl: Stratctl) -> None:
    """A trust copying an example (stratctl init --example) starts with files fmt leaves alone."""
    outcome = stratctl("fmt", "--check", "--data", str(data))
    assert outcome.exit_code == 0, outcome.stdout
    assert "0 of" in outcome.stderr


LATE_FAILURE = "{% for i in range(3000) %}{{ 'line of the paper ' * 100 }}\n{% endfor %}{{ no_such_name.attribute }}\n"


def test_a_template_that_fails_after_writing_much_leaves_the_output_as_it_was(
    stratctl: Stratctl, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The paper is streamed into a spool, not to the destination: a late failure writes nothing."""
    from stratctl.cli import report as report_cli
    from stratctl.reporting import render as rendering

    monkeypatch.setattr(rendering, "WRITE_EVERY", 1000)  # many pieces written before the failure
    monkeypatch.setattr(report_cli, "SPOOL_IN_MEMORY", 10_000)  # and the spool on disk by then
    (repo / "templates").mkdir()
    (repo / "templates" / "board.md.j2").write_text(LATE_FAILURE)
    target = repo / "paper.md"
    target.write_text("the paper the Board saw\n")
    to_file = stratctl("report", "-q", "Q3", "--output", str(target))
    to_terminal = stratctl("report", "-q", "Q3")
    assert to_file.exit_code == to_terminal.exit_code == 2
    assert "template board.md.j2 line 2 failed" in to_file.stderr
    assert target.read_text() == "the paper the Board saw\n"
    assert to_terminal.stdout == ""
    assert not [p for p in repo.rglob("*.tmp")]  # no half-written temporary file left beside it


def test_a_paper_written_in_pieces_is_the_paper_written_whole(
    stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stratctl.cli import report as report_cli
    from stratctl.reporting import render as rendering

    monkeypatch.chdir(PROJECT)
    whole = stratctl("report", "-q", "Q3", "--format", "html").stdout
    monkeypatch.setattr(rendering, "WRITE_EVERY", 97)
    monkeypatch.setattr(report_cli, "SPOOL_IN_MEMORY", 1000)
    pieces = stratctl("report", "-q", "Q3", "--format", "html").stdout
    assert len(whole) > 10_000 and pieces == whole


def test_a_streamed_paper_is_still_refused_beyond_the_output_limit(
    stratctl: Stratctl, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stratctl.reporting import render as rendering

    monkeypatch.setattr(rendering, "MAX_STREAMED", 50_000)
    monkeypatch.setattr(rendering, "WRITE_EVERY", 1000)
    (repo / "templates").mkdir()
    (repo / "templates" / "board.md.j2").write_text("{% for i in range(2000) %}{{ 'x' * 100 }}{% endfor %}\n")
    outcome = stratctl("report", "-q", "Q3")
    assert outcome.exit_code == 2 and outcome.stdout == ""
    assert "its output passed" in outcome.stderr


def test_a_paper_larger_than_what_a_template_may_hold_at_once_is_streamed_whole(
    stratctl: Stratctl, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output cap bounds memory, not a large trust's paper: a national paper is longer than any
    one block's output may be, and renders; a macro that builds more than that at once stops."""
    from stratctl.reporting import render as rendering

    monkeypatch.setattr(rendering, "MAX_OUTPUT", 50_000)
    monkeypatch.setattr(rendering, "WRITE_EVERY", 1000)
    (repo / "templates").mkdir()
    board = repo / "templates" / "board.md.j2"
    board.write_text("{% for i in range(2000) %}{{ 'x' * 99 }}\n{% endfor %}")
    outcome = stratctl("report", "-q", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout == ("x" * 99 + "\n") * 2000  # 200,000 characters, four times what may be held
    board.write_text("{% macro all() %}{% for i in range(2000) %}{{ 'x' * 99 }}\n{% endfor %}{% endmacro %}{{ all() }}")
    outcome = stratctl("report", "-q", "Q3")
    assert outcome.exit_code == 2 and "its output passed" in outcome.stderr


def test_the_template_budget_counts_cpu_time_not_the_clock(
    stratctl: Stratctl, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import itertools
    import time

    (repo / "templates").mkdir()
    (repo / "templates" / "board.md.j2").write_text(
        "{% for i in range(300) %}{% for j in range(1000) %}{% endfor %}{% endfor %}done\n"
    )
    # A loaded machine: an hour of the clock passes between two checks of the budget, no CPU time.
    hours = itertools.count(step=3600.0)
    monkeypatch.setattr(time, "monotonic", lambda: next(hours))
    monkeypatch.setattr(time, "time", lambda: next(hours))
    outcome = stratctl("report", "-q", "Q3")
    assert outcome.exit_code == 0 and outcome.stdout == "done\n", outcome.stderr
    # Slow work: each check of the budget finds another second of CPU time used.
    seconds = itertools.count(step=1.0)
    monkeypatch.setattr(time, "process_time", lambda: next(seconds))
    outcome = stratctl("report", "-q", "Q3")
    assert outcome.exit_code == 2
    assert "template board.md.j2 stopped: it used more than 60 seconds of CPU time" in outcome.stderr


def test_a_failing_template_is_named_with_its_line_even_when_included(stratctl: Stratctl, repo: Path) -> None:
    (repo / "templates").mkdir()
    (repo / "templates" / "board.md.j2").write_text('# Paper\n{% include "_part.md.j2" %}\n')
    (repo / "templates" / "_part.md.j2").write_text("line one\n{{ no_such.thing }}\n")
    outcome = stratctl("report", "-q", "Q3")
    assert outcome.exit_code == 2 and outcome.stdout == ""
    assert outcome.stderr.startswith("stratctl: error: template _part.md.j2 line 2 failed: UndefinedError"), (
        outcome.stderr
    )
