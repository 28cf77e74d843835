"""Read one YAML record from text: fast, strict, and with positions.

ruamel.yaml's C parser (libyaml) produces the events; this module builds the
Python values itself instead of using ruamel's constructor. Measured on a 1.4 KB
objective: events 0.24 ms, ruamel's safe constructor on top 1.7 ms. Building from
events also lets one pass refuse what records may not hold (anchors, aliases,
tags, duplicate keys, several documents, deep nesting) at the exact position,
and record where every key and value stands, so findings can be placed without
a second, round-trip parse.

Scalars follow the YAML 1.2 core schema, except that timestamps stay strings:
the record models parse dates themselves, so that `2022-02-30` and
`31/03/2022` get a positioned, helpful error rather than a bare ValueError.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from _ruamel_yaml import CParser  # ruamel.yaml.clib: the libyaml binding
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from stratctl.rules.registry import Rule
from stratctl.rules.yaml_syntax import (
    ANCHOR_OR_ALIAS,
    DUPLICATE_KEY,
    INVALID_CHARACTER,
    MULTIPLE_DOCUMENTS,
    NOT_A_MAPPING,
    TAG,
    TOO_DEEP,
    YAML_SYNTAX,
)
from stratctl.scalars import LeadingZeroInt

__all__ = ["Document", "LeadingZeroInt", "YamlProblem", "offset_to_position", "parse", "resolve_plain"]

MAX_DEPTH = 32
"""Records nest four or five levels; anything deeper is a mistake or an attack."""

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """Something in the YAML itself, before any record rule applies."""

    rule: Rule
    message: str
    line: int  # 1-based
    column: int  # 1-based

    @property
    def code(self) -> str:
        return self.rule.code


@dataclass(slots=True)
class Document:
    """A parsed record: its data and, when asked for, where each part stands."""

    data: Any
    problems: list[YamlProblem] = field(default_factory=list)
    # loc -> (line, column) of the value, 1-based; keys of mappings under key_positions.
    value_positions: dict[Loc, tuple[int, int]] | None = None
    key_positions: dict[Loc, tuple[int, int]] | None = None
    comment_cuts: list[tuple[Loc, int, int]] = field(default_factory=list)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The position of `loc`, or of its nearest ancestor in the tree."""
        table = self.key_positions if key else self.value_positions
        if table is None or self.value_positions is None:
            return (1, 1)
        loc = tuple(loc)
        if key and loc in table:
            return table[loc]
        while loc:
            if loc in self.value_positions:
                return self.value_positions[loc]
            loc = loc[:-1]
        return self.value_positions.get((), (1, 1))


_INT = re.compile(r"[-+]?[0-9]+")
_INT_OCT = re.compile(r"0o[0-7]+")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUES = frozenset({"true", "True", "TRUE"})
_FALSES = frozenset({"false", "False", "FALSE"})
_SPECIAL_STARTS = frozenset("0123456789-+.~")
_WORDS = _NULLS | _TRUES | _FALSES
# What libyaml refuses to read as a raw character, but a double-quoted escape ("\e", "\x00") can
# still write: C0 controls other than tab and line breaks, DEL, and the C1 controls except NEL.
_ESCAPED_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_INFS = {".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf")}


def resolve_plain(value: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema."""
    if value in _NULLS:
        return None
    if value[0] in "0123456789-+.":
        return _resolve_numeric(value)
    if value in _TRUES:
        return True
    if value in _FALSES:
        return False
    return value


def _resolve_numeric(value: str) -> Any:
    """A plain scalar that starts as a number may: an int, a float, octal, hex, infinity or NaN, else text."""
    if _INT.fullmatch(value):
        digits = value.lstrip("+-")
        if len(digits) > 1 and digits[0] == "0":
            return LeadingZeroInt(int(value), value)
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _INT_OCT.fullmatch(value):
        return int(value[2:], 8)
    if _INT_HEX.fullmatch(value):
        return int(value[2:], 16)
    if value in _INFS:
        return _INFS[value]
    if value in ("-.inf", "-.Inf", "-.INF"):
        return float("-inf")
    if value in (".nan", ".NaN", ".NAN"):
        return float("nan")
    return value


class _Stop(Exception):
    """Parsing cannot go on; the problem is already recorded."""


def parse(text: str, *, positions: bool = False) -> Document:
    """Parse `text` as one YAML document holding one record.

    Never raises for bad input: every problem is returned in `Document.problems`
    with its position, and `data` is None when nothing usable was read.
    """
    doc = Document(data=None)
    if positions:
        doc.value_positions = {}
        doc.key_positions = {}
    try:
        doc.data = _build(text, doc, positions)
    except _Stop:
        doc.data = None
    except Exception as error:
        doc.problems.append(_from_parser_error(error, text))
        doc.data = None
    if _HIDING.search(text):  # rare: look closer only then
        _refuse_unicode_breaks(text, doc)
    return doc


_UNICODE_BREAK = re.compile("[\x85\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_HIDING = _UNICODE_BREAK
_BREAK_NAMES = {"\x85": "next line, NEL", "\u2028": "line separator", "\u2029": "paragraph separator"}
_BIDI_NAMES = {
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
}
_EDITOR_BREAK = re.compile(r"\r\n|\r|\n")


def _refuse_unicode_breaks(text: str, doc: Document) -> None:
    """Refuse U+0085, U+2028 and U+2029, and the bidirectional overrides and isolates, outside quoted
    strings, where they hide data.

    libyaml (YAML 1.1) ends a line at each of them, but editors and GitHub's diff show none as a line
    break: `# note<U+2028>rationale: hidden` is a comment on screen and a `rationale` field to YAML.
    Inside quotes they stay part of the text (or fold to a space), which is what the author sees.
    Positions are counted as an editor counts them (only CR, LF and CR LF end a line), and so is
    the position of a syntax error the character caused, which libyaml counts its own way.
    """
    quoted = _quoted_spans(text)
    problems = []
    for match in _UNICODE_BREAK.finditer(text):
        offset = match.start()
        if any(start <= offset < end for start, end in quoted):
            continue
        line, column = editor_position(text, offset)
        char = match.group()
        if char in _BIDI_NAMES:
            # "Trojan Source": shown reordered, `lead: CPO  # \u202e` can make a comment look like data
            message = (
                f"U+{ord(char):04X} ({_BIDI_NAMES[char]}) makes what follows it display in another order "
                "than YAML reads it, so a comment can pass for data: delete it, or put the text in quotes"
            )
        else:
            message = (
                f"U+{ord(char):04X} ({_BREAK_NAMES[char]}) ends a line for YAML but not in editors, so what "
                "follows it is read as data where it looks like the same line: delete it, or put the text in quotes"
            )
        problems.append(YamlProblem(INVALID_CHARACTER, message, line, column))
    if problems:
        doc.problems[:] = [_editor_placed(p, text) for p in doc.problems] + problems
        doc.problems.sort(key=lambda p: (p.line, p.column))
        doc.data = None


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each quoted scalar, as far as the text parses."""
    spans = []
    parser = CParser(text)
    try:
        while True:
            event = parser.get_event()
            if event.__class__ is ScalarEvent and event.style in ("'", '"'):
                spans.append((event.start_mark.index, event.end_mark.index))
            elif event.__class__ is StreamEndEvent:
                break
    except Exception:
        pass
    return spans


def _editor_placed(problem: YamlProblem, text: str) -> YamlProblem:
    """A libyaml position (which counts U+2028 as a line break) as an editor shows it."""
    starts = [0, *(match.end() for match in _LIBYAML_BREAK.finditer(text))]
    if not 0 < problem.line <= len(starts):
        return problem
    line, column = editor_position(text, starts[problem.line - 1] + problem.column - 1)
    return YamlProblem(problem.rule, problem.message, line, column)


_LIBYAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def editor_position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset, counting lines as editors do (CR, LF, CR LF)."""
    offset = max(0, min(offset, len(text)))
    line, start = 1, 0
    for match in _EDITOR_BREAK.finditer(text, 0, offset):
        line += 1
        start = match.end()
    return line, offset - start + 1


def _from_parser_error(error: Exception, text: str) -> YamlProblem:
    name = type(error).__name__
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error).split("\n")[0]
    if name == "ReaderError":
        position = getattr(error, "position", 0) or 0
        line, column = offset_to_position(text, position)
        char = getattr(error, "character", None)
        what = f"U+{char:04X}" if isinstance(char, int) and char >= 0 else "a character"
        return YamlProblem(
            INVALID_CHARACTER,
            f"{what} is not allowed in a YAML file (control characters cannot be stored)",
            line,
            column,
        )
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    message = _explain(problem, text, line)
    return YamlProblem(YAML_SYNTAX, message, line, column)


def _explain(problem: str, text: str, line: int) -> str:
    """Turn libyaml's terse problem into advice a non-programmer can act on."""
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    hint = ""
    if (
        "\t" in source[: len(source) - len(source.lstrip())]
        or "found character '\\t'" in problem
        or ("cannot start any token" in problem and source.lstrip().startswith("\t"))
    ):
        hint = "; indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem and _indented_under_a_value(lines, line):
        hint = "; this line is indented further than the key above it: the keys of one record start in the same column"
    elif "mapping values are not allowed" in problem:
        hint = '; a value containing ": " must be quoted, e.g. title: "Phase 1: scoping"'
    elif "did not find expected '-' indicator" in problem:
        hint = "; the items of a list start with '-' in the same column: check this line's indentation"
    elif "found character '\\t'" in problem or "\t" in source:
        hint = "; a tab character here must be replaced by spaces"
    elif "expected <block end>" in problem:
        hint = "; check the indentation of this line against the lines above"
    return f"YAML syntax error: {problem}{hint}"


_KEY_LINE = re.compile(r"( *)[A-Za-z_][A-Za-z0-9_-]*:(?: |$)")


def _indented_under_a_value(lines: list[str], line: int) -> bool:
    """Whether line `line` is `key: ...` indented further than a `key: value` line above it, which YAML
    reads as the value going on (the usual slip: one key indented by mistake, not a colon to quote)."""
    here = _KEY_LINE.match(lines[line - 1]) if 0 < line <= len(lines) else None
    above = next(
        (text for text in reversed(lines[: line - 1]) if text.strip() and not text.lstrip().startswith("#")), ""
    )
    before = _KEY_LINE.match(above)
    return (
        here is not None
        and before is not None
        and len(here[1]) > len(before[1])
        and bool(above[before.end() :].split(" #")[0].strip())
    )


def offset_to_position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset into `text`."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _build(text: str, doc: Document, track: bool) -> Any:
    return _Builder(text, doc, track).build()


class _Frame:
    """An open mapping or sequence: the container, where it stands, and (in a mapping) the key read
    whose value is still to come, where that key stands, and the keys seen twice."""

    __slots__ = ("container", "duplicates", "is_mapping", "key", "key_mark", "loc")

    def __init__(self, container: Any, loc: Loc, is_mapping: bool) -> None:
        self.container = container
        self.loc = loc
        self.is_mapping = is_mapping
        self.key: Any = _NO_KEY
        self.key_mark: Any = None
        self.duplicates: set[Any] = set()


class _Builder:
    """Python values built from libyaml's events in one pass, refusing what a record may not hold at
    the position it stands, and (when `track` is set) recording where every key and value stands.

    This is the hot path of loading: every event of every file passes through `build`, so the common
    events (a plain scalar, a mapping's key and value) take the fewest steps, and the rare ones (anchors,
    tags, escapes, problems) are handed to helpers.
    """

    __slots__ = ("doc", "documents", "keys", "root", "seen_root", "stack", "text", "track", "values")

    def __init__(self, text: str, doc: Document, track: bool) -> None:
        self.text = text
        self.doc = doc
        self.track = track
        # Position tables are written only when `track` is set; empty ones stand in otherwise.
        self.values: dict[Loc, tuple[int, int]] = doc.value_positions if doc.value_positions is not None else {}
        self.keys: dict[Loc, tuple[int, int]] = doc.key_positions if doc.key_positions is not None else {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.seen_root = False
        self.documents = 0

    def build(self) -> Any:
        get_event = CParser(self.text).get_event
        scalar, start, stack = self.scalar, self.start, self.stack
        while True:
            event = get_event()
            kind = event.__class__
            if kind is ScalarEvent:
                scalar(event)
            elif kind is MappingStartEvent:
                start(event, True)
            elif kind is SequenceStartEvent:
                start(event, False)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
            elif kind is AliasEvent:
                self.fail(ANCHOR_OR_ALIAS, f"aliases (*{event.anchor}) are not allowed: write the value out", event)
                raise _Stop
            elif kind is DocumentStartEvent:
                self.document(event)
            elif kind is StreamEndEvent:
                return self.result()

    def fail(self, rule: Rule, message: str, event: Any) -> None:
        mark = event.start_mark
        self.doc.problems.append(YamlProblem(rule, message, mark.line + 1, mark.column + 1))

    def scalar(self, event: Any) -> None:
        style = event.style
        if event.anchor is not None or event.tag is not None or style == '"':
            self.check_scalar(event)
        raw = event.value
        if style or (raw and raw[0] not in _SPECIAL_STARTS and raw not in _WORDS):
            value: Any = raw  # quoted, or plain text that cannot be anything but text
        else:
            value = self.resolve(raw, event)
        stack = self.stack
        if not stack:
            self.root, self.seen_root = value, True
            return
        frame = stack[-1]
        key = frame.key
        if not frame.is_mapping:
            if self.track:
                self.values[(*frame.loc, len(frame.container))] = (
                    event.start_mark.line + 1,
                    event.start_mark.column + 1,
                )
            frame.container.append(value)
        elif key is _NO_KEY:  # a mapping's key: held until its value comes
            if value in frame.container or value in frame.duplicates:
                value = self.duplicate(frame, value, event)
            frame.key = value
            frame.key_mark = event.start_mark
            return
        else:  # the value of the key read last
            frame.key = _NO_KEY
            if key.__class__ is not _DuplicateKey:
                frame.container[key] = value
            if self.track:
                self.positions(frame, key, event)
        if not style and value.__class__ is str and self.text.startswith(" #", event.end_mark.index):
            self.comment_cut(frame, key, event)

    def check_scalar(self, event: Any) -> None:
        """An anchor, a tag, or a control character written as an escape: refused where it stands."""
        if event.anchor is not None:
            self.fail(ANCHOR_OR_ALIAS, f"anchors (&{event.anchor}) are not allowed: write the value out", event)
        if event.tag is not None and not (event.tag == "!" and event.style):
            self.fail(TAG, f"tags ({_tag_text(event.tag)}) are not allowed: records hold plain values", event)
        if event.style == '"' and (control := _ESCAPED_CONTROL.search(event.value)):
            self.fail(
                INVALID_CHARACTER,
                f"the text holds the control character U+{ord(control[0]):04X}, written as an escape: "
                "remove it (it cannot be shown, printed or exported)",
                event,
            )

    def resolve(self, raw: str, event: Any) -> Any:
        try:
            return resolve_plain(raw)
        except ValueError:  # an integer of more digits than Python converts (4,300)
            from stratctl.rules.schema import INVALID_VALUE  # the schema rules need pydantic: only here (start-up)

            self.fail(
                INVALID_VALUE, f"a number of {len(raw):,} digits: no record holds one; quote it if it is text", event
            )
            return raw

    def duplicate(self, frame: _Frame, key: Any, event: Any) -> _DuplicateKey:
        """A key seen before in this mapping: reported, and marked so that its value is dropped."""
        self.fail(DUPLICATE_KEY, f"duplicate key {key!r}: it already appears above", event)
        frame.duplicates.add(key)
        return _DuplicateKey(key)

    def positions(self, frame: _Frame, key: Any, event: Any) -> None:
        """Where a key (read last in `frame`) and its value stand."""
        loc = (*frame.loc, key)
        self.keys[loc] = (frame.key_mark.line + 1, frame.key_mark.column + 1)
        self.values[loc] = (event.start_mark.line + 1, event.start_mark.column + 1)

    def comment_cut(self, frame: _Frame, key: Any, event: Any) -> None:
        """Plain text that ends where ` #` begins: YAML read the rest of the line as a comment."""
        where = frame.loc + ((key,) if frame.is_mapping else (len(frame.container) - 1,))
        self.doc.comment_cuts.append((where, event.end_mark.line + 1, event.end_mark.column + 2))

    def start(self, event: Any, is_mapping: bool) -> None:
        """A mapping or sequence opens: refused if anchored, tagged or too deep, else placed in its parent."""
        if event.anchor is not None:
            self.fail(ANCHOR_OR_ALIAS, f"anchors (&{event.anchor}) are not allowed: write the value out", event)
        if event.tag is not None:
            self.fail(TAG, f"tags ({_tag_text(event.tag)}) are not allowed: records hold plain values", event)
        if len(self.stack) >= MAX_DEPTH:
            self.fail(TOO_DEEP, f"nesting deeper than {MAX_DEPTH} levels: a record is never this deep", event)
            raise _Stop
        new: Any = {} if is_mapping else []
        loc = self.place(new, event)
        if self.track:
            self.values[loc] = (event.start_mark.line + 1, event.start_mark.column + 1)
        self.stack.append(_Frame(new, loc, is_mapping))

    def place(self, new: Any, event: Any) -> Loc:
        """Put a new container where it belongs (the root, a list's next item, a key's value); its loc."""
        if not self.stack:
            self.root, self.seen_root = new, True
            return ()
        frame = self.stack[-1]
        if not frame.is_mapping:
            loc = (*frame.loc, len(frame.container))
            frame.container.append(new)
            return loc
        key = frame.key
        if key is _NO_KEY:
            self.fail(YAML_SYNTAX, "YAML syntax error: a key must be a plain value, not a list or mapping", event)
            raise _Stop
        frame.key = _NO_KEY
        loc = (*frame.loc, key)
        if key.__class__ is not _DuplicateKey:
            frame.container[key] = new
        if self.track:
            self.keys[loc] = (frame.key_mark.line + 1, frame.key_mark.column + 1)
        return loc

    def document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            self.fail(MULTIPLE_DOCUMENTS, "a second YAML document (---): a record file holds exactly one", event)
            raise _Stop

    def result(self) -> Any:
        """The record read: a mapping; None, with a problem said, for an empty file, a list or a single value."""
        root = self.root
        if not self.seen_root or root is None:
            self.doc.problems.append(
                YamlProblem(NOT_A_MAPPING, "the file is empty: a record is a mapping of fields", 1, 1)
            )
            return None
        if not isinstance(root, dict):
            what = "a list" if isinstance(root, list) else "a single value"
            self.doc.problems.append(
                YamlProblem(NOT_A_MAPPING, f"the file holds {what}: a record is a mapping of fields (key: value)", 1, 1)
            )
            return None
        return root


def _tag_text(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


class _DuplicateKey(str):
    """A key seen twice in one mapping; its value is not kept."""


_NO_KEY = object()


def scalar_spans(text: str) -> list[tuple[int, int, str]] | None:
    """(start, end, style) character offsets of every scalar, in order; None if libyaml refuses the text."""
    spans: list[tuple[int, int, str]] = []
    parser = CParser(text)
    try:
        while True:
            event = parser.get_event()
            if event.__class__ is ScalarEvent:
                spans.append((event.start_mark.index, event.end_mark.index, event.style or ""))
            elif event.__class__ is StreamEndEvent:
                return spans
    except Exception:
        return None


def layout_tokens(text: str) -> list[str] | None:
    """What a reader sees of `text` besides its data: each comment, directive (%YAML) and document
    marker (--- and ...), in order, as written (trailing spaces dropped). None if it does not parse.

    A formatter may move them and re-indent them, never lose, add or change one.
    """
    spans = scalar_spans(text)
    if spans is None:
        return None
    starts = [start for start, _, _ in spans]
    tokens: list[str] = []
    offset = 0
    for line in text.split("\n"):
        end = offset + len(line)
        column = 0
        while True:
            found = line.find("#", column)
            if found == -1:
                break
            position = offset + found
            at = bisect.bisect_right(starts, position) - 1
            inside = at >= 0 and spans[at][0] <= position < spans[at][1]
            if not inside and (found == 0 or line[found - 1] in " \t"):
                tokens.append(line[found:].rstrip())
                break
            column = found + 1
        stripped = line.rstrip()
        at = bisect.bisect_right(starts, offset) - 1
        in_scalar = at >= 0 and spans[at][0] < offset < spans[at][1]
        if not in_scalar and (stripped in ("---", "...") or stripped.startswith(("%", "--- ", "... "))):
            tokens.append(stripped.split(" #")[0].rstrip() if not stripped.startswith("%") else stripped)
        offset = end + 1
    return tokens
