"""`fmt`: one canonical layout for record files, without losing a comment.

Two steps, each lossless:
1. ruamel.yaml's round trip with the house settings normalises indentation;
2. keys are put in the order of the record format (the models' field order, docs/records.md) by moving
   whole blocks of lines: a key, its value, and the comment and blank lines
   directly above it travel together. Comments stay where the author wrote
   them, which re-ordering ruamel's tree would not guarantee (it stores a
   comment line with the key before it).

Flow mappings (`{a: 1, b: 2}`) keep their order: they are one line, as written.
Files that are not a readable record mapping are never rewritten.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from _ruamel_yaml import CParser  # ruamel.yaml.clib: the libyaml binding
from pydantic import BaseModel
from ruamel.yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from stratctl.authoring.plan import WritePlan
from stratctl.errors import StratctlError
from stratctl.kinds import KINDS
from stratctl.loading import discover, in_pool, select
from stratctl.reading import UnreadableFile
from stratctl.records.introspect import field_names
from stratctl.rewrite import RoundTripError, SourceText, dump, ensure_writable, load, original, read_source
from stratctl.rules.yaml_syntax import COMMENT_IN_TEXT
from stratctl.yamlsource import MAX_DEPTH, Document, layout_tokens, parse, resolve_plain

MAX_PASSES = 4


@dataclass(frozen=True)
class FormatResult:
    path: Path
    changed: bool
    skipped: str | None = None  # why the file was left alone
    text: str | None = None  # the formatted text, when it changed


@dataclass
class FormatOutcome:
    """What `fmt` did to a repository: files looked at, changed, and left alone (with why)."""

    files: int = 0
    changed: list[str] = field(default_factory=list)
    left_alone: list[tuple[str, str]] = field(default_factory=list)


def format_repository(plan: WritePlan, paths: list[Path] | None, *, check: bool) -> FormatOutcome:
    """Format every record file (or those under `paths`); with `check`, only say which would change."""
    files = discover(plan.workspace.data_dir, plan.workspace.cwd)
    if paths is not None:
        files = select(files, paths)
    outcome = FormatOutcome(files=len(files))
    # a pool formats large repositories (most files are proven canonical in well under a millisecond)
    for file, result in zip(files, in_pool(_format_entry, [(file.path, file.kind) for file in files]), strict=True):
        reason = result.skipped
        if reason is None and result.changed and not check:
            try:
                ensure_writable(file.path, within=plan.workspace.root, data=plan.workspace.data_dir)
            except StratctlError as error:
                reason = str(error)
        if reason is not None:
            outcome.left_alone.append((file.display, reason))
        elif result.changed:
            outcome.changed.append(file.display)
            if result.text is not None and not check:
                plan.put(file.path, result.text)
    plan.write()
    return outcome


def _format_entry(item: tuple[Path, str]) -> FormatResult:
    return format_file(*item)


def format_text(text: str, model: type[BaseModel]) -> str:
    """`text` (no BOM, "\\n" endings) with its keys in canonical order; unchanged if already so.

    One pass puts every mapping in order (see `_reorder_all`); a second confirms it. The cap is only
    a guard: a file that is still changing after it is returned as far as it got, and the lossless
    check after formatting decides whether that is written.
    """
    for _ in range(MAX_PASSES):
        reordered = _reorder_all(text, model)
        if reordered is None or reordered == text:
            return text
        text = reordered
    return text


def _is_comment_or_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _mappings(document: Document, data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    found = []
    if isinstance(data, dict):
        found.append((loc, data))
        for key, value in data.items():
            found.extend(_mappings(document, value, (*loc, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_mappings(document, value, (*loc, index)))
    return found


def _reorder_all(text: str, model: type[BaseModel]) -> str | None:
    """Every mapping whose keys are out of order, put in order in one pass; None if the text does not parse.

    Positions are computed once. Mappings are fixed deepest first, and a fix only permutes whole
    lines within the mapping's own block (the block keeps its line count), so the lines of every
    mapping not yet fixed, and their positions, are where the parse found them. 600 out-of-order
    updates are one pass, not 600.
    """
    document = parse(text, positions=True)
    if document.problems or not isinstance(document.data, dict):
        return None
    assert document.key_positions is not None and document.value_positions is not None
    lines = text.split("\n")
    candidates = sorted(_mappings(document, document.data), key=lambda item: -len(item[0]))
    for loc, mapping in candidates:
        keys = list(mapping)
        desired = _desired_order(model, loc, keys)
        if keys == desired or len(keys) < 2:
            continue
        start_line, start_column = document.value_positions.get(loc, (1, 1))
        if lines[start_line - 1][start_column - 1 : start_column] == "{":
            continue  # a flow mapping: left as written
        rewritten = _rewrite_mapping(lines, document, loc, keys, desired)
        if rewritten is None:
            continue
        if len(rewritten) != len(lines):  # never expected: the positions would no longer hold
            return "\n".join(rewritten)
        lines = rewritten
    return "\n".join(lines)


def _desired_order(model: type[BaseModel], loc: tuple[Any, ...], keys: list[str]) -> list[str]:
    fields = field_names(model, tuple(p for p in loc if isinstance(p, str)) if loc else ())
    if not fields or any(isinstance(p, str) and p == "actuals" for p in loc[-1:]):
        return keys  # a free mapping (actuals): its order is the author's, update keeps it by quarter
    known = [f for f in fields if f in keys]
    return known + [k for k in keys if k not in fields]


def _rewrite_mapping(
    lines: list[str], document: Document, loc: tuple[Any, ...], keys: list[str], desired: list[str]
) -> list[str] | None:
    assert document.key_positions is not None
    key_lines = [document.key_positions[(*loc, k)][0] for k in keys]  # 1-based
    column = document.key_positions[(*loc, keys[0])][1]
    if sorted(key_lines) != key_lines or len(set(key_lines)) != len(key_lines):
        return None  # keys share a line: not a block mapping
    heads = [key_lines[0]]
    for index in range(1, len(keys)):
        head = key_lines[index]
        while head - 1 > key_lines[index - 1] and _is_comment_or_blank(lines[head - 2]):
            head -= 1
        heads.append(head)
    end = key_lines[-1]
    line_number = end + 1
    while line_number <= len(lines):
        line = lines[line_number - 1]
        if not _is_comment_or_blank(line):
            indent = len(line) - len(line.lstrip(" "))
            if indent < column:  # content at the mapping's own indent or left of it: the next sibling or parent
                break
            end = line_number
        line_number += 1
    regions = {}
    for index, key in enumerate(keys):
        first = heads[index]
        last = heads[index + 1] - 1 if index + 1 < len(keys) else end
        regions[key] = lines[first - 1 : last]
    first_line = lines[key_lines[0] - 1]
    prefix = first_line[: column - 1]
    in_sequence_item = prefix.strip() == "-" or prefix.rstrip().endswith("-")
    if in_sequence_item:
        regions[keys[0]] = [" " * (column - 1) + first_line[column - 1 :], *regions[keys[0]][1:]]
        lead = regions[desired[0]]
        above = 0
        while above < len(lead) and _is_comment_or_blank(lead[above]):
            above += 1  # comments above the new first key go above the item's dash
        regions[desired[0]] = [*lead[:above], prefix + lead[above][column - 1 :], *lead[above + 1 :]]
    body = [line for key in desired for line in regions[key]]
    return lines[: heads[0] - 1] + body + lines[end:]


class NotLossless(Exception):
    """Formatting would change what the file says: a value, a comment, a directive or a document marker."""


def _formatted(source: SourceText, kind: str) -> str:
    """The file's text in the canonical layout; NotLossless if that would change what it says.

    ruamel.yaml's round trip is not lossless for every construct (a line starting with # inside a
    block scalar, keep-chomped trailing lines, %YAML directives, `...` and the comment after it), so
    the result is read back and compared with the original: the same data, value for value and type
    for type, and the same comments, directives and markers. Anything else is left alone.
    """
    ordered = _format_pass(source, kind)
    if ordered == source.text:
        return original(source)
    # ruamel.yaml's dump is not always a fixed point (a blank line above the first key goes on the
    # second pass): format the result again until it settles, so fmt --check agrees with fmt.
    for _ in range(MAX_SETTLE):
        again = _format_pass(SourceText(ordered, source.bom, source.newline, False, source.path), kind)
        if again == ordered:
            break
        ordered = again
    else:
        raise NotLossless("formatting does not settle on one layout")
    _check_lossless(source.text, ordered)
    if source.newline != "\n":
        ordered = ordered.replace("\n", source.newline)
    return ("\ufeff" if source.bom else "") + ordered


MAX_SETTLE = 3


def _format_pass(source: SourceText, kind: str) -> str:
    """One round trip and one reordering: the text with LF line endings and no BOM."""
    normalised = dump(source, load(source)).removeprefix("\ufeff")
    if source.newline != "\n":
        normalised = normalised.replace(source.newline, "\n")
    return format_text(normalised, KINDS[kind].model)


def _check_lossless(before: str, after: str) -> None:
    was, now = parse(before), parse(after)
    if [p for p in now.problems if p.rule is not COMMENT_IN_TEXT] or not isinstance(now.data, dict):
        raise NotLossless("the formatted text would not read back as the same record")
    where = _first_difference(was.data, now.data)
    if where is not None:
        raise NotLossless(f"formatting would change the value of {where or 'the record'}")
    old_tokens, new_tokens = Counter(layout_tokens(before) or []), Counter(layout_tokens(after) or [])
    if old_tokens != new_tokens:
        lost, added = old_tokens - new_tokens, new_tokens - old_tokens
        if lost:
            raise NotLossless(f"formatting would drop {_token_name(next(iter(lost)))}")
        raise NotLossless(f"formatting would add {_token_name(next(iter(added)))}")


def _token_name(token: str) -> str:
    if token.startswith("#"):
        return f"the comment {token[:60]!r}"
    if token.startswith("%"):
        return f"the directive {token!r}"
    return f"the document marker {token!r}"


def _first_difference(a: Any, b: Any, loc: str = "") -> str | None:
    """Where two parsed records first differ (a value, a type or a key), as `updates[0].comment`; None if equal."""
    if type(a) is not type(b):
        return loc
    if isinstance(a, dict):
        if set(a) != set(b):
            return loc
        for key in a:
            inner = _first_difference(a[key], b[key], f"{loc}.{key}" if loc else str(key))
            if inner is not None:
                return inner
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return loc
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            inner = _first_difference(x, y, f"{loc}[{index}]")
            if inner is not None:
                return inner
        return None
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return None
    return None if a == b else loc


def format_file(path: Path, kind: str) -> FormatResult:
    """The record file in the canonical layout: whether that changes it, and the new text."""
    try:
        source = read_source(path)  # a regular file of at most 1 MiB, as validate reads
    except UnreadableFile as error:
        return FormatResult(path, False, "a folder, not a file" if error.reason == "it is a folder" else error.reason)
    except UnicodeDecodeError:
        return FormatResult(path, False, "not UTF-8 text")
    if already_canonical(source.text, KINDS[kind].model):
        return FormatResult(path, False)  # exactly what the round trip below would give (its BOM and line endings kept)
    document = parse(source.text)
    problems = [p for p in document.problems if p.rule is not COMMENT_IN_TEXT]
    if problems:
        first = problems[0]
        return FormatResult(
            path, False, f"not a readable record (line {first.line}, column {first.column}: {first.message})"
        )
    if not isinstance(document.data, dict):
        return FormatResult(path, False, "not a readable record (not a mapping of fields)")
    try:
        result = _formatted(source, kind)
    except RoundTripError as error:
        return FormatResult(
            path, False, f"it cannot be rewritten: line {error.line}, column {error.column}: {error.problem}"
        )
    except NotLossless as error:
        return FormatResult(path, False, f"{error}, so it is not reformatted")
    except Exception as error:
        return FormatResult(path, False, f"stratctl could not format it ({type(error).__name__}: {error})")
    changed = result != original(source)
    return FormatResult(path, changed, text=result if changed else None)


# --- the fast path: proving a file is already canonical without the round trip -----------------

_PLAIN_NUMBER = re.compile(r"-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,15})?")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9][ -~]*")
_PLAIN_SAFE = re.compile("[A-Za-z0-9\xa1-\uffff][ -~\xa0-\uffff]*")  # the text's characters are checked first
_BLOCK_HEADER = re.compile(r"[>|]-?")
_AFTER_VALUE = re.compile(r"(?: +#.*)?")  # what may follow a value on its line: nothing, or a comment
_OWN_LINE = re.compile(r"(?: *#.*)?")  # a line holding no value: blank, or a comment
# The characters the fast path reads as they are: printable ASCII and the printable characters of the
# Basic Multilingual Plane that ruamel.yaml writes unescaped, less every character the checking reader
# refuses or reads as a line break (U+0085, U+2028, U+2029, the bidirectional controls) and the BOM.
_TEXT = re.compile("[\n -~\xa0-\u2027\u202f-\u2065\u206a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
_WORDS_1_1 = frozenset(
    {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"}
)  # words another YAML reads as values


_TIMESTAMPISH = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]")  # what ruamel.yaml may take for a timestamp
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _real_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


class _NotCanonical(Exception):
    """The fast check cannot prove the layout canonical: the round trip decides."""


def already_canonical(text: str, model: type[BaseModel]) -> bool:
    """True only if the round trip and reordering would give `text` back unchanged; False when unsure.

    `text` is a file's text as the round trip reads it (rewrite.source_text: no BOM, LF line
    endings), so a file with a BOM or CR LF endings is proven the same way: both are restored as
    they were. A proof on libyaml's events for the layouts people write and fmt keeps: two-space
    mappings and `  - ` sequences; single-line plain and quoted scalars of safe forms; block scalars
    (> >- | |-) indented two past their key, with blank lines between paragraphs; one-line flow
    collections of such scalars, as ruamel.yaml writes them; keys of block mappings in the record
    format's order, none twice; comments at the end of a value's line or on lines of their own, and
    blank lines, wherever they stand between values. No directive, document marker, tab, trailing
    space, leading blank line, nor a character ruamel.yaml would escape. Anything else, and so every
    file fmt would change or refuse, goes through the round trip (`format_file`); so does whatever
    the checking reader (yamlsource.parse) would find a problem in.
    """
    if not text.endswith("\n") or text.endswith("\n\n") or text.startswith("\n") or "\t" in text or "\r" in text:
        return False
    if not text.isascii() and not _TEXT.fullmatch(text):
        return False
    lines = text.split("\n")[:-1]
    for line in lines:
        if line and (line[-1] == " " or len(line) > 2000 or line.startswith(("%", "---", "..."))):
            return False
    try:
        return _Walker(text, lines, model).document()
    except Exception:  # _NotCanonical, or anything libyaml refuses: the round trip decides
        return False


class _Walker:
    """One pass over libyaml's events, checking each node stands where ruamel.yaml would write it.

    Every line that holds a value is recorded with the column where its value ends (`tails`), and
    block scalars' lines as `bodies`; at the end, what follows each value must be nothing or a
    comment, and every other line blank or a comment: ruamel.yaml keeps such comments and blank
    lines where they stand, byte for byte.
    """

    def __init__(self, text: str, lines: list[str], model: type[BaseModel]) -> None:
        self.text, self.lines, self.model = text, lines, model
        self.events: Iterator[Any] = iter(self._events())
        self.tails: dict[int, int] = {}
        self.bodies: set[int] = set()

    def _events(self) -> Iterator[Any]:
        parser = CParser(self.text)
        while True:
            event = parser.get_event()
            yield event
            if isinstance(event, StreamEndEvent):
                return

    def next(self) -> Any:
        return next(self.events)

    def document(self) -> bool:
        self.next()  # stream start
        start = self.next()
        if not isinstance(start, DocumentStartEvent) or start.explicit:
            return False
        root = self.next()
        if not isinstance(root, MappingStartEvent) or root.flow_style or root.start_mark.column != 0:
            return False
        self.block_mapping(root, 0, ())
        end = self.next()
        if not (isinstance(end, DocumentEndEvent) and not end.explicit and isinstance(self.next(), StreamEndEvent)):
            return False
        return self.only_comments_beside()

    def only_comments_beside(self) -> bool:
        """Whether all no event accounts for is blank lines and comments (after a value, or on lines of their own)."""
        tails, bodies = self.tails, self.bodies
        for number, line in enumerate(self.lines):
            if number in bodies:
                continue
            column = tails.get(number)
            if column is None:
                if line and not _OWN_LINE.fullmatch(line):
                    return False
            elif column < len(line) and not _AFTER_VALUE.fullmatch(line, column):
                return False
        return True

    def block_mapping(self, start: Any, column: int, loc: tuple[Any, ...]) -> None:
        if start.anchor is not None or start.tag is not None:
            raise _NotCanonical
        if len(loc) > MAX_DEPTH:
            raise _NotCanonical
        keys: list[str] = []
        while True:
            key = self.next()
            if isinstance(key, MappingEndEvent):
                break
            if key.value in keys:
                raise _NotCanonical  # a duplicate: the checking reader reports it
            if (
                not isinstance(key, ScalarEvent)
                or key.style
                or key.start_mark.column != column
                or key.anchor
                or key.tag
            ):
                raise _NotCanonical
            if key.start_mark.line != key.end_mark.line or not _PLAIN_KEY.fullmatch(key.value) or ": " in key.value:
                raise _NotCanonical
            keys.append(key.value)
            self.value(key, column, (*loc, key.value))
        if not keys or keys != _desired_order(self.model, loc, keys):
            raise _NotCanonical

    def value(self, key: Any, column: int, loc: tuple[Any, ...]) -> None:
        node = self.next()
        gap = self.text[key.end_mark.index : node.start_mark.index]
        if isinstance(node, ScalarEvent) or (
            isinstance(node, MappingStartEvent | SequenceStartEvent) and node.flow_style
        ):
            if gap != ": " or node.start_mark.line != key.start_mark.line:
                raise _NotCanonical
            self.inline(node, column)
            return
        # a block collection: `key:` (perhaps a comment after it), any comment or blank lines, then the
        # collection's first line indented two past the key
        if not gap.startswith(":") or gap.rpartition("\n")[2] != " " * (column + 2):
            raise _NotCanonical
        self.tails[key.end_mark.line] = key.end_mark.column + 1
        if isinstance(node, MappingStartEvent):
            self.block_mapping(node, column + 2, loc)
        elif isinstance(node, SequenceStartEvent):
            if node.anchor or node.tag:
                raise _NotCanonical
            self.block_sequence(column + 2, loc)
        else:
            raise _NotCanonical

    def block_sequence(self, dash: int, loc: tuple[Any, ...]) -> None:
        index = 0
        while True:
            item = self.next()
            if isinstance(item, SequenceEndEvent):
                break
            mark = item.start_mark
            prefix = self.lines[mark.line][: mark.column]
            if prefix != " " * dash + "- ":
                raise _NotCanonical
            if isinstance(item, MappingStartEvent) and not item.flow_style:
                self.block_mapping(item, dash + 2, (*loc, index))
            elif isinstance(item, ScalarEvent) or (
                isinstance(item, MappingStartEvent | SequenceStartEvent) and item.flow_style
            ):
                self.inline(item, dash + 2)
            else:
                raise _NotCanonical
            index += 1
        if index == 0:
            raise _NotCanonical

    def inline(self, node: Any, column: int) -> None:
        """A scalar or one-line flow collection after `key: ` or `- `."""
        if isinstance(node, ScalarEvent):
            self.scalar(node, column, in_flow=False)
            return
        parts = []
        is_mapping = isinstance(node, MappingStartEvent)
        if node.anchor or node.tag:
            raise _NotCanonical
        while True:
            item = self.next()
            if isinstance(item, MappingEndEvent | SequenceEndEvent):
                end = item.end_mark
                break
            if not isinstance(item, ScalarEvent):
                raise _NotCanonical
            self.scalar(item, column, in_flow=True)
            source = self.text[item.start_mark.index : item.end_mark.index]
            if is_mapping:
                value = self.next()
                if not isinstance(value, ScalarEvent) or item.style:
                    raise _NotCanonical
                self.scalar(value, column, in_flow=True)
                source += ": " + self.text[value.start_mark.index : value.end_mark.index]
            parts.append(source)
        if end.line != node.start_mark.line:
            raise _NotCanonical
        expected = ("{%s}" if is_mapping else "[%s]") % ", ".join(parts)
        if self.text[node.start_mark.index : end.index] != expected:
            raise _NotCanonical
        self.tails[end.line] = end.column

    def scalar(self, node: Any, column: int, *, in_flow: bool) -> None:
        if node.anchor or node.tag:
            raise _NotCanonical
        style, value, mark = node.style, node.value, node.start_mark
        source = self.text[mark.index : node.end_mark.index]
        if style in (">", "|"):
            self.block_scalar(node, column, in_flow)
            return
        if mark.line != node.end_mark.line:
            raise _NotCanonical
        if style == "'":
            if "'" in value or source != f"'{value}'" or not value:
                raise _NotCanonical
        elif style == '"':
            if '"' in value or "\\" in value or source != f'"{value}"' or not value:
                raise _NotCanonical
        elif style or source != value:
            raise _NotCanonical
        else:
            _plain(value, in_flow=in_flow)
        if not in_flow:
            self.tails[mark.line] = node.end_mark.column

    def block_scalar(self, node: Any, column: int, in_flow: bool) -> None:
        """`>-` (or > | |-, perhaps a comment after it), then lines indented two past the key; blank lines
        between paragraphs, never first, and no line that starts with '#' or more spaces."""
        mark = node.start_mark
        header = _BLOCK_HEADER.match(self.lines[mark.line], mark.column)
        if in_flow or header is None:
            raise _NotCanonical
        self.tails[mark.line] = header.end()
        indent = " " * (column + 2)
        last = node.end_mark.line if node.end_mark.column == 0 else node.end_mark.line + 1
        body = range(mark.line + 1, last)
        if not body or not self.lines[mark.line + 1]:
            raise _NotCanonical
        for number in body:
            line = self.lines[number]
            if line and (not line.startswith(indent) or line[len(indent)] in " #"):
                raise _NotCanonical
            self.bodies.add(number)


def _plain(value: str, *, in_flow: bool) -> None:
    """A plain scalar ruamel.yaml writes back as it stands: a real date, a number as Python writes it,
    true or false, or text no other reader takes for a value (_NotCanonical otherwise)."""
    if not value:
        raise _NotCanonical
    resolved = resolve_plain(value)
    if resolved.__class__ is bool:
        if value not in ("true", "false"):
            raise _NotCanonical
    elif resolved.__class__ in (int, float):
        if not _PLAIN_NUMBER.fullmatch(value) or value.startswith("-0"):
            raise _NotCanonical
    elif resolved.__class__ is not str or not _PLAIN_SAFE.fullmatch(value) or value.lower() in _WORDS_1_1:
        raise _NotCanonical
    elif _TIMESTAMPISH.match(value) and not _real_date(value):
        raise _NotCanonical  # ruamel.yaml reads it as a timestamp: only a real date written as such comes back
    elif in_flow and any(c in value for c in ",[]{}"):
        raise _NotCanonical
