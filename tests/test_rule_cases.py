"""Rule cases as data (tests/rule_cases/*.yaml): exact codes and positions per case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from stratctl.api.validate import validate_repository
from stratctl.workspace import Workspace

CASES_DIR = Path(__file__).parent / "rule_cases"
CONTEXT_CODES = {"P004", "K008", "P007"}
"""Codes that follow from the rest of the repository (a case's new objective has no Q3 update, its risk no Q3 review):
compared only in cases that expect them."""


def _cases() -> list[Any]:
    loader = YAML(typ="safe", pure=True)
    return [
        pytest.param(case, id=f"{path.stem}: {case['name']}")
        for path in sorted(CASES_DIR.glob("*.yaml"))
        for case in loader.load(path.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("case", _cases())
def test_rule_case(case: dict[str, Any], repo: Path) -> None:
    target = repo / "data" / case["file"]
    target.write_text(case["content"], encoding="utf-8")
    result = validate_repository(Workspace.open(repo / "data"))
    shown = target.relative_to(repo).as_posix()
    expected_codes = {code for code, _, _ in case["expect"]}
    ignored = CONTEXT_CODES - expected_codes
    found = sorted([f.code, f.line, f.column] for f in result.findings if f.path == shown and f.code not in ignored)
    assert found == sorted(case["expect"]), "\n".join(
        f"{f.code} {f.line}:{f.column} {f.message}" for f in result.findings
    )
    assert not [
        f.message
        for f in result.findings
        if "!r}" in f.message or "{value}" in f.message.replace("'{suggestion} {value}'", "")
    ]
    others = [f for f in result.findings if f.path != shown]
    assert others == [], "a case must not cause findings in other files"
    if "message" in case:
        assert any(case["message"] in f.message for f in result.findings)
