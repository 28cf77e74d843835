"""Adoption without surprises: a new trust's first imports give the tracker's year, no example
records, executives named one way, and risks linked whichever table comes first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, Stratctl, snapshot

TRACKER = FIXTURES / "trackers" / "nwaft-2021-22-q3.tsv"  # the trust's 2021/22 Q3 tracker, with its risk table


def _order(objective: Any) -> int:
    """An imported objective's place in its priority, which the import always gives."""
    assert objective.order is not None
    order: int = objective.order
    return order


def _trust(root: Path) -> Any:
    from stratctl.loading import load_repository

    trust = load_repository(root / "data").repository.trust
    assert trust is not None
    return trust.record


@pytest.fixture
def adopted(tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`stratctl init` as a new user runs it: no --year, so today's year (2026/27 or later)."""
    root = tmp_path / "newtrust"
    assert stratctl("init", str(root)).exit_code == 0
    monkeypatch.chdir(root)
    return root


def test_the_first_import_takes_the_trackers_year_and_replaces_the_examples(adopted: Path, stratctl: Stratctl) -> None:
    assert str(_trust(adopted).year) != "2021/22"
    outcome = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    assert "year" in outcome.stdout and "-> 2021/22, the tracker's year" in outcome.stdout
    assert "replaced the examples stratctl init wrote" in outcome.stdout
    trust = _trust(adopted)
    assert str(trust.year) == "2021/22"
    assert not (adopted / "data" / "objectives" / "example-objective.yaml").exists()
    assert not (adopted / "data" / "risks" / "100001.yaml").exists()
    assert not (adopted / "data" / "strategies" / "example-strategy.yaml").exists()
    recover = next(p for p in trust.priorities if p.title == "Recover safely")
    assert recover.statement.startswith(
        "We will work with partners to fully recover services"
    )  # the tracker's, not init's
    report = stratctl("report", "--format", "json")
    assert report.exit_code == 0, report.stderr
    document = json.loads(report.stdout)
    assert (document["year"], document["quarter"]) == ("2021/22", "Q3")
    assert len(document["objectives"]) == 30 and not any(o["stale"] for o in document["objectives"])
    assert "example" not in report.stdout.lower()
    assert stratctl("validate").exit_code == 0


def test_executives_are_named_by_their_initials_with_the_trackers_words_as_title(
    adopted: Path, stratctl: Stratctl
) -> None:
    outcome = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    executives = {e.id: e.title for e in _trust(adopted).executives}
    assert executives == {
        "COO": "Chief Operating Officer",  # init's, matched by id
        "CN": "Chief Nurse",
        "CMO": "CMO & Dep CEO",
        "CPO": "CPO",
        "CSATO": "CSATO",
        "CFO": "CFO",
    }
    assert "new executive CN (Chief Nurse)" in outcome.stdout and "new executive CMO (CMO & Dep CEO)" in outcome.stdout


def test_a_tracker_then_its_risk_table_links_the_priorities_risks(adopted: Path, stratctl: Stratctl) -> None:
    first = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    assert first.exit_code == 0, first.stderr
    assert "not yet in data/risks" in first.stdout
    assert all(not p.risks for p in _trust(adopted).priorities)
    assert "stratctl import risks links them" in (adopted / "data" / "trust.yaml").read_text()
    second = stratctl("import", "risks", str(TRACKER))
    assert second.exit_code == 0, second.stderr
    cited = {p.title: list(p.risks) for p in _trust(adopted).priorities}
    assert cited == {
        "Recover safely": ["103346", "103349", "103350", "103351", "103352"],
        "Celebrate and support our staff": ["103345", "103348"],
        "Sustainability": ["103343", "103344", "103353"],
    }
    assert "stratctl import risks links them" not in (adopted / "data" / "trust.yaml").read_text()
    assert stratctl("validate").exit_code == 0


def test_a_later_tracker_of_another_year_is_filed_under_its_year_and_said_plainly(
    adopted: Path, stratctl: Stratctl
) -> None:
    assert stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3").exit_code == 0
    later = adopted / "next.tsv"
    later.write_text(TRACKER.read_text().replace("2021/2022", "2022/2023").replace("31/03/2022", "31/03/2023"))
    outcome = stratctl("import", "tracker", str(later), "--quarter", "Q1")
    assert "the tracker is for 2022/23 but trust.yaml's year is 2021/22" in outcome.stdout
    assert str(_trust(adopted).year) == "2021/22"


def test_init_bare_writes_no_example_records(tmp_path: Path, stratctl: Stratctl) -> None:
    root = tmp_path / "bare"
    outcome = stratctl("init", str(root), "--bare", "--year", "2024/25")
    assert outcome.exit_code == 0, outcome.stderr
    for folder in ("objectives", "risks", "strategies"):
        assert not list((root / "data" / folder).glob("*.yaml")) if (root / "data" / folder).exists() else True
    trust = _trust(root)
    assert (str(trust.year), trust.priorities, trust.strategic_objectives) == ("2024/25", [], [])
    assert stratctl("validate", "--data", str(root / "data")).exit_code == 0


@pytest.mark.parametrize("example, year, objectives", [("nwaft", "2021/22", 30), ("sthft", "2023/24", 19)])
def test_init_example_starts_from_a_bundled_trust(
    tmp_path: Path, stratctl: Stratctl, example: str, year: str, objectives: int
) -> None:
    root = tmp_path / example
    outcome = stratctl("init", str(root), "--example", example)
    assert outcome.exit_code == 0, outcome.stderr
    assert str(_trust(root).year) == year
    assert len(list((root / "data" / "objectives").glob("*.yaml"))) == objectives
    assert (root / ".github" / "workflows" / "strategy.yml").is_file()
    title = (root / "README.md").read_text().splitlines()[0]
    assert title == f"# {_trust(root).name}: strategy records" and "Example NHS" not in title
    assert stratctl("init", str(tmp_path / "x"), "--example", "nowhere").exit_code == 2


def test_an_import_never_replaces_a_file_it_could_not_read(adopted: Path, stratctl: Stratctl) -> None:
    broken = adopted / "data" / "objectives" / "restore-and-achieve-all-cancer-standards-by-q4.yaml"
    broken.write_text("id: [unclosed\n")  # the file the tracker's first row would create
    before = snapshot(adopted)
    outcome = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    assert outcome.exit_code == 2
    assert "restore-and-achieve-all-cancer-standards-by-q4.yaml already exists" in outcome.stderr
    assert "nothing was written" in outcome.stderr
    assert snapshot(adopted) == before


def test_two_rows_with_the_same_title_become_two_objectives(adopted: Path, stratctl: Stratctl) -> None:
    tracker = adopted / "twice.tsv"
    tracker.write_text(
        "Trust Priorities 2021/2022\tSupporting Objectives 2021/2022\tExecutive Director\tCurrent Progress\tComments\n"
        "'Recover safely'\tSeven-day services-a\tCOO\tOn track\tFirst.\n"
        "\tSeven-day services a\tCOO\tOn track\tSecond.\n"
    )
    outcome = stratctl("import", "tracker", str(tracker), "--quarter", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    names = sorted(p.name for p in (adopted / "data" / "objectives").glob("seven*.yaml"))
    assert names == ["seven-day-services-a-2.yaml", "seven-day-services-a.yaml"]


def test_a_tracker_without_its_quarter_is_refused_once_and_nothing_written(adopted: Path, stratctl: Stratctl) -> None:
    before = snapshot(adopted)
    outcome = stratctl("import", "tracker", str(TRACKER))
    assert outcome.exit_code == 2
    assert outcome.stderr.count("give --quarter") == 1  # one message, not one for each of its 30 rows
    assert "30 progress update(s)" in outcome.stderr and "nothing was written" in outcome.stderr
    assert snapshot(adopted) == before


def test_the_trackers_strategic_objectives_heading_becomes_trust_yaml_entries_once(
    adopted: Path, stratctl: Stratctl
) -> None:
    first = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    assert first.exit_code == 0, first.stderr
    objectives = [(s.id, s.title) for s in _trust(adopted).strategic_objectives]
    assert objectives[0] == ("SO1", "Delivering outstanding care and experience")
    assert [i for i, _ in objectives] == ["SO1", "SO2", "SO3", "SO4", "SO5"]
    again = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    assert again.exit_code == 0, again.stderr
    assert "strategic objective" not in again.stdout
    assert len(_trust(adopted).strategic_objectives) == 5


def test_an_import_grows_trust_yamls_lists_one_entry_a_line_and_says_each_thing_once(
    adopted: Path, stratctl: Stratctl
) -> None:
    outcome = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    text = (adopted / "data" / "trust.yaml").read_text()
    assert "- id: COO" in text and "[{" not in text  # a block list, not `executives: [{id: COO, ...}]`
    lines = outcome.stdout.splitlines()
    assert len(lines) == len(set(lines))
    assert sum("priority sustainability cites risks" in line for line in lines) == 1
    assert not any(
        line.startswith("executive 'Chief Nurse' is") for line in lines
    )  # "new executive CN (Chief Nurse)" said it


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Reduce maternity service vacancies to 5% by Q4", "reduce-maternity-service-vacancies-to-5-by-q4"),
        (
            "Introduce individual health and wellbeing conversations by Q2",
            "introduce-individual-health-and-wellbeing-conversations",
        ),
        ("Achieve financial targets with a focus on the underlying position", "achieve-financial-targets-with-a-focus"),
        ("Seven-day services a", "seven-day-services-a"),  # not cut, so its last word stays
    ],
)
def test_an_imported_objectives_id_is_cut_at_a_word_and_not_after_of_the(title: str, expected: str) -> None:
    from stratctl.importing import slug

    assert slug(title) == expected
    assert len(slug("x" * 30 + " " + "y" * 40)) <= 60


@pytest.mark.parametrize("command", ["risks", "tracker"])
def test_an_import_from_something_that_is_not_a_file_says_what_it_is(
    adopted: Path, stratctl: Stratctl, command: str
) -> None:
    import os

    fifo = adopted / "pipe.tsv"
    os.mkfifo(fifo)
    before = snapshot(adopted)
    for given, said in [
        ("/dev/null", "it is a device, not a regular file"),
        (str(adopted / "data"), "it is a folder"),
        (str(fifo), "it is a named pipe (FIFO)"),
        (str(adopted / "missing.tsv"), "no such file"),
    ]:
        outcome = stratctl("import", command, given)
        assert outcome.exit_code == 2, outcome.stderr
        assert f"{given}: cannot be read: {said}" in outcome.stderr
    assert snapshot(adopted) == before


def test_a_note_reads_the_same_in_a_dry_run_as_in_a_real_run(adopted: Path, stratctl: Stratctl) -> None:
    assert stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3").exit_code == 0
    later = adopted / "next.tsv"
    later.write_text(TRACKER.read_text().replace("2021/2022", "2022/2023").replace("31/03/2022", "31/03/2023"))
    dry = stratctl("import", "tracker", str(later), "--quarter", "Q1", "--dry-run")
    real = stratctl("import", "tracker", str(later), "--quarter", "Q1")
    for outcome in (dry, real):
        notes = [line for line in outcome.stdout.splitlines() if "the tracker is for 2022/23" in line]
        assert notes == [
            "note: the tracker is for 2022/23 but trust.yaml's year is 2021/22: its objectives are filed "
            "under 2022/23; run stratctl rollover --to 2022/23 if the year has turned"
        ]
    assert any(
        line.startswith("would change ") for line in dry.stdout.splitlines()
    )  # changes still say they are planned


@pytest.fixture
def bare(tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "bare"
    assert stratctl("init", str(root), "--bare").exit_code == 0
    monkeypatch.chdir(root)
    return root


def test_risks_first_on_a_bare_repository_invents_no_lead_and_says_so(bare: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("import", "risks", str(TRACKER))
    assert outcome.exit_code == 0, outcome.stderr
    assert "the risk table has no 'Lead' column" in outcome.stderr
    assert "the risk table names no lead for 11 new risks" in outcome.stdout and "none is invented" in outcome.stdout
    assert _trust(bare).executives == []  # no executive made up to lead them
    for path in (bare / "data" / "risks").glob("*.yaml"):
        assert "\nlead:" not in path.read_text(), path.name
    assert _risk(bare, "103350").lead is None
    checked = stratctl("validate")
    assert checked.exit_code == 0 and " 0 errors" in checked.stdout, checked.stdout
    assert checked.stdout.count("P009") == 11


def test_risks_first_on_a_bare_repository_adds_the_lead_given_as_an_executive(bare: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("import", "risks", str(TRACKER), "--lead", "CEO")
    assert outcome.exit_code == 0, outcome.stderr
    assert (
        "trust.yaml: new executive CEO (CEO): give its full title in trust.yaml (e.g. Chief Executive)"
        in outcome.stdout
    )
    assert [(e.id, e.title) for e in _trust(bare).executives] == [("CEO", "CEO")]
    assert "lead: CEO\n" in (bare / "data" / "risks" / "103353.yaml").read_text()
    checked = stratctl("validate")
    assert checked.exit_code == 0 and " 0 errors" in checked.stdout, checked.stdout  # warnings only (P006)
    tracker = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")  # then the tracker, which links them
    assert tracker.exit_code == 0, tracker.stderr
    cited = {p.title: list(p.risks) for p in _trust(bare).priorities}
    assert cited["Sustainability"] == ["103343", "103344", "103353"]
    again = stratctl("import", "risks", str(TRACKER), "--lead", "ceo")  # found, in any case, not added twice
    assert again.exit_code == 0, again.stderr
    assert [e.id for e in _trust(bare).executives].count("CEO") == 1
    assert stratctl("fmt", "--check").exit_code == 0  # risks, objectives and trust.yaml all in the canonical layout


def test_an_executive_titled_only_by_its_acronym_is_said_to_need_its_full_title(bare: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    lines = outcome.stdout.splitlines()
    assert (
        "trust.yaml: new executive COO (COO): give its full title in trust.yaml (e.g. Chief Operating Officer)" in lines
    )
    assert "trust.yaml: new executive CSATO (CSATO): give its full title in trust.yaml" in lines  # no guess at a title
    assert "trust.yaml: new executive CN (Chief Nurse)" in lines  # the tracker's words are a title
    assert "trust.yaml: new executive CMO (CMO & Dep CEO)" in lines


def test_imported_objectives_keep_the_trackers_row_order_within_each_priority(bare: Path, stratctl: Stratctl) -> None:
    from stratctl.importing import read_tracker
    from stratctl.loading import load_repository
    from stratctl.spreadsheet import read_table

    assert stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3").exit_code == 0
    assert stratctl("fmt", "--check").exit_code == 0  # written in the canonical layout, `order:` included
    rows: dict[str, list[str]] = {}
    for row in read_tracker(read_table(TRACKER)).rows:
        rows.setdefault(row.priority_title, []).append(row.title)
    trust = _trust(bare)
    objectives = load_repository(bare / "data").repository.objectives
    for priority in trust.priorities:
        under = sorted((o.record for o in objectives if o.record.priority == priority.id), key=_order)
        assert [o.title for o in under] == rows[priority.title]
        assert [o.order for o in under] == list(range(len(under)))
    paper = stratctl("report", "--format", "md").stdout  # the Board paper lists them as the tracker does
    first, second = rows["Recover safely"][0], rows["Recover safely"][1]
    assert sorted([first, second]) != [first, second]  # not alphabetical already, so the check below could fail
    assert paper.index(first) < paper.index(second)


@pytest.fixture
def tracked(tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bare repository with the tracker imported: its objectives report 2021/22 Q3."""
    root = tmp_path / "tracked"
    assert stratctl("init", str(root), "--bare", "--year", "2021/22").exit_code == 0
    monkeypatch.chdir(root)
    assert stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3").exit_code == 0
    return root


def _risk(root: Path, risk_id: str) -> Any:
    from stratctl.loading import load_repository

    return next(r.record for r in load_repository(root / "data").repository.risks if r.record.id == risk_id)


def test_import_risks_with_quarter_records_each_rating_as_that_quarters_review(
    tracked: Path, stratctl: Stratctl
) -> None:
    outcome = stratctl("import", "risks", str(TRACKER), "--quarter", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    assert "103353.yaml: new risk from row 58, reviewed 2021/22 Q3" in outcome.stdout
    risk = _risk(tracked, "103353")
    assert [(str(r.quarter), r.current.value) for r in risk.reviews] == [("2021/22 Q3", 15)]
    checked = stratctl("validate")
    assert checked.exit_code == 0 and "K008" not in checked.stdout
    assert stratctl("fmt", "--check").exit_code == 0
    assert "import again with --quarter" not in outcome.stdout  # nothing to suggest: the reviews are there

    rescored = tracked / "rescored.tsv"  # the same table a quarter later, one risk rescored
    rescored.write_text(
        "\n".join(
            line.replace("\t15\t", "\t20\t") if line.startswith("103353") else line
            for line in TRACKER.read_text().splitlines()
        )
        + "\n"
    )
    assert "\t20\t" in next(line for line in rescored.read_text().splitlines() if line.startswith("103353"))
    q4 = stratctl("import", "risks", str(rescored), "--quarter", "Q4")
    assert q4.exit_code == 0, q4.stderr
    assert "103353.yaml: current score now 20; added the 2021/22 Q4 review" in q4.stdout
    assert "103343.yaml: added the 2021/22 Q4 review" in q4.stdout  # unchanged, and reviewed that quarter too
    risk = _risk(tracked, "103353")
    assert (risk.current.value, [(str(r.quarter), r.current.value) for r in risk.reviews]) == (
        20,
        [("2021/22 Q3", 15), ("2021/22 Q4", 20)],
    )
    again = stratctl("import", "risks", str(TRACKER), "--quarter", "Q4")  # Q4 rescored back: its review replaced
    assert again.exit_code == 0, again.stderr
    assert "103353.yaml: current score now 15; replaced the 2021/22 Q4 review" in again.stdout
    assert [(str(r.quarter), r.current.value) for r in _risk(tracked, "103353").reviews] == [
        ("2021/22 Q3", 15),
        ("2021/22 Q4", 15),
    ]


def test_import_risks_without_quarter_suggests_the_quarter_the_objectives_report(
    tracked: Path, stratctl: Stratctl
) -> None:
    outcome = stratctl("import", "risks", str(TRACKER))
    assert outcome.exit_code == 0, outcome.stderr
    notes = [line for line in outcome.stdout.splitlines() if line.startswith("note: the objectives report")]
    assert "the objectives report 2021/22 Q3" in notes[0] and "import again with --quarter Q3" in notes[0]
    assert "K008" in notes[0] and not _risk(tracked, "103353").reviews


def test_import_risks_of_scores_alone_says_once_at_the_end_how_to_place_them_on_the_heat_map(
    tracked: Path, stratctl: Stratctl
) -> None:
    outcome = stratctl("import", "risks", str(TRACKER), "--quarter", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    last = outcome.stdout.splitlines()[-1]
    assert (
        outcome.stdout.count("heat map") == 1 and "heat map places only risks with a likelihood and consequence" in last
    )
    assert "11 risks" in last and "`current: {likelihood: 4, consequence: 5}`" in last  # 103350 scores 20
    suggested = last[last.index("`stratctl update") + 1 :].split("`")[0]
    assert suggested == "stratctl update 103350 --quarter Q3 --replace --likelihood 4 --consequence 5"
    assert stratctl(*suggested.split()[1:]).exit_code == 0  # the command given works as written
    assert _risk(tracked, "103350").current.likelihood == 4
    only = tracked / "one.tsv"
    lines = TRACKER.read_text().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Strategic Risk"))
    only.write_text("\n".join([lines[header], next(line for line in lines if line.startswith("103350"))]) + "\n")
    rated = stratctl(
        "import", "risks", str(only), "--quarter", "Q3"
    )  # its score unchanged: likelihood and consequence kept
    assert rated.exit_code == 0, rated.stderr
    assert "heat map" not in rated.stdout


@pytest.mark.parametrize("options", [["--year", "2023/24"], ["--name", "Anytown NHS Trust"], ["--short-name", "ANT"]])
def test_init_example_refuses_options_it_would_ignore(tmp_path: Path, stratctl: Stratctl, options: list[str]) -> None:
    root = tmp_path / "trial"
    outcome = stratctl("init", str(root), "--example", "nwaft", *options)
    assert outcome.exit_code == 2
    assert f"give {options[0]} or --example, not both" in outcome.stderr and "its own name and years" in outcome.stderr
    assert not root.exists()
    assert stratctl("init", str(root), "--bare", *options).exit_code == 0  # where the option does apply


def test_init_says_to_replace_the_workflows_placeholder(tmp_path: Path, stratctl: Stratctl) -> None:
    root = tmp_path / "trust"
    outcome = stratctl("init", str(root))
    assert outcome.exit_code == 0, outcome.stderr
    workflow = root / ".github" / "workflows" / "strategy.yml"
    assert "<your-org>" in workflow.read_text()  # what CI cannot install from until the trust replaces it
    closing = outcome.stderr.splitlines()[-1]
    assert "next:" in closing and f"replace <your-org> in {workflow}" in closing


@pytest.mark.parametrize("options", [[], ["--bare"]])
def test_init_writes_a_commented_report_block_that_validates_when_uncommented(
    tmp_path: Path, stratctl: Stratctl, options: list[str]
) -> None:
    root = tmp_path / "trust"
    assert stratctl("init", str(root), "--year", "2024/25", *options).exit_code == 0
    trust_yaml = root / "data" / "trust.yaml"
    text = trust_yaml.read_text()
    assert "\n# report:\n" in text
    for key in ("meeting", "item", "purpose", "presenter", "recommendation"):  # each key, with what it means
        line = next(line for line in text.splitlines() if line.startswith(f"#   {key}: "))
        assert "  # " in line
    uncommented = (
        "\n".join(
            line.replace("# report:", "report:")
            if line == "# report:"
            else ("  " + line[4:] if line.startswith("#   ") else line)
            for line in text.splitlines()
        )
        + "\n"
    )
    if options == ["--bare"]:  # no executive yet to present it
        uncommented = uncommented.replace("executives: []", "executives: [{id: COO, title: Chief Operating Officer}]")
    trust_yaml.write_text(uncommented)
    assert stratctl("validate", "--data", str(root / "data")).exit_code == 0
    paper = stratctl("report", "--data", str(root / "data"), "--quarter", "Q1").stdout
    assert "| Presented by | Chief Operating Officer |" in paper and "agenda item 7.2" in paper
