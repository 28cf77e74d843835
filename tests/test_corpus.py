"""Whole-file corpus: every hazard of YAML input fails with its code at its line.

tests/corpus/invalid holds one file per hazard and EXPECTED.tsv names the code
and line each must produce; tests/corpus/valid holds files that must pass.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import snapshot

CORPUS = Path(__file__).parent / "corpus"


def _expected() -> dict[str, tuple[str, int]]:
    rows = (CORPUS / "invalid" / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines()
    table = {}
    for row in rows:
        if row and not row.startswith("#"):
            name, code, line = row.split("\t")
            table[name] = (code, int(line))
    return table


EXPECTED = _expected()


def test_every_invalid_file_has_an_expectation() -> None:
    files = {p.name for p in (CORPUS / "invalid").glob("*.yaml")}
    assert files == set(EXPECTED)


def _findings(outcome) -> list[dict]:  # type: ignore[no-untyped-def]
    return json.loads(outcome.stdout)["findings"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hazard_alone_fails_at_its_line(name: str, repo: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    target = repo / "data" / "objectives" / name
    shutil.copyfile(CORPUS / "invalid" / name, target)
    before = snapshot(repo)
    outcome = stratctl("validate", "--strict", "--format", "json")
    assert outcome.exit_code == 1, outcome.stdout + outcome.stderr
    assert "Traceback" not in outcome.stdout + outcome.stderr
    code, line = EXPECTED[name]
    found = [(f["code"], f["line"]) for f in _findings(outcome) if f["path"] == f"data/objectives/{name}"]
    assert (code, line) in found, found
    assert all(f["line"] >= 1 and f["column"] >= 1 for f in _findings(outcome))
    assert snapshot(repo) == before


def test_all_hazards_together_are_each_reported(repo: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    for name in EXPECTED:
        shutil.copyfile(CORPUS / "invalid" / name, repo / "data" / "objectives" / name)
    (repo / "data" / "risks" / "huge.yaml").write_text("id: huge\ntitle: " + "x" * (10 * 1024 * 1024) + "\n")
    before = snapshot(repo)
    outcome = stratctl("validate", "--strict", "--format", "json")
    assert outcome.exit_code == 1
    reported = {(f["path"], f["code"], f["line"]) for f in _findings(outcome)}
    for name, (code, line) in EXPECTED.items():
        assert (f"data/objectives/{name}", code, line) in reported, name
    assert ("data/risks/huge.yaml", "Y010", 1) in reported
    assert snapshot(repo) == before


def test_a_python_tag_executes_nothing(repo: Path, stratctl, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "pwned"
    (repo / "data" / "objectives" / "evil.yaml").write_text(
        "id: evil\ntitle: !!python/object/apply:os.system [\"touch " + str(marker) + "\"]\n"
        "year: !!python/object/apply:builtins.exec [\"open('" + str(marker) + "', 'w')\"]\n"
    )
    outcome = stratctl("validate", "--format", "json")
    assert outcome.exit_code == 1
    assert {f["code"] for f in _findings(outcome)} >= {"Y006"}
    assert not marker.exists()


@pytest.mark.parametrize("name", sorted(p.name for p in (CORPUS / "valid").glob("*.yaml")))
def test_valid_corpus_passes_strict(name: str, repo: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    shutil.copyfile(CORPUS / "valid" / name, repo / "data" / "objectives" / name)
    outcome = stratctl("validate", "--strict")
    assert outcome.exit_code == 0, outcome.stdout
