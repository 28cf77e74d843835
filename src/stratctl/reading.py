"""Reading a file stratctl was pointed at, bounded: only regular files, never more than a cap.

A FIFO named like a record blocks the reader forever, and a link to /dev/zero never ends; a 50 MB
file saved into data/ costs minutes to parse. So a file is checked before it is opened (a regular
file, no larger than the cap), opened without blocking, checked again on the open descriptor (it
may have been swapped meanwhile), and read only up to the cap plus one byte.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from stratctl.errors import StratctlError

MAX_RECORD_BYTES = 1024 * 1024
"""A record is a page or two of text; anything over 1 MiB is not one."""


class UnreadableFile(StratctlError):
    """The file cannot be read as stratctl reads files; `reason` says why, in a few words."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: cannot be read: {reason}")
        self.path = path
        self.reason = reason


class FileTooLarge(UnreadableFile):
    def __init__(self, path: Path, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(path, f"it is larger than {describe_size(limit)} (at least {describe_size(size)})")


def describe_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MiB"
    return f"{size / 1024:.0f} KiB" if size >= 1024 else f"{size} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "it is a folder"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a regular file"
    return "it is not a regular file"


def require_regular_file(path: Path) -> os.stat_result:
    """Refuse `path` unless it is a regular file (a link to one is followed), saying what it is instead;
    its status if it is.

    For a command's FILE argument: "no such file" for /dev/null or a folder sends the user looking in the wrong place.
    """
    try:
        found = os.stat(path)
    except OSError as error:
        raise UnreadableFile(path, _reason(error)) from None
    except ValueError as error:  # a NUL byte in the name
        raise UnreadableFile(path, str(error)) from None
    if not stat.S_ISREG(found.st_mode):
        raise UnreadableFile(path, _kind(found.st_mode))
    return found


def read_capped(path: Path, limit: int = MAX_RECORD_BYTES) -> bytes:
    """The bytes of the regular file `path` (a link to one is followed), refused beyond `limit` bytes.

    Raises FileTooLarge, or UnreadableFile for anything that is not a readable regular file.
    """
    found = require_regular_file(path)
    if found.st_size > limit:
        raise FileTooLarge(path, found.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise UnreadableFile(path, _reason(error)) from None
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):  # replaced between the check and the open
            raise UnreadableFile(path, _kind(opened.st_mode))
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(descriptor, min(limit + 1 - total, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # grew since it was measured
            raise FileTooLarge(path, total, limit)
        return b"".join(chunks)
    except OSError as error:
        raise UnreadableFile(path, _reason(error)) from None
    finally:
        os.close(descriptor)


def _reason(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()
