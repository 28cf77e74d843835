"""SARIF as code scanning reads it: Microsoft's SARIF Multitool, with its SARIF and GitHub rules.

Needs the multitool from npm (`npm install --prefix .cache/npm @microsoft/sarif-multitool@5`, which
.ci/run does). Locally the case is skipped without it; with STRATCTL_SARIF_TESTS=required (as CI sets
it) a missing multitool fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from stratctl.reporters.sarif import file_uri
from tests.conftest import FIXTURES, PROJECT
from tests.hostile import assert_behaves, run_stratctl

REQUIRED = os.environ.get("STRATCTL_SARIF_TESTS") == "required"
MULTITOOL = PROJECT / ".cache" / "npm" / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"


def _multitool() -> Path:
    if not MULTITOOL.exists():
        if REQUIRED:
            pytest.fail("the SARIF Multitool is required (.ci/run installs it from npm)")
        pytest.skip("the SARIF Multitool is not installed")
    return MULTITOOL


def _problems(sarif: Path, tmp_path: Path) -> list[str]:
    """What the multitool's SARIF and GitHub rules find in `sarif`, one line each."""
    report = tmp_path / "multitool.sarif"
    done = subprocess.run(
        [str(_multitool()), "validate", "--rule-kind", "Gh;Sarif", "--output", str(report), str(sarif)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(report.read_text(encoding="utf-8-sig"))["runs"][0]["results"]
    return [f"{r['ruleId']} {r['message'].get('arguments', r['message'].get('text'))}" for r in results]


@pytest.fixture
def awkward(tmp_path: Path) -> Path:
    """A repository in a folder with a space, its findings in files whose names need encoding."""
    root = tmp_path / "Board papers 2021" / "trust repo"
    shutil.copytree(FIXTURES / "minimal", root)
    template = (root / "data" / "objectives" / "talent.yaml").read_text()
    for name in ("with space.yaml", "hash#1.yaml", "percent%20.yaml", "ümlaut.yaml", "q?mark.yaml"):
        (root / "data" / "objectives" / name).write_text(template)  # an id that differs from its name: I001
    os.close(
        os.open(os.path.join(os.fsencode(root / "data" / "objectives"), b"caf\xe9.yaml"), os.O_CREAT | os.O_WRONLY)
    )
    return root


def test_sarif_passes_the_multitools_sarif_and_github_rules(awkward: Path, tmp_path: Path) -> None:
    _multitool()
    outcome = run_stratctl(awkward, "validate", "--format", "sarif")
    assert_behaves(outcome, 1)
    sarif = tmp_path / "stratctl.sarif"
    sarif.write_text(outcome.stdout, encoding="utf-8")
    document = json.loads(outcome.stdout)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
        for loc in r["locations"]
    }
    assert {"data/objectives/with%20space.yaml", "data/objectives/hash%231.yaml", "data/objectives/caf%E9.yaml"} <= uris
    assert _problems(sarif, tmp_path) == []


def test_sarif_with_absolute_paths_passes_too(awkward: Path, tmp_path: Path) -> None:
    _multitool()
    outcome = run_stratctl(tmp_path, "validate", "--format", "sarif", "--data", str(awkward / "data"))
    sarif = tmp_path / "absolute.sarif"
    sarif.write_text(outcome.stdout, encoding="utf-8")
    document = json.loads(outcome.stdout)
    uris = [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
        for loc in r["locations"]
    ]
    assert uris and all(uri.startswith(("file:///", "Board%20papers%202021/")) for uri in uris), uris
    assert _problems(sarif, tmp_path) == []


def test_the_multitool_catches_what_this_sarif_avoids(awkward: Path, tmp_path: Path) -> None:
    """The rules the case relies on do fire: the old SARIF (no help, no informationUri, raw paths) fails them."""
    _multitool()
    document = json.loads(run_stratctl(awkward, "validate", "--format", "sarif").stdout)
    driver = document["runs"][0]["tool"]["driver"]
    del driver["informationUri"]
    for rule in driver["rules"]:
        del rule["help"], rule["helpUri"]
    old = tmp_path / "old.sarif"
    old.write_text(json.dumps(document), encoding="utf-8")
    problems = _problems(old, tmp_path)
    assert any(p.startswith("GH") for p in problems) and any(p.startswith("SARIF2005") for p in problems)


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("data/objectives/x.yaml", "data/objectives/x.yaml"),
        ("data/objectives/with space.yaml", "data/objectives/with%20space.yaml"),
        ("data/objectives/a#b?c%d.yaml", "data/objectives/a%23b%3Fc%25d.yaml"),
        ("data/objectives/caf\udce9.yaml", "data/objectives/caf%E9.yaml"),
        ("data/objectives/ü.yaml", "data/objectives/%C3%BC.yaml"),
        ("/srv/Board papers/data/x.yaml", "file:///srv/Board%20papers/data/x.yaml"),
    ],
)
def test_each_path_is_a_uri(path: str, uri: str) -> None:
    assert file_uri(path) == uri
