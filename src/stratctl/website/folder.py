"""Writing a site into a folder all or nothing: into a new folder beside it, then renamed into its place.

`stratctl site --output DIR` never leaves DIR half written. Every page is written into a folder
made beside DIR (so the rename stays on one file system), and only when the last page is written is
that folder renamed to DIR: a failure on the way (a template that stops, a full disk) removes it
and leaves DIR as it was. A DIR that already holds a site stratctl wrote (it has the marker file
`.stratctl-site`) is replaced whole, the old one removed only once the new one is in place; an
empty DIR is replaced too. Anything else is refused before any work is done: a DIR that is a
symbolic link (a site is never written through a link), a file, or a folder holding files stratctl
did not write (they would be lost). Nothing is written outside DIR and the folder beside it, and
every file is created afresh (never through a link, never over an existing file).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from stratctl.errors import StratctlError

MARKER = ".stratctl-site"
"""The file every site holds, saying stratctl wrote it: a folder holding it may be replaced by a new site."""
MARKER_TEXT = (
    "This folder is a site written by `stratctl site`; the next `stratctl site --output` here replaces it whole.\n"
)
_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _cannot(path: Path, error: OSError) -> StratctlError:
    return StratctlError(f"cannot write the site into {path}: {(error.strerror or str(error)).lower()}")


def check_target(target: Path) -> bool:
    """Whether `target` may take the site: True when it holds one already (or is empty), False when it
    does not exist yet; StratctlError, before any work is done, when it may not."""
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise _cannot(target, error) from None
    if found is None:
        parent = target.parent
        if not parent.is_dir():
            what = "is not a folder" if parent.exists() else "does not exist"
            raise StratctlError(f"cannot write the site into {target}: the folder {parent} {what} (create it first)")
        return False
    if stat.S_ISLNK(found.st_mode):
        raise StratctlError(
            f"cannot write the site into {target}: it is a symbolic link, and a site is never written through "
            "a link; give the folder it points to, or a new folder"
        )
    if not stat.S_ISDIR(found.st_mode):
        raise StratctlError(f"cannot write the site into {target}: it is a file, not a folder")
    try:
        entries = os.listdir(target)
    except OSError as error:
        raise _cannot(target, error) from None
    if entries and not _holds_marker(target):
        shown = ", ".join(sorted(entries)[:3]) + (", ..." if len(entries) > 3 else "")
        raise StratctlError(
            f"cannot write the site into {target}: it holds files stratctl did not write ({shown}), "
            "which would be lost; give a new or empty folder"
        )
    return True


def _holds_marker(folder: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False


class SiteFolder:
    """The folder a site is being written into, beside its target: pages are added by their path in the site."""

    def __init__(self, staging: Path) -> None:
        self.path = staging
        self._folders: set[str] = set()
        self.files = 0
        self.bytes = 0

    @contextmanager
    def open(self, relative: str) -> Iterator[IO[bytes]]:
        """A new file at `relative` (`objectives/x.html`), open for writing bytes."""
        parts = relative.split("/")
        if not all(_PART.fullmatch(part) or part == MARKER for part in parts):
            raise ValueError(f"not a path in the site: {relative!r}")  # built from ids the models checked
        folder = self.path
        for index, part in enumerate(parts[:-1]):
            folder = folder / part
            key = "/".join(parts[: index + 1])
            if key not in self._folders:
                try:
                    os.mkdir(folder)
                except FileExistsError:
                    pass
                except OSError as error:
                    raise _cannot(self.path, error) from None
                self._folders.add(key)
        try:
            descriptor = os.open(folder / parts[-1], _CREATE, 0o666)
        except OSError as error:
            raise _cannot(self.path, error) from None
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
            self.bytes += stream.tell()
        self.files += 1

    def write(self, relative: str, content: str | bytes) -> None:
        with self.open(relative) as stream:
            stream.write(content.encode("utf-8") if isinstance(content, str) else content)


@contextmanager
def staged_site(target: Path) -> Iterator[SiteFolder]:
    """A folder to write the site into; when the block ends without an error it becomes `target`,
    else it is removed and `target` is left as it was."""
    check_target(target)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name[:64]}.", suffix=".stratctl-new", dir=target.parent))
    except OSError as error:
        raise _cannot(target, error) from None
    try:
        folder = SiteFolder(staging)
        folder.write(MARKER, MARKER_TEXT)
        yield folder
        _chmod_tree(staging)
        _put_in_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _chmod_tree(staging: Path) -> None:
    """Folders as a new folder would be made (mkdtemp makes them private while the site is written)."""
    mode = 0o777 & ~_umask()
    for folder, names, _ in os.walk(staging):
        for name in names:
            os.chmod(os.path.join(folder, name), mode)
    os.chmod(staging, mode)


def _put_in_place(staging: Path, target: Path) -> None:
    """Rename `staging` to `target`: over nothing or an empty folder in one step; over an earlier site
    by moving that aside first, and back again if the second rename fails."""
    exists = check_target(target)  # again: it may have changed while the pages were written
    if not exists or not os.listdir(target):
        try:
            os.rename(staging, target)
        except OSError as error:
            raise _cannot(target, error) from None
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name[:64]}.", suffix=".stratctl-old", dir=target.parent))
    os.rmdir(aside)
    try:
        os.rename(target, aside)
    except OSError as error:
        raise _cannot(target, error) from None
    try:
        os.rename(staging, target)
    except OSError as error:
        os.rename(aside, target)
        raise _cannot(target, error) from None
    shutil.rmtree(aside, ignore_errors=True)
