"""A local, content-addressed cache: what reading a record file gave, and validate's whole answer.

Reading YAML is most of what validate costs, and most files are the same from one run to the next.
Three kinds of entry; the answers are keyed by content, never by a file's name or time:

- the reads of one data folder (`reads-*.bin`): for each record file's git blob id (a hash of its
  bytes) and kind, the plain data parsed from it, its YAML findings and whether it has a
  `stratctl:` comment. Any file with the same bytes, in the work tree or at a git ref, gets the
  same entry;
- validate's findings over the whole repository (`validate-*.bin`), under one key over every file's
  blob id and name, stratctl.toml's rules, .github/CODEOWNERS, the Board sign-off tags and the files
  left unread. An unchanged repository is answered from it without reading a record;
- each record file's blob id by its path and `os.stat` stamp (`blobs-*.bin`), as git's index keeps
  them, so that answer is keyed by statting the files rather than reading and hashing them.

Every entry is also keyed by the format, stratctl's version and source, and the versions of Python,
pydantic and ruamel.yaml: a result is never reused by code that could have computed another. An
entry starts with a magic line, the format and the key, and holds an HMAC of its payload under this
user's secret (kept 0600 in the user's own cache folder, never in a repository), so only a run by
this user makes an entry that is trusted: one that is truncated, corrupt, foreign, of another key,
sealed by anyone else (a cache folder force-added to a pull request), or that names any class but a
finding's is ignored and written again. Entries are written to a temporary file and renamed, so two
processes at once each see a whole entry.

The cache is local state, like `__pycache__`: `.stratctl-cache/` beside data/ (or the folder
STRATCTL_CACHE_DIR names), never committed. `--no-cache` (or STRATCTL_NO_CACHE=1) bypasses it.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import stat
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stratctl.layout import CACHE_FOLDER

CACHE_ENV = "STRATCTL_CACHE_DIR"
NO_CACHE_ENV = "STRATCTL_NO_CACHE"
MAGIC = b"stratctl-cache\n"
FORMAT = 1

_state = {"enabled": True}

# The only classes an entry may name. A cache folder can arrive in a pull request (force-added past its
# .gitignore), and unpickling runs whatever class a payload names: so anything else makes the entry
# unusable, and it is read again from the record files.
_ALLOWED_CLASSES = {
    ("stratctl.findings", "Finding"),
    ("stratctl.findings", "Severity"),
    ("datetime", "date"),
    ("datetime", "datetime"),
}


class _RecordsOnlyUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED_CLASSES:
            raise pickle.UnpicklingError(f"a cache entry may not name {module}.{name}")
        return super().find_class(module, name)


def _unpickle(payload: bytes) -> Any:
    return _RecordsOnlyUnpickler(io.BytesIO(payload)).load()


def disable() -> None:
    """Bypass the cache for the rest of this process (`--no-cache`): nothing is read or written."""
    _state["enabled"] = False


def enable(on: bool = True) -> None:
    _state["enabled"] = on


def enabled() -> bool:
    return _state["enabled"] and os.environ.get(NO_CACHE_ENV, "") in ("", "0")


def blob_id(raw: bytes) -> str:
    """The id git gives these bytes as a blob: what `ls-tree` lists, so a file at a ref needs no reading to look up."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


_SOURCE: list[bytes] = []


def code_key() -> bytes:
    """What the code that computes a result is: the cache format, stratctl's version and its source,
    and the versions of Python and of the libraries that read and check records."""
    if not _SOURCE:
        from stratctl import __version__

        digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode() + _library_versions())
        package = Path(__file__).resolve().parent
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"?")
        _SOURCE.append(digest.digest())
    return _SOURCE[0]


# Where each library that reads or checks records says its version: read, not imported, since a warm
# validate answered from the cache imports neither (pydantic alone is a tenth of its time).
_VERSION_FILES = (("pydantic", "version.py"), ("ruamel.yaml", "__init__.py"))


def _library_versions() -> bytes:
    """The files that hold pydantic's and ruamel.yaml's versions (pydantic's names the pydantic-core it
    needs), or, where a library is not laid out so, the version it gives once imported."""
    import importlib
    import importlib.util

    found = b""
    for name, file in _VERSION_FILES:
        try:
            spec = importlib.util.find_spec(name)
            folders = list(spec.submodule_search_locations or []) if spec is not None else []
            found += b"\0" + Path(folders[0], file).read_bytes()
        except (ImportError, OSError, IndexError, ValueError):
            module = importlib.import_module(name)
            found += b"\0" + str(getattr(module, "VERSION", getattr(module, "__version__", "?"))).encode()
    return found


def folder_for(root: Path) -> Path:
    """Where the cache of the repository at `root` lives: $STRATCTL_CACHE_DIR, else root/.stratctl-cache."""
    named = os.environ.get(CACHE_ENV)
    return Path(named) if named else root / CACHE_FOLDER


def _name(kind: str, data_dir: Path) -> str:
    where = hashlib.sha256(str(data_dir.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return f"{kind}-{where}.bin"


_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)
"""How an entry is opened: never through a link (an entry's name is predictable, and a link to
/dev/zero committed in its place would be read without end), never waiting (a FIFO would block the
open for ever)."""


SECRET_BYTES = 32
_SECRET: list[bytes] = []


def _seal(key: bytes, payload: bytes) -> bytes:
    """An HMAC of the entry's key and payload under this user's secret: only a stratctl run by this
    user makes an entry that is trusted, and only under the key it was made for. So a cache folder
    that came with the repository (committed past its .gitignore, in a pull request) answers nothing,
    and no sealed entry can be moved under another state's key."""
    if not _SECRET:
        _SECRET.append(_user_secret())
    return hmac.new(_SECRET[0], MAGIC + FORMAT.to_bytes(2, "big") + key + payload, hashlib.sha256).digest()


def secret_path() -> Path | None:
    """Where this user's cache secret lives: the user's own cache folder, outside any repository.
    None where no absolute one is known (a relative XDG_CACHE_HOME is ignored, as the XDG rules say;
    no home folder): a relative path could put the secret in a work tree, to be committed."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "stratctl" / "secret"


def _user_secret() -> bytes:
    """This user's secret, made on first use (mode 0600, written whole before it is put in place).
    Where it cannot be kept, or the file there is another user's, a secret for this process alone:
    the cache then never answers from an earlier run, which is slower but never wrong."""
    path = secret_path()
    if path is None:
        return os.urandom(SECRET_BYTES)
    try:
        for _ in range(3):
            found = _read_secret(path)
            if isinstance(found, bytes):
                return found
            if found == "foreign":
                break
            made = _place_secret(path, replace=found == "unusable")
            if made is not None:
                return made
    except OSError:
        pass
    return os.urandom(SECRET_BYTES)


def _read_secret(path: Path) -> bytes | str:
    """The secret at `path`; or "missing"; "unusable" (ours, but short, or readable by others, or
    not a regular file: to be replaced); "foreign" (another user's, or a link: never touched)."""
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "foreign"  # a symbolic link (O_NOFOLLOW), or not ours to read
    try:
        found = os.fstat(descriptor)
        if hasattr(os, "getuid") and found.st_uid != os.getuid():
            return "foreign"
        private = os.name == "nt" or found.st_mode & 0o077 == 0  # Windows: the profile's ACL keeps it private
        secret = os.read(descriptor, SECRET_BYTES + 1) if stat.S_ISREG(found.st_mode) else b""
    finally:
        os.close(descriptor)
    return secret if private and len(secret) == SECRET_BYTES else "unusable"


def _place_secret(path: Path, *, replace: bool) -> bytes | None:
    """Write a new secret beside `path` and put it in place whole: linked if there is none (None if
    another process was first: read theirs), or renamed over an unusable one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = os.urandom(SECRET_BYTES)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-")  # made 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(secret)
            out.flush()
            os.fsync(out.fileno())
        if replace:
            os.replace(temporary, path)
            return secret
        try:
            os.link(temporary, path)  # fails if a secret is there already: never two in use
        except FileExistsError:
            return None
        return secret
    finally:
        Path(temporary).unlink(missing_ok=True)


MAX_ENTRY_BYTES = 512 * 1024 * 1024
"""An entry larger than this is not one stratctl wrote (the reads of the national-scale benchmark's
12,000 files are some tens of MiB): it is ignored unread, never loaded into memory."""


def _read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file (not a link to one) of at most `limit` bytes, else None."""
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except (OSError, ValueError):
        return None
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode) or found.st_size > limit:
            return None
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(descriptor, min(limit + 1 - total, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks) if total <= limit else None  # grew while read: not an entry of ours
    except OSError:
        return None
    finally:
        os.close(descriptor)


def read_entry(path: Path, key: bytes) -> Any | None:
    """The payload stored at `path` under `key`, or None if there is none, or it is not whole and ours."""
    blob = _read_regular(path, MAX_ENTRY_BYTES)
    if blob is None:
        return None
    head = len(MAGIC)
    if blob[:head] != MAGIC or blob[head : head + 2] != FORMAT.to_bytes(2, "big"):
        return None
    stored_key, digest, payload = blob[head + 2 : head + 34], blob[head + 34 : head + 66], blob[head + 66 :]
    if stored_key != key or not hmac.compare_digest(_seal(key, payload), digest):
        return None
    try:
        return _unpickle(payload)
    except Exception:
        return None


def write_entry(path: Path, key: bytes, value: Any) -> bool:
    """Store `value` under `key` at `path`, atomically; False (and nothing written) if the folder cannot be
    written, or is a link (a cache folder committed as a link to elsewhere is not written through)."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    blob = MAGIC + FORMAT.to_bytes(2, "big") + key + _seal(key, payload) + payload
    try:
        if not _usable_folder(path.parent):
            return False
        _mark_folder(path.parent)
        # mkstemp makes a new file (O_EXCL, so never through a link), and the rename replaces whatever
        # stands at the entry's name, a link included, rather than writing into what it points at
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".bin")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def _usable_folder(folder: Path) -> bool:
    """The cache folder, made if missing; False if it is a link or anything but a folder."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(exist_ok=True)
    except FileExistsError:
        return False
    return stat.S_ISDIR(os.lstat(folder).st_mode)


IGNORE_TEXT = b"# stratctl's local cache: never committed\n*\n"


def _mark_folder(folder: Path) -> None:
    """A .gitignore inside the cache folder, so even a repository that does not ignore it never commits it.

    Mended whenever it does not ignore everything: left empty by a write that failed, edited, or not a
    regular file at all (a link, which is replaced, never written through; a FIFO, never opened to wait).
    """
    ignore = folder / ".gitignore"
    found = _read_regular(ignore, 64 * 1024)
    if found is not None and b"*" in (line.strip() for line in found.splitlines()):
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".gitignore-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(IGNORE_TEXT)
            os.chmod(temporary, 0o644)
            os.replace(temporary, ignore)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass


ReadEntry = tuple[Any, tuple[Any, ...], bool]
"""What reading one file gave: its data (None if unusable), its findings (path left blank), and whether
it has a `stratctl:` comment."""


class ReadCache:
    """The reads of one data folder, by (kind, blob id); `save` writes back what this run used.

    Each entry is kept pickled, as the file holds it, until it is asked for: a run that reads
    12,000 files does not hold a second copy of all their data.
    """

    def __init__(self, folder: Path | None, data_dir: Path, salt: bytes = b"") -> None:
        self.path = folder / _name("reads", data_dir) if folder is not None else None
        self.key = hashlib.sha256(code_key() + b"reads\0" + salt).digest()
        self.entries: dict[tuple[str, str], bytes] = {}
        self.used: set[tuple[str, str]] = set()
        self.added = False
        if self.path is not None:
            stored = read_entry(self.path, self.key)
            if isinstance(stored, dict):
                self.entries = stored

    @classmethod
    def open(cls, data_dir: Path, salt: bytes = b"") -> ReadCache | None:
        """The cache of the repository whose data folder is `data_dir`, or None when the cache is bypassed."""
        if not enabled():
            return None
        return cls(folder_for(data_dir.parent), data_dir, salt)

    def get(self, kind: str, blob: str) -> ReadEntry | None:
        stored = self.entries.get((kind, blob))
        if stored is None:
            return None
        try:
            entry = _unpickle(stored)
        except Exception:
            entry = None
        if not (
            isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[1], tuple) and isinstance(entry[2], bool)
        ):
            del self.entries[(kind, blob)]
            return None
        self.used.add((kind, blob))
        return entry

    def put(self, kind: str, blob: str, entry: ReadEntry) -> None:
        self.entries[(kind, blob)] = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        self.used.add((kind, blob))
        self.added = True

    def save(self) -> None:
        """Write the entries this run used, if it added any: an entry no file has any longer is dropped."""
        if self.path is None or not self.added:
            return
        write_entry(self.path, self.key, {k: v for k, v in self.entries.items() if k in self.used})
        self.added = False


def result_key(parts: Iterable[bytes]) -> bytes:
    digest = hashlib.sha256(code_key() + b"validate\0")
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.digest()


def read_result(data_dir: Path, key: bytes) -> Any | None:
    """Validate's stored answer for the repository in `data_dir`, if it was stored under `key`."""
    if not enabled():
        return None
    return read_entry(folder_for(data_dir.parent) / _name("validate", data_dir), key)


def write_result(data_dir: Path, key: bytes, value: Any) -> None:
    if enabled():
        write_entry(folder_for(data_dir.parent) / _name("validate", data_dir), key, value)


Stamp = tuple[int, int, int, int, int]
"""What `os.stat` says of a file that changes whenever its bytes do: device, inode, size, and the
modification and change times in nanoseconds. The change time cannot be set back by any tool."""

RACY_SECONDS = 2
"""A file modified (or its status changed) this close to, or after, the start of the run that stored
its stamp may have changed again within the clock's resolution without its stamp changing (git's
"racy" files): its bytes are always hashed afresh. Two seconds covers the coarsest file systems."""


_now_ns = time.time_ns  # the clock the index dates itself by (a test moves it)


def stamp_of(found: os.stat_result) -> Stamp:
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


class BlobIndex:
    """Each record file's blob id by its path and stamp, as git's index keeps them: a warm `validate`
    stats the repository's files instead of reading and hashing them. A file whose stamp differs, or
    that was modified within RACY_SECONDS of the index being written, is read and hashed again."""

    def __init__(self, folder: Path | None, data_dir: Path) -> None:
        self.path = folder / _name("blobs", data_dir) if folder is not None else None
        self.key = hashlib.sha256(code_key() + b"blobs\0").digest()
        self.entries: dict[str, tuple[Stamp, str]] = {}
        self.written_ns = 0
        self.fresh: dict[str, tuple[Stamp, str]] = {}
        self.learned = False
        # taken before any file is statted: a file changed during this run, in the same tick as its
        # stat, is racy to the next run however long this one takes
        self.started_ns = _now_ns()
        if self.path is not None:
            stored = read_entry(self.path, self.key)
            if (
                isinstance(stored, tuple)
                and len(stored) == 2
                and isinstance(stored[0], int)
                and isinstance(stored[1], dict)
            ):
                self.written_ns, self.entries = stored

    @classmethod
    def open(cls, data_dir: Path) -> BlobIndex | None:
        return cls(folder_for(data_dir.parent), data_dir) if enabled() else None

    def known(self, names: Iterable[str]) -> dict[str, str]:
        """The blob id of each file named whose stamp is the one stored (and is not racy), by name.

        One loop with everything it needs at hand: at national scale it runs 12,000 times in a
        command whose whole budget is a few hundred milliseconds."""
        entries, fresh, stat_of = self.entries, self.fresh, os.stat
        racy_from = self.written_ns - RACY_SECONDS * 10**9
        blobs: dict[str, str] = {}
        for name in names:
            stored = entries.get(name)
            if stored is None:
                continue
            try:
                found = stat_of(name)
            except OSError:
                continue
            modified, changed = found.st_mtime_ns, found.st_ctime_ns  # a restored mtime (tar, rsync -a) has a new ctime
            if modified >= racy_from or changed >= racy_from:
                continue
            if stored[0] != (found.st_dev, found.st_ino, found.st_size, modified, changed):
                continue
            fresh[name] = stored
            blobs[name] = stored[1]
        return blobs

    def learn(self, path: Path, before: os.stat_result | None, blob: str) -> None:
        """Remember `blob` for the file at `path` if its stamp is the same after reading as `before` it."""
        if before is None:
            return
        try:
            after = os.stat(path)
        except OSError:
            return
        if stamp_of(after) == stamp_of(before):
            self.fresh[str(path)] = (stamp_of(before), blob)
            self.learned = True

    def save(self) -> None:
        """Store the stamps of this run's files, if any was learned afresh; an entry for a file gone is dropped."""
        if self.path is None or not (self.learned or self.fresh.keys() != self.entries.keys()):
            return
        write_entry(self.path, self.key, (self.started_ns, self.fresh))
