"""Every change between two snapshots of the records: record by record, field by field.

`diffing.compare` answers the Board's question (what moved in the paper). This answers the
reviewer's: what did this pull request change, in which record, and what follows from it. The
commonest pull request (a quarter's updates with the same positions, a new measure actual, a
corrected progress value) moves nothing in the paper and shows here in full.

Records are compared through their models, field by field, so a field added to a model later
shows without this module knowing its name: lists of records are matched by `id`, `quarter`,
`title` or `name` (the first the item has), mappings by key, anything else by value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from stratctl.diffing import LABELS, YEAR_TURN, Change, compare_status, snapshot
from stratctl.gitrefs import Commit
from stratctl.kinds import KINDS
from stratctl.loading import LoadResult
from stratctl.numbers import RECORDED_DECIMALS, duration, number
from stratctl.periods import FinancialYear, Month, Quarter
from stratctl.records import Measure, MeasurePoint, Rating
from stratctl.records.introspect import field_key
from stratctl.repository import Loaded

KEY_FIELDS = ("id", "quarter", "title", "name")
"""How items of a list of records are matched between the two sides: the first field the item has."""

ATOMIC = (Rating, MeasurePoint)
"""Small records shown whole (`4×5 (20)`) rather than field by field."""

KIND_ORDER = ("objective", "risk", "strategy")
"""The paper's order: objectives (by priority, then id), risks, strategies, other kinds, trust.yaml last."""

_SINGULAR = {"priorities": "priority", "strategic_objectives": "strategic objective", "risk_bands": "risk band"}


@dataclass(frozen=True, slots=True)
class Edit:
    """One change inside a record."""

    action: str  # added | removed | changed | reordered
    path: tuple[str, ...]  # field names and item keys from the record's top: ("updates", "2021/22 Q3", "comment")
    where: tuple[str, ...]  # the same, in words: ("2021/22 Q3 update", "comment")
    before: Any  # plain data (JSON): None when added
    after: Any  # None when removed

    @property
    def label(self) -> str:
        return " › ".join(self.where)

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "where": self.label,
            "path": list(self.path),
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True, slots=True)
class Move:
    """What follows from the edits: a reported or computed position, a risk score, a commitment."""

    label: str
    before: str | None
    after: str | None
    detail: str
    arrow: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "what": self.label,
            "before": self.before,
            "after": self.after,
            "detail": self.detail,
            "arrow": self.arrow or None,
        }


@dataclass
class RecordChange:
    """Everything that changed in one record file."""

    kind: str
    id: str
    title: str
    path: str  # relative to the repository root: data/objectives/x.yaml
    status: str  # added | removed | changed | moved (not edited, but a position or score moved)
    edits: list[Edit] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    carried_from: str | None = None  # an added objective carried forward from another
    carried_to: str | None = None  # a removed objective carried forward into another
    authors: list[Commit] = field(default_factory=list)
    uncommitted: bool = False  # the work tree's file differs from HEAD

    @property
    def heading(self) -> str:
        if self.kind == "trust":
            return f"{self.path}: {self.title}"
        return f"{self.kind.capitalize()} {self.id}: {self.title}"

    @property
    def state(self) -> str:
        """The status in words: `added`, `removed (carried forward to x)`, `carried forward from x` ..."""
        if self.status == "added" and self.carried_from:
            return f"carried forward from {self.carried_from}"
        if self.status == "removed" and self.carried_to:
            return f"removed (carried forward to {self.carried_to})"
        if self.status == "moved":
            return "not edited itself: moved by the other changes or the reporting quarter"
        return self.status

    def to_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "path": self.path,
            "status": self.status,
            "carried_from": self.carried_from,
            "carried_to": self.carried_to,
            "moves": [m.to_dict() for m in self.moves],
            "edits": [e.to_dict() for e in self.edits],
        }
        if self.authors or self.uncommitted:
            document["authors"] = [a.to_dict() for a in self.authors]
            document["uncommitted"] = self.uncommitted
        return document


@dataclass
class ChangeSet:
    """A pull request's changes: the paper's view (what moved) and the reviewer's (every record)."""

    changes: list[Change]  # diffing.compare's, as the Board paper's section lists them
    records: list[RecordChange]
    quarters: tuple[str | None, str | None] = (None, None)
    """The quarter each side reports at (its latest): positions move with it even in records no one edited."""

    @property
    def quarter_moved(self) -> bool:
        return self.quarters[0] != self.quarters[1] and None not in self.quarters

    @property
    def empty(self) -> bool:
        return not self.changes and not self.records

    @property
    def year_turn(self) -> list[Change]:
        """The changes of records that entered or left the view with their files unchanged (YEAR_TURN)."""
        listed = {(r.kind, r.id) for r in self.records}
        return [
            c
            for c in self.changes
            if c.kind in YEAR_TURN and ("objective", c.id) not in listed and ("risk", c.id) not in listed
        ]


# --- plain values -----------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """JSON data for a record value: models as mappings without empty fields (a flag left off, such as an
    action's `public: false`, is empty too), quarters and dates as text."""
    if isinstance(value, BaseModel):
        return {
            field_key(type(value), name): plain(v)
            for name, v in value
            if v is not None and v is not False and v != [] and v != {}
        }
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (Quarter, FinancialYear, Month)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def show(value: Any) -> str:
    """A plain value in words, for text and Markdown: `4×5 (20)`, `progress on-track; projected G`."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        grid = f"{value['likelihood']}×{value['consequence']}" if {"likelihood", "consequence"} <= set(value) else ""
        if set(value) <= {"likelihood", "consequence", "score"} and (grid or "score" in value):
            score = value.get("score")
            return f"{grid} ({score})" if grid and score is not None else grid or str(score)
        if set(value) == {"quarter", "value"}:
            return f"{show(value['value'])} in {value['quarter']}"
        return "; ".join(f"{k.replace('_', ' ')} {show(v)}" for k, v in value.items() if k != "quarter") or "—"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return number(value, RECORDED_DECIMALS)
    if isinstance(value, str) and any(c.isspace() for c in value):
        return f"“{value}”"
    return str(value)


def describe_edit(edit: Edit) -> str:
    """One edit in words, as `stratctl diff` prints it."""
    if edit.action == "added":
        return f"{edit.label} added: {show(edit.after)}"
    if edit.action == "removed":
        return f"{edit.label} removed (was {show(edit.before)})"
    if edit.action == "reordered":
        return f"{edit.label} reordered: {show(edit.before)} → {show(edit.after)}"
    return f"{edit.label}: {show(edit.before)} → {show(edit.after)}"


# --- field by field ---------------------------------------------------------------------------


def _field_words(name: str) -> str:
    return name.rstrip("_").replace("_", " ")  # `from_` is the field written `from`


def _singular(name: str) -> str:
    if name in _SINGULAR:
        return _SINGULAR[name]
    words = _field_words(name)
    return words[:-1] if words.endswith("s") else words


def _item_words(name: str, key: str, key_field: str | None) -> str:
    """`2021/22 Q3 update`, `measure midwife-vacancy-rate`, `milestone “Business case approved”`."""
    thing = _singular(name)
    if key_field == "quarter":
        return f"{key} {thing}"
    if key_field in ("title", "name"):
        return f"{thing} “{key}”"
    return f"{thing} {key}"


def _key_field(model: type[BaseModel]) -> str | None:
    return next((name for name in KEY_FIELDS if name in model.model_fields), None)


def diff_models(
    before: BaseModel, after: BaseModel, path: tuple[str, ...] = (), where: tuple[str, ...] = ()
) -> Iterator[Edit]:
    """Every difference between two records of the same kind, in field order.

    A duration measure's values (held in seconds) are given as minutes and seconds, as it is written.
    """
    if isinstance(after, Measure) and after.duration:
        for edit in _diff_fields(before, after, path, where):
            if edit.path[-1:] == ("tolerance",):
                yield edit
            else:
                yield Edit(edit.action, edit.path, edit.where, _durations(edit.before), _durations(edit.after))
        return
    yield from _diff_fields(before, after, path, where)


def _durations(value: Any) -> Any:
    """Plain data with every number written as minutes and seconds."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return duration(value)
    if isinstance(value, dict):
        return {k: v if k in ("over", "month", "quarter") else _durations(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_durations(v) for v in value]
    return value


def _diff_fields(
    before: BaseModel, after: BaseModel, path: tuple[str, ...] = (), where: tuple[str, ...] = ()
) -> Iterator[Edit]:
    names = list(type(after).model_fields)
    names += [n for n in type(before).model_fields if n not in names]
    for name in names:
        old, new = getattr(before, name, None), getattr(after, name, None)
        if old == new:
            continue
        words = _field_words(name) + (" rating" if isinstance(old or new, Rating) else "")
        yield from _diff_value(old, new, (*path, name), (*where, words), name)


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _diff_value(old: Any, new: Any, path: tuple[str, ...], where: tuple[str, ...], name: str) -> Iterator[Edit]:
    if _empty(old) and _empty(new):
        return
    if old is None:
        yield Edit("added", path, where, None, plain(new))
    elif new is None:
        yield Edit("removed", path, where, plain(old), None)
    elif (
        isinstance(old, BaseModel)
        and isinstance(new, BaseModel)
        and type(old) is type(new)
        and not isinstance(new, ATOMIC)
    ):
        yield from diff_models(old, new, path, where)
    elif isinstance(old, list) and isinstance(new, list):
        yield from _diff_list(old, new, path, where, name)
    elif isinstance(old, dict) and isinstance(new, dict):
        yield from _diff_mapping(old, new, path, where, name)
    else:
        yield Edit("changed", path, where, plain(old), plain(new))


def _diff_list(
    old: list[Any], new: list[Any], path: tuple[str, ...], where: tuple[str, ...], name: str
) -> Iterator[Edit]:
    items = [*old, *new]
    model = type(items[0]) if items and isinstance(items[0], BaseModel) else None
    key_field = _key_field(model) if model is not None and all(type(i) is model for i in items) else None
    if key_field is not None:
        old_keyed = {str(getattr(i, key_field)): i for i in old}
        new_keyed = {str(getattr(i, key_field)): i for i in new}
        if len(old_keyed) == len(old) and len(new_keyed) == len(
            new
        ):  # duplicates (a finding of validate): by value below
            yield from _diff_keyed(old_keyed, new_keyed, path, where, name, key_field)
            return
    remaining = list(new)
    removed = []
    for item in old:
        if item in remaining:
            remaining.remove(item)
        else:
            removed.append(item)
    thing = (*where[:-1], _singular(name)) if where else (_singular(name),)
    for item in removed:
        yield Edit("removed", path, thing, plain(item), None)
    for item in remaining:
        yield Edit("added", path, thing, None, plain(item))
    if not removed and not remaining:
        yield Edit("reordered", path, where, plain(old), plain(new))


def _diff_keyed(
    old: dict[str, Any],
    new: dict[str, Any],
    path: tuple[str, ...],
    where: tuple[str, ...],
    name: str,
    key_field: str | None,
) -> Iterator[Edit]:
    parent = where[:-1]
    for key, item in new.items():
        item_where = (*parent, _item_words(name, key, key_field))
        if key not in old:
            yield Edit("added", (*path, key), item_where, None, plain(item))
        elif old[key] != item:
            yield from _diff_value(old[key], item, (*path, key), item_where, name)
    for key, item in old.items():
        if key not in new:
            yield Edit("removed", (*path, key), (*parent, _item_words(name, key, key_field)), plain(item), None)
    kept_old = [k for k in old if k in new]
    kept_new = [k for k in new if k in old]
    if kept_old != kept_new:
        yield Edit("reordered", path, where, kept_old, kept_new)


def _diff_mapping(
    old: dict[Any, Any], new: dict[Any, Any], path: tuple[str, ...], where: tuple[str, ...], name: str
) -> Iterator[Edit]:
    quarters = all(isinstance(k, Quarter) for k in [*old, *new])
    old_keyed = {str(k): v for k, v in old.items()}
    new_keyed = {str(k): v for k, v in new.items()}
    # The order of a free mapping (actuals by quarter) is the author's: only its contents count.
    parent = where[:-1]
    key_field = "quarter" if quarters else None
    for key, value in new_keyed.items():
        item_where = (*parent, _item_words(name, key, key_field))
        if key not in old_keyed:
            yield Edit("added", (*path, key), item_where, None, plain(value))
        elif old_keyed[key] != value:
            yield from _diff_value(old_keyed[key], value, (*path, key), item_where, name)
    for key, value in old_keyed.items():
        if key not in new_keyed:
            yield Edit("removed", (*path, key), (*parent, _item_words(name, key, key_field)), plain(value), None)


# --- record by record -------------------------------------------------------------------------


def _records(loaded: LoadResult) -> dict[tuple[str, str], Loaded[Any]]:
    repository = loaded.repository
    found: dict[tuple[str, str], Loaded[Any]] = {}
    if repository.trust is not None:
        found[("trust", "trust")] = repository.trust
    for kind, records in repository.records.items():
        for item in records:
            found.setdefault((kind, str(item.record.id)), item)
    return found


def _relative(item: Loaded[Any], data_dir: Path) -> str:
    try:
        return item.file.path.relative_to(data_dir.parent).as_posix()
    except ValueError:
        return item.file.display


def _moves_by_record(
    changes: list[Change], old: Any, new: Any
) -> tuple[dict[tuple[str, str], list[Move]], set[tuple[str, str]]]:
    """The Board's changes (the computed positions that moved among them), attached to the record each
    concerns; and the records that moved only because the year turned or the BAF changed (YEAR_TURN)."""
    moves: dict[tuple[str, str], list[Move]] = {}
    turned: set[tuple[str, str]] = set()
    moved: set[tuple[str, str]] = set()
    objective_ids = {o.id for o, _ in (old.objectives if old else [])} | {
        o.id for o, _ in (new.objectives if new else [])
    }
    for c in changes:
        if c.kind in ("comment", "update"):
            continue  # the edit itself shows the comment or the update, in full
        if c.kind == "planned":
            key = ("strategy", c.id.split(".", 1)[0])
        else:
            key = ("objective" if c.id in objective_ids else "risk", c.id)
        moves.setdefault(key, []).append(Move(LABELS[c.kind], c.before, c.after, c.detail, c.arrow))
        (turned if c.kind in YEAR_TURN else moved).add(key)
    return moves, turned - moved


def build_changeset(before: LoadResult, after: LoadResult) -> ChangeSet:
    """Every change from `before` to `after`: the Board's summary, and each record's edits in the paper's order."""
    old, new = snapshot(before), snapshot(after)
    changes = compare_status(old, new)
    moves, turned_only = _moves_by_record(changes, old, new)
    data_dir = after.repository.data_dir
    old_records, new_records = _records(before), _records(after)
    records: list[RecordChange] = []
    for key in [*new_records, *(k for k in old_records if k not in new_records)]:
        kind, record_id = key
        was, now = old_records.get(key), new_records.get(key)
        present = now or was
        assert present is not None
        title = str(getattr(present.record, "title", None) or getattr(present.record, "name", record_id))
        path = _relative(present, data_dir)
        if was is None:
            change = RecordChange(kind, record_id, title, path, "added", carried_from=_carried_from(present.record))
        elif now is None:
            change = RecordChange(kind, record_id, title, path, "removed")
        else:
            # a file unchanged on both sides is one record object (loading.load_texts): nothing to compare
            edits = [] if was.record is now.record else list(diff_models(was.record, now.record))
            if not edits and (key not in moves or key in turned_only):
                continue  # its file did not change: the summary says it left the year or the BAF
            change = RecordChange(kind, record_id, title, path, "changed" if edits else "moved", edits)
        change.moves = moves.get(key, [])
        records.append(change)
    carried = {c.carried_from: c.id for c in records if c.carried_from}
    for change in records:
        if change.status == "removed" and change.kind == "objective" and change.id in carried:
            change.carried_to = carried[change.id]
    quarters = (str(old.point.quarter) if old else None, str(new.point.quarter) if new else None)
    return ChangeSet(changes, sorted(records, key=_paper_order(after, before)), quarters)


def _carried_from(record: Any) -> str | None:
    # Records may not have this lifecycle field yet: read it if the model has it.
    value = getattr(record, "carried_from", None)
    return str(value) if value else None


def _paper_order(after: LoadResult, before: LoadResult) -> Any:
    trust = after.repository.trust or before.repository.trust
    priorities = {p.id: index for index, p in enumerate(trust.record.priorities)} if trust else {}
    kinds = [*KIND_ORDER, *sorted(k for k in KINDS if k not in KIND_ORDER and k != "trust"), "trust"]
    old_records, new_records = _records(before), _records(after)

    def key(change: RecordChange) -> tuple[int, int, str]:
        rank = kinds.index(change.kind) if change.kind in kinds else len(kinds) - 1
        priority = 0
        if change.kind == "objective":
            item = new_records.get((change.kind, change.id)) or old_records.get((change.kind, change.id))
            priority = (
                priorities.get(getattr(item.record, "priority", ""), len(priorities)) if item else len(priorities)
            )
        return (rank, priority, change.id)

    return key


def attach_authors(
    changeset: ChangeSet, history: dict[str, list[Commit]], uncommitted: set[str], data_dir: Path
) -> None:
    """Who changed each record: the commits that touched its file, and whether the work tree has more."""
    prefix = data_dir.name + "/"
    for change in changeset.records:
        relative = change.path[len(prefix) :] if change.path.startswith(prefix) else change.path
        change.authors = history.get(relative, [])
        change.uncommitted = relative in uncommitted
