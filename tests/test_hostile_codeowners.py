"""Hostile input, CODEOWNERS: record file names that forge lines, names that are not UTF-8, and the
files a pull request could change to weaken validation with no executive's review."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.hostile import assert_behaves, tree

BOARD_OFFICE = "@nwaft/board-office"


@pytest.fixture
def trust(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled data, its CFO's records reviewed by @nwaft/finance, the Board office the default owner."""
    root = tmp_path / "trust"
    shutil.copytree(PROJECT / "data", root / "data")
    trust_yaml = root / "data" / "trust.yaml"
    text = trust_yaml.read_text()
    assert "  - id: CFO\n" in text
    trust_yaml.write_text(text.replace("  - id: CFO\n", '  - id: CFO\n    reviewers: ["@nwaft/finance"]\n'))
    (root / "stratctl.toml").write_text(f'[codeowners]\ndefault = ["{BOARD_OFFICE}"]\n')
    monkeypatch.chdir(root)
    return root


def _plant(root: Path, name: str | bytes) -> Path:
    """A copy of a CFO record under `name` in data/risks/ (bytes: a name that is not UTF-8)."""
    source = root / "data" / "risks" / "103344.yaml"
    folder = os.fsencode(root / "data" / "risks")
    raw = name if isinstance(name, bytes) else name.encode()
    target = os.path.join(folder, raw)
    with open(target, "wb") as out:
        out.write(source.read_bytes())
    return Path(os.fsdecode(target))


def _patterns(root: Path) -> dict[str, list[str]]:
    found = {}
    for line in (root / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            pattern, *owners = line.split()
            found[pattern] = owners
    return found


FORGING = {
    "tab-and-newline": "x\t**\t@attacker\n#.yaml",
    "newline-alone": "x\n** @attacker\n#.yaml",
    "carriage-return": "x\r** @attacker\r#.yaml",
    "line-separator": "x\u2028** @attacker.yaml",
    "right-to-left-override": "x\u202elmay.yaml",
    "escape": "x\x1b[2J.yaml",
    "nul-free-bel": "x\x07.yaml",
}


@pytest.mark.parametrize("name", FORGING.values(), ids=FORGING.keys())
def test_a_record_file_name_that_would_forge_a_line_is_a_finding(trust: Path, stratctl, name: str) -> None:  # type: ignore[no-untyped-def]
    _plant(trust, name)
    before = tree(trust)
    validated = stratctl("validate", "--format", "json")
    assert validated.exit_code == 1
    codes = {f["code"] for f in json.loads(validated.stdout)["findings"] if f["code"] == "O003"}
    assert codes == {"O003"}
    for command in (("codeowners",), ("codeowners", "--check")):
        outcome = stratctl(*command)
        assert_behaves(outcome, 1, "O003", "nothing was written", unchanged=(trust, before))
        assert "\x1b" not in outcome.stderr and "\u202e" not in outcome.stderr


@pytest.mark.parametrize("name", FORGING.values(), ids=FORGING.keys())
def test_codeowners_text_never_carries_a_forged_line(trust: Path, name: str) -> None:
    from stratctl.codeowners import codeowners_text
    from stratctl.workspace import Workspace

    _plant(trust, name)
    text = codeowners_text(Workspace.open(trust / "data").load().repository, (BOARD_OFFICE,))
    assert "@attacker" not in "".join(line for line in text.splitlines() if not line.startswith("#"))
    assert not any(c in text for c in "\t\r\x1b\x07\u2028\u202e")
    assert all(line.startswith(("#", "/")) or not line for line in text.splitlines())


def test_a_file_name_that_is_not_utf8_is_a_finding_not_an_internal_error(trust: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    _plant(trust, b"caf\xe9-\xff.yaml")
    before = tree(trust)
    assert_behaves(stratctl("codeowners"), 1, "O003", "caf\\udce9", unchanged=(trust, before))
    assert_behaves(stratctl("validate"), 1, "O003")
    for fmt in ("md", "html", "json"):  # the paper names the file in its appendix, escaped
        outcome = stratctl("report", "-q", "Q3", "--allow-errors", "--format", fmt, "--output", f"paper.{fmt}")
        assert_behaves(outcome, 0)
        assert "udce9" in (trust / f"paper.{fmt}").read_text(encoding="utf-8")
    for fmt in ("json", "sarif", "github", "text"):
        assert_behaves(stratctl("validate", "--format", fmt), 1)


def test_the_files_that_govern_validation_are_owned_by_the_default(trust: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    assert_behaves(stratctl("codeowners"), 0)
    owners = _patterns(trust)
    for governing in (
        "/stratctl.toml",
        "/templates/",
        "/.github/",
        "/.github/CODEOWNERS",
        "/data/",
        "/data/trust.yaml",
    ):
        assert owners[governing] == [BOARD_OFFICE], governing
    assert owners["/data/risks/103344.yaml"] == ["@nwaft/finance"]
    lines = [
        line.split()[0] for line in (trust / ".github/CODEOWNERS").read_text().splitlines() if line.startswith("/")
    ]
    assert lines.index("/data/") < lines.index("/data/risks/103344.yaml")  # the last match wins on GitHub


def test_without_a_default_the_governing_files_are_owned_by_every_reviewer(trust: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    (trust / "stratctl.toml").unlink()
    assert_behaves(stratctl("codeowners"), 0)
    assert _patterns(trust)["/stratctl.toml"] == ["@nwaft/finance"]


def test_switching_a_rule_off_with_a_codeowners_file_in_step_still_needs_the_default(trust: Path, stratctl) -> None:  # type: ignore[no-untyped-def]
    assert_behaves(stratctl("codeowners"), 0)
    (trust / "stratctl.toml").write_text((trust / "stratctl.toml").read_text() + '[rules]\nG001 = "off"\n')
    assert_behaves(stratctl("codeowners", "--check"), 0)  # the same owners: the change itself needs their review
    assert _patterns(trust)["/stratctl.toml"] == [BOARD_OFFICE]


@pytest.mark.parametrize(
    "reviewer",
    ["asmith", "@nwaft/finance team", "a smith@nwaft.nhs.uk", "a#b@nwaft.nhs.uk", "@x\n/** @attacker", "@\u202eevil"],
    ids=["no-at", "space-in-team", "space-in-address", "hash-in-address", "newline", "bidi"],
)
def test_an_invalid_reviewer_fails_codeowners_and_its_check(trust: Path, stratctl, reviewer: str) -> None:  # type: ignore[no-untyped-def]
    assert_behaves(stratctl("codeowners"), 0)
    trust_yaml = trust / "data" / "trust.yaml"
    trust_yaml.write_text(
        trust_yaml.read_text().replace('["@nwaft/finance"]', json.dumps(["@nwaft/finance", reviewer]))
    )
    before = tree(trust)
    assert_behaves(stratctl("validate"), 1, "O001")
    for command in (("codeowners",), ("codeowners", "--check")):
        assert_behaves(stratctl(*command), 1, "data/trust.yaml:", "O001", unchanged=(trust, before))


@pytest.mark.parametrize("address", ["a.smith@nwaft.nhs.uk", "board+office@example.org"])
def test_an_e_mail_owner_is_accepted(trust: Path, stratctl, address: str) -> None:  # type: ignore[no-untyped-def]
    (trust / "stratctl.toml").write_text(f'[codeowners]\ndefault = ["{address}"]\n')
    assert_behaves(stratctl("codeowners"), 0)
    assert _patterns(trust)["/stratctl.toml"] == [address]
    assert_behaves(stratctl("codeowners", "--check"), 0)
