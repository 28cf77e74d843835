"""From files on disk to records: find the files, read them, check them against the models.

Reading is the expensive part (libyaml), so large repositories are read by a
pool of processes, which hand back plain data, and a file whose bytes were read
before is taken from the cache (stratctl.cache) by its git blob id. Each file is
read without positions; the few files that have findings are parsed again with
positions by `placement`, so clean files never pay for them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import InvalidStateError, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from stratctl.cache import ReadCache, ReadEntry, blob_id
from stratctl.errors import RepositoryNotFound
from stratctl.findings import Finding, Severity
from stratctl.kinds import KINDS, RECORD_SUFFIXES, RecordKind, folder_kinds, is_record_name, kind_of_folder
from stratctl.layout import TRUST_FILE
from stratctl.reading import MAX_RECORD_BYTES, FileTooLarge, UnreadableFile, read_capped
from stratctl.repository import Loaded, RecordFile, Repository
from stratctl.rules.suppression import MARKER
from stratctl.rules.yaml_syntax import (
    COMMENT_IN_TEXT,
    FILE_NOT_READ,
    FILE_TOO_LARGE,
    INVALID_CHARACTER,
    UNREADABLE_FILE,
)
from stratctl.suggest import did_you_mean
from stratctl.yamlsource import offset_to_position, parse

if TYPE_CHECKING:
    from stratctl.records.base import Record

MAX_FILE_BYTES = MAX_RECORD_BYTES
PARALLEL_FROM = 400
"""Below this many files a process pool costs more than it saves."""


T = TypeVar("T")
U = TypeVar("U")


@dataclass(slots=True)
class ReadResult:
    """One file as read: its data, or the findings that stopped it being read."""

    data: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)
    has_suppression: bool = False


def discover(data_dir: Path, cwd: Path | None = None) -> list[RecordFile]:
    """Every record file of the repository, in a stable order: trust.yaml, then each kind's folder.

    Paths are the resolved data folder joined with each name: resolving 10,000
    files one by one costs seconds, and the folder is the only part that can differ.
    """
    files: list[RecordFile] = []
    for folder, kind, names, shown in _record_folders(data_dir, cwd):
        files += [RecordFile(folder / name, kind, f"{shown}{name}") for name in names]
    return files


def listing(data_dir: Path, cwd: Path | None = None) -> list[tuple[str, str, str]]:
    """`discover`'s files as text: (path, kind, display) each. What a command that keys the repository by its
    files' names and stamps, and reads none of them, needs (a warm validate): at 50,000 files the Path objects
    alone cost a tenth of a second."""
    files: list[tuple[str, str, str]] = []
    for folder, kind, names, shown in _record_folders(data_dir, cwd):
        text = f"{folder}{os.sep}"
        files += [(text + name, kind, shown + name) for name in names]
    return files


def _record_folders(data_dir: Path, cwd: Path | None) -> Iterator[tuple[Path, str, list[str], str]]:
    """(folder, kind, record names, display prefix) for trust.yaml's folder and each kind's, in reading order."""
    data_dir = data_dir.resolve()
    prefix = display_path(data_dir, (cwd or Path.cwd()).resolve())
    if (data_dir / TRUST_FILE).exists():
        yield data_dir, "trust", [TRUST_FILE], _join_display(prefix, "")
    for kind in folder_kinds():
        assert kind.folder is not None
        directory = data_dir / kind.folder
        if not directory.is_dir():
            continue
        with os.scandir(directory) as entries:
            names = sorted(e.name for e in entries if is_record_name(e.name))
        yield directory, kind.name, names, _join_display(prefix, f"{kind.folder}/")


MAX_UNREAD_ENTRIES = 10_000
"""How many entries the search for unread YAML files looks at, at most: it is advice, not a crawl."""


def unread_files(data_dir: Path, cwd: Path | None = None) -> list[Finding]:
    """A warning for each YAML file under `data_dir` that `discover` leaves out, saying why.

    Records are read only from trust.yaml and from lower-case .yaml/.yml names directly inside the
    record folders; a record in a sub-folder, in a misspelt folder or named X.YAML would otherwise be
    silently missing from every check and report. Hidden names are skipped, links to folders are
    not followed below the record folders, and the search stops after MAX_UNREAD_ENTRIES entries.
    """
    data_dir = data_dir.resolve()
    search = _UnreadSearch(data_dir, display_path(data_dir, (cwd or Path.cwd()).resolve()))
    for entry in _entries(data_dir, search.budget):
        name = entry.name
        if name == TRUST_FILE:
            continue
        if name in search.record_folders:
            search.record_folder(entry)
        elif _is_folder(entry, follow=False):
            hint = did_you_mean(name, search.record_folders).removeprefix("; ")
            search.walk(
                data_dir / name,
                name,
                f"{name}/ is not a record folder: records are read from {search.folder_list}"
                f"{' (' + hint + ')' if hint else ''}",
            )
        elif _yaml_named(name):
            if name.lower() in ("trust.yaml", "trust.yml"):
                search.report(name, "the trust's record is read only as trust.yaml, in lower case")
            else:
                search.report(
                    name,
                    "only trust.yaml is read at the top of data/; "
                    f"every other record goes in its kind's folder: {search.folder_list}",
                )
    return search.findings


class _UnreadSearch:
    """One search for unread files: where it reports from, its entry budget, and what it has found."""

    def __init__(self, data_dir: Path, prefix: str) -> None:
        self.data_dir = data_dir
        self.prefix = prefix
        self.budget = [MAX_UNREAD_ENTRIES]
        self.findings: list[Finding] = []
        self.record_folders = {kind.folder for kind in folder_kinds() if kind.folder is not None}
        self.folder_list = ", ".join(f"{folder}/" for folder in sorted(self.record_folders))

    def report(self, relative: str, reason: str) -> None:
        self.findings.append(
            FILE_NOT_READ.finding(_join_display(self.prefix, relative), f"not read: {reason}", line=1, column=1)
        )

    def walk(self, folder: Path, relative: str, reason: str, depth: int = 0) -> None:
        """Every YAML file below `folder` (links to folders not followed, eight levels at most), for `reason`."""
        for entry in _entries(folder, self.budget):
            inner = f"{relative}/{entry.name}"
            if _is_folder(entry, follow=False):
                if depth < 8:
                    self.walk(folder / entry.name, inner, reason, depth + 1)
            elif _yaml_named(entry.name):
                self.report(inner, reason)

    def record_folder(self, entry: os.DirEntry[str]) -> None:
        """A record folder that is not one, or what inside it discover leaves out."""
        name = entry.name
        if not _is_folder(entry, follow=True):
            what = (
                "a broken link" if entry.is_symlink() and not os.path.exists(self.data_dir / name) else "not a folder"
            )
            self.findings.append(
                UNREADABLE_FILE.finding(
                    _join_display(self.prefix, name),
                    f"the record folder cannot be read: it is {what}, so none of its records is",
                    line=1,
                    column=1,
                )
            )
            return
        for inner in _entries(self.data_dir / name, self.budget):
            if inner.name.endswith(RECORD_SUFFIXES):
                continue  # read by discover (a folder so named is reported as unreadable there)
            if _is_folder(inner, follow=False):
                self.walk(
                    self.data_dir / name / inner.name,
                    f"{name}/{inner.name}",
                    f"it is in a sub-folder of {name}/, and records are read only directly from data/{name}/",
                )
            elif _yaml_named(inner.name):
                stem, _, suffix = inner.name.rpartition(".")
                if f".{suffix.lower()}" in RECORD_SUFFIXES:
                    self.report(
                        f"{name}/{inner.name}", f"the extension must be lower case (rename it {stem}.{suffix.lower()})"
                    )
                else:
                    self.report(f"{name}/{inner.name}", "a record's name must end in .yaml or .yml")


def _entries(folder: Path, budget: list[int]) -> list[os.DirEntry[str]]:
    """The folder's entries by name, hidden ones left out; none once the budget is spent."""
    if budget[0] <= 0:
        return []
    try:
        with os.scandir(folder) as scan:
            entries = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return []
    entries = entries[: budget[0]]
    budget[0] -= len(entries)
    return entries


def _is_folder(entry: os.DirEntry[str], *, follow: bool) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:
        return False


_BACKUP_SUFFIXES = ("~", ".bak", ".orig", ".rej", ".swp", ".swo", ".tmp")
"""An editor's or a merge tool's copy (x.yaml~, x.yaml.orig): never meant to be read, so never reported."""


def _yaml_named(name: str) -> bool:
    lowered = name.lower()
    return (".yaml" in lowered or ".yml" in lowered) and not lowered.endswith(_BACKUP_SUFFIXES)


def _join_display(prefix: str, relative: str) -> str:
    return relative if prefix == "." else f"{prefix}/{relative}"


def canonical(path: Path) -> Path:
    """A folder resolved, or a file's folder resolved: the form `discover` gives, so paths compare equal."""
    if path.is_dir():
        return path.resolve()
    return path.parent.resolve() / path.name


def select(files: list[RecordFile], paths: Iterable[Path]) -> list[RecordFile]:
    """The files that are, or lie under, one of `paths`."""
    return [files[index] for index in chosen([str(file.path) for file in files], paths)]


def places_of(files: list[RecordFile]) -> set[Path]:
    """Every record file's path and every folder above one, in `canonical` form: a path given to
    `validate` holds a record exactly when it is among them (what `select` finds for it is not empty)."""
    places = {file.path for file in files}
    for folder in {file.path.parent for file in files}:
        places.add(folder)
        places.update(folder.parents)
    return places


def chosen(names: list[str], paths: Iterable[Path]) -> list[int]:
    """The indexes of the files named (as `listing` gives them) that are, or lie under, one of `paths`: a set
    lookup for each file, and one for each folder above each folder the files are in (a repository's
    files are in four), never a scan."""
    wanted = {canonical(path) for path in paths}
    exact = {str(path) for path in wanted}
    folders: dict[str, bool] = {}  # by name: a path's text is kept, its parent is a new Path each time
    indexes = []
    for index, name in enumerate(names):
        folder = os.path.dirname(name)
        inside = folders.get(folder)
        if inside is None:
            above = Path(folder)
            inside = folders[folder] = above in wanted or not wanted.isdisjoint(above.parents)
        if inside or name in exact:
            indexes.append(index)
    return indexes


def _file_for(data_dir: Path, path: Path, display: str) -> RecordFile | None:
    """The record file `path` would be inside `data_dir`, or None if it is in no kind's place."""
    if path == data_dir / TRUST_FILE:
        return RecordFile(path, "trust", display)
    kind = kind_of_folder(path.parent.name)
    if kind is not None and path.parent.parent == data_dir and path.suffix in RECORD_SUFFIXES:
        return RecordFile(path, kind.name, display)
    return None


def display_path(path: Path, cwd: Path) -> str:
    """The path relative to the working folder where possible, always with forward slashes."""
    try:
        return path.resolve().relative_to(cwd).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def read_text(path: Path) -> tuple[str | None, list[Finding]]:
    """A file's text, or the finding that explains why it cannot be read as text.

    Only a regular file is read (a FIFO would block, a link to /dev/zero never end), and never more
    than MAX_FILE_BYTES of it.
    """
    raw, findings = read_bytes(path)
    return (None, findings) if raw is None else decode(raw, str(path))


def read_bytes(path: Path) -> tuple[bytes | None, list[Finding]]:
    """A file's bytes (a regular file, at most MAX_FILE_BYTES), or the finding that explains why not."""
    display = str(path)
    try:
        return read_capped(path, MAX_FILE_BYTES), []
    except FileTooLarge as error:
        return None, [
            FILE_TOO_LARGE.finding(
                display,
                f"the file is {error.size / 1024 / 1024:.1f} MiB; a record may be at most 1 MiB",
                line=1,
                column=1,
            )
        ]
    except UnreadableFile as error:
        return None, [UNREADABLE_FILE.finding(display, f"the file cannot be read: {error.reason}", line=1, column=1)]


def decode(raw: bytes, display: str) -> tuple[str | None, list[Finding]]:
    """The text of a file's bytes, or the finding that says where they are not UTF-8."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8", errors="replace")
        if prefix.startswith("\ufeff"):
            prefix = prefix[1:]
        line, column = offset_to_position(prefix, len(prefix))
        byte = raw[error.start]
        return None, [
            INVALID_CHARACTER.finding(
                display,
                f"byte 0x{byte:02X} is not UTF-8 text: save the file as UTF-8",
                line=line,
                column=column,
            )
        ]


def read_file(path: Path, text: str | None = None) -> ReadResult:
    """Read and parse one record file (or `text` given for it). Never raises for bad content."""
    if text is None:
        return read_keyed(path)[1]
    if text.startswith("\ufeff"):
        text = text[1:]
    # a text given for the file (what update or import would write, or the file at a git ref) is
    # held to the cap a file on disk is: update must not write a record validate would refuse to read
    if len(text) > MAX_FILE_BYTES // 4 and (size := len(text.encode("utf-8", "surrogatepass"))) > MAX_FILE_BYTES:
        return ReadResult(
            None,
            [
                FILE_TOO_LARGE.finding(
                    str(path),
                    f"the file would be {size:,} bytes; a record may be at most 1 MiB ({MAX_FILE_BYTES:,} bytes)",
                    line=1,
                    column=1,
                )
            ],
        )
    return _parse_text(path, text)


def read_keyed(path: Path) -> tuple[str | None, ReadResult]:
    """`read_file(path)`, with the git blob id of the bytes it read (None when no bytes could be read)."""
    raw, findings = read_bytes(path)
    if raw is None:
        return None, ReadResult(None, findings)
    text, findings = decode(raw, str(path))
    return blob_id(raw), (ReadResult(None, findings) if text is None else _parse_text(path, text))


def _read_given(item: tuple[Path, str]) -> ReadResult:
    return read_file(*item)


def _parse_text(path: Path, text: str) -> ReadResult:
    document = parse(text)
    findings: list[Finding] = [
        problem.rule.finding(str(path), problem.message, line=problem.line, column=problem.column)
        for problem in document.problems
    ]
    for _loc, line, column in document.comment_cuts:
        findings.append(
            COMMENT_IN_TEXT.finding(
                str(path),
                "the text stops here: ' #' starts a YAML comment and the rest of the line is lost; "
                "quote the text, or put two spaces before an intended comment",
                line=line,
                column=column,
            )
        )
    return ReadResult(document.data, findings, MARKER in text)


def usable_cpus() -> int:
    """The processors this process may run on: its affinity where the system says (a container or
    `taskset` may allow fewer than the machine has), else the machine's count."""
    if hasattr(os, "sched_getaffinity"):
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except OSError:
            pass
    return os.cpu_count() or 1


def pool_workers(items: int) -> int:
    """How many processes should read `items` files: 1 (no pool) below PARALLEL_FROM or on one usable CPU."""
    workers = min(usable_cpus(), 8)
    return 1 if items < PARALLEL_FROM or workers < 2 else workers


def in_pool(function: Callable[[T], U], items: list[T], chunksize: int | None = None) -> Iterator[U]:
    """`map(function, items)`, by a pool of processes when there are enough items for one to pay.
    Results stream back in order as they are ready, so the caller works on them while others are read.

    The workers never outlive the command: they ignore Ctrl-C (the terminal sends it to them too; the
    command itself stops), and if the command stops early for any reason (Ctrl-C, SIGTERM turned into
    an exit by the command line, an error, a caller that has what it wanted) they are terminated at
    once rather than left to finish the queue. Where the system can (Linux), each worker is also
    killed by the kernel when the command's process dies, however it dies (SIGKILL included).

    `chunksize`: how many items a process is given at a time (by default a sixteenth of them per process,
    at least 16); a caller whose items differ widely in cost gives it, to spread the long ones.
    """
    workers = pool_workers(len(items))
    if workers < 2:
        yield from map(function, items)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = chunksize or max(16, len(items) // (workers * 8))
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_worker_started, initargs=(os.getpid(),)
    )
    finished = False
    try:
        # map() submits every chunk at once, forking the workers as it goes. A signal that lands inside
        # a fork runs its handler in the fork's own hooks, where Python only prints "Exception ignored"
        # and carries on: Ctrl-C was lost and the command went on. So the signals wait until the
        # workers exist, then arrive where the command can act on them.
        with _signals_held():
            results = pool.map(function, items, chunksize=chunk)
        yield from results
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _terminate(pool)


_HELD_SIGNALS = {
    number for name in ("SIGINT", "SIGTERM", "SIGHUP") if (number := getattr(signal, name, None)) is not None
}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP back from this thread while the block runs; any that came are
    delivered when it ends. (No-op where the system has no signal masks.)"""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _worker_started(parent: int) -> None:
    """In each worker, first: Ctrl-C is the command's to handle; SIGTERM ends the worker (a forked
    worker would otherwise run the command's own handler); and the worker dies with the command."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # forked while the command held them back (in_pool)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_SIGNALS)
    if sys.platform.startswith("linux"):
        try:
            import ctypes  # only in a worker, and only here: the kernel's parent-death signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the command died before the signal was asked for
        os._exit(1)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's workers now, without waiting for the queue, and let the pool go.

    The pool's own thread, seeing its workers gone, marks every waiting future broken as it ends; one
    the stopped map() had cancelled makes Python 3.11's pool raise InvalidStateError in that thread, a
    traceback on a command stopped by a signal. The pool is being thrown away, so that race alone is
    silenced while it is let go."""
    previous = threading.excepthook

    def quiet(args: threading.ExceptHookArgs) -> None:
        if not issubclass(args.exc_type, InvalidStateError):
            previous(args)

    threading.excepthook = quiet
    try:
        kill = getattr(pool, "kill_workers", None)  # Python 3.14
        if kill is not None:
            kill()
            return
        processes = dict(getattr(pool, "_processes", None) or {})  # before 3.14, the pool keeps them here
        for process in processes.values():
            with contextlib.suppress(OSError, ValueError, AttributeError):
                process.kill()  # SIGKILL: a worker only reads, and a stopped one is ended too
        # Waiting is quick now (the pool's own thread sees its workers gone and ends), and it must be done:
        # left running, that thread raced Python's exit, which then printed a traceback (a closed pipe).
        pool.shutdown(wait=True, cancel_futures=True)
    finally:
        threading.excepthook = previous


def _read_all(files: list[RecordFile], cache: ReadCache | None = None) -> Iterator[tuple[str | None, ReadResult]]:
    """Each file read, in order, with its blob id: from the cache where its bytes were read before."""
    known: dict[int, tuple[str, str]] = {}  # index -> (kind, blob id) of a file the cache holds
    if cache is not None and cache.entries:
        for index, file in enumerate(files):
            raw, _ = read_bytes(file.path)
            if raw is not None and (key := (file.kind, blob_id(raw))) in cache.entries:
                known[index] = key
    fresh = in_pool(read_keyed, [file.path for index, file in enumerate(files) if index not in known])
    for index, file in enumerate(files):
        if index in known:  # unpickled only now, so the whole repository's data is never held at once
            entry = cache.get(*known[index]) if cache is not None else None
            if entry is not None:
                yield known[index][1], _from_entry(entry)
                continue
            blob, result = read_keyed(file.path)  # a damaged entry: read again
        else:
            blob, result = next(fresh)
        if cache is not None and blob is not None:
            cache.put(file.kind, blob, _to_entry(result))
        yield blob, result


def _to_entry(result: ReadResult) -> ReadEntry:
    return (result.data, tuple(replace(f, path="") for f in result.findings), result.has_suppression)


def _from_entry(entry: ReadEntry) -> ReadResult:
    data, findings, has_suppression = entry
    return ReadResult(data, list(findings), has_suppression)


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What one file gave: its findings, its record if it loaded, and whether it suppresses any."""

    findings: tuple[Finding, ...]
    record: Record | None
    has_suppression: bool


@dataclass
class LoadResult:
    """A repository as read: its records, every file's findings, and the texts read instead of files."""

    repository: Repository
    files: list[RecordFile]
    outcomes: list[FileOutcome]  # one per file, in the same order
    overrides: dict[Path, str] = field(default_factory=dict)  # resolved path -> text used instead of the file
    unread: list[Finding] = field(default_factory=list)  # YAML files under data/ that are never read, and why
    blobs: dict[Path, str] = field(default_factory=dict)  # resolved path -> git blob id of the bytes read
    lent: dict[Path, tuple[LoadResult, RecordFile]] = field(default_factory=dict)  # path -> the same bytes elsewhere

    def by_content(self) -> dict[tuple[str, str], FileOutcome]:
        """Each file's outcome by (kind, blob id): what another file with the same bytes would give."""
        return {
            (file.kind, blob): outcome
            for file, outcome in zip(self.files, self.outcomes, strict=True)
            if (blob := self.blobs.get(file.path)) is not None
        }

    @property
    def findings(self) -> list[Finding]:
        return [finding for outcome in self.outcomes for finding in outcome.findings] + self.unread

    @property
    def suppressing(self) -> set[str]:
        """Display paths of files with a `stratctl:` comment."""
        return {
            file.display for file, outcome in zip(self.files, self.outcomes, strict=True) if outcome.has_suppression
        }

    def text_of(self, file: RecordFile) -> str | None:
        """The text the records were read from: an override, else the file on disk."""
        override = self.overrides.get(file.path)
        if override is not None:
            return override.removeprefix("\ufeff")
        if file.path in self.lent:  # not read here: the same bytes as a file of another repository
            other, same = self.lent[file.path]
            return other.text_of(same)
        return read_text(file.path)[0]

    @classmethod
    def empty(cls, data_dir: Path) -> LoadResult:
        """A repository with no records yet: what `init` validates its first files against."""
        return cls(Repository(data_dir=data_dir), [], [], {})

    def with_texts(
        self, texts: dict[Path, str], cwd: Path | None = None, *, removed: Iterable[Path] = ()
    ) -> LoadResult:
        """The repository as it would be with `texts` written: only those files are read again.

        A change is validated this way before anything is written; a path not yet on disk is a
        record about to be created.
        """
        data_dir = self.repository.data_dir.resolve()
        texts = {canonical(path): text for path, text in texts.items()}
        known = {file.path for file in self.files}
        files = list(self.files)
        outcomes: list[FileOutcome | None] = list(self.outcomes)
        shown_from = (cwd or Path.cwd()).resolve()
        for path in sorted(set(texts) - known):
            new = _file_for(data_dir, path, display_path(path, shown_from))
            if new is not None:
                files.append(new)
                outcomes.append(None)
        for index, file in enumerate(files):
            if file.path in texts:
                outcomes[index] = _outcome(file, read_file(file.path, texts[file.path]))
        gone = {canonical(path) for path in removed}
        kept = [(f, o) for f, o in zip(files, outcomes, strict=True) if o is not None and f.path not in gone]
        result = _assemble(
            self.repository.data_dir, [f for f, _ in kept], [o for _, o in kept], {**self.overrides, **texts}
        )
        result.unread = self.unread
        return result


def load_repository(data_dir: Path, cwd: Path | None = None, cache: ReadCache | None = None) -> LoadResult:
    """Read every record of `data_dir`; findings hold what could not be read or is malformed.

    With `cache`, a file whose bytes were read before is not parsed again, and what this read adds
    is stored back.
    """
    if not (data_dir / TRUST_FILE).is_file():
        raise RepositoryNotFound(f"{data_dir} has no {TRUST_FILE}: is it a strategy repository's data folder?")
    files = discover(data_dir, cwd)
    outcomes: list[FileOutcome] = []
    blobs: dict[Path, str] = {}
    for file, (blob, result) in zip(files, _read_all(files, cache), strict=True):
        outcomes.append(_outcome(file, result))
        if blob is not None:
            blobs[file.path] = blob
    if cache is not None:
        cache.save()
    loaded = _assemble(data_dir, files, outcomes, {})
    loaded.unread = unread_files(data_dir, cwd)
    loaded.blobs = blobs
    return loaded


def load_texts(
    data_dir: Path,
    texts: dict[str, str],
    *,
    blobs: dict[str, str] | None = None,
    reuse: Iterable[LoadResult] = (),
    cache: ReadCache | None = None,
) -> LoadResult:
    """Records from texts by path relative to `data_dir` (`objectives/x.yaml`): a repository at a git ref.

    A text with the same bytes as a file of a repository in `reuse` (the work tree, the other side of
    a diff) gets that file's outcome, the same record object, without being read again; so does a
    text met twice. Others come from `cache` where it has them, else are parsed (by a pool when many).
    With `blobs` (path -> git blob id, as `gitrefs.list_records` gives), the files are those it lists,
    and a file whose blob a repository in `reuse` has a record for needs no text at all.
    """
    names = blobs if blobs is not None else texts
    files = [
        file
        for relative in sorted(names)
        if (file := _file_for(data_dir, data_dir / relative, f"data/{relative}")) is not None
    ]
    by_path = {data_dir / relative: text for relative, text in texts.items()}
    known: dict[tuple[str, str], FileOutcome] = {}
    lenders: dict[tuple[str, str], tuple[LoadResult, RecordFile]] = {}
    for other in reuse:
        known.update(other.by_content())
        lenders.update(
            {(file.kind, blob): (other, file) for file in other.files if (blob := other.blobs.get(file.path))}
        )
    keys = [
        (
            file.kind,
            blobs[file.path.relative_to(data_dir).as_posix()]
            if blobs is not None
            else blob_id(by_path[file.path].encode("utf-8", "surrogatepass")),
        )
        for file in files
    ]
    misses: dict[tuple[str, str], RecordFile] = {}  # the texts to parse, each once, in the order they are met
    for key, file in zip(keys, files, strict=True):
        if key not in known and key not in misses and (cache is None or key not in cache.entries):
            misses[key] = file
    # parsed (or unpickled) one at a time as the loop below comes to it: no file's data outlives its record
    fresh = in_pool(_read_given, [(file.path, by_path[file.path]) for file in misses.values()])
    outcomes = []
    for file, key in zip(files, keys, strict=True):
        outcome = known.get(key)
        if outcome is None:
            entry = cache.get(*key) if cache is not None and key not in misses else None
            if entry is not None:
                result = _from_entry(entry)
            else:
                result = (
                    next(fresh) if key in misses else _read_given((file.path, by_path[file.path]))
                )  # a damaged entry
                if cache is not None:
                    cache.put(*key, _to_entry(result))
            outcome = known[key] = _outcome(file, result)
        elif outcome.findings and outcome.findings[0].path != file.display:
            outcome = FileOutcome(
                tuple(replace(f, path=file.display) for f in outcome.findings), outcome.record, outcome.has_suppression
            )
        outcomes.append(outcome)
    if cache is not None:
        cache.save()
    loaded = _assemble(
        data_dir, files, outcomes, {file.path: by_path[file.path] for file in files if file.path in by_path}
    )
    loaded.blobs = {file.path: blob for file, (_, blob) in zip(files, keys, strict=True)}
    loaded.lent = {file.path: lenders[key] for file, key in zip(files, keys, strict=True) if file.path not in by_path}
    return loaded


def reusable(data_dir: Path, blobs: dict[str, str], others: Iterable[LoadResult]) -> set[str]:
    """The paths of `blobs` (relative to `data_dir`, with their blob ids) that a file of `others` with a
    record has the same bytes as, for the same kind: `load_texts` needs no text for them."""
    records = {
        (file.kind, blob)
        for other in others
        for file, outcome in zip(other.files, other.outcomes, strict=True)
        if outcome.record is not None and (blob := other.blobs.get(file.path)) is not None
    }
    return {
        relative
        for relative, blob in blobs.items()
        if (file := _file_for(data_dir, data_dir / relative, relative)) is not None and (file.kind, blob) in records
    }


def _outcome(file: RecordFile, result: ReadResult) -> FileOutcome:
    findings = [replace(finding, path=file.display) for finding in result.findings]
    record: Record | None = None
    if result.data is not None and not any(f.severity == Severity.ERROR for f in result.findings):
        record, errors = _validate(KINDS[file.kind], file, result.data)
        findings.extend(errors)
    return FileOutcome(tuple(findings), record, result.has_suppression)


def _assemble(
    data_dir: Path, files: list[RecordFile], outcomes: list[FileOutcome], overrides: dict[Path, str]
) -> LoadResult:
    repository = Repository(data_dir=data_dir)
    for file, outcome in zip(files, outcomes, strict=True):
        if outcome.record is None:
            repository.unreadable[file.kind].add(file.stem)
        elif file.kind == "trust":
            repository.trust = Loaded(outcome.record, file)  # type: ignore[arg-type]
        else:
            repository.records[file.kind].append(Loaded(outcome.record, file))
    return LoadResult(repository, files, outcomes, overrides)


def _validate(kind: RecordKind, file: RecordFile, data: dict[str, Any]) -> tuple[Record | None, list[Finding]]:
    try:
        return kind.model.model_validate(data), []
    except ValueError as error:  # pydantic's ValidationError is one: imported only now a record is read (start-up)
        from pydantic import ValidationError

        from stratctl.rules.schema import schema_findings

        if not isinstance(error, ValidationError):
            raise
        return None, schema_findings(file, kind.model, data, error)
