"""The cache (stratctl.cache) never changes a result: warm equals cold, and a damaged entry is never trusted."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stratctl import cache, loading
from stratctl.cache import CACHE_ENV, MAGIC, ReadCache, read_entry
from stratctl.config import Config
from stratctl.findings import Finding
from stratctl.loading import load_repository
from tests.conftest import Stratctl

BAD_OBJECTIVE = """\
id: talent-two
title: A second talent objective
year: 2021/22
priority: recover
supports: [SO2]
lead: CPO
risks: ["9999"]
due: 2022-03-31
"""
TYPO = BAD_OBJECTIVE.replace("lead: CPO", "lede: CPO").replace("talent-two", "talent-three")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    where = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(where))
    return where


def _validate(stratctl: Stratctl, *extra: str) -> tuple[int, dict[str, Any]]:
    outcome = stratctl("validate", "--format", "json", *extra)
    document: dict[str, Any] = json.loads(outcome.stdout)
    return outcome.exit_code, document


def _entries(folder: Path, kind: str) -> list[Path]:
    return sorted(folder.glob(f"{kind}-*.bin"))


@pytest.fixture
def findings_repo(repo: Path) -> Path:
    """The minimal repository with a record that has findings (an unknown field, an unknown risk)."""
    (repo / "data" / "objectives" / "talent-two.yaml").write_text(BAD_OBJECTIVE)
    (repo / "data" / "objectives" / "talent-three.yaml").write_text(TYPO)
    return repo


def test_a_warm_run_gives_what_a_cold_one_gave(findings_repo: Path, folder: Path, stratctl: Stratctl) -> None:
    cold = _validate(stratctl)
    assert _entries(folder, "validate") and _entries(folder, "reads")
    warm = _validate(stratctl)
    uncached = _validate(stratctl, "--no-cache")
    assert cold == warm == uncached
    assert cold[0] == 1 and cold[1]["errors"] >= 2
    text = stratctl("validate").stdout
    assert text == stratctl("validate", "--no-cache").stdout


def test_one_file_is_checked_against_the_whole_repository_from_the_cache(
    findings_repo: Path, folder: Path, stratctl: Stratctl
) -> None:
    whole = _validate(stratctl)
    one = _validate(stratctl, "data/objectives/talent-two.yaml")
    again = _validate(stratctl, "--no-cache", "data/objectives/talent-two.yaml")
    assert one == again
    assert one[1]["files_checked"] == 1
    assert {f["code"] for f in one[1]["findings"]} <= {f["code"] for f in whole[1]["findings"]}
    assert any("9999" in f["message"] for f in one[1]["findings"])  # a reference, checked against all


@pytest.mark.parametrize("damage", ["truncate", "flip", "foreign", "garbage", "wrong-magic"])
def test_a_damaged_entry_is_ignored_and_rebuilt(
    findings_repo: Path, folder: Path, stratctl: Stratctl, damage: str
) -> None:
    cold = _validate(stratctl)
    for entry in _entries(folder, "validate") + _entries(folder, "reads"):
        blob = entry.read_bytes()
        if damage == "truncate":
            entry.write_bytes(blob[: len(blob) // 2])
        elif damage == "flip":
            entry.write_bytes(blob[:-10] + bytes(b ^ 0xFF for b in blob[-10:]))
        elif damage == "foreign":  # whole, well-formed and sealed, but made under another key: "no findings"
            assert cache.write_entry(entry, bytes(32), [] if entry.name.startswith("validate") else {})
        elif damage == "garbage":
            entry.write_bytes(os.urandom(len(blob)))
        else:
            entry.write_bytes(b"not-stratctl\n" + blob[len(MAGIC) :])
    assert _validate(stratctl) == cold
    reads = _entries(folder, "reads")[0]
    key = ReadCache(folder, findings_repo / "data", Config().fingerprint()).key
    assert read_entry(reads, key) is not None  # written again, whole


class _Planted:
    """A payload that, if unpickled by an unguarded loader, would write a file: the cache must never run it."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[Callable[..., object], tuple[object, ...]]:
        return (Path.write_text, (self.target, "ran"))


def test_an_entry_naming_any_other_class_is_never_unpickled(
    findings_repo: Path, folder: Path, stratctl: Stratctl, tmp_path: Path
) -> None:
    """A cache folder can be force-added to a pull request: a payload with the right key and digest is still refused."""
    cold = _validate(stratctl)
    target = tmp_path / "ran.txt"
    for entry in _entries(folder, "validate") + _entries(folder, "reads"):
        blob = entry.read_bytes()
        key = blob[len(MAGIC) + 2 : len(MAGIC) + 34]
        assert cache.write_entry(entry, key, _Planted(target))
        assert read_entry(entry, key) is None
    reads = ReadCache(folder, findings_repo / "data", Config().fingerprint())
    reads.entries = {k: pickle.dumps((_Planted(target), (), False)) for k in reads.entries}
    assert all(reads.get(*k) is None for k in list(reads.entries))
    assert _validate(stratctl) == cold
    assert not target.exists()


def test_an_entry_forged_without_this_users_secret_is_not_trusted(
    findings_repo: Path, folder: Path, stratctl: Stratctl
) -> None:
    """Anyone can compute an entry's key from stratctl's source; only this user's secret seals it. A
    forged "no findings" (a cache folder committed into a pull request) must not make CI pass."""
    import hashlib

    cold = _validate(stratctl)
    assert cold[0] == 1
    for entry in _entries(folder, "validate"):
        blob = entry.read_bytes()
        key = blob[len(MAGIC) + 2 : len(MAGIC) + 34]
        payload = pickle.dumps([])
        entry.write_bytes(MAGIC + blob[len(MAGIC) : len(MAGIC) + 34] + hashlib.sha256(payload).digest() + payload)
        assert read_entry(entry, key) is None
    assert _validate(stratctl) == cold


def test_the_secret_is_private_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    first = cache._user_secret()
    where = cache.secret_path()
    assert where is not None and where.is_relative_to(tmp_path) and where.stat().st_mode & 0o777 == 0o600
    assert cache._user_secret() == first and len(first) == cache.SECRET_BYTES
    assert [p.name for p in where.parent.iterdir()] == ["secret"]  # no temporary file left
    where.chmod(0o644)  # readable by others: not a secret any longer, so replaced
    second = cache._user_secret()
    assert second != first and where.stat().st_mode & 0o777 == 0o600 and cache._user_secret() == second
    where.write_bytes(b"")  # an interrupted first write of an older stratctl: replaced, not a cache dead for ever
    third = cache._user_secret()
    assert len(third) == cache.SECRET_BYTES and cache._user_secret() == third


def test_a_relative_cache_home_never_puts_the_secret_in_the_work_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", ".cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.secret_path() == tmp_path / "home" / ".cache" / "stratctl" / "secret"
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # no home folder known: "~" stays "~"
    assert cache.secret_path() is None
    assert len(cache._user_secret()) == cache.SECRET_BYTES
    assert not (tmp_path / ".cache").exists() and not (tmp_path / "~").exists()


def test_a_secret_that_cannot_be_written_is_a_secret_of_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "full"))

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert len(cache._user_secret()) == cache.SECRET_BYTES  # no error
    assert not (tmp_path / "full" / "stratctl" / "secret").exists()


def test_a_sealed_entry_moved_under_another_key_is_not_trusted(tmp_path: Path) -> None:
    entry = tmp_path / "validate-x.bin"
    assert cache.write_entry(entry, b"A" * 32, [])
    blob = entry.read_bytes()
    head = len(MAGIC) + 2
    entry.write_bytes(blob[:head] + b"B" * 32 + blob[head + 32 :])
    assert read_entry(entry, b"B" * 32) is None
    assert cache.write_entry(entry, b"A" * 32, []) and read_entry(entry, b"A" * 32) == []


def test_a_damaged_read_inside_a_whole_entry_is_read_again(findings_repo: Path, folder: Path) -> None:
    data = findings_repo / "data"
    cold = load_repository(data, cache=ReadCache(folder, data))
    damaged = ReadCache(folder, data)
    assert damaged.entries
    damaged.entries = {key: b"\x80\x05not a pickle" for key in damaged.entries}
    warm = load_repository(data, cache=damaged)
    assert warm.findings == cold.findings
    assert [o.record for o in warm.outcomes] == [o.record for o in cold.outcomes]


def test_a_changed_file_is_read_again(findings_repo: Path, folder: Path, stratctl: Stratctl) -> None:
    before = _validate(stratctl)
    (findings_repo / "data" / "objectives" / "talent-three.yaml").write_text(TYPO.replace("lede", "lead"))
    after = _validate(stratctl)
    assert after == _validate(stratctl, "--no-cache")
    assert after != before
    assert not any(f["code"] == "S001" for f in after[1]["findings"])


HOUR_NS = 3600 * 10**9


@pytest.fixture
def later_clock(monkeypatch: pytest.MonkeyPatch) -> int:
    """The index's clock an hour ahead, so the files this test just wrote are not 'racy' to it
    (a file's change time cannot be set back); returns the clock's offset in nanoseconds."""
    import time

    monkeypatch.setattr(cache, "_now_ns", lambda: time.time_ns() + HOUR_NS)
    return HOUR_NS


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    read: list[Path] = []
    real = loading.read_bytes

    def counted(path: Path) -> tuple[bytes | None, list[Finding]]:
        read.append(path)
        return real(path)

    monkeypatch.setattr(loading, "read_bytes", counted)
    return read


def test_a_warm_validate_stats_unchanged_files_instead_of_reading_them(
    findings_repo: Path, folder: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch, later_clock: int
) -> None:
    cold = _validate(stratctl)
    read = _counting_reads(monkeypatch)
    assert _validate(stratctl) == cold
    assert read == []  # every file's blob id came from its stamp


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(
    findings_repo: Path, folder: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch, later_clock: int
) -> None:
    """The change time, which no tool can set back, is part of a file's stamp."""
    before = _validate(stratctl)
    edited = findings_repo / "data" / "objectives" / "talent-three.yaml"
    old = edited.stat()
    text = edited.read_text()
    edited.write_text(text.replace("lede: CPO", "lead: CPO"))
    assert len(edited.read_bytes()) == old.st_size
    os.utime(edited, ns=(old.st_atime_ns, old.st_mtime_ns))
    read = _counting_reads(monkeypatch)
    after = _validate(stratctl)
    assert read[0].name == "talent-three.yaml"  # the only file hashed to key the answer; then the repository is checked
    assert after == _validate(stratctl, "--no-cache") and after != before


def test_a_file_changed_as_the_index_is_written_is_hashed_again(
    findings_repo: Path, folder: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch, later_clock: int
) -> None:
    """Within the clock's resolution a file can change without its stamp changing: a file changed
    (by its modification or its change time) at or after the start of the run that stored its stamp
    is never trusted."""
    import time

    recent = findings_repo / "data" / "objectives" / "talent-two.yaml"
    as_the_index_starts = time.time_ns() + later_clock
    os.utime(recent, ns=(as_the_index_starts, as_the_index_starts))
    _validate(stratctl)
    read = _counting_reads(monkeypatch)
    _validate(stratctl)
    assert [p.name for p in read] == ["talent-two.yaml"]


def test_a_file_with_a_restored_modification_time_is_racy_by_its_change_time(
    findings_repo: Path, folder: Path, stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tar, rsync -a and cp -p set an old modification time on a file just written: its change time is new."""
    for path in (findings_repo / "data").rglob("*.yaml"):
        when = path.stat().st_mtime - 3600
        os.utime(path, (when, when))
    _validate(stratctl)
    read = _counting_reads(monkeypatch)
    _validate(stratctl)
    assert "talent-two.yaml" in {p.name for p in read}


def test_the_index_is_dated_from_before_any_file_is_statted(
    findings_repo: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file saved during a long run, after its stat, is racy to the next run however long the first one took."""
    ticks = iter([10 * HOUR_NS, 20 * HOUR_NS])
    monkeypatch.setattr(cache, "_now_ns", lambda: next(ticks))
    index = cache.BlobIndex(folder, findings_repo / "data")
    index.learn(findings_repo / "data" / "trust.yaml", os.stat(findings_repo / "data" / "trust.yaml"), "0" * 40)
    index.save()
    assert cache.BlobIndex(folder, findings_repo / "data").written_ns == 10 * HOUR_NS


def test_a_changed_configuration_is_not_answered_from_the_cache(
    findings_repo: Path, folder: Path, stratctl: Stratctl
) -> None:
    before = _validate(stratctl)
    assert any(f["code"] == "S001" for f in before[1]["findings"])
    (findings_repo / "stratctl.toml").write_text('[rules]\nS001 = "off"\n')
    after = _validate(stratctl)
    assert not any(f["code"] == "S001" for f in after[1]["findings"])
    assert after == _validate(stratctl, "--no-cache")


@pytest.mark.parametrize("where", ["after", "before"])
def test_no_cache_writes_nothing(findings_repo: Path, folder: Path, stratctl: Stratctl, where: str) -> None:
    for command in (["validate"], ["status", "--format", "json"], ["fmt", "--check"], ["report", "--format", "md"]):
        args = [*command, "--no-cache"] if where == "after" else ["--no-cache", *command]
        stratctl(*args)
    assert not folder.exists() or not any(folder.iterdir())


def test_the_cache_goes_beside_data_unless_told(
    repo: Path, monkeypatch: pytest.MonkeyPatch, stratctl: Stratctl
) -> None:
    monkeypatch.delenv(CACHE_ENV)
    assert stratctl("validate").exit_code == 0
    local = repo / ".stratctl-cache"
    assert _entries(local, "validate") and (local / ".gitignore").read_text().strip().endswith("*")


@pytest.mark.slow
def test_two_processes_at_once(findings_repo: Path, folder: Path) -> None:
    command = [sys.executable, "-m", "stratctl", "validate", "--format", "json"]
    env = {**os.environ, CACHE_ENV: str(folder)}
    runs = [subprocess.Popen(command, cwd=findings_repo, env=env, stdout=subprocess.PIPE) for _ in range(4)]
    outputs = [run.communicate()[0] for run in runs]
    assert len(set(outputs)) == 1 and json.loads(outputs[0])["errors"] >= 2
    again = subprocess.run(command, cwd=findings_repo, env=env, stdout=subprocess.PIPE, check=False)
    assert again.stdout == outputs[0]
    assert not list(folder.glob(".tmp-*"))


def test_the_pool_is_sized_by_the_cpus_the_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert loading.usable_cpus() == 1
    assert loading.pool_workers(100_000) == 1  # pinned to one CPU: a pool would only cost
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    assert loading.pool_workers(100_000) == 3
    assert loading.pool_workers(loading.PARALLEL_FROM - 1) == 1


def test_the_key_holds_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another version of stratctl never reads this one's entries."""
    first = cache.code_key()
    monkeypatch.setattr(cache, "_SOURCE", [])
    monkeypatch.setattr("stratctl.__version__", "9.9.9")
    assert cache.code_key() != first


def test_the_key_holds_the_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-byte edit to one module, the version unchanged, is other code: its entries are not reused."""
    first = cache.code_key()
    monkeypatch.setattr(cache, "_SOURCE", [])
    real = Path.read_bytes

    def edited(self: Path) -> bytes:
        return real(self) + (b"#" if self.name == "rating.py" else b"")

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert cache.code_key() != first


def test_many_paths_give_the_whole_repository_filtered(findings_repo: Path, folder: Path, stratctl: Stratctl) -> None:
    files = sorted(p.relative_to(findings_repo).as_posix() for p in (findings_repo / "data").rglob("*.yaml"))
    for extra in ((), ("--no-cache",)):
        whole = _validate(stratctl, *extra)
        every = _validate(stratctl, *extra, *files, *files, "data/objectives")  # each named twice, and its folder
        assert every == whole
        some = _validate(stratctl, *extra, *files[:2])
        shown = {f["path"] for f in whole[1]["findings"]} & set(files[:2])
        assert some[1]["findings"] == [f for f in whole[1]["findings"] if f["path"] in shown]
    assert stratctl("fmt", "--check", *files).stdout == stratctl("fmt", "--check").stdout
