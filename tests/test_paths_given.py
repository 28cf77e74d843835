"""`validate PATH ...`: which paths hold a record, found once for all the paths given."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stratctl.loading import canonical, discover, places_of, select
from tests.conftest import PROJECT


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT / "data", tmp_path / "data")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("not a record\n")
    (tmp_path / "data" / "objectives" / "draft.txt").write_text("not a record either\n")
    return tmp_path


def test_a_path_holds_a_record_exactly_when_selecting_it_finds_one(tree: Path) -> None:
    data = tree / "data"
    files = discover(data, tree)
    objective = sorted((data / "objectives").glob("*.yaml"))[0]
    given = [
        tree.parent,  # folders above the data folder hold its records too
        tree,
        data,
        data / "trust.yaml",
        data / "objectives",
        objective,
        data / "objectives" / "draft.txt",  # in a record folder, but no record
        data / "objectives" / "missing.yaml",
        tree / "notes",
        tree / "notes" / "readme.txt",
    ]
    held = places_of(files)
    verdicts = {path: canonical(path) in held for path in given}
    assert verdicts == {path: bool(select(files, [path])) for path in given}
    assert [path for path, holds in verdicts.items() if holds] == given[:6]  # the check can tell them apart
