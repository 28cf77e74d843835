"""One house for every command: the same configuration, the same repository errors, the same
quarters, one write path, and record kinds that are a model plus a registry entry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import pytest

from tests.conftest import Stratctl, snapshot

K004_OFF = '[rules]\nK004 = "off"\n'


def _risk_with_target_above_current(repo: Path) -> Path:
    path = repo / "data" / "risks" / "0101.yaml"
    path.write_text(path.read_text().replace("target: {score: 10}", "target: {score: 25}"))
    return path


# --- stratctl.toml reaches every command -------------------------------------------------------


@pytest.mark.parametrize("config", ["", K004_OFF])
def test_validate_honours_a_rule_turned_off(repo: Path, stratctl: Stratctl, config: str) -> None:
    _risk_with_target_above_current(repo)
    (repo / "stratctl.toml").write_text(config)
    outcome = stratctl("validate")
    assert outcome.exit_code == (0 if config else 1)
    assert (
        "data/risks/0101.yaml:7:9: K004 target score 25 is above the current score 20" in outcome.stdout
    ) is not bool(config)


@pytest.mark.parametrize("config", ["", K004_OFF])
def test_update_honours_a_rule_turned_off(repo: Path, stratctl: Stratctl, config: str) -> None:
    path = _risk_with_target_above_current(repo)
    (repo / "stratctl.toml").write_text(config)
    outcome = stratctl("update", "0101", "-q", "Q4", "--score", "20", "--dry-run")
    assert outcome.exit_code == (0 if config else 1), outcome.stderr
    assert ("K004" in outcome.stderr) is not bool(config)
    outcome = stratctl("update", "0101", "-q", "Q4", "--score", "20")
    assert ("2021/22 Q4" in path.read_text()) is bool(config)


@pytest.mark.parametrize("config", ["", K004_OFF])
def test_new_honours_a_rule_turned_off(repo: Path, stratctl: Stratctl, config: str) -> None:
    (repo / "stratctl.toml").write_text(config)
    outcome = stratctl("new", "risk", "0202", "--title", "Cyber attack", "--current", "2x2", "--target", "4x5")
    assert outcome.exit_code == (0 if config else 2), outcome.stderr
    assert (repo / "data" / "risks" / "0202.yaml").exists() is bool(config)


@pytest.mark.parametrize("config", ["", K004_OFF])
def test_import_honours_a_rule_turned_off(repo: Path, stratctl: Stratctl, config: str) -> None:
    (repo / "stratctl.toml").write_text(config)
    table = repo / "risks.tsv"
    table.write_text("Strategic Risk\tCurrent Risk Score\tTarget Risk Score\n0303: Estate backlog\t4\t20\n")
    outcome = stratctl("import", "risks", str(table))
    assert outcome.exit_code == (0 if config else 1), outcome.stderr
    assert (repo / "data" / "risks" / "0303.yaml").exists() is bool(config)


@pytest.mark.parametrize("config", ["", '[rules]\nP006 = "off"\n'])
def test_report_honours_a_rule_turned_off(repo: Path, stratctl: Stratctl, config: str) -> None:
    risk = repo / "data" / "risks" / "0101.yaml"
    risk.write_text(risk.read_text().replace("threatens: [SO1]", "threatens: []"))  # P006, a warning
    (repo / "stratctl.toml").write_text(config)
    outcome = stratctl("report", "--quarter", "Q3", "--format", "json")
    assert outcome.exit_code == 0, outcome.stderr
    codes = [w["code"] for w in json.loads(outcome.stdout)["warnings"]]
    assert ("P006" in codes) is not bool(config)


# --- one message for a folder that is not a repository -------------------------------------------

READING_COMMANDS = [
    ["validate"],
    ["status"],
    ["explain", "talent"],
    ["report"],
    ["export"],
    ["diff"],
    ["fmt"],
    ["update", "talent", "-q", "Q4", "--progress", "on-track"],
    ["new", "objective", "x", "--title", "X"],
    ["import", "tracker", "TRACKER"],
    ["import", "risks", "TRACKER"],
]


def test_every_command_refuses_a_folder_without_trust_yaml_in_the_same_words(
    repo: Path,
    stratctl: Stratctl,
    tmp_path: Path,
) -> None:
    empty = tmp_path / "not-a-repository"
    empty.mkdir()
    tracker = repo / "tracker.tsv"
    tracker.write_text("Supporting Objectives\tExecutive Director\nA\tCOO\n")
    before = snapshot(repo)
    messages = set()
    for command in READING_COMMANDS:
        args = [str(tracker) if a == "TRACKER" else a for a in command]
        outcome = stratctl(*args, "--data", str(empty))
        assert outcome.exit_code == 2, (command, outcome.stderr)
        messages.add(outcome.stderr)
    assert len(messages) == 1, messages
    (message,) = messages
    assert "no trust.yaml there" in message and str(empty) in message
    assert snapshot(repo) == before


def test_data_may_name_the_repository_root_as_well_as_its_data_folder(
    repo: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    _risk_with_target_above_current(repo)
    monkeypatch.chdir(repo.parent)  # from outside: --data alone says where the repository is
    for data in (repo, repo / "data"):
        outcome = stratctl("validate", "--data", str(data))
        assert outcome.exit_code == 1, data
        assert outcome.stdout.splitlines()[0].startswith(f"{repo.name}/data/risks/0101.yaml:7:9: K004 "), data
        assert outcome.stdout.splitlines()[1] == "5 files checked: 1 error, 0 warnings.", data


# --- one way to read a quarter -------------------------------------------------------------------


@pytest.mark.parametrize("written", ["2021/22 q3", "2021/22 Q3", "q3", " 2021/22   Q3 "])
def test_every_command_reads_a_quarter_the_same_way(repo: Path, stratctl: Stratctl, written: str) -> None:
    status = stratctl("status", "--quarter", written, "--format", "json")
    assert status.exit_code == 0, status.stderr
    assert (json.loads(status.stdout)["year"], json.loads(status.stdout)["quarter"]) == ("2021/22", "Q3")
    report = stratctl("report", "--quarter", written, "--format", "json")
    assert json.loads(report.stdout)["as_of"] == "2021-12-31"
    assert "2021/22 Q3" in stratctl("explain", "talent", "--quarter", written).stdout
    export = stratctl("export", "--quarter", written)
    assert export.exit_code == 0 and "2021/22 Q3" in export.stdout
    update = stratctl("update", "talent", "-q", written, "--progress", "behind", "--comment", "Slipped", "--replace")
    assert update.exit_code == 0, update.stderr
    assert "quarter: 2021/22 Q3\n    progress: behind" in (repo / "data" / "objectives" / "talent.yaml").read_text()


# --- a record kind is a model and a registry entry -----------------------------------------------


@pytest.fixture
def programme_kind() -> Iterator[str]:
    """A kind trusts may want (programmes of work), declared the way a new kind module would."""
    from stratctl.kinds import RecordKind, register, unregister
    from stratctl.records.base import Record
    from stratctl.records.fields import ExecutiveRef, Id, Name, RefersTo

    class Programme(Record):
        id: Id
        title: Name
        lead: ExecutiveRef
        objectives: list[Annotated[Id, RefersTo("objective")]] = []  # noqa: RUF012 - pydantic copies the default

    register(RecordKind("programme", Programme, folder="programmes"))
    try:
        yield "programme"
    finally:
        unregister("programme")


def test_a_new_kind_is_validated_from_its_model_alone(repo: Path, stratctl: Stratctl, programme_kind: str) -> None:
    folder = repo / "data" / "programmes"
    folder.mkdir()
    (folder / "urgent-care.yaml").write_text(
        "id: urgent-care\ntitle: Urgent care programme\nlead: COO\nobjectives: [talent, talnet]\n"
    )
    (folder / "misnamed.yaml").write_text("id: elsewhere\ntitle: A programme\nlead: CEOO\n")
    (folder / "budget.yaml").write_text("id: budget\ntitle: A programme\nlead: COO\nbudget: 3\n")
    outcome = stratctl("validate")
    assert outcome.exit_code == 1
    lines = outcome.stdout.splitlines()
    for expected in (
        "data/programmes/urgent-care.yaml:4:22: R001 unknown objective 'talnet'",
        "data/programmes/misnamed.yaml:1:5: I001",
        "data/programmes/misnamed.yaml:3:7: R001 unknown executive 'CEOO'",
        "data/programmes/budget.yaml:4:1: S001 unknown field 'budget'",
    ):
        assert any(line.startswith(expected) for line in lines), (expected, lines)


def test_a_new_kind_has_a_schema_and_a_scaffold(
    repo: Path, stratctl: Stratctl, programme_kind: str, tmp_path: Path
) -> None:
    assert stratctl("schema", "--output", str(tmp_path / "schemas")).exit_code == 0
    schema = json.loads((tmp_path / "schemas" / "programme.schema.json").read_text())
    assert set(schema["required"]) == {"id", "title", "lead"}
    outcome = stratctl("new", "programme", "virtual-wards", "--title", "Virtual wards", "--lead", "CPO")
    assert outcome.exit_code == 0, outcome.stderr
    text = (repo / "data" / "programmes" / "virtual-wards.yaml").read_text()
    assert "id: virtual-wards\ntitle: Virtual wards\nlead: CPO\n" in text
    assert stratctl("validate", "--strict").exit_code == 0
    assert stratctl("new", "programme", "virtual-wards", "--title", "Again").exit_code == 2  # never overwrites
