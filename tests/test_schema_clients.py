"""The exported JSON Schemas agree with the models, checked by an independent validator (check-jsonschema).

Editors validate records with these schemas as they are typed; if the schemas drifted from the
models, an editor would accept what validate refuses or the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES, PROJECT

KINDS = {"objective": "objectives", "risk": "risks", "strategy": "strategies"}


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from stratctl.schema import dumps
    from stratctl.schema import schemas as all_schemas

    folder = tmp_path_factory.mktemp("schemas")
    for name, schema in all_schemas().items():
        (folder / name).write_text(dumps(schema), encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Checked:
    returncode: int
    stdout: str


def check(schema: Path, files: list[Path]) -> Checked:
    """check-jsonschema's verdict on `files`, as its command line gives it: run in this process (its own
    entry point, through click's test runner), which spares a Python start-up for each of some thirty runs."""
    from check_jsonschema.cli.main_command import main

    done = CliRunner().invoke(main, ["--schemafile", str(schema), *map(str, files)], catch_exceptions=False)
    return Checked(done.exit_code, done.output)


@pytest.mark.parametrize(
    "data",
    [PROJECT / "data", FIXTURES / "second_trust" / "data", FIXTURES / "minimal" / "data"],
    ids=["bundled", "second-trust", "minimal"],
)
def test_valid_repositories_pass_the_exported_schemas(schemas: Path, data: Path) -> None:
    done = check(schemas / "trust.schema.json", [data / "trust.yaml"])
    assert done.returncode == 0 and "ok -- validation done" in done.stdout, done.stdout
    for kind, folder in KINDS.items():
        files = sorted((data / folder).glob("*.yaml"))
        assert files, folder  # a kind with no records would check nothing
        done = check(schemas / f"{kind}.schema.json", files)
        assert done.returncode == 0 and "ok -- validation done" in done.stdout, done.stdout


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("lede: COO", "'lede' was unexpected"),
        ("due: 31/03/2022", "due"),
        ("updates: [{quarter: Q3, progress: behind}]", "quarter"),
        ("updates: [{quarter: 2021/22 Q3, progress: On track}]", "progress"),
        ("delivers: [nodot]", "delivers"),
        ("measures: [{id: m, name: M, direction: up, target: 1, actuals: {Q3 2021: 2}}]", "actuals"),
        ("measures: [{id: m, name: M, direction: up, target: 1, actuals: {2021-13: 2}}]", "actuals"),
        (
            "measures: [{id: m, name: M, direction: up, cadence: monthly, target: 1, actuals: {2021/22 Q3: 2}}]",
            "actuals",
        ),
        ("measures: [{id: m, name: M, direction: up, target: 1, actuals: {2021-10: 2}}]", "actuals"),
        ("measures: [{id: m, name: M, direction: up, kind: level, target: 1, actuals: {2021/22 Q3: 2.5}}]", "2.5"),
        ("measures: [{id: m, name: M, direction: up, target: {at_least: 90, at_most: 95}}]", "target"),
        ("measures: [{id: m, name: M, direction: neutral, target: 1}]", "target"),
        ('measures: [{id: m, name: M, direction: up, target: "30:00"}]', "target"),
        ('measures: [{id: m, name: M, unit: "mm:ss", direction: up, actuals: {2021/22 Q3: "30:75"}}]', "actuals"),
    ],
)
def test_the_schemas_refuse_what_validate_refuses(schemas: Path, tmp_path: Path, line: str, complaint: str) -> None:
    record = tmp_path / "x.yaml"
    record.write_text(f"id: x\ntitle: T\nyear: 2021/22\npriority: p\nlead: L\n{line}\n", encoding="utf-8")
    done = check(schemas / "objective.schema.json", [record])
    assert done.returncode == 1, done.stdout
    assert complaint in done.stdout


def test_the_schemas_accept_every_kind_of_measure(schemas: Path, tmp_path: Path) -> None:
    record = tmp_path / "x.yaml"
    record.write_text(
        "id: x\ntitle: T\nyear: 2021/22\npriority: p\nlead: L\nmeasures:\n"
        "  - {id: a, name: A, direction: up, cadence: monthly, baseline: {month: 2021-03, value: 1},\n"
        "     target: {between: [1, 3]}, actuals: {2021-04: 2, 2021-05: 2.5}}\n"
        "  - {id: b, name: B, direction: down, target: {at_most: 18}, actuals: {2021/22 Q1: 19}}\n"
        "  - {id: c, name: C, direction: up, kind: level, baseline: {quarter: 2021/22 Q1, value: 3}, target: 5}\n"
        "  - {id: d, name: D, direction: neutral, actuals: {2021/22 Q1: 3}}\n"
        '  - {id: e, name: E, unit: "mm:ss", direction: down, cadence: monthly, history_from: 2020-04,\n'
        '     rebase: [2021-05], baseline: {month: 2020-03, value: "33:00"}, target: {at_most: "30:00", over: year},\n'
        '     provisional: [2021-05], notes: {2021-05: New triage model}, actuals: {2020-04: "31:10", 2021-05: 29.5}}\n'
        "  - {id: f, name: F, direction: up, accumulates: year, target: 12, actuals: {2021/22 Q1: 3}}\n"
        "  - {id: g, name: G, direction: down, actuals: {2021/22 Q1: 3}}\n",
        encoding="utf-8",
    )
    done = check(schemas / "objective.schema.json", [record])
    assert done.returncode == 0 and "ok -- validation done" in done.stdout, done.stdout
