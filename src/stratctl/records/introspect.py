"""What a record model says about itself: its field order, its references and its lists of ids.

Rules and writers read the models through these functions instead of listing fields by hand,
so a new field or a new kind of record is checked, ordered and referenced from its types alone.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Union

from pydantic import BaseModel

from stratctl.records.fields import RefersTo

Loc = tuple[str | int, ...]
EACH = "*"
"""A step in a field path that stands for every item of a list (or every value of a mapping)."""

Path = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reference:
    """One value of a record that names something else, and where it stands."""

    loc: Loc
    namespace: str
    value: str


def unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The annotation without Annotated/Optional wrappers, and the metadata those carried."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            metadata.extend(extra)
        elif origin in (Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation, metadata
            annotation = members[0]
        else:
            return annotation, metadata


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _walk(model: type[BaseModel], prefix: Path) -> Iterator[tuple[Path, Any, list[Any]]]:
    """Every (path, bare annotation, metadata) inside `model`, depth first."""
    for name, info in model.model_fields.items():
        annotation, metadata = unwrap(info.annotation)
        yield from _walk_annotation((*prefix, name), annotation, [*info.metadata, *metadata])


def _walk_annotation(path: Path, annotation: Any, metadata: list[Any]) -> Iterator[tuple[Path, Any, list[Any]]]:
    yield path, annotation, metadata
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):  # one committee or a list of them: each form at the same path
        for member in typing.get_args(annotation):
            if member is not type(None):
                bare, member_metadata = unwrap(member)
                yield from _walk_annotation(path, bare, [*metadata, *member_metadata])
    elif origin in (list, tuple, set, frozenset):
        item, item_metadata = unwrap(typing.get_args(annotation)[0])
        yield from _walk_annotation((*path, EACH), item, item_metadata)
    elif origin is dict:
        value, value_metadata = unwrap(typing.get_args(annotation)[1])
        yield from _walk_annotation((*path, EACH), value, value_metadata)
    elif _is_model(annotation):
        yield from _walk(annotation, path)


@dataclass(frozen=True, slots=True)
class FieldShape:
    """One field of a record model, as a writer of records needs to know it."""

    name: str
    required: bool
    annotation: Any
    """The bare type: Annotated and Optional taken off (`list[str]`, `int`, a model)."""
    refers_to: str | None
    """The namespace a reference names (`executive`), else None."""


@functools.cache
def fields_in_order(model: type[BaseModel]) -> tuple[FieldShape, ...]:
    """Every field of `model`, in the order its files write them: the one list of a record's fields that
    writers (a new record's scaffold, a carried objective's successor) build from, so a field added to
    the model reaches them with no other edit."""
    shapes = []
    for name, info in model.model_fields.items():
        annotation, metadata = unwrap(info.annotation)
        refers = next((m.namespace for m in [*info.metadata, *metadata] if isinstance(m, RefersTo)), None)
        shapes.append(FieldShape(name, info.is_required(), annotation, refers))
    return tuple(shapes)


@functools.cache
def reference_paths(model: type[BaseModel]) -> tuple[tuple[Path, str], ...]:
    """(path, namespace) of every field of `model` that names something, found from its types."""
    return tuple(
        (path, item.namespace)
        for path, _, metadata in _walk(model, ())
        for item in metadata
        if isinstance(item, RefersTo)
    )


@functools.cache
def id_list_paths(model: type[BaseModel]) -> tuple[Path, ...]:
    """Paths of every list of records that carry an `id`: ids must be unique within each such list."""
    return tuple(
        path
        for path, annotation, _ in _walk(model, ())
        if path and path[-1] == EACH and _is_model(annotation) and "id" in annotation.model_fields
    )


def values_at(record: Any, path: Path, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Each value found along `path` in a record, with its loc (indexes for list items)."""
    if not path:
        yield loc, record
        return
    step, rest = path[0], path[1:]
    if step == EACH:
        if isinstance(record, dict):
            for key, value in record.items():
                yield from values_at(value, rest, (*loc, key))
        elif isinstance(record, (list, tuple)):
            for index, value in enumerate(record):
                yield from values_at(value, rest, (*loc, index))
        return
    value = getattr(record, step, None)
    if value is not None:
        yield from values_at(value, rest, (*loc, step))


def references(record: BaseModel) -> Iterator[Reference]:
    """Every reference a record makes, in field order."""
    for path, namespace in reference_paths(type(record)):
        for loc, value in values_at(record, path):
            if isinstance(value, str):
                yield Reference(loc, namespace, value)


def field_key(model: type[BaseModel], name: str) -> str:
    """The key a record file writes for the field `name`: its alias (`from` for `from_`), else its name."""
    return model.model_fields[name].alias or name


def field_names(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys of the model found by walking `loc` (keys and indexes) through nested models, as
    record files write them (`from`, not the Python name `from_`).

    Empty when `loc` leads to something that is not a model (a list of ids, a free mapping).
    """
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {field_key(current, name): info for name, info in getattr(current, "model_fields", {}).items()}
        if not fields or part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
    if not (isinstance(current, type) and issubclass(current, BaseModel)):
        return []
    return [field_key(current, name) for name in current.model_fields]


def _inner_model(annotation: Any) -> Any:
    if _is_model(annotation):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
