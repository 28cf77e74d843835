"""`update`: add (or replace) one quarter's update on an objective, or a review on a risk.

The change is made on the round-trip tree, so every comment and the layout of
the rest of the file are kept; the repository is validated as it would be after
the change, and the file is written only when that finds no error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from stratctl.authoring.plan import WritePlan
from stratctl.errors import StratctlError
from stratctl.findings import Finding, Severity
from stratctl.kinds import KINDS
from stratctl.numbers import DURATION_UNIT, duration
from stratctl.periods import Month, Quarter
from stratctl.records import Review, Update
from stratctl.records.fields import is_valid_id
from stratctl.rewrite import changed_elsewhere, dump, load, original, plain_line_breaks
from stratctl.yamltext import scalar


@dataclass(frozen=True)
class ObjectiveChange:
    quarter: Quarter
    progress: str | None  # None with replace: the quarter's update keeps its progress
    comment: str | None = None
    projected: str | None = None
    rationale: str | None = None
    actuals: dict[str, float] = field(default_factory=dict)
    amended: str | None = None  # why a quarter the Board signed off changes (G002): on the update and its actuals
    trend: str | None = None  # the direction the Board declared (up, down, same): a tracker's arrow


@dataclass(frozen=True)
class RiskChange:
    quarter: Quarter
    score: int | None = None
    likelihood: int | None = None
    consequence: int | None = None
    note: str | None = None
    amended: str | None = None  # why a review of a quarter the Board signed off changes (G002)


@dataclass(frozen=True)
class UpdateResult:
    path: Path
    written: bool
    findings: list[Finding]  # errors that stopped the write, or warnings about the result
    summary: str


UPDATABLE = ("objective", "risk")
"""The kinds that take a quarter's entry: an objective's update, a risk's review."""


def record_path(data_dir: Path, record_id: str) -> tuple[str, Path]:
    """The kind and file of the objective or risk `record_id`.

    The id is checked before any path is built from it: `../outside` must never name a file.
    """
    if not is_valid_id(record_id):
        raise StratctlError(f"{record_id!r} is not a valid id: use letters, digits, '.', '_' and '-'")
    for kind in UPDATABLE:
        folder = KINDS[kind].folder
        assert folder is not None
        for suffix in (".yaml", ".yml"):
            path = data_dir / folder / f"{record_id}{suffix}"
            if path.is_file():
                return kind, path
    raise StratctlError(f"no objective or risk {record_id!r} in {data_dir}")


def _history(tree: CommentedMap, key: str) -> CommentedSeq:
    if key not in tree or tree[key] is None:
        tree[key] = CommentedSeq()
    history = tree[key]
    if not isinstance(history, CommentedSeq):
        raise StratctlError(f"{key} is not a list: fix the file first (stratctl validate)")
    return history


def _place(history: CommentedSeq, entry: CommentedMap, quarter: Quarter, replace: bool, what: str) -> str:
    """Insert `entry` in quarter order, or replace the entry for its quarter."""
    for index, existing in enumerate(history):
        existing_quarter = existing.get("quarter") if isinstance(existing, dict) else None
        if str(existing_quarter) == str(quarter):
            if not replace:
                raise StratctlError(f"there is already an entry for {quarter} in {what}s: use --replace to replace it")
            history[index] = entry
            _carry_comments(existing, entry)
            return "replaced"
    position = len(history)
    for index, existing in enumerate(history):
        try:
            if Quarter.parse(str(existing.get("quarter"))) > quarter:
                position = index
                break
        except (ValueError, AttributeError):
            continue
    history.insert(position, entry)
    if position == len(history) - 1 and position > 0:
        _move_trailing_comment(history[position - 1], entry)
    return "added"


def _carry_comments(replaced: Any, entry: CommentedMap) -> None:
    """A replaced entry's comments stay on the lines whose values the replacement keeps.

    A comment beside a value that changed described the old value, so it goes with it; lines
    after the entry (a closing note) stay after it.
    """
    if not isinstance(replaced, CommentedMap) or not replaced:
        return
    following = _take_following_lines(replaced)
    for key, slot in replaced.ca.items.items():
        if key in entry and replaced[key] == entry[key]:
            entry.ca.items[key] = slot
    _put_following_lines(entry, following)


def _move_trailing_comment(previous: Any, entry: CommentedMap) -> None:
    """Keep comment lines that followed the last entry after the entry now last.

    ruamel.yaml holds the lines after a list's last entry (a closing note, or a comment heading
    the next field) in the end-of-line comment of that entry's last key; left there, an entry
    appended after it would land below them.
    """
    if isinstance(previous, CommentedMap) and previous:
        _put_following_lines(entry, _take_following_lines(previous))


def _take_following_lines(mapping: CommentedMap) -> str:
    """Remove and return the comment lines after `mapping` (its last key keeps its own comment)."""
    slot = mapping.ca.items.get(list(mapping)[-1])
    if not slot or len(slot) < 3 or slot[2] is None:
        return ""
    own_line, newline, following = slot[2].value.partition("\n")
    if not newline or not following.strip():
        return ""
    if own_line.strip():
        slot[2] = CommentToken(own_line + "\n", slot[2].start_mark, None)
    else:
        slot[2] = None
    return str(following)


def _put_following_lines(mapping: CommentedMap, following: str) -> None:
    """Place comment lines after `mapping`, after its last key's own end-of-line comment if any."""
    if not following or not mapping:
        return
    last_key = list(mapping)[-1]
    slot = mapping.ca.items.get(last_key)
    if slot and len(slot) >= 3 and slot[2] is not None:
        own_line = slot[2].value.rstrip("\n")
        mapping.ca.items[last_key] = [
            *slot[:2],
            CommentToken(own_line + "\n" + following, slot[2].start_mark, None),
            *slot[3:],
        ]
    else:
        mapping.ca.items[last_key] = [None, None, CommentToken("\n" + following, CommentMark(0), None), None]


def _entry_of(history: CommentedSeq, quarter: Quarter) -> CommentedMap | None:
    return next((e for e in history if isinstance(e, CommentedMap) and str(e.get("quarter")) == str(quarter)), None)


def _merged(order: Iterable[str], given: dict[str, object], kept: CommentedMap | None) -> CommentedMap:
    """The quarter's entry: each field given, else the one it had (with --replace), in the record format's order."""
    entry = CommentedMap()
    for key in order:
        value = given.get(key)
        if value is None and kept is not None:
            value = kept.get(key)  # as written: its quotes, folding and comments stay
        if value is not None:
            entry[key] = value
    return entry


def apply_objective_change(tree: CommentedMap, change: ObjectiveChange, replace: bool) -> str:
    history = _history(tree, "updates")
    kept = _entry_of(history, change.quarter) if replace else None
    if change.progress is None and kept is None:
        raise StratctlError(f"give --progress (and --comment): there is no {change.quarter} update to change")
    given: dict[str, object] = {
        "quarter": str(change.quarter),
        "progress": change.progress,
        "comment": scalar(change.comment) if change.comment is not None else None,
        "projected": change.projected,
        "trend": change.trend,
        "rationale": scalar(change.rationale) if change.rationale is not None else None,
        "amended": scalar(change.amended) if change.amended is not None else None,
    }
    entry = _merged(Update.model_fields, given, kept)
    done = _place(history, entry, change.quarter, replace, "update")
    for measure_id, value in change.actuals.items():
        measures = tree.get("measures") or []
        measure = next((m for m in measures if isinstance(m, dict) and str(m.get("id")) == measure_id), None)
        if measure is None:
            known = ", ".join(str(m.get("id")) for m in measures if isinstance(m, dict)) or "none"
            raise StratctlError(f"no measure {measure_id!r} on this objective (its measures: {known})")
        if str(measure.get("cadence")) == "monthly":
            raise StratctlError(
                f"measure {measure_id} is monthly: its actuals are keyed by month (2022-04), and --actual records "
                "a quarter's value; add the months to its actuals in the file"
            )
        written: float | str = value
        if measure.get("unit") == DURATION_UNIT:  # a duration's value is minutes, written as it is read: "34:48"
            written = DoubleQuotedScalarString(duration(value * 60))
        set_actual(measure, str(change.quarter), written, replace=replace, amended=change.amended)
    return f"{done} the {change.quarter} update"


def set_actual(
    measure: dict[Any, Any], period: str, value: float | int | str, *, replace: bool, amended: str | None = None
) -> None:
    """Put a measure's value for `period` among its actuals, in period order.

    `period` is a quarter, or a month of a monthly measure.
    """
    actuals = measure.get("actuals")
    if actuals is None:
        measure["actuals"] = actuals = CommentedMap()
    if period in actuals and not replace:
        raise StratctlError(f"measure {measure.get('id')} already has an actual for {period}: use --replace")
    actuals[period] = value
    ordered = sorted(actuals.keys(), key=lambda q: _quarter_or_last(q))
    for k in ordered:
        actuals.move_to_end(k)
    if amended is not None:
        _amend_actual(measure, period, amended)


def _amend_actual(measure: dict[Any, Any], period: str, reason: str) -> None:
    """The measure's `amended` mapping (period -> why), placed after its actuals as fmt places it."""
    amended = measure.get("amended")
    if not isinstance(amended, CommentedMap):
        amended = CommentedMap()
        amended.fa.set_flow_style()
        keys = list(measure.keys())
        if isinstance(measure, CommentedMap):  # a round-trip tree always is
            measure.insert(keys.index("actuals") + 1 if "actuals" in keys else len(keys), "amended", amended)
        else:
            measure["amended"] = amended
    amended[period] = scalar(reason)


def _quarter_or_last(text: Any) -> tuple[int, str]:
    """A period's place in time: quarters by their count, months by their date (a measure has one cadence);
    anything else last, as written."""
    try:
        return (Quarter.parse(str(text)).index, "")
    except ValueError:
        pass
    try:
        return (Month.parse(str(text)).index, "")
    except ValueError:
        return (1 << 30, str(text))


def apply_risk_change(tree: CommentedMap, change: RiskChange, replace: bool) -> str:
    history = _history(tree, "reviews")
    kept = _entry_of(history, change.quarter) if replace else None
    rating = CommentedMap()
    if change.likelihood is not None and change.consequence is not None:
        rating["likelihood"] = change.likelihood
        rating["consequence"] = change.consequence
    if change.score is not None:
        rating["score"] = change.score
    if not rating:
        if kept is None or not isinstance(kept.get("current"), CommentedMap):
            raise StratctlError("give --score, or --likelihood and --consequence")
        rating = CommentedMap(kept["current"])  # --replace with a note only: the review keeps its rating
    rating.fa.set_flow_style()
    given: dict[str, object] = {
        "quarter": str(change.quarter),
        "current": rating,
        "note": scalar(change.note) if change.note is not None else None,
        "amended": scalar(change.amended) if change.amended is not None else None,
    }
    entry = _merged(Review.model_fields, given, kept)
    done = _place(history, entry, change.quarter, replace, "review")
    latest = max((Quarter.parse(str(r.get("quarter"))) for r in history if isinstance(r, dict)), default=change.quarter)
    if latest == change.quarter:
        current = CommentedMap(rating)
        current.fa.set_flow_style()
        tree["current"] = current  # `current` is the latest review's rating (docs/records.md)
    return f"{done} the {change.quarter} review"


def update_record(
    plan: WritePlan,
    record_id: str,
    change: ObjectiveChange | RiskChange,
    *,
    replace: bool = False,
    dry_run: bool = False,
) -> UpdateResult:
    """Add (or with `replace`, replace) a quarter's entry in one record; written only if it validates."""
    kind, path = record_path(plan.workspace.data_dir, record_id)
    change, line_breaks = plain_line_breaks(change)  # CR LF made LF, and said so; U+2028 and NEL refused
    if any(f.severity == Severity.ERROR and Path(f.path).resolve() == path.resolve() for f in plan.loaded.findings):
        raise StratctlError(f"{path} has errors already: run stratctl validate and fix them first")
    source = plan.source(path)
    tree = load(source)
    if kind == "objective":
        if not isinstance(change, ObjectiveChange):
            raise StratctlError(f"{record_id} is an objective: give --progress (and --comment)")
        summary = apply_objective_change(tree, change, replace)
    else:
        if not isinstance(change, RiskChange):
            raise StratctlError(f"{record_id} is a risk: give --score, or --likelihood and --consequence")
        summary = apply_risk_change(tree, change, replace)
    text = dump(source, tree)
    if where := changed_elsewhere(
        source.text, text.removeprefix("\ufeff").replace(source.newline, "\n"), str(change.quarter)
    ):
        raise StratctlError(
            f"{path}: stratctl cannot add this without also changing {where} (the round trip is not "
            "lossless for it): the file is left as it is"
        )
    plan.put(path, text)
    findings = plan.findings()
    errors = [f for f in findings if f.severity == Severity.ERROR]
    written = not errors and not dry_run and text != original(source)
    if written:
        plan.write()
    return UpdateResult(
        path, written, errors or [f for f in findings if f.severity == Severity.WARNING], summary + line_breaks
    )
