"""`new`: a record that validates from the first keystroke, and the schemas editors check it with.

Scaffolds are written as text, not dumped, so that they can carry comments that explain each
optional field; every value from the command line is quoted for YAML. A kind supplies its own
scaffold (stratctl.kinds) for the fields it knows best; every other field of the model, a new one
included, is written from the model's fields.
"""

from __future__ import annotations

import os
import typing
from pathlib import Path

from stratctl.authoring.plan import WritePlan
from stratctl.errors import StratctlError
from stratctl.kinds import KINDS, NewRecord
from stratctl.kinds.registry import default_lead
from stratctl.layout import SCHEMA_FOLDER
from stratctl.records import Trust
from stratctl.records.fields import is_valid_id
from stratctl.records.introspect import FieldShape, fields_in_order
from stratctl.schema import dumps, schemas
from stratctl.yamltext import quoted

MAX_ID_LENGTH = 100
"""An id names its file; file systems refuse names over 255 bytes, and nobody types 100 characters."""


def plan_schemas(plan: WritePlan) -> list[Path]:
    """Plan schemas/<kind>.schema.json where missing (editors read them); return those planned."""
    folder = plan.workspace.root / SCHEMA_FOLDER
    planned = []
    for name, schema in schemas().items():
        path = folder / name
        if not os.path.lexists(path):  # anything there, a link included, is the user's: never replaced
            plan.put(path, dumps(schema))
            planned.append(path)
    return planned


def schema_line(kind: str, depth: int = 2) -> str:
    """The comment that tells editors which schema checks the file."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_FOLDER}/{kind}.schema.json\n"


def scaffold_text(request: NewRecord, trust: Trust) -> str:
    """The text of a new record: every required field, the optional ones explained in comments.

    The fields are the model's, in its order: a kind's scaffold writes the ones it knows best, and any
    other field (a new one included) is written from the model (required: filled in where the options
    say how; optional: a comment naming it).
    """
    kind = KINDS[request.kind]
    written = kind.scaffold(request, trust) if kind.scaffold is not None else {}
    fields = fields_in_order(kind.model)
    unknown = set(written) - {field.name for field in fields}
    if unknown:
        raise RuntimeError(f"the {kind.name} scaffold writes {sorted(unknown)}, which are not fields of its model")
    body = "".join(
        written[field.name] if field.name in written else _from_model(field, request, trust)
        for field in fields
        if field.name not in ("id", "title")
    )
    return f"{schema_line(kind.name)}id: {quoted(request.id)}\ntitle: {quoted(request.title)}\n{body}"


def _from_model(field: FieldShape, request: NewRecord, trust: Trust) -> str:
    """A field the kind's scaffold does not write: required, filled in where the options say how; else a comment."""
    if not field.required:
        return f"# {field.name}:  # optional\n"
    if field.refers_to == "executive":
        return f"{field.name}: {quoted(default_lead(request, trust))}\n"
    if typing.get_origin(field.annotation) is list:
        return f"{field.name}: []\n"
    raise StratctlError(
        f"a new {request.kind} needs {field.name!r}, which stratctl new cannot fill in: write the record by hand"
    )


def create_record(plan: WritePlan, request: NewRecord) -> tuple[Path, list[Path]]:
    """Write the scaffold of a new record, and any schema editors lack; never overwrites, validates first."""
    kind = KINDS.get(request.kind)
    if kind is None or kind.folder is None:
        raise StratctlError(
            f"stratctl new makes {', '.join(k for k, v in KINDS.items() if v.folder)}, not {request.kind!r}"
        )
    if not is_valid_id(request.id):
        raise StratctlError(f"{request.id!r} is not a valid id: use letters, digits, '.', '_' and '-'")
    if len(request.id) > MAX_ID_LENGTH:
        raise StratctlError(
            f"the id is {len(request.id)} characters long: keep it to {MAX_ID_LENGTH}, it names the file"
        )
    path = plan.workspace.data_dir / kind.folder / f"{request.id}.yaml"
    if any(os.path.lexists(p) for p in (path, path.with_suffix(".yml"))):  # a link to nothing too
        raise StratctlError(f"{path} already exists: stratctl new never overwrites a record")
    plan.put(path, scaffold_text(request, plan.loaded.repository.trust_record()))
    errors = plan.errors()
    if errors:
        problems = "; ".join(f"line {f.line}: {f.message}" for f in errors)
        raise StratctlError(f"the new {request.kind} would not validate: {problems}")
    schema_files = plan_schemas(plan)
    plan.write()
    return path, schema_files
