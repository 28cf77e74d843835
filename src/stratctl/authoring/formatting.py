"""`fmt`: one canonical layout for record files, without losing a comment.

Two steps, each lossless:
1. ruamel.yaml's round trip with the house settings normalises indentation;
2. keys are put in the order of records.md (the models' field order) by moving
   whole blocks of lines: a key, its value, and the comment and blank lines
   directly above it travel together. Comments stay where the author wrote
   them, which re-ordering ruamel's tree would not guarantee (it stores a
   comment line with the key before it).

Flow mappings (`{a: 1, b: 2}`) keep their order: they are one line, as written.
Files that are not a readable record mapping are never rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from stratctl.loading import MODELS, _field_names
from stratctl.repository import Kind
from stratctl.errors import StratctlError
from stratctl.reading import UnreadableFile
from stratctl.rewrite import RoundTripError, SourceText, dump, load, original, read_source, write_atomically
from stratctl.yamlsource import Document, parse

MAX_PASSES = 500


@dataclass(frozen=True)
class FormatResult:
    path: Path
    changed: bool
    skipped: str | None = None  # why the file was left alone


def format_text(text: str, model: type[BaseModel]) -> str:
    """`text` (no BOM, "\\n" endings) with its keys in canonical order; unchanged if already so."""
    for _ in range(MAX_PASSES):
        reordered = _reorder_one(text, model)
        if reordered is None:
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


def _reorder_one(text: str, model: type[BaseModel]) -> str | None:
    """Fix the deepest mapping whose keys are out of order; None when every mapping is in order."""
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
        if rewritten is not None:
            return "\n".join(rewritten)
    return None


def _desired_order(model: type[BaseModel], loc: tuple[Any, ...], keys: list[str]) -> list[str]:
    fields = _field_names(model, tuple(p for p in loc if isinstance(p, str)) if loc else ())
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


def _formatted(source: SourceText, kind: Kind) -> str:
    """The file's text in the canonical layout."""
    normalised = dump(source, load(source))
    normalised_text = normalised.removeprefix("\ufeff").replace(source.newline, "\n") if source.newline != "\n" else normalised.removeprefix("\ufeff")
    ordered = format_text(normalised_text, MODELS[kind])
    if source.newline != "\n":
        ordered = ordered.replace("\n", source.newline)
    return ("\ufeff" if source.bom else "") + ordered


def format_file(path: Path, kind: Kind, *, check: bool) -> FormatResult:
    """Format one record file in place (or, with `check`, only say whether it would change)."""
    try:
        source = read_source(path)  # a regular file of at most 1 MiB, as validate reads
    except UnreadableFile as error:
        return FormatResult(path, False, "a folder, not a file" if error.reason == "it is a folder" else error.reason)
    except UnicodeDecodeError:
        return FormatResult(path, False, "not UTF-8 text")
    document = parse(source.text)
    problems = [p for p in document.problems if p.code != "Y009"]
    if problems:
        first = problems[0]
        return FormatResult(path, False, f"not a readable record (line {first.line}, column {first.column}: {first.message})")
    if not isinstance(document.data, dict):
        return FormatResult(path, False, "not a readable record (not a mapping of fields)")
    try:
        result = _formatted(source, kind)
    except RoundTripError as error:
        return FormatResult(path, False, f"it cannot be rewritten: line {error.line}, column {error.column}: {error.problem}")
    except Exception as error:  # noqa: BLE001 - whatever goes wrong in formatting, the file is left as it was
        return FormatResult(path, False, f"stratctl could not format it ({type(error).__name__}: {error})")
    changed = result != original(source)
    if changed and not check:
        try:
            write_atomically(path, result)
        except StratctlError as error:
            return FormatResult(path, False, str(error))
    return FormatResult(path, changed)
