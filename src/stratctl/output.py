"""Writing a command's output (`report -o`, `export -o`) to wherever the user pointed it.

A regular file is replaced atomically (a temporary file beside it, renamed over it), so a crash or a
full disk leaves the previous good file. Anything else that can be written to, a terminal, a
character device (/dev/null), a FIFO or standard output named as /dev/stdout, is written in place:
renaming over it would replace the device or the pipe with a regular file. A folder, or a path whose
folder does not exist, is refused with a clear error rather than created or replaced.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from stratctl.errors import StratctlError
from stratctl.rewrite import cannot_write, write_atomically, write_files

_OWN_STREAM = re.compile(r"/dev/(?:std(?P<name>out|err)|fd/(?P<fd>[0-9]+))|/proc/self/fd/(?P<self>[0-9]+)")
"""Names of the running process's own streams: written to the open descriptor itself, whatever it
leads to, so that `report -o /dev/stdout > out.md`, `>> log.md` and `| cat` behave as the shell set
them up (reopening would truncate an appended file, or write over its start)."""


def write_output(path: Path, content: str | bytes | IO[bytes], *, example: str = "report.html") -> None:
    """Write `content` (text as UTF-8, or a binary stream read to its end) to `path`: atomically for
    a regular file, in place otherwise. `example`: the file name a refusal of a folder suggests.

    Raises StratctlError, naming the path, when it is a folder, its folder does not exist, or the
    write fails.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    stream = _OWN_STREAM.fullmatch(str(path))
    if stream is not None:
        descriptor = {"out": 1, "err": 2}[stream["name"]] if stream["name"] else int(stream["fd"] or stream["self"])
        try:
            _write_all(path, descriptor, data)
        except StratctlError as error:
            if descriptor == 1 and isinstance(error.__context__, BrokenPipeError):
                raise BrokenPipeError from None  # `report -o /dev/stdout | head`: the reader stopped, as without -o
            raise
        return
    try:
        found = os.stat(path)  # follows links: /dev/stdout is a link to the process's own stream
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise cannot_write(path, error) from None
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise StratctlError(f"cannot write {path}: it is a folder; give a file name, e.g. {path / example}")
    if found is not None and not stat.S_ISREG(found.st_mode):
        _write_in_place(path, data)
        return
    if found is None:
        if os.path.islink(path):  # a link to nothing: writing would create the file it names, wherever that is
            raise StratctlError(
                f"cannot write {path}: it is a link to {os.readlink(path)}, which does not exist; "
                "stratctl does not create a file through a link"
            )
        parent = path.parent
        if not parent.is_dir():
            what = "is not a folder" if parent.exists() else "does not exist"
            raise StratctlError(f"cannot write {path}: the folder {parent} {what} (create it first)")
    write_atomically(path, data)


def _write_in_place(path: Path, data: bytes | IO[bytes]) -> None:
    """A device or a FIFO: opened for writing (nothing to create, nothing to truncate) and written."""
    try:
        descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise cannot_write(path, error) from None
    try:
        _write_all(path, descriptor, data)
    finally:
        os.close(descriptor)


def _write_all(path: Path, descriptor: int, data: bytes | IO[bytes]) -> None:
    try:
        for chunk in chunks_of(data):
            view = memoryview(chunk)
            while view:
                written = os.write(descriptor, view)
                view = view[written:]
    except OSError as error:
        raise cannot_write(path, error) from None


def chunks_of(data: bytes | IO[bytes], size: int = 1024 * 1024) -> Iterator[bytes]:
    """The bytes, or a stream's bytes from where it stands to its end, a piece at a time."""
    if isinstance(data, bytes):
        yield data
        return
    while chunk := data.read(size):
        yield chunk


def write_into_folder(folder: Path, files: dict[str, str]) -> None:
    """Write each of `files` (name -> text) into `folder`, made if it does not exist: all or nothing, and
    nothing outside the folder (a file there that is a link out of it, or to nothing, is refused, as
    is one that is not a regular file); a folder path that is a file or a device is refused too."""
    try:
        found = os.stat(folder)
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise cannot_write(folder, error) from None
    if found is not None and not stat.S_ISDIR(found.st_mode):
        raise StratctlError(f"cannot write into {folder}: it is not a folder")
    for name in files:
        target = folder / name
        if target.is_symlink():
            raise StratctlError(f"cannot write {target}: it is a symbolic link; nothing was written")
        if target.is_dir():
            raise StratctlError(f"cannot write {target}: it is a folder; nothing was written")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise cannot_write(folder, error) from None
    write_files({folder / name: text for name, text in files.items()}, within=folder)
