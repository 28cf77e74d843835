"""Hostile input, writes: links committed to the repository, and multi-file writes that fail half way.

A pull request can commit a symbolic link where stratctl will create a file (a successor `rollover`
writes, a record `new` writes, the schemas, .github/CODEOWNERS, a file of `init`), or a folder on the
way that is a link out of the repository. A file stratctl creates is never created through a link,
and nothing is written outside the repository (or the folder named). And a command that writes many
files (rollover, import, init, new with its schemas) writes all of them or none.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Stratctl
from tests.hostile import Outside, assert_behaves, tree

TRACKER = FIXTURES / "trackers" / "nwaft-2021-22-q3.tsv"


@pytest.fixture
def outside(tmp_path: Path) -> Outside:
    return Outside(tmp_path / "outside")


def _dangling(link: Path, outside: Outside, name: str = "planted") -> Path:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside.path / name)
    return link


def _to_existing(link: Path, outside: Outside, name: str = "bashrc") -> Path:
    target = outside.path / name
    target.write_text("export PATH=/usr/bin\n")
    outside.before = Outside(outside.path).before
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    return link


def _to_huge(link: Path, outside: Outside) -> None:
    """A link to a sparse file of 4 GiB outside: never read whole into memory."""
    target = outside.path / "huge"
    with target.open("wb") as handle:
        handle.truncate(4 * 1024**3)
    outside.before = Outside(outside.path).before
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


def _fifo(path: Path) -> None:
    """A FIFO where stratctl would write a file: opening it to write would wait for ever."""
    path.parent.mkdir(exist_ok=True)
    os.mkfifo(path)


def _folder_out(folder: Path, outside: Outside) -> None:
    target = outside.path / folder.name
    target.mkdir()
    outside.before = Outside(outside.path).before
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.symlink_to(target, target_is_directory=True)


# --- new --------------------------------------------------------------------------------------------


NEW = ("new", "objective", "planted", "--title", "A planted objective", "--lead", "COO")


def test_new_over_a_link_to_nothing_is_refused(repo: Path, stratctl: Stratctl, outside: Outside) -> None:
    _dangling(repo / "data" / "objectives" / "planted.yaml", outside)
    before = tree(repo)
    outcome = stratctl(*NEW, "--priority", "recover")
    assert_behaves(outcome, 2, "planted.yaml already exists", outside=outside, unchanged=(repo, before))


def test_new_into_a_record_folder_linked_out_of_the_repository_is_refused(
    repo: Path, stratctl: Stratctl, outside: Outside
) -> None:
    shutil.rmtree(repo / "data" / "strategies")
    _folder_out(repo / "data" / "strategies", outside)
    before = tree(repo)
    outcome = stratctl("new", "strategy", "planted", "--title", "A strategy", "--lead", "COO")
    assert outcome.exit_code in (1, 2)
    assert_behaves(outcome, outcome.exit_code, "strategies", outside=outside, unchanged=(repo, before))


@pytest.mark.parametrize("plant", [_dangling, _to_existing], ids=["link-to-nothing", "link-to-a-file"])
def test_new_leaves_a_linked_schema_alone_and_writes_nothing_through_it(
    repo: Path, stratctl: Stratctl, outside: Outside, plant: Callable[[Path, Outside], Path]
) -> None:
    link = plant(repo / "schemas" / "objective.schema.json", outside)
    outcome = stratctl(*NEW, "--priority", "recover")
    assert_behaves(outcome, 0, outside=outside)
    assert link.is_symlink() and (repo / "data" / "objectives" / "planted.yaml").is_file()
    assert (repo / "schemas" / "risk.schema.json").is_file()  # the schemas editors lack are still written


def test_new_with_a_schemas_folder_linked_out_of_the_repository_writes_nothing(
    repo: Path, stratctl: Stratctl, outside: Outside
) -> None:
    _folder_out(repo / "schemas", outside)
    before = tree(repo)
    outcome = stratctl(*NEW, "--priority", "recover")
    assert_behaves(outcome, 2, "outside", outside=outside, unchanged=(repo, before))


# --- rollover ---------------------------------------------------------------------------------------


ROLLOVER = ("rollover", "--to", "2022/23")


@pytest.mark.parametrize(
    "plant",
    [
        lambda path, outside: _dangling(path, outside),
        lambda path, outside: _to_existing(path, outside),
        lambda path, outside: path.write_text("id: [broken\n"),
        lambda path, outside: path.write_text("id: someone-else\ntitle: Not the successor\n"),
        lambda path, outside: path.with_suffix(".yml").write_text("id: [broken\n"),
    ],
    ids=["link-to-nothing", "link-to-a-file", "broken-yaml", "another-id", "broken-yml-twin"],
)
def test_rollover_never_replaces_a_file_at_a_successors_path(
    repo: Path, stratctl: Stratctl, outside: Outside, plant: Callable[[Path, Outside], object]
) -> None:
    plant(repo / "data" / "objectives" / "talent-2022-23.yaml", outside)
    before = tree(repo)
    outcome = stratctl(*ROLLOVER)
    assert outcome.exit_code in (1, 2)
    assert_behaves(outcome, outcome.exit_code, "talent-2022-23.y", outside=outside, unchanged=(repo, before))


def _failing_rename(monkeypatch: pytest.MonkeyPatch, name: str, error: int = errno.ENOSPC) -> Callable[..., None]:
    """os.replace fails when it renames a file into `name`: a full disk, a quota, an I/O error. Returns
    the real os.replace, to put back (monkeypatch.undo would also undo the fixture's chdir)."""
    real = os.replace

    def replace(source: object, target: object, *args: object, **kwargs: object) -> None:
        if Path(str(target)).name == name and str(source).endswith(".tmp"):
            raise OSError(error, os.strerror(error))
        real(source, target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    return real


@pytest.mark.parametrize("last", ["trust.yaml", "talent-2022-23.yaml"])
def test_rollover_whose_last_write_fails_leaves_the_repository_as_it_was(
    repo: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch, last: str
) -> None:
    before = tree(repo)
    real = _failing_rename(monkeypatch, last)
    outcome = stratctl(*ROLLOVER)
    assert_behaves(outcome, 2, last, "nothing was changed", unchanged=(repo, before))
    monkeypatch.setattr(os, "replace", real)
    assert stratctl("validate").exit_code == 0
    assert stratctl(*ROLLOVER).exit_code == 0  # and once the disk has room, it goes through whole


def test_import_whose_last_write_fails_leaves_the_repository_as_it_was(
    tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "trust"
    assert stratctl("init", str(root), "--year", "2021/22").exit_code == 0
    monkeypatch.chdir(root)
    before = tree(root)
    _failing_rename(monkeypatch, "trust.yaml", errno.EIO)
    outcome = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    assert_behaves(outcome, 2, "trust.yaml", "nothing was changed", unchanged=(root, before))


def test_init_whose_last_write_fails_leaves_no_folder_behind(
    tmp_path: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_rename(monkeypatch, "trust.schema.json")
    outcome = stratctl("init", str(tmp_path / "trust"), "--year", "2021/22")
    assert_behaves(outcome, 2, "trust.schema.json", "nothing was changed")
    assert not (tmp_path / "trust").exists() or list((tmp_path / "trust").rglob("*")) == []


def test_a_write_interrupted_half_way_puts_back_what_it_wrote(
    repo: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree(repo)
    real = os.replace

    def interrupted(source: object, target: object, *args: object, **kwargs: object) -> None:
        if Path(str(target)).name == "trust.yaml":
            raise KeyboardInterrupt  # Ctrl-C between two renames
        real(source, target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", interrupted)
    outcome = stratctl(*ROLLOVER)
    assert outcome.exit_code != 0
    assert tree(repo) == before


# --- codeowners ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plant", "needle"),
    [
        (lambda repo, outside: _dangling(repo / ".github" / "CODEOWNERS", outside), "does not exist"),
        (lambda repo, outside: _to_existing(repo / ".github" / "CODEOWNERS", outside), "outside"),
        (lambda repo, outside: _folder_out(repo / ".github", outside), "outside"),
        (lambda repo, outside: _fifo(repo / ".github" / "CODEOWNERS"), "regular"),
        (lambda repo, outside: _to_huge(repo / ".github" / "CODEOWNERS", outside), "outside"),
    ],
    ids=["link-to-nothing", "link-to-a-file", "folder-linked-out", "fifo", "link-to-a-huge-file"],
)
def test_codeowners_never_writes_through_a_link(
    repo: Path, stratctl: Stratctl, outside: Outside, plant: Callable[[Path, Outside], object], needle: str
) -> None:
    plant(repo, outside)
    before = tree(repo)
    outcome = stratctl("codeowners")
    assert_behaves(outcome, 2, "CODEOWNERS", needle, outside=outside, unchanged=(repo, before))
    validated = stratctl("validate")  # a FIFO or a link there never stops validate
    assert_behaves(validated, 0)


# --- init ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [".gitignore", "README.md", ".pre-commit-config.yaml", ".vscode/settings.json"])
def test_init_into_a_folder_with_a_linked_file_writes_nothing(
    tmp_path: Path, stratctl: Stratctl, outside: Outside, name: str
) -> None:
    root = tmp_path / "trust"
    _dangling(root / name, outside)
    before = tree(root)
    outcome = stratctl("init", str(root))
    assert_behaves(outcome, 2, name, "never overwrites", outside=outside, unchanged=(root, before))


@pytest.mark.parametrize("folder", [".github", "schemas", ".vscode"])
def test_init_into_a_folder_whose_subfolder_links_out_writes_nothing(
    tmp_path: Path, stratctl: Stratctl, outside: Outside, folder: str
) -> None:
    root = tmp_path / "trust"
    root.mkdir()
    _folder_out(root / folder, outside)
    before = tree(root)
    outcome = stratctl("init", str(root))
    assert_behaves(outcome, 2, "outside", outside=outside, unchanged=(root, before))


# --- update, fmt, import --------------------------------------------------------------------------------


def test_update_of_a_record_linked_out_of_the_repository_is_refused(
    repo: Path, stratctl: Stratctl, outside: Outside
) -> None:
    record = repo / "data" / "objectives" / "talent.yaml"
    kept = outside.path / "talent.yaml"
    shutil.move(record, kept)
    record.symlink_to(kept)
    outside.before = Outside(outside.path).before
    before = tree(repo)
    outcome = stratctl("update", "talent", "-q", "Q4", "--progress", "behind", "--comment", "Slipped")
    assert_behaves(outcome, 2, "talent.yaml", "outside", outside=outside, unchanged=(repo, before))


def test_fmt_leaves_a_record_linked_out_of_the_repository_alone(
    repo: Path, stratctl: Stratctl, outside: Outside
) -> None:
    record = repo / "data" / "objectives" / "talent.yaml"
    kept = outside.path / "talent.yaml"
    lines = record.read_text().splitlines(keepends=True)
    kept.write_text("".join(lines[1:] + lines[:1]))  # `id:` last: not in the canonical order
    record.unlink()
    record.symlink_to(kept)
    outside.before = Outside(outside.path).before
    outcome = stratctl("fmt")
    assert_behaves(outcome, 1, "talent.yaml: left alone", "outside", outside=outside)


def test_import_over_a_link_to_nothing_is_refused(
    tmp_path: Path, stratctl: Stratctl, outside: Outside, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "trust"
    assert stratctl("init", str(root), "--year", "2021/22").exit_code == 0
    monkeypatch.chdir(root)
    _dangling(root / "data" / "objectives" / "reduce-maternity-service-vacancies-to-5-by-q4.yaml", outside)
    before = tree(root)
    outcome = stratctl("import", "tracker", str(TRACKER), "--quarter", "Q3")
    assert_behaves(
        outcome, 2, "reduce-maternity-service-vacancies-to-5-by-q4.yaml", outside=outside, unchanged=(root, before)
    )


# --- report -o, export -o, schema -o ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [("report", "-q", "Q3", "--format", "md"), ("export", "-q", "Q3"), ("report", "-q", "Q3", "--format", "json")],
)
def test_output_to_a_link_to_nothing_is_refused(
    repo: Path, stratctl: Stratctl, outside: Outside, command: tuple[str, ...]
) -> None:
    link = _dangling(repo / "paper.out", outside)
    outcome = stratctl(*command, "--output", str(link))
    assert_behaves(outcome, 2, "paper.out", "does not exist", outside=outside)
    assert link.is_symlink()


@pytest.mark.parametrize("plant", [_dangling, _to_existing], ids=["link-to-nothing", "link-to-a-file"])
def test_schema_output_never_writes_out_of_the_folder_named(
    tmp_path: Path, stratctl: Stratctl, outside: Outside, plant: Callable[[Path, Outside], Path]
) -> None:
    folder = tmp_path / "schemas"
    plant(folder / "risk.schema.json", outside)
    before = tree(folder)
    outcome = stratctl("schema", "--output", str(folder))
    assert_behaves(outcome, 2, "risk.schema.json", outside=outside, unchanged=(folder, before))


def test_a_data_folder_that_is_a_link_is_still_where_records_are_written(
    repo: Path, stratctl: Stratctl, tmp_path: Path
) -> None:
    """The data folder itself may be a link (the records kept elsewhere): writes follow it, and no further."""
    kept = tmp_path / "kept-data"
    shutil.move(repo / "data", kept)
    (repo / "data").symlink_to(kept, target_is_directory=True)
    outcome = stratctl("update", "talent", "-q", "Q4", "--progress", "behind", "--comment", "Slipped")
    assert_behaves(outcome, 0)
    assert "2021/22 Q4" in (kept / "objectives" / "talent.yaml").read_text()
    outside = Outside(tmp_path / "outside")
    record = kept / "objectives" / "cancer-standards.yaml"
    moved = outside.path / "cancer-standards.yaml"
    shutil.move(record, moved)
    record.symlink_to(moved)
    outside.before = Outside(outside.path).before
    refused = stratctl("update", "cancer-standards", "-q", "Q4", "--progress", "behind", "--comment", "Slipped")
    assert_behaves(refused, 2, "cancer-standards.yaml", "outside", outside=outside)
