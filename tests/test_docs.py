"""docs/ kept in step with the code: every rule and every record field documented, and the docs standing alone.

The convention the checks hold docs/records.md to:

- Each record model has one section: a heading that names the model's class in backticks, such as
  ``### Reviews (`Review`)``. The section runs to the next heading of the same or a higher level,
  or to the next heading that names another model.
- In its section, the model's fields are the rows of a table whose header's first cell is
  ``Field``: each row's first cell is the field's name in backticks (``| `quarter` | ... |``).
- Every field of the model has a row, and every row names a field of the model.

Every rule code appears in docs/records.md or docs/rating.md as `` `R001` ``, and the rule table of
docs/records.md gives each rule's name and default severity as the catalogue does.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from stratctl.kinds import KINDS, RecordKind, register, unregister
from stratctl.records.base import Record
from stratctl.records.fields import Id
from stratctl.records.introspect import field_key, unwrap
from stratctl.rules import RULES
from tests.conftest import PROJECT

DOCS = PROJECT / "docs"
RECORDS = DOCS / "records.md"
RATING = DOCS / "rating.md"

_HEADING = re.compile(r"(#{1,6})\s+(.*)")
_FENCE = re.compile(r"\s*(```|~~~)")
_CODE_SPAN = re.compile(r"`([^`]+)`")
_FIELD_TABLE_HEADER = re.compile(r"\|\s*Field\s*\|")
_FIELD_ROW = re.compile(r"\|\s*`([^`]+)`\s*\|")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


# --- what the code holds ----------------------------------------------------------------------


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    bare, _ = unwrap(annotation)
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        yield bare
    for argument in typing.get_args(bare):
        yield from _models_in(argument)


def record_models(kinds: Iterable[RecordKind] | None = None) -> dict[str, type[BaseModel]]:
    """Every model reachable from the record kinds, nested ones included, by class name."""
    found: dict[str, type[BaseModel]] = {}
    waiting: list[type[BaseModel]] = [kind.model for kind in (kinds if kinds is not None else KINDS.values())]
    while waiting:
        model = waiting.pop(0)
        if model.__name__ in found:
            continue
        found[model.__name__] = model
        for info in model.model_fields.values():
            waiting.extend(_models_in(info.annotation))
    return found


# --- what the docs hold -----------------------------------------------------------------------


def _outside_code(text: str) -> Iterator[str]:
    """The lines of a Markdown text that are not inside a fenced code block."""
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield line


def model_sections(text: str, names: Iterable[str]) -> dict[str, list[list[str]]]:
    """Model name -> the lines of each section whose heading names it (see the module docstring)."""
    names = set(names)
    sections: dict[str, list[list[str]]] = {}
    current: tuple[int, list[str]] | None = None
    for line in _outside_code(text):
        heading = _HEADING.match(line)
        if heading:
            level = len(heading[1])
            named = [span for span in _CODE_SPAN.findall(heading[2]) if span in names]
            if current is not None and (named or level <= current[0]):
                current = None
            if named:
                current = (level, [])
                sections.setdefault(named[0], []).append(current[1])
            continue
        if current is not None:
            current[1].append(line)
    return sections


def field_rows(lines: list[str]) -> list[str]:
    """The field names in the rows of the section's field tables."""
    rows: list[str] = []
    in_table = is_field_table = False
    for line in lines:
        if not line.startswith("|"):
            in_table = False
        elif not in_table:  # a table's header row
            in_table = True
            is_field_table = _FIELD_TABLE_HEADER.match(line) is not None
        elif is_field_table and (row := _FIELD_ROW.match(line)):
            rows.append(row[1])
    return rows


def undocumented_fields(models: dict[str, type[BaseModel]], text: str) -> list[tuple[str, str | None]]:
    """(model, field) for each field with no row in its model's section; (model, None) for a model with no section."""
    sections = model_sections(text, models)
    missing: list[tuple[str, str | None]] = []
    for name, model in models.items():
        if name not in sections:
            missing.append((name, None))
            continue
        documented = {row for lines in sections[name] for row in field_rows(lines)}
        keys = [field_key(model, field) for field in model.model_fields]  # `from`, as files write it, not `from_`
        missing.extend((name, key) for key in keys if key not in documented)
    return missing


def unknown_fields(models: dict[str, type[BaseModel]], text: str) -> list[tuple[str, str]]:
    """(model, row) for each row of a model's field table that names no field of the model."""
    sections = model_sections(text, models)
    return [
        (name, row)
        for name, parts in sections.items()
        for lines in parts
        for row in field_rows(lines)
        if row not in {field_key(models[name], field) for field in models[name].model_fields}
    ]


def undocumented_rules(codes: Iterable[str], texts: Iterable[str]) -> list[str]:
    together = "\n".join(texts)
    return [code for code in codes if f"`{code}`" not in together]


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation but hyphens dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    found: set[str] = set()
    for line in _outside_code(text):
        heading = _HEADING.match(line)
        if heading:
            found.add(github_anchor(heading[2]))
    return found


# --- the checks -------------------------------------------------------------------------------

MODELS = record_models()
FIELDS = [(name, field) for name, model in MODELS.items() for field in model.model_fields]


def _records_text() -> str:
    return RECORDS.read_text(encoding="utf-8")


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_record_model_has_one_section_in_records_md(model: str) -> None:
    sections = model_sections(_records_text(), MODELS).get(model, [])
    assert len(sections) == 1, f"docs/records.md needs one section whose heading names `{model}`, has {len(sections)}"


@pytest.mark.parametrize(("model", "field"), FIELDS, ids=[f"{m}.{f}" for m, f in FIELDS])
def test_every_field_is_documented_in_its_models_section(model: str, field: str) -> None:
    assert (model, field) not in undocumented_fields({model: MODELS[model]}, _records_text()), (
        f"docs/records.md: the section of `{model}` has no row | `{field}` | ... | in its Field table"
    )


def test_every_documented_field_exists() -> None:
    assert unknown_fields(MODELS, _records_text()) == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_is_documented(code: str) -> None:
    texts = [RECORDS.read_text(encoding="utf-8"), RATING.read_text(encoding="utf-8")]
    assert undocumented_rules([code], texts) == [], f"rule {code} appears in neither docs/records.md nor docs/rating.md"


@pytest.mark.parametrize("code", sorted(RULES))
def test_the_rule_table_gives_each_rules_name_and_severity(code: str) -> None:
    rule = RULES[code]
    rows = [line for line in _outside_code(_records_text()) if line.startswith(f"| `{code}` |")]
    assert len(rows) == 1, f"docs/records.md's rule table needs one row for {code}"
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert cells[1:3] == [rule.name, str(rule.severity)], rows[0]


def _doc_files() -> list[Path]:
    """docs/ and the README that points into it: neither may lean on anything outside the repository."""
    return [*sorted(DOCS.glob("*.md")), PROJECT / "README.md"]


@pytest.mark.parametrize("path", _doc_files(), ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_the_docs_stand_alone(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for outside in ("shared/design", "../shared"):
        assert outside not in text, f"{path.name} refers to {outside}: the repository's docs must stand alone"


@pytest.mark.parametrize("path", _doc_files(), ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_every_link_in_the_docs_resolves(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for target in _LINK.findall("\n".join(_outside_code(text))):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        assert linked.is_file(), f"{path.name}: the link {target} names no file"
        assert linked.is_relative_to(PROJECT), f"{path.name}: the link {target} leaves the repository"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked.read_text(encoding="utf-8")), (
                f"{path.name}: no heading for #{anchor} in {linked.name}"
            )


# --- the checks fail when they should ---------------------------------------------------------


def test_a_field_removed_from_the_docs_is_named() -> None:
    text = _records_text()
    row = next(line for line in text.splitlines() if line.startswith("| `tolerance` |"))
    assert undocumented_fields(MODELS, text.replace(row + "\n", "")) == [("Measure", "tolerance")]


def test_a_field_added_to_the_records_without_docs_is_named() -> None:
    class Sponsor(Record):
        id: Id
        since: int

    class Programme(Record):
        id: Id
        title: str
        sponsors: list[Sponsor] = []  # noqa: RUF012 - a record model as records/ writes one: pydantic copies it

    kind = register(RecordKind("programme", Programme, folder="programmes"))
    try:
        models = record_models()
        assert {"Programme", "Sponsor"} <= set(models)
        text = (
            _records_text()
            + "\n## Programmes (`Programme`)\n\n| Field | Type | Default | Meaning |\n| --- | --- | --- | --- |\n"
        )
        text += "| `id` | id | required | Its id. |\n| `title` | name | required | Its title. |\n"
        missing = undocumented_fields(models, text)
        assert ("Programme", "sponsors") in missing and ("Sponsor", None) in missing
        assert all(name in ("Programme", "Sponsor") for name, _ in missing)
    finally:
        unregister(kind.name)


def test_a_row_for_a_field_that_does_not_exist_is_named() -> None:
    text = _records_text().replace("| `tolerance` |", "| `tolerence` |", 1)
    assert unknown_fields(MODELS, text) == [("Measure", "tolerence")]


def test_a_rule_without_docs_is_named() -> None:
    assert undocumented_rules(["R001", "Z999"], [_records_text()]) == ["Z999"]


def test_a_heading_naming_another_model_ends_a_section() -> None:
    text = (
        "## Risk (`Risk`)\n\n| Field | Type |\n| --- | --- |\n| `id` | id |\n\n"
        "```yaml\n# not a heading\n```\n\n"
        "### Ratings (`Rating`)\n\n| Field | Type |\n| --- | --- |\n| `score` | whole number |\n\n"
        "### Not a model\n\n| Key | Meaning |\n| --- | --- |\n| `at_least` | a standard |\n"
    )
    sections = model_sections(text, ["Risk", "Rating"])
    assert [field_rows(lines) for lines in sections["Risk"]] == [["id"]]
    assert [field_rows(lines) for lines in sections["Rating"]] == [["score"]]
