"""`stratctl site`: the strategy as a website, checked as a visitor and as the Board office would.

Every record has its page, every link leads somewhere (anchors too), every quarter of an
objective's lineage is on its page, the archive holds each quarter's paper (the signed-off ones
rebuilt from their tags and checked against their digests), and the folder is written all or
nothing, never through a link. The pages in a real browser are tests/test_site_browser.py's.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stratctl.cli.app import app
from stratctl.loading import load_repository
from stratctl.periods import Quarter
from stratctl.signoff import parse_message
from tests.conftest import FIXTURES, PROJECT, Outcome, snapshot
from tests.hostile import write_hostile_repository
from tests.site_helpers import page_text, read_page, section_rows, walk

Run = Callable[..., Outcome]
TRUSTS = {
    "nwaft": PROJECT / "data",
    "sthft": PROJECT / "examples" / "sthft" / "data",
    "lifecycle": FIXTURES / "lifecycle" / "data",
    "ambulance": FIXTURES / "ambulance" / "data",
    "second_trust": FIXTURES / "second_trust" / "data",
}


def _build(data: Path, output: Path, *extra: str) -> Outcome:
    result = CliRunner().invoke(app, ["site", "--data", str(data), "--output", str(output), *extra])
    return Outcome(result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The site of each bundled trust and fixture, built once."""
    built = {}
    for name, data in TRUSTS.items():
        output = tmp_path_factory.mktemp("sites") / name
        outcome = _build(data, output)
        assert outcome.exit_code == 0, outcome.stderr
        built[name] = output
    return built


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=board@example.nhs.uk", "-c", "user.name=Board Secretary", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.parametrize("name", list(TRUSTS))
def test_every_record_has_its_page_and_every_page_is_reached_from_home(sites: dict[str, Path], name: str) -> None:
    site = sites[name]
    repository = load_repository(TRUSTS[name]).repository
    assert repository.trust is not None
    trust = repository.trust.record
    expected = {
        "objectives": {o.record.id: o.record.title for o in repository.objectives},
        "risks": {k.record.id: k.record.title for k in repository.risks},
        "strategic-objectives": {s.id: s.title for s in trust.strategic_objectives},
        "committees": {c.id: c.title for c in trust.committees},
        "executives": {e.id: e.title for e in trust.executives},
    }
    for folder, records in expected.items():
        pages = {p.name for p in (site / folder).glob("*.html")} - {"index.html"}
        assert len(pages) == len(records), folder
        for record_id, title in records.items():
            page = site / folder / f"{record_id.lower()}.html"
            assert page.is_file(), page
            assert " ".join(title.split()) in page_text(page), page
    walked = walk(site)
    assert walked.broken == []
    assert walked.links > 0
    every_page = {p.resolve() for p in site.rglob("*.html")}
    assert every_page - walked.reached == set()  # no page the site's links never lead to


@pytest.mark.parametrize("name", list(TRUSTS))
def test_pages_hold_no_script_and_nothing_from_outside(sites: dict[str, Path], name: str) -> None:
    for path in sites[name].rglob("*.html"):
        page = read_page(path)
        assert page.scripts == 0, path
        assert page.external == [], path
        assert "default-src 'none'" in path.read_text(encoding="utf-8"), path  # the paper's CSP


def _updates_rows(page: Path) -> list[list[str]]:
    """The rows of the updates section's tables: quarter, progress, position, comment."""
    return [row for row in section_rows(page, "updates") if row and row[0] != "Quarter"]


@pytest.mark.parametrize("name", ["sthft", "lifecycle", "nwaft"])
def test_each_objective_page_shows_every_quarter_of_its_lineage(sites: dict[str, Path], name: str) -> None:
    repository = load_repository(TRUSTS[name]).repository
    objectives = {o.record.id: o.record for o in repository.objectives}
    last = max(u.quarter for o in objectives.values() for u in o.updates)  # the site's quarter
    successors: dict[str, list[str]] = {}
    for objective in objectives.values():
        if objective.carried_from:
            successors.setdefault(objective.carried_from, []).append(objective.id)
    carried = 0
    for objective in objectives.values():
        lineage, queue = {objective.id}, [objective.id]
        while queue:  # both ways along carried_from
            current = queue.pop()
            linked = [*successors.get(current, []), objectives[current].carried_from]
            for other in linked:
                if other and other in objectives and other not in lineage:
                    lineage.add(other)
                    queue.append(other)
        carried += len(lineage) > 1
        rows = _updates_rows(sites[name] / "objectives" / f"{objective.id.lower()}.html")
        shown = [Quarter.parse(row[0]) for row in rows]
        expected = sorted(
            Quarter.from_index(index)
            for member in lineage
            for index in range(
                objectives[member].year.quarter(1).index, min(objectives[member].last_year.quarter(4), last).index + 1
            )
        )
        assert sorted(shown) == expected, objective.id
        for member in lineage:
            for update in objectives[member].updates:
                row = rows[shown.index(update.quarter)]
                assert row[1] == update.progress.replace("-", " ").capitalize(), (objective.id, update.quarter)
                if update.comment:
                    assert " ".join(update.comment.split())[:60] in row[3], (objective.id, update.quarter)
    if name != "nwaft":
        assert carried > 0  # the bundled two-year trust and the fixture do carry objectives forward


def test_the_archive_holds_each_quarters_paper_as_report_writes_it(sites: dict[str, Path], tmp_path: Path) -> None:
    repository = load_repository(TRUSTS["sthft"]).repository
    quarters = sorted({u.quarter for o in repository.objectives for u in o.record.updates})
    archive = sites["sthft"] / "archive"
    papers = sorted(p.name for p in archive.glob("*-Q?.html"))
    assert papers == [f"{q.year.start}-{(q.year.start + 1) % 100:02d}-{q.label}.html" for q in quarters]
    for quarter in (quarters[0], quarters[-1]):
        out = tmp_path / "paper.html"
        result = CliRunner().invoke(
            app,
            ["report", "--data", str(TRUSTS["sthft"]), "--quarter", str(quarter), "--format", "html", "-o", str(out)],
        )
        assert result.exit_code == 0, result.stderr
        stem = f"{quarter.year.start}-{(quarter.year.start + 1) % 100:02d}-{quarter.label}"
        assert (archive / f"{stem}.html").read_bytes() == out.read_bytes()
    listing = page_text(archive / "index.html")
    for quarter in quarters:
        assert str(quarter) in listing
    assert "Not signed off" in listing  # the bundled records are not in git: nothing is signed off


def test_the_changes_between_quarters_are_the_positions_that_moved(sites: dict[str, Path]) -> None:
    changes = sites["sthft"] / "archive" / "2023-24-Q1-changes.html"
    text = page_text(changes)
    assert "What changed from 2022/23 Q4 to 2023/24 Q1" in text
    assert "Carried forward" in text  # the year turned: unfinished objectives carried into 2023/24
    assert not (sites["sthft"] / "archive" / "2022-23-Q1-changes.html").exists()  # nothing before the first
    assert "nothing before it to compare with" in page_text(sites["sthft"] / "archive" / "index.html")


def test_a_risk_page_shows_its_whole_score_history_and_what_replaced_it(sites: dict[str, Path]) -> None:
    page = sites["sthft"] / "risks" / "industrial-action.html"
    text = page_text(page)
    assert "Closed in 2023/24 Q3" in text
    assert "Its place was taken by" in text
    assert 'href="../risks/workforce-supply.html"' in page.read_text(encoding="utf-8")
    html = page.read_text(encoding="utf-8")
    for quarter in ("2022/23 Q3", "2022/23 Q4", "2023/24 Q1", "2023/24 Q2", "2023/24 Q3"):
        assert quarter in html  # every quarter from its opening to its closing, charted and listed
    assert "It took the place of" in page_text(sites["sthft"] / "risks" / "workforce-supply.html")


@pytest.mark.slow  # two sites built, or a repository signed off in git
def test_the_site_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert _build(TRUSTS["sthft"], first).exit_code == 0
    assert _build(TRUSTS["sthft"], second).exit_code == 0
    assert snapshot(first) == snapshot(second)


@pytest.mark.slow  # two sites built, or a repository signed off in git
def test_an_earlier_quarter_gives_the_site_as_it_stood_then(tmp_path: Path) -> None:
    output = tmp_path / "site"
    assert _build(TRUSTS["sthft"], output, "--quarter", "2023/24 Q2").exit_code == 0
    assert sorted(p.name for p in (output / "archive").glob("*-Q?.html"))[-1] == "2023-24-Q2.html"
    rows = _updates_rows(output / "objectives" / "long-waits-2023-24.html")
    assert [row[0] for row in rows][-1] == "2023/24 Q2"
    assert "as of 2023/24 Q2" in page_text(output / "index.html")


# --- the folder: all or nothing, never through a link ------------------------------------------


def test_a_failing_page_leaves_no_site_and_no_folder_beside_it(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    shutil.copytree(TRUSTS["sthft"].parent, root)
    (root / "templates" / "site").mkdir(parents=True)
    (root / "templates" / "site" / "risk.html.j2").write_text("{{ page.no_such_thing.anything }}", encoding="utf-8")
    output = tmp_path / "out" / "site"
    output.parent.mkdir()
    outcome = _build(root / "data", output)
    assert outcome.exit_code == 2
    assert "risk.html.j2" in outcome.stderr
    assert list(output.parent.iterdir()) == []


@pytest.mark.slow  # two sites built, or a repository signed off in git
def test_a_failing_build_leaves_the_earlier_site_whole(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    shutil.copytree(TRUSTS["sthft"].parent, root)
    output = tmp_path / "site"
    assert _build(root / "data", output).exit_code == 0
    before = snapshot(output)
    (root / "templates" / "site").mkdir(parents=True)
    (root / "templates" / "site" / "archive.html.j2").write_text("{% for x in %}", encoding="utf-8")
    assert _build(root / "data", output).exit_code == 2
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "trust"]


@pytest.mark.slow  # two sites built, or a repository signed off in git
def test_a_second_site_replaces_the_first_whole(tmp_path: Path) -> None:
    output = tmp_path / "site"
    assert _build(TRUSTS["sthft"], output).exit_code == 0
    (output / "objectives" / "left-over.html").write_text("from an earlier site", encoding="utf-8")
    assert _build(TRUSTS["sthft"], output, "--quarter", "2022/23 Q4").exit_code == 0
    assert not (output / "objectives" / "left-over.html").exists()
    assert (output / ".stratctl-site").is_file()
    assert not (output / "archive" / "2023-24-Q1.html").exists()


def test_an_empty_folder_takes_the_site(tmp_path: Path) -> None:
    output = tmp_path / "site"
    output.mkdir()
    assert _build(TRUSTS["nwaft"], output).exit_code == 0
    assert (output / "index.html").is_file()


def test_a_folder_of_other_files_is_refused_and_kept(tmp_path: Path) -> None:
    output = tmp_path / "docs"
    output.mkdir()
    (output / "minutes.docx").write_text("the Board's minutes", encoding="utf-8")
    outcome = _build(TRUSTS["nwaft"], output)
    assert outcome.exit_code == 2
    assert "minutes.docx" in outcome.stderr and "would be lost" in outcome.stderr
    assert snapshot(output) == {"minutes.docx": b"the Board's minutes"}


def test_a_link_is_never_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "site"
    os.symlink(elsewhere, link)
    outcome = _build(TRUSTS["nwaft"], link)
    assert outcome.exit_code == 2
    assert "symbolic link" in outcome.stderr
    assert list(elsewhere.iterdir()) == []
    assert link.is_symlink()


def test_a_file_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "site"
    file.write_text("not a folder", encoding="utf-8")
    assert "it is a file" in _build(TRUSTS["nwaft"], file).stderr
    missing = tmp_path / "no" / "such" / "site"
    outcome = _build(TRUSTS["nwaft"], missing)
    assert outcome.exit_code == 2 and "create it first" in outcome.stderr
    assert not (tmp_path / "no").exists()


def test_records_with_errors_give_no_site(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    shutil.copytree(FIXTURES / "minimal", root)
    objective = next((root / "data" / "objectives").glob("*.yaml"))
    objective.write_text(objective.read_text(encoding="utf-8").replace("lead:", "lead: NOBODY\nx_lead:", 1))
    output = tmp_path / "site"
    outcome = _build(root / "data", output)
    assert outcome.exit_code == 1
    assert not output.exists()


def test_the_repositorys_own_template_overrides_a_page(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    shutil.copytree(TRUSTS["nwaft"].parent / "data", root / "data")
    (root / "templates" / "site").mkdir(parents=True)
    (root / "templates" / "site" / "home.html.j2").write_text(
        '{% extends "site/_page.html.j2" %}{% block title %}Ours{% endblock %}'
        "{% block main %}<h1>Our own home page</h1>{% endblock %}",
        encoding="utf-8",
    )
    output = tmp_path / "site"
    assert _build(root / "data", output).exit_code == 0
    assert "Our own home page" in page_text(output / "index.html")
    assert "Supporting objectives" in page_text(output / "objectives" / "index.html")  # the others are stratctl's


def test_record_text_is_escaped_on_every_page(tmp_path: Path) -> None:
    data = write_hostile_repository(tmp_path / "hostile")
    output = tmp_path / "site"
    outcome = _build(data, output)
    assert outcome.exit_code == 0, outcome.stderr
    for path in output.rglob("*.html"):
        page = read_page(path)
        assert page.scripts == 0 and page.external == [], path
        assert "<img" not in path.read_text(encoding="utf-8"), path
    assert walk(output).broken == []


# --- sign-offs --------------------------------------------------------------------------------


@pytest.fixture
def signed_trust(tmp_path: Path) -> Path:
    """South Tees' records in git, with the Board's sign-off of 2023/24 Q1 and Q2."""
    root = tmp_path / "sthft"
    shutil.copytree(TRUSTS["sthft"].parent, root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "The records the Board approved")
    env = {**os.environ, "GIT_COMMITTER_NAME": "Board Secretary", "GIT_COMMITTER_EMAIL": "board@example.nhs.uk"}
    for quarter in ("2023/24 Q1", "2023/24 Q2"):
        result = CliRunner().invoke(app, ["signoff", quarter, "--data", str(root / "data")], env=env)
        assert result.exit_code == 0, result.stderr
    return root


@pytest.mark.slow  # two sites built, or a repository signed off in git
def test_the_archive_marks_each_signed_off_quarter_with_its_tag_and_digest(signed_trust: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    outcome = _build(signed_trust / "data", output)
    assert outcome.exit_code == 0, outcome.stderr
    listing = page_text(output / "archive" / "index.html")
    for tag, stem in (("board/2023-24-Q1", "2023-24-Q1"), ("board/2023-24-Q2", "2023-24-Q2")):
        recorded = parse_message(_git(signed_trust, "for-each-ref", "--format=%(contents)", f"refs/tags/{tag}"))
        digest = recorded["Paper-SHA256"][0]
        assert tag in listing and digest in listing
        assert hashlib.sha256((output / "archive" / f"{stem}.html").read_bytes()).hexdigest() == digest
    assert listing.count("Matches") == 2
    assert listing.count("Not signed off") == 6  # the other six quarters
    assert "signed off, and matching its digest: 2023/24 Q1, 2023/24 Q2" in outcome.stderr


@pytest.mark.slow  # two sites built, or a repository signed off in git
def test_a_signed_off_paper_that_no_longer_matches_says_so(signed_trust: Path, tmp_path: Path) -> None:
    # A sign-off whose message records another digest: the paper rebuilt from the tag cannot match it.
    message = _git(signed_trust, "for-each-ref", "--format=%(contents)", "refs/tags/board/2023-24-Q2")
    recorded = parse_message(message)["Paper-SHA256"][0]
    _git(signed_trust, "tag", "-d", "board/2023-24-Q2")
    forged = message.replace(recorded, "0" * 64)
    _git(signed_trust, "tag", "-a", "--cleanup=verbatim", "-m", forged, "board/2023-24-Q2", "HEAD")
    output = tmp_path / "site"
    outcome = _build(signed_trust / "data", output)
    assert outcome.exit_code == 0
    listing = page_text(output / "archive" / "index.html")
    assert "Does not match" in listing and "0" * 64 in listing
    assert "warning: the 2023/24 Q2 paper rebuilt from its sign-off tag does not match" in outcome.stderr


@pytest.mark.slow  # two sites built, or a repository signed off in git
def test_a_pool_of_processes_writes_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A large repository's pages and earlier papers are rendered by a pool of processes: the same bytes.
    alone, pooled = tmp_path / "alone", tmp_path / "pooled"
    assert _build(TRUSTS["sthft"], alone).exit_code == 0
    monkeypatch.setattr("stratctl.loading.PARALLEL_FROM", 1)
    monkeypatch.setattr("stratctl.loading.usable_cpus", lambda: 2)
    monkeypatch.setattr("stratctl.website.pages.CHUNK", 4)
    assert _build(TRUSTS["sthft"], pooled).exit_code == 0
    assert snapshot(alone) == snapshot(pooled)


def test_the_home_page_speaks_of_earlier_papers_only_where_there_are_some(sites: dict[str, Path]) -> None:
    one = (sites["nwaft"] / "index.html").read_text(encoding="utf-8")  # the bundled trust: one quarter's paper
    many = (sites["sthft"] / "index.html").read_text(encoding="utf-8")  # South Tees: eight
    assert "papers archive</a>." in one and "every earlier quarter" not in one
    assert "papers archive</a> with every earlier quarter's." in many
