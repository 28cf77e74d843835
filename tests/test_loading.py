"""Loading at scale: the process pool and path handling give what a plain read gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from stratctl import loading
from stratctl.api.validate import validate_repository
from stratctl.workspace import Workspace
from tests.conftest import FIXTURES, Stratctl


def _many_objectives(root: Path, count: int) -> Path:
    """The minimal repository with `count` copies of one objective, one of them broken."""
    shutil.copytree(FIXTURES / "minimal", root)
    objectives = root / "data" / "objectives"
    template = (objectives / "talent.yaml").read_text()
    for number in range(count):
        (objectives / f"copy-{number:03d}.yaml").write_text(template.replace("id: talent", f"id: copy-{number:03d}"))
    (objectives / "copy-007.yaml").write_text(
        template.replace("id: talent", "id: copy-007").replace("lead:", "lead: [", 1)
    )
    return root / "data"


def _summary(data_dir: Path) -> list[tuple[str, int, int, str]]:
    return [
        (f.path, f.line, f.column, f.code)
        for f in validate_repository(Workspace.open(data_dir, cwd=data_dir.parent)).findings
    ]


@pytest.mark.skipif(os.name == "nt", reason="fork start method")
def test_pool_and_serial_reads_find_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = _many_objectives(tmp_path / "repo", 60)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(loading, "PARALLEL_FROM", 10**9)
    serial = _summary(data_dir)
    monkeypatch.setattr(loading, "PARALLEL_FROM", 1)
    pooled = _summary(data_dir)
    assert pooled == serial
    assert ("data/objectives/copy-007.yaml", 7, 9, "Y001") in pooled
    assert len(pooled) == 1


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_a_data_folder_reached_through_a_symlink_still_selects_files(
    tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    shutil.copytree(FIXTURES / "minimal", real)
    path = real / "data" / "objectives" / "cancer-standards.yaml"
    path.write_text(path.read_text().replace("lead: COO", "lead: CPOO"))
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    monkeypatch.chdir(tmp_path / "link")
    outcome = stratctl("validate", "data/objectives/cancer-standards.yaml")
    assert outcome.exit_code == 1
    assert "R001" in outcome.stdout
    assert stratctl("validate", "data/risks").exit_code == 0


def test_a_folder_named_like_a_record_is_a_finding_not_a_crash(repo: Path, stratctl: Stratctl) -> None:
    (repo / "data" / "objectives" / "archive.yaml").mkdir()
    broken = repo / "data" / "objectives" / "cancer-standards.yaml"
    broken.write_text(broken.read_text().replace("lead: COO", "lead: CPOO"))
    outcome = stratctl("validate")
    assert outcome.exit_code == 1
    assert "data/objectives/archive.yaml:1:1: Y011 the file cannot be read: it is a folder" in outcome.stdout
    assert "cancer-standards.yaml:6:7: R001" in outcome.stdout
    formatted = stratctl("fmt", "--check")
    assert formatted.exit_code == 1
    assert "archive.yaml: left alone, a folder, not a file" in formatted.stderr
