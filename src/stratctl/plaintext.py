"""Text from outside (file names, author names, record text) shown as itself, on one line.

A file name or a git author's name can hold anything: ESC starts a terminal's escape sequences, a
line feed or carriage return starts a forged line (of output, of CODEOWNERS, of a pull-request
comment), the bidirectional overrides and isolates reorder what follows them on screen, and a lone
surrogate (a file name's byte that is not UTF-8, as Python reads it) cannot be written as UTF-8 at all.
"""

from __future__ import annotations

import re

CONTROL = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
"""Every C0 and C1 control but tab, the invisible direction marks, the bidirectional overrides and
isolates, the Unicode line and paragraph separators, and lone surrogates."""


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with each character CONTROL matches made visible as its escape (`\\x1b`, `\\u202e`)."""
    return CONTROL.sub(_shown, text)


def printable_with_tabs(text: str) -> str:
    """printable(), and tabs made visible too: for where a tab separates fields (CODEOWNERS)."""
    return printable(text).replace("\t", "\\x09")


def has_control(text: str) -> bool:
    """Whether `text` holds a tab or any character printable() would escape."""
    return "\t" in text or CONTROL.search(text) is not None


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_safe(text: str) -> str:
    """JSON text with each lone surrogate written as its JSON escape (`\\udce9`), as ensure_ascii would
    write it: a file name that is not UTF-8 then reads back as Python read it, and the text itself is
    UTF-8 that any reader, and any terminal's encoding, accepts."""
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
