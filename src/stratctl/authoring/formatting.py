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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from stratctl.authoring.plan import planning
from stratctl.errors import StratctlError
from stratctl.kinds import KINDS
from stratctl.loading import discover, select
from stratctl.reading import UnreadableFile
from stratctl.records.introspect import field_names
from stratctl.rewrite import RoundTripError, SourceText, dump, ensure_writable, load, original, read_source
from stratctl.rules.yaml_syntax import COMMENT_IN_TEXT
from stratctl.workspace import Workspace
from stratctl.yamlsource import Document, layout_tokens, parse

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


def format_repository(workspace: Workspace, paths: list[Path] | None, *, check: bool) -> FormatOutcome:
    """Format every record file (or those under `paths`); with `check`, only say which would change."""
    files = discover(workspace.data_dir, workspace.cwd)
    if paths is not None:
        files = select(files, paths)
    outcome = FormatOutcome(files=len(files))
    with planning(workspace, read=False) as plan:
        for file in files:
            result = format_file(file.path, file.kind)
            reason = result.skipped
            if reason is None and result.changed and not check:
                try:
                    ensure_writable(file.path)
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
    document = parse(source.text)
    problems = [p for p in document.problems if p.rule is not COMMENT_IN_TEXT]
    if problems:
        first = problems[0]
        return FormatResult(path, False, f"not a readable record (line {first.line}, column {first.column}: {first.message})")
    if not isinstance(document.data, dict):
        return FormatResult(path, False, "not a readable record (not a mapping of fields)")
    try:
        result = _formatted(source, kind)
    except RoundTripError as error:
        return FormatResult(path, False, f"it cannot be rewritten: line {error.line}, column {error.column}: {error.problem}")
    except NotLossless as error:
        return FormatResult(path, False, f"{error}, so it is not reformatted")
    except Exception as error:  # noqa: BLE001 - whatever goes wrong in formatting, the file is left as it was
        return FormatResult(path, False, f"stratctl could not format it ({type(error).__name__}: {error})")
    changed = result != original(source)
    return FormatResult(path, changed, text=result if changed else None)
