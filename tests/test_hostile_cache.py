"""Hostile input, the cache folder: what a pull request can commit into .stratctl-cache/.

An entry's name is predictable (a hash of the data folder's path, the same on every CI runner), so a
link or a FIFO can be committed in its place; the folder itself, or its .gitignore, can be a link out
of the repository. Every case: validate answers as without a cache, at once, and writes nothing
outside the repository.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from stratctl import cache
from stratctl.layout import CACHE_FOLDER
from tests.conftest import FIXTURES
from tests.hostile import Outside, assert_behaves, run_stratctl

IGNORE = "# stratctl's local cache: never committed\n*\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "trust-repo"
    shutil.copytree(FIXTURES / "minimal", root)
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Outside:
    return Outside(tmp_path / "outside")


def _entry(repo: Path, kind: str) -> Path:
    return repo / CACHE_FOLDER / cache._name(kind, repo / "data")


def _validate(repo: Path) -> None:
    """A first run, filling the cache as a user's own would."""
    assert run_stratctl(repo, "validate", own_cache=True).exit_code == 0


def _ignore_is_ours(repo: Path) -> bool:
    ignore = repo / CACHE_FOLDER / ".gitignore"
    return not ignore.is_symlink() and ignore.is_file() and ignore.read_text() == IGNORE


@pytest.mark.parametrize("target", ["missing", "existing"])
def test_a_linked_gitignore_in_the_cache_folder_is_replaced_not_written_through(
    repo: Path, outside: Outside, target: str
) -> None:
    aimed = outside.path / "bashrc"
    if target == "existing":
        aimed.write_text("export PATH=/usr/bin\n")
        outside.before = Outside(outside.path).before
    (repo / CACHE_FOLDER).mkdir()
    (repo / CACHE_FOLDER / ".gitignore").symlink_to(aimed)
    outcome = run_stratctl(repo, "validate", own_cache=True)
    assert_behaves(outcome, 0, "no problems found", outside=outside)
    assert _ignore_is_ours(repo)


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_text(""),
        lambda p: p.write_text("# nothing ignored\n"),
        lambda p: os.mkfifo(p),
        lambda p: p.symlink_to("/dev/zero"),
    ],
    ids=["empty", "edited", "fifo", "link-to-dev-zero"],
)
def test_a_broken_gitignore_in_the_cache_folder_is_mended(repo: Path, damage: Callable[[Path], None]) -> None:
    _validate(repo)
    ignore = repo / CACHE_FOLDER / ".gitignore"
    ignore.unlink()
    damage(ignore)
    (repo / "data" / "objectives" / "talent.yaml").touch()  # something to write back
    outcome = run_stratctl(repo, "validate", own_cache=True)
    assert_behaves(outcome, 0, "no problems found")
    assert _ignore_is_ours(repo)


@pytest.mark.parametrize("kind", ["reads", "validate", "blobs"])
@pytest.mark.parametrize(
    "plant",
    [
        lambda p: p.symlink_to("/dev/zero"),
        lambda p: p.symlink_to("/dev/urandom"),
        lambda p: os.mkfifo(p),
        lambda p: p.mkdir(),
        lambda p: p.symlink_to(p),
    ],
    ids=["link-to-dev-zero", "link-to-dev-urandom", "fifo", "folder", "link-loop"],
)
def test_an_entry_that_is_not_a_regular_file_is_ignored_at_once(
    repo: Path, kind: str, plant: Callable[[Path], None]
) -> None:
    entry = _entry(repo, kind)
    entry.parent.mkdir()
    plant(entry)
    outcome = run_stratctl(repo, "validate", own_cache=True)
    assert_behaves(outcome, 0, "no problems found")
    broken = repo / "data" / "objectives" / "talent.yaml"
    broken.write_text(broken.read_text().replace("lead: CPO", "lead: CPOO"))
    assert_behaves(run_stratctl(repo, "validate", own_cache=True), 1, "talent.yaml", "R001")


def test_an_entry_larger_than_any_stratctl_writes_is_not_read(repo: Path) -> None:
    _validate(repo)
    entry = _entry(repo, "validate")
    with entry.open("r+b") as handle:  # sparse: costs no disk, and would cost its size in memory if read
        handle.truncate(cache.MAX_ENTRY_BYTES + 1)
    outcome = run_stratctl(repo, "validate", own_cache=True)
    assert_behaves(outcome, 0, "no problems found")


@pytest.mark.parametrize("target", ["existing folder", "missing folder"])
def test_a_cache_folder_that_is_a_link_out_of_the_repository_is_not_written(
    repo: Path, outside: Outside, target: str
) -> None:
    aimed = outside.path / "cache"
    if target == "existing folder":
        aimed.mkdir()
        outside.before = Outside(outside.path).before
    (repo / CACHE_FOLDER).symlink_to(aimed, target_is_directory=True)
    outcome = run_stratctl(repo, "validate", own_cache=True)
    assert_behaves(outcome, 0, "no problems found", outside=outside)
    assert (repo / CACHE_FOLDER).is_symlink()


def test_a_cache_folder_that_is_a_file_leaves_validate_as_it_is(repo: Path) -> None:
    (repo / CACHE_FOLDER).write_text("not a folder\n")
    outcome = run_stratctl(repo, "validate", own_cache=True)
    assert_behaves(outcome, 0, "no problems found")
    assert (repo / CACHE_FOLDER).read_text() == "not a folder\n"


@pytest.mark.parametrize(
    "plant", [lambda p: os.mkfifo(p), lambda p: p.symlink_to("/dev/zero")], ids=["fifo", "link-to-dev-zero"]
)
def test_a_user_secret_that_is_not_a_file_never_hangs(repo: Path, plant: Callable[[Path], None]) -> None:
    secret = repo.parent / "user-cache" / "stratctl" / "secret"
    secret.parent.mkdir(parents=True)
    plant(secret)
    outcome = run_stratctl(repo, "validate", own_cache=True)
    assert_behaves(outcome, 0, "no problems found")
