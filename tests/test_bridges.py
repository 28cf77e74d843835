"""import tracker, import risks and export: the trust's spreadsheets in and out."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PROJECT, Stratctl, snapshot
from tests.test_bundled_data import SEED_POSITIONS, SEED_RISKS

TRACKER = FIXTURES / "trackers" / "nwaft-2021-22-q3.tsv"  # the trust's Q3 tracker as published


@pytest.fixture
def fresh(tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "trust"
    assert stratctl("init", str(root), "--year", "2021/22").exit_code == 0
    monkeypatch.chdir(root)
    return root


def _positions(stratctl: Stratctl) -> dict[str, str]:
    status = json.loads(stratctl("status", "--year", "2021/22", "--quarter", "Q3", "--format", "json").stdout)
    return {o["title"]: o["reported"] for o in status["objectives"]}


def test_the_published_tracker_imports_into_a_fresh_repository(fresh: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    assert "0 row(s) not read" in outcome.stderr
    assert "new executive CSATO" in outcome.stdout and "new priority sustainability" in outcome.stdout
    assert stratctl("validate").exit_code == 0
    positions = _positions(stratctl)
    expected = {title: position.rstrip("↓↑") for title, position in SEED_POSITIONS.items()}
    assert {t: p for t, p in positions.items() if t in expected} == expected
    # and the arrows as published (A↓, R↓): kept as the updates' declared trend, shown where no
    # earlier position exists to compute one from; 30 of 30 positions with their arrows
    status = json.loads(stratctl("status", "--year", "2021/22", "--quarter", "Q3", "--format", "json").stdout)
    arrows = {"up": "↑", "down": "↓"}
    shown = {o["title"]: o["reported"] + arrows.get(o["trend"], "") for o in status["objectives"]}
    assert shown == SEED_POSITIONS
    summary = stratctl("report", "--year", "2021/22", "--quarter", "Q3", "--format", "md").stdout
    assert "No objective changed position." not in summary


def test_risks_then_tracker_links_the_priorities_risks(fresh: Path, stratctl: Stratctl) -> None:
    assert stratctl("import", "risks", str(TRACKER)).exit_code == 0
    assert stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3").exit_code == 0
    status = json.loads(stratctl("status", "-q", "Q3", "--year", "2021/22", "--format", "json").stdout)
    assert {r["id"]: (r["score"], r["target_score"]) for r in status["risks"] if r["id"] in SEED_RISKS} == SEED_RISKS
    from stratctl.loading import load_repository

    trust = load_repository(fresh / "data").repository.trust
    assert trust is not None
    cited = {p.id: list(p.risks) for p in trust.record.priorities}
    assert cited == {
        # init's example priority and risk are replaced by the import, not mixed with it
        "recover-safely": ["103346", "103349", "103350", "103351", "103352"],
        "celebrate-and-support-our-staff": ["103345", "103348"],
        "sustainability": ["103343", "103344", "103353"],
    }


def test_reimporting_a_later_quarter_adds_updates_not_objectives(
    fresh: Path, stratctl: Stratctl, tmp_path: Path
) -> None:
    stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    before = sorted(p.name for p in (fresh / "data" / "objectives").iterdir())
    q4 = tmp_path / "q4.tsv"
    q4.write_text(
        TRACKER.read_text().replace(
            "Celebrate staff successes\tCPO\tOn track", "Celebrate staff successes\tCPO\tBehind"
        )
    )
    outcome = stratctl("import", "tracker", str(q4), "--quarter", "Q4")
    assert outcome.exit_code == 0, outcome.stderr
    assert sorted(p.name for p in (fresh / "data" / "objectives").iterdir()) == before
    text = (fresh / "data" / "objectives" / "celebrate-staff-successes.yaml").read_text()
    assert "quarter: 2021/22 Q3" in text and "quarter: 2021/22 Q4" in text
    assert stratctl("validate").exit_code == 0
    settled = snapshot(fresh)
    again = stratctl("import", "tracker", str(q4), "--quarter", "Q4")
    assert again.exit_code == 0 and "0 file(s) written" in again.stderr
    assert snapshot(fresh) == settled


def test_unreadable_rows_are_reported_by_number_and_the_rest_imported(
    fresh: Path, stratctl: Stratctl, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.tsv"
    text = TRACKER.read_text().replace(
        "Celebrate staff successes\tCPO\tOn track", "Celebrate staff successes\tCPO\tSort of"
    )
    bad.write_text(text.replace("31/01/2022\tR", "31/02/2022\tR"))
    outcome = stratctl("import", "tracker", str(bad), "--quarter", "Q3")
    assert outcome.exit_code == 1
    assert "row 19: 'Celebrate staff successes': progress 'Sort of' is not one of" in outcome.stderr
    assert "row 43: 'Complete Stamford land sale" in outcome.stderr and "'31/02/2022' is not a date" in outcome.stderr
    assert "2 row(s) not read" in outcome.stderr
    assert len(list((fresh / "data" / "objectives").iterdir())) == 28  # init's example objective replaced
    assert stratctl("validate").exit_code == 0


def test_dry_run_writes_nothing(fresh: Path, stratctl: Stratctl) -> None:
    before = snapshot(fresh)
    outcome = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3", "--dry-run")
    assert outcome.exit_code == 0 and "would change" in outcome.stdout
    assert snapshot(fresh) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_no_record(
    tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    root = tmp_path / "trust"
    shutil.copytree(PROJECT / "data", root / "data")
    monkeypatch.chdir(root)
    sheet = tmp_path / ("board.xlsx" if fmt == "xlsx" else "board")  # CSV: a folder, a file for each table
    assert stratctl("export", "--format", fmt, "--quarter", "Q3", "--output", str(sheet)).exit_code == 0
    tracker, risks = (sheet, sheet) if fmt == "xlsx" else (sheet / "tracker.csv", sheet / "risks.csv")
    before = snapshot(root)
    assert stratctl("import", "tracker", str(tracker), "--quarter", "Q3").exit_code == 0
    assert stratctl("import", "risks", str(risks)).exit_code == 0
    assert snapshot(root) == before


def test_export_neutralises_formulas(repo: Path, stratctl: Stratctl, tmp_path: Path) -> None:
    path = repo / "data" / "objectives" / "talent.yaml"
    path.write_text(
        path.read_text().replace("comment: Talent strategy in development.", 'comment: "=HYPERLINK(\\"http://x\\")"')
    )
    rows = list(csv.reader(io.StringIO(stratctl("export", "-q", "Q3").stdout)))
    comments = [row[8] for row in rows[1:] if len(row) > 8 and row[0] == "talent"]
    assert comments == ['\'=HYPERLINK("http://x")']
    openpyxl = pytest.importorskip("openpyxl")
    assert stratctl("export", "-q", "Q3", "--format", "xlsx", "--output", str(tmp_path / "x.xlsx")).exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["Tracker"]
    cell = next(row[8] for row in sheet.iter_rows() if row[0].value == "talent")
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


def _as_csv(path: Path, delimiter: str = ",") -> str:
    """The seed tracker rewritten with another delimiter, cell for cell."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(
        csv.reader(io.StringIO(path.read_text()), delimiter="\t")
    )
    return out.getvalue()


@pytest.mark.parametrize(("name", "delimiter"), [("tracker.tsv", ","), ("tracker.txt", ","), ("tracker.csv", "\t")])
def test_a_tracker_is_read_whatever_its_delimiter_and_name(
    fresh: Path, stratctl: Stratctl, tmp_path: Path, name: str, delimiter: str
) -> None:
    tracker = tmp_path / name
    tracker.write_text(_as_csv(TRACKER, delimiter))
    outcome = stratctl("import", "tracker", str(tracker), "--quarter", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    assert "31 file(s) written; 0 row(s) not read" in outcome.stderr
    assert len(list((fresh / "data" / "objectives").iterdir())) == 30  # init's example objective replaced
    expected = {title: position.rstrip("↓↑") for title, position in SEED_POSITIONS.items()}
    assert {t: p for t, p in _positions(stratctl).items() if t in expected} == expected


@pytest.mark.parametrize(
    ("name", "content", "messages"),
    [
        (
            "notes.txt",
            "Board tracker, Q3\nsee the shared drive, folder 4\n",
            ["{file}: no tracker header row found", "'Supporting Objectives' and 'Executive Director'"],
        ),
        (
            "empty.csv",
            "Supporting Objectives,Executive Director,Current Progress\n\n",
            ["{file}: no objective rows below the tracker header (row 1)"],
        ),
    ],
    ids=["no header", "a header with no rows below"],
)
def test_a_file_with_no_tracker_in_it_fails_saying_what_was_expected(
    fresh: Path, stratctl: Stratctl, tmp_path: Path, name: str, content: str, messages: list[str]
) -> None:
    tracker = tmp_path / name
    tracker.write_text(content)
    before = snapshot(fresh)
    outcome = stratctl("import", "tracker", str(tracker), "--quarter", "Q3")
    assert outcome.exit_code == 2
    for message in messages:
        assert message.format(file=tracker) in outcome.stderr
    assert "internal error" not in outcome.stderr and "Traceback" not in outcome.stderr
    assert snapshot(fresh) == before


def test_a_line_with_no_objective_row_below_is_listed_as_not_read(
    fresh: Path, stratctl: Stratctl, tmp_path: Path
) -> None:
    tracker = tmp_path / "tracker.csv"
    tracker.write_text(
        "Trust Priorities,Supporting Objectives,Executive Director,Current Progress,Comments,Target Date,"
        "Projected Year End Position\n"
        "Recover safely,Cut waits,COO,On track,Fine,31/03/2022,G\n"
        "Footnote: figures are provisional\n"
    )
    outcome = stratctl("import", "tracker", str(tracker), "--quarter", "Q3")
    assert outcome.exit_code == 1
    assert (
        f"{tracker}: row 3: 'Footnote: figures are provisional': a line on its own with no objective row"
        in outcome.stderr
    )
    assert "1 row(s) not read" in outcome.stderr
    assert (fresh / "data" / "objectives" / "cut-waits.yaml").is_file()


@pytest.mark.parametrize("kind", ["tracker", "risks"])
def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(
    fresh: Path, stratctl: Stratctl, tmp_path: Path, kind: str
) -> None:
    pytest.importorskip("openpyxl")
    fake = tmp_path / "t.xlsx"
    fake.write_text(TRACKER.read_text())
    before = snapshot(fresh)
    outcome = stratctl("import", kind, str(fake), *(["--quarter", "Q3"] if kind == "tracker" else []))
    assert outcome.exit_code == 2
    assert f"{fake} is not an Excel workbook (.xlsx)" in outcome.stderr
    assert "internal error" not in outcome.stderr and "BadZipFile" not in outcome.stderr
    assert snapshot(fresh) == before


HEADER_WITHOUT_TARGET_DATE = (
    "Trust Priorities,Supporting Objectives,Executive Director,Current Progress,Comments,Projected Year End Position\n"
)


def test_a_finding_on_an_imported_record_names_the_tracker_row_and_column(
    fresh: Path, stratctl: Stratctl, tmp_path: Path
) -> None:
    tracker = tmp_path / "tracker.csv"
    tracker.write_text(
        HEADER_WITHOUT_TARGET_DATE
        + "Recover safely,Cut waits,COO,On track,Fine,G\nRecover safely,Cut more waits,COO,Behind,,\n"
    )
    before = snapshot(fresh)
    outcome = stratctl("import", "tracker", str(tracker), "--quarter", "Q3")
    assert outcome.exit_code == 1
    assert (
        f"{tracker}: row 1: the header has no 'Target Date' column: objectives are imported without a target date"
        in outcome.stderr
    )
    assert f"{tracker}: row 3, column 'Comments': P002 reported A for 2021/22 Q3 without a comment" in outcome.stderr
    assert "(the new objective cut-more-waits from this row)" in outcome.stderr
    assert "data/objectives/" not in outcome.stderr  # no file that does not exist is named
    assert "nothing written" in outcome.stderr and snapshot(fresh) == before


def test_a_finding_names_a_column_the_tracker_lacks(fresh: Path, stratctl: Stratctl, tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.tsv"
    tracker.write_text(
        "Trust Priorities\tSupporting Objectives\tExecutive Director\tCurrent Progress\n"
        "Recover safely\tCut waits\tCOO\tBehind\n"
    )
    outcome = stratctl("import", "tracker", str(tracker), "--quarter", "Q3")
    assert outcome.exit_code == 1
    assert (
        f"{tracker}: row 1: the header has no 'Comments' column: updates are imported without a comment"
        in outcome.stderr
    )
    assert f"{tracker}: row 2, no 'Comments' column in the tracker: P002" in outcome.stderr


PREFIXED_COMMENTS = [
    "=1+1 formula",
    "+44 1234 567890",
    "-5% on plan",
    "@SUM(A1:A2)",
    "\tindented",
    "\rcarriage return",
    "'=already quoted",
    "'plain apostrophe",
    "''=twice quoted",
]


def test_neutralise_and_restore_are_inverse() -> None:
    from stratctl.spreadsheet import FORMULA_STARTS, neutralise, restore

    for cell in [*PREFIXED_COMMENTS, "plain", "", "'", "a=b"]:
        assert restore(neutralise(cell)) == cell
        assert not neutralise(cell).startswith(FORMULA_STARTS)
    assert [neutralise(c)[:2] for c in PREFIXED_COMMENTS[:6]] == ["'=", "'+", "'-", "'@", "'\t", "'\r"]
    assert restore("'=typed in the tracker") == "=typed in the tracker"  # a hand-neutralised cell reads as meant


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_keeps_comments_starting_with_formula_characters(
    repo: Path, stratctl: Stratctl, tmp_path: Path, fmt: str
) -> None:
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    for number, comment in enumerate(PREFIXED_COMMENTS):
        (repo / "data" / "objectives" / f"prefixed-{number}.yaml").write_text(
            f"id: prefixed-{number}\ntitle: Prefixed comment {number}\nyear: 2021/22\npriority: recover\n"
            "supports: [SO2]\n"
            f"lead: CPO\ndelivers: [people.pipeline]\ndue: 2022-03-31\nupdates:\n  - quarter: 2021/22 Q3\n"
            f"    progress: on-track\n    comment: {json.dumps(comment)}\n    projected: G\n"
        )
    assert stratctl("validate").exit_code == 0
    sheet = tmp_path / f"board.{fmt}"
    assert stratctl("export", "--format", fmt, "--quarter", "Q3", "--output", str(sheet)).exit_code == 0
    if fmt == "csv":
        with sheet.open(newline="", encoding="utf-8-sig") as stream:
            rows = list(csv.reader(stream))
        exported = {row[0]: row[8] for row in rows[1:] if row and row[0].startswith("prefixed-")}
        assert exported == {f"prefixed-{n}": ("'" + c if n != 7 else c) for n, c in enumerate(PREFIXED_COMMENTS)}
    before = snapshot(repo)
    outcome = stratctl("import", "tracker", str(sheet), "--quarter", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    assert "0 file(s) written; 0 row(s) not read" in outcome.stderr
    assert snapshot(repo) == before


def test_an_import_that_cannot_write_says_so_plainly(fresh: Path, stratctl: Stratctl) -> None:
    trust = fresh / "data" / "trust.yaml"
    trust.chmod(0o444)
    before = snapshot(fresh)
    outcome = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    assert outcome.exit_code == 2 and "trust.yaml is read-only" in outcome.stderr
    assert "internal error" not in outcome.stderr
    assert snapshot(fresh) == before  # refused before the first write: no half import


def _bomb(path: Path, unpacked: int) -> None:
    """A workbook whose one extra sheet part is `unpacked` bytes of spaces, a few kilobytes compressed."""
    import zipfile

    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.title = "Tracker"
    workbook.save(path)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet2.xml", "w") as part,
    ):
        chunk = b" " * (1 << 20)
        for _ in range(unpacked >> 20):
            part.write(chunk)


@pytest.mark.parametrize("command", ["tracker", "risks"])
def test_a_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused_before_it_is_read(
    fresh: Path, stratctl: Stratctl, tmp_path: Path, command: str
) -> None:
    bomb = tmp_path / "tracker.xlsx"
    _bomb(bomb, 300 << 20)
    assert bomb.stat().st_size < 2 << 20
    before = snapshot(fresh)
    outcome = stratctl("import", command, str(bomb), *(["--quarter", "Q3"] if command == "tracker" else []))
    assert outcome.exit_code == 2
    assert "unpacks to 300 MiB" in outcome.stderr and "xl/worksheets/sheet2.xml" in outcome.stderr
    assert snapshot(fresh) == before


def test_a_tracker_file_over_the_cap_is_refused(fresh: Path, stratctl: Stratctl, tmp_path: Path) -> None:
    big = tmp_path / "tracker.csv"
    with big.open("w") as stream:
        for _ in range(25):
            stream.write("a," * 500_000 + "\n")
    outcome = stratctl("import", "tracker", str(big), "--quarter", "Q3")
    assert outcome.exit_code == 2
    assert "a tracker may be at most 20.0 MiB" in outcome.stderr


def test_cells_built_to_make_a_pattern_backtrack_are_read_in_linear_time(
    fresh: Path, stratctl: Stratctl, tmp_path: Path
) -> None:
    """A position cell of 100,000 spaces, a priority of unclosed quotes and a risk cell with a long run of
    spaces each took from seconds to hours to match (patterns whose repeats could split a run many ways).
    A test holds that each cell is read for what it holds, not how long it took: a slow read shows as a slow suite."""
    header = (
        "Trust Priorities 2021/2022\tStrategic Risks\tSupporting Objectives 2021/2022\tExecutive Director\t"
        "Current Progress\tComments\tTarget Date\tProjected Year End Position\n"
    )
    # each cell within the CSV reader's limit of 131,072 characters
    row = (
        "\u2018Recover" * 12_000
        + "\t1\tRestore cancer standards\tCOO\tBehind\tPlan\t31/03/2022\tR"
        + " " * 100_000
        + "x\n"
    )
    risks = "\nStrategic Risk\tCurrent Risk Score\tTarget Risk Score\n1: Flow" + " " * 100_000 + "x\t16\t8\n"
    tracker = tmp_path / "tracker.tsv"
    tracker.write_text(header + row + risks)
    before = snapshot(fresh)
    tracker_import = stratctl("import", "tracker", str(tracker), "--quarter", "Q3", "--dry-run")
    assert tracker_import.exit_code == 1
    refused = [line for line in tracker_import.stderr.splitlines() if "row 2: 'Restore cancer standards'" in line]
    assert [line.split(": projected position ")[1] for line in refused] == [
        "'R" + " " * 100_000 + "x' is not R, A, G or Complete"
    ]
    assert tracker_import.stderr.splitlines()[-1] == "1 file(s) would change; 1 row(s) not read"
    risk_import = stratctl("import", "risks", str(tracker), "--dry-run")
    assert risk_import.exit_code == 0, risk_import.stderr
    assert "would change 1.yaml: new risk from row 5" in risk_import.stdout.splitlines()
    assert risk_import.stderr.splitlines()[-1] == "2 file(s) would change; 0 row(s) not read"
    assert snapshot(fresh) == before


def test_the_risk_cell_reader_matches_the_pattern_it_replaces() -> None:
    import random
    import re

    from stratctl.risk_table import risk_cell

    pattern = re.compile(r"^\s*([0-9]+)\s*[:.-]\s*(.+?)\s*\*?\s*$", re.S)
    chance = random.Random(7)
    for _ in range(20_000):
        cell = "".join(chance.choice(" 1:.-*ab\n\t") for _ in range(chance.randint(0, 10)))
        match = pattern.match(cell)
        assert risk_cell(cell) == ((match[1], match[2]) if match else None), repr(cell)


def test_many_rows_of_one_title_get_short_distinct_ids(fresh: Path, stratctl: Stratctl, tmp_path: Path) -> None:
    header = (
        "Trust Priorities 2021/2022\tStrategic Risks\tSupporting Objectives 2021/2022\tExecutive Director\t"
        "Current Progress\tComments\tTarget Date\tProjected Year End Position\n"
    )
    row = "Recover safely\t\tThe same objective\tCOO\tBehind\tPlan\t31/03/2022\tA\n"
    tracker = tmp_path / "tracker.tsv"
    tracker.write_text(header + row * 120)
    outcome = stratctl("import", "tracker", str(tracker), "--quarter", "Q3")
    assert outcome.exit_code == 0, outcome.stderr
    names = sorted(p.stem for p in (fresh / "data" / "objectives").glob("the-same-objective*"))
    assert len(names) == 120 and max(len(n) for n in names) == len("the-same-objective-120")


def test_unique_id_counts() -> None:
    from stratctl.importing import unique_id

    taken = {"x", "x-2", "x-3"}
    assert unique_id("x", taken) == "x-4" and unique_id("y", taken) == "y"
