"""The command line: exit codes, output formats, configuration and paths."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROJECT, Stratctl


def _break_lead(repo: Path) -> Path:
    path = repo / "data" / "objectives" / "cancer-standards.yaml"
    path.write_text(path.read_text().replace("lead: COO", "lead: CPOO"))
    return path


def test_clean_repository_exits_0(repo: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("validate")
    assert outcome.exit_code == 0
    assert "5 files checked: no problems found." in outcome.stdout


def test_findings_print_path_line_column_code_message(repo: Path, stratctl: Stratctl) -> None:
    _break_lead(repo)
    outcome = stratctl("validate")
    assert outcome.exit_code == 1
    assert outcome.stdout.splitlines()[0] == (
        "data/objectives/cancer-standards.yaml:6:7: "
        "R001 unknown executive 'CPOO'; did you mean 'CPO'? (executives: COO, CPO)"
    )


def test_repository_is_found_from_a_subfolder(repo: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> None:
    _break_lead(repo)
    monkeypatch.chdir(repo / "data" / "risks")
    outcome = stratctl("validate")
    assert outcome.exit_code == 1
    assert "cancer-standards.yaml:6:7: R001" in outcome.stdout


def test_paths_limit_what_is_reported(repo: Path, stratctl: Stratctl) -> None:
    _break_lead(repo)
    for path in ("data/risks", "data/risks/0101.yaml"):
        outcome = stratctl("validate", path)
        assert (outcome.exit_code, outcome.stdout) == (0, "1 file checked: no problems found.\n"), path
    outcome = stratctl("validate", "data/objectives/cancer-standards.yaml")
    assert outcome.exit_code == 1
    assert outcome.stdout.splitlines() == [
        "data/objectives/cancer-standards.yaml:6:7: R001 unknown executive 'CPOO'; did you mean 'CPO'?"
        " (executives: COO, CPO)",
        "1 file checked: 1 error, 0 warnings.",
    ]


def test_no_repository_exits_2(tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    outcome = stratctl("validate")
    assert outcome.exit_code == 2
    assert "no strategy repository found" in outcome.stderr


def test_missing_path_and_bad_option_exit_2(repo: Path, stratctl: Stratctl) -> None:
    missing_path = stratctl("validate", "nowhere.yaml")
    assert missing_path.exit_code == 2
    assert missing_path.stderr == "stratctl: error: nowhere.yaml: no such file or folder\n"
    bad_format = stratctl("validate", "--format", "xml")
    assert bad_format.exit_code == 2
    assert "'--format'" in bad_format.stderr and "'xml' is not one of" in bad_format.stderr
    missing_data = stratctl("validate", "--data", "missing")
    assert missing_data.exit_code == 2
    assert missing_data.stderr.startswith("stratctl: error: --data missing: no trust.yaml there")
    assert missing_path.stdout == bad_format.stdout == missing_data.stdout == ""  # nothing was checked


def test_strict_fails_on_warnings(repo: Path, stratctl: Stratctl) -> None:
    path = repo / "data" / "objectives" / "cancer-standards.yaml"
    path.write_text(path.read_text().replace("comment: Improvement plan agreed.", "comment: Our #1 plan"))
    assert stratctl("validate").exit_code == 0
    outcome = stratctl("validate", "--strict")
    assert outcome.exit_code == 1
    assert "Y009" in outcome.stdout and "[warning]" in outcome.stdout


def test_json_format(repo: Path, stratctl: Stratctl) -> None:
    _break_lead(repo)
    document = json.loads(stratctl("validate", "--format", "json").stdout)
    assert document["errors"] == 1 and document["warnings"] == 0
    assert document["findings"][0] == {
        "path": "data/objectives/cancer-standards.yaml",
        "line": 6,
        "column": 7,
        "code": "R001",
        "rule": "unknown-reference",
        "severity": "error",
        "message": "unknown executive 'CPOO'; did you mean 'CPO'? (executives: COO, CPO)",
    }


def test_github_annotations_are_chosen_under_actions(
    repo: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_lead(repo)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    first = stratctl("validate").stdout.splitlines()[0]
    assert first == (
        "::error file=data/objectives/cancer-standards.yaml,line=6,col=7,title=R001 unknown-reference"
        "::R001 unknown executive 'CPOO'; did you mean 'CPO'? (executives: COO, CPO)"
    )


def test_sarif_format(repo: Path, stratctl: Stratctl) -> None:
    _break_lead(repo)
    document = json.loads(stratctl("validate", "--format", "sarif").stdout)
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    result = run["results"][0]
    assert result["ruleId"] == "R001" and result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 6, "startColumn": 7}
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "R001"


def test_markup_in_paths_and_text_prints_literally(repo: Path, stratctl: Stratctl) -> None:
    (repo / "data" / "objectives" / "[draft].yaml").write_text("id: x\ntitle: '[bold]t\x1b[31m'\n")
    outcome = stratctl("validate")
    assert "data/objectives/[draft].yaml:" in outcome.stdout
    assert "\x1b" not in outcome.stdout


def test_config_changes_severity_and_turns_rules_off(repo: Path, stratctl: Stratctl) -> None:
    _break_lead(repo)
    (repo / "stratctl.toml").write_text('[rules]\nunknown-reference = "warning"\n')
    outcome = stratctl("validate")
    assert outcome.exit_code == 0 and "[warning]" in outcome.stdout
    (repo / "stratctl.toml").write_text('[rules]\nR001 = "off"\n')
    outcome = stratctl("validate", "--strict")
    assert (outcome.exit_code, outcome.stdout) == (0, "5 files checked: no problems found.\n")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[rules]\nunknown-referense = "off"\n', "did you mean 'unknown-reference'"),
        ('[rules]\nR001 = "loud"\n', 'use "error", "warning" or "off"'),
        ("[rulez]\n", "unknown section"),
        ("[rules\n", "stratctl.toml"),
        ("rules = 5\n", "rules must be a table"),
        ('rules = ["R001"]\n', "rules must be a table"),
        ("[rules]\nR001 = [1, 2]\n", "R001 = a list"),
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ("[rules]\nR001 = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n", "nested too deeply"),
    ],
)
def test_bad_config_exits_2(repo: Path, stratctl: Stratctl, config: str, message: str) -> None:
    (repo / "stratctl.toml").write_text(config)
    outcome = stratctl("validate")
    assert outcome.exit_code == 2
    assert message in outcome.stderr
    assert "internal error" not in outcome.stderr


@pytest.mark.parametrize("kind", ["fifo", "folder", "link to /dev/zero", "dangling link"])
def test_a_config_that_is_not_a_file_exits_2_at_once(repo: Path, kind: str) -> None:
    import os

    path = repo / "stratctl.toml"
    makers: dict[str, Callable[[], object]] = {
        "fifo": lambda: os.mkfifo(path),
        "folder": path.mkdir,
        "link to /dev/zero": lambda: path.symlink_to("/dev/zero"),
        "dangling link": lambda: path.symlink_to(repo / "nowhere.toml"),
    }
    makers[kind]()
    done = subprocess.run(
        [sys.executable, "-m", "stratctl", "validate"], cwd=repo, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 2
    assert done.stderr.startswith("stratctl: error: ") and "stratctl.toml" in done.stderr


def test_rules_lists_and_explains(stratctl: Stratctl) -> None:
    listing = stratctl("rules").stdout
    assert "R001" in listing and "unknown-reference" in listing
    explained = stratctl("rules", "unknown-reference")
    assert explained.exit_code == 0
    assert "Bad:" in explained.stdout and "Good:" in explained.stdout
    assert stratctl("rules", "R999").exit_code == 2


def test_every_rule_documents_a_bad_and_a_good_example() -> None:
    from stratctl.rules import RULES

    for rule in RULES.values():
        assert "Bad:" in rule.doc and "Good:" in rule.doc, rule.code
        assert rule.name == rule.name.lower() and " " not in rule.name


def test_schema_writes_one_file_per_kind(tmp_path: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("schema", "--output", str(tmp_path / "schemas"))
    assert outcome.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert names == ["objective.schema.json", "risk.schema.json", "strategy.schema.json", "trust.schema.json"]
    objective = json.loads((tmp_path / "schemas" / "objective.schema.json").read_text())
    assert objective["additionalProperties"] is False
    assert set(objective["required"]) == {"id", "title", "year", "priority", "lead"}


def test_console_script_runs_as_a_module() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "stratctl", "--version"], capture_output=True, text=True, cwd=PROJECT, check=False
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("stratctl ")


def test_version_does_not_import_typer() -> None:
    code = (
        "import sys; sys.argv=['stratctl','--version']; from stratctl.cli import main; main(); "
        "print('typer' in sys.modules)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.splitlines()[-1] == "False"


def test_status_explain_and_export_default_to_the_latest_quarter_reported(repo: Path, stratctl: Stratctl) -> None:
    latest = json.loads(stratctl("status", "--format", "json").stdout)
    assert (latest["year"], latest["quarter"], latest["as_of"]) == ("2021/22", "Q3", "2021-12-31")
    assert latest == json.loads(stratctl("status", "-q", "Q3", "--format", "json").stdout)
    year_end = json.loads(stratctl("status", "--year", "2021/22", "--format", "json").stdout)
    assert (year_end["quarter"], year_end["as_of"]) == ("Q4", "2022-03-31")
    assert "2021/22 Q3, as of 2021-12-31" in stratctl("explain", "talent").stdout
    assert stratctl("export").stdout == stratctl("export", "-q", "Q3").stdout


@pytest.mark.parametrize("command", ["status", "report"])
def test_a_year_that_disagrees_with_the_date_or_quarter_exits_2(repo: Path, stratctl: Stratctl, command: str) -> None:
    outcome = stratctl(command, "--year", "2021/22", "--as-of", "2022-06-01")
    assert outcome.exit_code == 2 and "--as-of 2022-06-01 is in 2022/23, not --year 2021/22" in outcome.stderr
    outcome = stratctl(command, "--year", "2022/23", "--quarter", "2021/22 Q3")
    assert outcome.exit_code == 2 and "is in 2021/22, not --year 2022/23" in outcome.stderr
    assert stratctl(command, "--year", "2021/22", "--as-of", "2021-11-15").exit_code == 0


def test_read_only_commands_restore_the_cycle_collector(repo: Path, stratctl: Stratctl) -> None:
    """validate and report pause the collector while they run; the process gets it back after."""
    import gc

    assert gc.isenabled()
    assert stratctl("validate").exit_code == 0
    assert stratctl("report", "-q", "Q3", "--format", "html").exit_code == 0
    assert stratctl("report", "-q", "Q7").exit_code == 2  # a command that fails restores it too
    assert gc.isenabled()


def test_status_narrows_to_one_executive_or_priority(repo: Path, stratctl: Stratctl) -> None:
    import json

    mine = json.loads(stratctl("status", "--lead", "CPO", "--format", "json").stdout)
    assert [o["id"] for o in mine["objectives"]] == ["talent"] and mine["risks"] == []
    assert sum(mine["summary"]["objectives"].values()) == 1
    coo = json.loads(stratctl("status", "--lead", "COO", "--priority", "recover", "--format", "json").stdout)
    assert [o["id"] for o in coo["objectives"]] == ["cancer-standards"] and [r["id"] for r in coo["risks"]] == ["0101"]
    text = stratctl("status", "--lead", "CPO").stdout
    assert "talent" in text and "cancer-standards" not in text and "Only objectives led by CPO" in text
    outcome = stratctl("status", "--priority", "recovr")
    assert outcome.exit_code == 2 and "no priority 'recovr' in trust.yaml; did you mean 'recover'?" in outcome.stderr


PERIODS_OUTSIDE = [
    ["--as-of", "0001-01-01"],
    ["--as-of", "9999-12-31"],
    ["--quarter", "9999/00 Q4"],
    ["--year", "0000/01"],
    ["--year", "٢٠٢١/٢٢"],
    ["--quarter", "٢٠٢١/٢٢ Q3"],
]


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (command, option)
        for command in ("status", "report", "export", "explain")
        for option in PERIODS_OUTSIDE
        if not (command == "export" and option[0] == "--as-of")  # export has no --as-of
    ],
)
def test_a_period_outside_the_years_read_exits_2(
    repo: Path, stratctl: Stratctl, command: str, option: list[str]
) -> None:
    outcome = stratctl(command, *(["talent"] if command == "explain" else []), *option)
    assert outcome.exit_code == 2, outcome.stdout
    assert outcome.stderr.startswith("stratctl: error: ") and "internal error" not in outcome.stderr


@pytest.mark.parametrize(
    "band", ["[/]", "[link=https://example.org/x]click[/link]", "[bold red]alarm", "\u202eevil", "a\x1b[31mb"]
)
def test_record_text_in_status_and_explain_is_never_markup_or_raw_control(
    repo: Path, stratctl: Stratctl, band: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # a wide terminal: no cell is wrapped
    trust = repo / "data" / "trust.yaml"
    quoted = json.dumps(band)
    trust.write_text(trust.read_text() + f"risk_bands:\n  - {{name: {quoted}, min: 1, max: 25}}\n")
    if "\x1b" in band:
        trust.write_text(trust.read_text().replace(quoted, quoted.replace("\\u001b", "\\e")))
    shown = band.replace("\u202e", "\\u202e").replace("\x1b", "\\x1b")
    for command in (["status"], ["explain", "0101"]):
        outcome = stratctl(*command)
        if "\x1b" in band:  # an escaped control character is refused by validate (Y003), so nothing is shown
            assert outcome.exit_code == 2 and "\x1b" not in outcome.stderr
            continue
        assert outcome.exit_code == 0, outcome.stderr
        assert shown in outcome.stdout
        assert "\u202e" not in outcome.stdout and "\x1b]8;" not in outcome.stdout


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_file_name_cannot_forge_a_finding_line_or_reach_the_terminal_raw(
    repo: Path, stratctl: Stratctl, fmt: str
) -> None:
    source = (repo / "data" / "objectives" / "talent.yaml").read_text().replace("lead: CPO", "lead: NOBODY")
    for name in ("a\nb.yaml", "red\x1b[31m.yaml", "c\rd.yaml", "e\u2028f.yaml", "g\u202eh.yaml"):
        (repo / "data" / "objectives" / name).write_text(source)
    outcome = stratctl("validate", "--format", fmt)
    assert outcome.exit_code == 1
    lines = outcome.stdout.splitlines()
    assert (
        len(lines)
        == len([line for line in lines if line.startswith(("data/objectives/", "::error ", "::warning "))]) + 1
    )
    for raw in ("\x1b", "\r", "\u2028", "\u202e"):
        assert raw not in outcome.stdout
    assert "a\\x0ab.yaml" in outcome.stdout and "red\\x1b[31m.yaml" in outcome.stdout


def test_a_file_name_that_is_not_utf8_is_shown_escaped(repo: Path, stratctl: Stratctl) -> None:
    import os

    source = (repo / "data" / "objectives" / "talent.yaml").read_bytes()
    with open(os.path.join(os.fsencode(repo / "data" / "objectives"), b"\xff.yaml"), "wb") as stream:
        stream.write(source)
    for fmt in ("text", "github"):
        outcome = stratctl("validate", "--format", fmt)
        assert outcome.exit_code == 1
        assert "data/objectives/\\udcff.yaml" in outcome.stdout
        outcome.stdout.encode("utf-8")  # every character can be written as UTF-8


@pytest.mark.parametrize("command", ["status", "report", "export"])
def test_a_year_with_no_objective_is_refused_rather_than_shown_empty(
    repo: Path, stratctl: Stratctl, command: str
) -> None:
    outcome = stratctl(command, "--quarter", "2020/21 Q1")  # the records begin in 2021/22
    assert outcome.exit_code == 2
    assert "no objective is active in 2020/21: the records hold 2021/22" in outcome.stderr


def test_an_unquoted_quarter_is_a_usage_error_that_says_to_quote_it(repo: Path, stratctl: Stratctl) -> None:
    outcome = stratctl("status", "--quarter", "2021/22", "Q4")  # what the shell passes for --quarter 2021/22 Q4
    assert outcome.exit_code == 2
    assert 'quote it: --quarter "2021/22 Q4"' in outcome.stderr + outcome.stdout
    other = stratctl("status", "extra")
    assert other.exit_code == 2 and "quote it" not in other.stderr + other.stdout


def test_explain_piped_keeps_each_reason_on_one_line(stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a terminal (a pipe, a file, this runner): a reason is one line, never broken at 80 columns."""
    monkeypatch.chdir(PROJECT)
    lines = stratctl("explain", "maternity-vacancies", "-q", "Q3").stdout.splitlines()
    reason = next(line for line in lines if line.startswith("  - R: measure midwife-vacancy-rate"))
    assert len(reason) > 80 and reason.endswith("exceeds 10%")
