"""Writing values into YAML so that every reader reads them back as the same text.

One rule decides what needs quotes: words a YAML 1.1 reader (PyYAML, many editors) would take
for a boolean, null, number or date. `quoted` writes a value into text stratctl composes itself
(scaffolds, new records); `scalar` marks a value put into a round-trip tree, where ruamel.yaml
quotes whatever else YAML syntax requires.
"""

from __future__ import annotations

import json
import re
from datetime import date

from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

_AMBIGUOUS = re.compile(
    r"(?i:y|n|yes|no|on|off|true|false|null|~)|[-+]?[0-9][0-9_.:eE+-]*|\.(?i:inf|nan)|[0-9]{4}-[0-9]{2}-[0-9]{2}.*"
)
# Text that is plain in every YAML reader: starts with a letter, no character with a meaning in YAML.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.'()/&%_+-]*")
# A quarter reads back as text everywhere, as the record files write it: `2021/22 Q3`.
_QUARTER = re.compile(r"[0-9]{4}/[0-9]{2} Q[1-4]")


def ambiguous(text: str) -> bool:
    """True when another YAML reader would not read `text`, unquoted, as this text."""
    return not text or text != text.strip() or _AMBIGUOUS.fullmatch(text) is not None


def quoted(text: str) -> str:
    """`text` as a YAML scalar: plain where that reads back the same everywhere, else double-quoted."""
    if _PLAIN.fullmatch(text) and not ambiguous(text):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def scalar(text: str) -> str:
    """A string value to put in a round-trip tree: a block for several lines, quoted where ambiguous."""
    marked: str = text
    if "\n" in text:
        marked = LiteralScalarString(text)
    elif ambiguous(text):
        marked = DoubleQuotedScalarString(text)
    return marked


def flow(value: object) -> str:
    """A plain value (text, number, date, list or mapping of such) as one line of YAML flow style."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{quoted(str(k))}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # a whole number as the trust wrote it (150, not the model's 150.0)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()  # a date, as YAML reads it back: unquoted
    text = str(value)
    return text if _QUARTER.fullmatch(text) else quoted(text)


def block_list(key: str, items: list[dict[str, object]], indent: int = 0) -> str:
    """`key:` and a block list of mappings, one field a line, each value in flow style."""
    pad = " " * indent
    if not items:
        return f"{pad}{key}: []\n"
    lines = [f"{pad}{key}:"]
    for item in items:
        for index, (field, value) in enumerate(item.items()):
            lines.append(f"{pad}  {'- ' if index == 0 else '  '}{field}: {flow(value)}")
    return "\n".join(lines) + "\n"
