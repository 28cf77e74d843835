"""Whole-file corpus: every hazard of YAML input fails with its code at its line.

tests/corpus/invalid holds one file per hazard and EXPECTED.tsv names the code
and line each must produce; tests/corpus/valid holds files that must pass.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Outcome, Stratctl, snapshot

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


def _findings(outcome: Outcome) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = json.loads(outcome.stdout)["findings"]
    return findings


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hazard_alone_fails_at_its_line(name: str, repo: Path, stratctl: Stratctl) -> None:
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


def test_all_hazards_together_are_each_reported(repo: Path, stratctl: Stratctl) -> None:
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


def test_a_python_tag_executes_nothing(repo: Path, stratctl: Stratctl, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (repo / "data" / "objectives" / "evil.yaml").write_text(
        'id: evil\ntitle: !!python/object/apply:os.system ["touch ' + str(marker) + '"]\n'
        "year: !!python/object/apply:builtins.exec [\"open('" + str(marker) + "', 'w')\"]\n"
    )
    outcome = stratctl("validate", "--format", "json")
    assert outcome.exit_code == 1
    assert {f["code"] for f in _findings(outcome)} >= {"Y006"}
    assert not marker.exists()


@pytest.mark.parametrize("name", sorted(p.name for p in (CORPUS / "valid").glob("*.yaml")))
def test_valid_corpus_passes_strict(name: str, repo: Path, stratctl: Stratctl) -> None:
    shutil.copyfile(CORPUS / "valid" / name, repo / "data" / "objectives" / name)
    outcome = stratctl("validate", "--strict")
    assert outcome.exit_code == 0, outcome.stdout
    # the minimal repository's five files and this one, every one of them checked and none with a finding
    assert outcome.stdout == "6 files checked: no problems found.\n"


def _special_file(kind: str, path: Path) -> None:
    import os

    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-to-dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "link-to-dev-urandom":
        path.symlink_to("/dev/urandom")
    elif kind == "dangling-link":
        path.symlink_to(path.parent / "nowhere.yaml")
    elif kind == "link-loop":
        path.symlink_to(path)


SPECIAL_FILES = ["fifo", "link-to-dev-zero", "link-to-dev-urandom", "dangling-link", "link-loop"]


@pytest.mark.parametrize("kind", SPECIAL_FILES)
@pytest.mark.parametrize("command", [["validate", "--format", "json"], ["fmt", "--check"], ["fmt"], ["status"]])
def test_a_special_file_named_like_a_record_never_hangs(
    repo: Path, stratctl: Stratctl, kind: str, command: list[str]
) -> None:
    """A FIFO blocks an open for reading; /dev/zero never ends: each is a finding (or a refusal), at once.

    The command runs in this process, which a hang would stop for good: after 60 seconds faulthandler
    writes every thread's stack (the blocked read in it) and ends the process, failing the run loudly
    rather than holding it until CI's own limit. A subprocess for each of these twenty cases would cost
    a Python start-up each, a tenth of the suite's time for what one in-process run shows as well."""
    import faulthandler

    special = repo / "data" / "objectives" / "x.yaml"
    _special_file(kind, special)
    broken = repo / "data" / "objectives" / "cancer-standards.yaml"
    broken.write_text(broken.read_text().replace("lead: COO", "lead: CPOO"))
    faulthandler.dump_traceback_later(60, exit=True)
    try:
        done = stratctl(*command)
    finally:
        faulthandler.cancel_dump_traceback_later()
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "internal error" not in output
    if command[0] == "validate":
        assert done.exit_code == 1
        found = {(f["path"], f["code"], f["line"], f["column"]) for f in json.loads(done.stdout)["findings"]}
        assert ("data/objectives/x.yaml", "Y011", 1, 1) in found
        assert any(
            f[0] == "data/objectives/cancer-standards.yaml" and f[1] == "R001" for f in found
        )  # the rest still checked
    elif command[0] == "fmt":
        assert done.exit_code == 1
        assert "data/objectives/x.yaml: left alone" in done.stderr
    else:
        assert done.exit_code == 2
        assert "data/objectives/x.yaml" in done.stderr
    assert special.is_symlink() or kind == "fifo"


def test_a_file_that_grows_past_the_cap_while_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cap holds while reading, not only by the size measured before: a file can grow in between."""
    import os

    from stratctl import reading
    from stratctl.loading import read_text

    path = tmp_path / "grows.yaml"
    path.write_bytes(b"x" * (reading.MAX_RECORD_BYTES + 10))
    real_stat = os.stat

    def small_stat(target: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        result = real_stat(target, *args, **kwargs)
        return os.stat_result((*result[:6], 10, *result[7:])) if Path(target) == path else result

    monkeypatch.setattr(os, "stat", small_stat)  # the os module reading.py reads through
    text, findings = read_text(path)
    assert text is None and [f.code for f in findings] == ["Y010"]


def test_yaml_files_that_are_never_read_are_reported(repo: Path, stratctl: Stratctl) -> None:
    data = repo / "data"
    record = (data / "objectives" / "talent.yaml").read_text()
    placed = {
        "objectives/sub/x.yaml": "it is in a sub-folder of objectives/",
        "objectives/sub/deeper/y.yml": "it is in a sub-folder of objectives/",
        "objectives/X.YAML": "the extension must be lower case (rename it X.yaml)",
        "risks/r.Yml": "the extension must be lower case (rename it r.yml)",
        "strategies/s.yaml.txt": "a record's name must end in .yaml or .yml",
        "objective/o.yaml": "objective/ is not a record folder",
        "Trust.YAML": "the trust's record is read only as trust.yaml",
        "extra.yaml": "only trust.yaml is read at the top of data/",
    }
    for relative in placed:
        (data / relative).parent.mkdir(parents=True, exist_ok=True)
        (data / relative).write_text(record)
    (data / "objectives" / "README.md").write_text("notes\n")  # not YAML: not a record, not reported
    (data / "objectives" / ".draft.yaml").write_text(record)  # hidden: an editor's or a tool's own
    for backup in ("talent.yaml~", "talent.yaml.bak", "talent.yaml.orig"):  # an editor's or a merge's copy
        (data / "objectives" / backup).write_text(record)
    outcome = stratctl("validate", "--format", "json")
    assert outcome.exit_code == 0
    found = {f["path"]: f for f in _findings(outcome)}
    assert set(found) == {f"data/{relative}" for relative in placed}
    for relative, reason in placed.items():
        finding = found[f"data/{relative}"]
        assert (finding["code"], finding["severity"], finding["line"], finding["column"]) == ("Y012", "warning", 1, 1)
        assert reason in finding["message"], finding["message"]
    assert stratctl("validate", "--strict").exit_code == 1


@pytest.mark.parametrize("kind", ["a file", "a broken link", "a FIFO"])
def test_a_record_folder_that_is_not_a_folder_is_reported(repo: Path, stratctl: Stratctl, kind: str) -> None:
    import os

    folder = repo / "data" / "strategies"
    shutil.rmtree(folder)
    makers: dict[str, Callable[[], object]] = {
        "a file": lambda: folder.write_text("x\n"),
        "a broken link": lambda: folder.symlink_to(repo / "nowhere"),
        "a FIFO": lambda: os.mkfifo(folder),
    }
    makers[kind]()
    outcome = stratctl("validate", "--format", "json")
    assert outcome.exit_code == 1
    found = {(f["path"], f["code"], f["line"]) for f in _findings(outcome)}
    assert ("data/strategies", "Y011", 1) in found
