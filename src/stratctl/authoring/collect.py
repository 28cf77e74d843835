"""`collect`: the rows of returned request workbooks into the records, through the write plan.

Each filled row becomes the change `update` would make: an objective's update for the quarter, a
measure's value for a period, a milestone's done date, a risk's review. The rest of every file is
kept (comments, layout), and the repository is validated as it would be before anything is
written. Returned rows are judged before any is written:

- bad input anywhere (a value not of its list, not a number or not a date, a row whose record is
  gone, a workbook for another quarter or repository, a tampered workbook, two returns that
  disagree) is named by file, sheet and row, and nothing at all is written;
- a row the records already hold, value for value, is left as it is (collecting twice changes nothing);
- a row that differs from what the records already hold for the quarter is reported and left
  alone, unless `replace`;
- a blank row is "no update yet".
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from stratctl.authoring.plan import WritePlan
from stratctl.authoring.update import (
    ObjectiveChange,
    RiskChange,
    apply_objective_change,
    apply_risk_change,
    set_actual,
)
from stratctl.errors import StratctlError
from stratctl.findings import Finding, Severity
from stratctl.measure_words import point_text, value_text
from stratctl.numbers import DURATION_UNIT, duration, number, with_unit
from stratctl.periods import Month, PeriodError, Quarter
from stratctl.records import Measure, Objective, Risk
from stratctl.repository import Repository
from stratctl.rewrite import dump, load, original, plain_line_breaks, same_value
from stratctl.workbooks.layout import (
    FRONT_QUARTER_ROW,
    FRONT_SHEET,
    FRONT_TRUST_ROW,
    META_REPOSITORY_ROW,
    META_SHEET,
    SHEET_COLUMNS,
)
from stratctl.workbooks.returns import (
    Problem,
    Returned,
    ReturnedActual,
    ReturnedMilestone,
    ReturnedReview,
    ReturnedUpdate,
    ReturnedWorkbook,
    Where,
)
from stratctl.yamlsource import parse

Status = Literal["written", "unchanged", "blank", "not taken"]
_SHEET_ORDER = {name: index for index, name in enumerate(SHEET_COLUMNS)}


@dataclass(frozen=True)
class RowOutcome:
    where: Where
    subject: str  # "objective sepsis", "measure ed-4-hour 2023-10 of objective long-waits"
    status: Status
    detail: str = ""


@dataclass
class WorkbookOutcome:
    """One returned workbook: whose it is, and what became of each of its rows."""

    returned: ReturnedWorkbook
    refused: str | None = None
    rows: list[RowOutcome] = field(default_factory=list)


@dataclass
class CollectPlan:
    """What collect would write, and why each row is or is not taken."""

    writes: WritePlan
    quarter: Quarter | None
    workbooks: list[WorkbookOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # bad input: nothing is written
    errors: list[tuple[Where | None, Finding]] = field(default_factory=list)  # the records would not validate
    warnings: list[tuple[Where | None, Finding]] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        """Nothing may be written: bad input, a refused workbook, or records that would not validate."""
        return bool(self.problems or self.errors or any(w.refused for w in self.workbooks))

    @property
    def not_taken(self) -> int:
        return sum(1 for w in self.workbooks for r in w.rows if r.status == "not taken")


@dataclass
class _Change:
    """One row to apply to one file, and the finding locations it answers for."""

    row: Returned
    subject: str
    path: Path
    loc: tuple[str | int, ...]  # the part of the record it changes: findings there are this row's
    detail: str


def plan_collect(
    writes: WritePlan,
    returns: list[ReturnedWorkbook],
    identity: tuple[str, str],
    quarter: Quarter | None = None,
    replace: bool = False,
) -> CollectPlan:
    """Judge every returned row and put the changes into `writes` (validated, not yet written).

    `identity` is (trust name, first commit of the repository's git history, or '' outside git);
    `quarter` the quarter collected, by default the latest any workbook was made for.
    """
    repository = writes.loaded.repository
    repository.trust_record()  # refuses now a repository whose trust.yaml could not be read
    readable = [r for r in returns if r.refused is None and r.quarter is not None]
    chosen = quarter or max((r.quarter for r in readable if r.quarter is not None), default=None)
    plan = CollectPlan(writes, chosen)
    outcomes: dict[Path, WorkbookOutcome] = {}
    for returned in returns:
        outcome = WorkbookOutcome(returned, _refusal(returned, identity, chosen))
        plan.workbooks.append(outcome)
        outcomes[returned.file] = outcome
        if outcome.refused is None:
            plan.problems.extend(returned.problems)
            outcome.rows.extend(RowOutcome(b.where, b.subject, "blank", "no update yet") for b in returned.blank)
    if chosen is None:
        return plan
    taking = [o for o in plan.workbooks if o.refused is None]
    changes: list[_Change] = []
    for rows in _rows_by_target(taking):
        first, *others = rows
        if any(_values(r) != _values(first) for r in others):
            _refuse_disagreeing(plan, rows)
            continue
        for row in others:
            outcomes[row.where.file].rows.append(
                RowOutcome(row.where, _subject(row), "unchanged", f"the same as {first.where}: taken once")
            )
        change = _judge(plan, repository, first, chosen, replace, outcomes[first.where.file])
        if change is not None:
            changes.append(change)
    if plan.problems or any(o.refused for o in plan.workbooks):
        return plan
    _apply(plan, changes, chosen, replace)
    for change in changes:
        outcomes[change.row.where.file].rows.append(
            RowOutcome(change.row.where, change.subject, "written", change.detail)
        )
    for outcome in plan.workbooks:
        outcome.rows.sort(key=lambda r: (_SHEET_ORDER.get(r.where.sheet, len(_SHEET_ORDER)), r.where.row))
    return plan


def _rows_by_target(taking: list[WorkbookOutcome]) -> list[list[Returned]]:
    """The rows taken, grouped by what each would change (one update, actual, milestone or review), first seen first.

    Two executives may both return the same row (a shared objective): the group decides whether they agree.
    """
    groups: dict[tuple[object, ...], list[Returned]] = defaultdict(list)
    for outcome in taking:
        for row in outcome.returned.rows:
            groups[_key(row)].append(row)
    return list(groups.values())


def _refuse_disagreeing(plan: CollectPlan, rows: list[Returned]) -> None:
    """Returns that give the same row different values: none is taken, and each says where the others are."""
    for row in rows:
        elsewhere = ", ".join(str(o.where) for o in rows if o is not row)
        plan.problems.append(
            Problem(row.where, f"two returns for the same {_thing(row)} disagree (also {elsewhere}): neither is taken")
        )


def _refusal(returned: ReturnedWorkbook, identity: tuple[str, str], quarter: Quarter | None) -> str | None:
    if returned.refused is not None:
        return returned.refused
    trust, first_commit = identity
    if returned.trust != trust:
        return (
            f"sheet {FRONT_SHEET} row {FRONT_TRUST_ROW}: made from another repository's records ({returned.trust}), "
            f"not this one's ({trust}): not read"
        )
    if returned.repository and first_commit and returned.repository != first_commit:
        return (
            f"sheet {META_SHEET} row {META_REPOSITORY_ROW}: made from another repository's records ({returned.trust} "
            f"(repository {returned.repository[:12]})), not this one's (repository {first_commit[:12]}): not read"
        )
    if returned.quarter != quarter:
        return (
            f"sheet {FRONT_SHEET} row {FRONT_QUARTER_ROW}: made for {returned.quarter}, not {quarter}, the quarter "
            "collected: not read (collect one quarter at a time)"
        )
    return None


def _key(row: Returned) -> tuple[object, ...]:
    if isinstance(row, ReturnedUpdate):
        return ("update", row.objective_id)
    if isinstance(row, ReturnedActual):
        return ("actual", row.owner_kind, row.owner_id, row.measure_id, row.period)
    if isinstance(row, ReturnedMilestone):
        return ("milestone", row.objective_id, row.index)
    return ("review", row.risk_id)


def _values(row: Returned) -> tuple[object, ...]:
    if isinstance(row, ReturnedUpdate):
        return (row.progress, row.comment, row.projected, row.rationale)
    if isinstance(row, ReturnedActual):
        return (row.value,)
    if isinstance(row, ReturnedMilestone):
        return (row.done,)
    return (row.likelihood, row.consequence, row.note)


def _thing(row: Returned) -> str:
    if isinstance(row, ReturnedUpdate):
        return f"objective ({row.objective_id})"
    if isinstance(row, ReturnedActual):
        return f"measure and period ({row.measure_id} {row.period})"
    if isinstance(row, ReturnedMilestone):
        return f"milestone ({row.title!r})"
    return f"risk ({row.risk_id})"


def _subject(row: Returned) -> str:
    if isinstance(row, ReturnedUpdate):
        return f"objective {row.objective_id}"
    if isinstance(row, ReturnedActual):
        return f"measure {row.measure_id} {row.period} of {row.owner_kind} {row.owner_id}"
    if isinstance(row, ReturnedMilestone):
        return f"milestone {row.title!r} of {row.objective_id}"
    return f"risk {row.risk_id}"


def _not_taken(outcome: WorkbookOutcome, row: Returned, detail: str) -> None:
    outcome.rows.append(RowOutcome(row.where, _subject(row), "not taken", detail))


def _unchanged(outcome: WorkbookOutcome, row: Returned, detail: str = "already in the records") -> None:
    outcome.rows.append(RowOutcome(row.where, _subject(row), "unchanged", detail))


def _judge(
    plan: CollectPlan,
    repository: Repository,
    row: Returned,
    quarter: Quarter,
    replace: bool,
    outcome: WorkbookOutcome,
) -> _Change | None:
    """The change a row asks for, or None (a problem, already held, or held differently without `replace`)."""
    if isinstance(row, ReturnedUpdate):
        return _judge_update(plan, repository, row, quarter, replace, outcome)
    if isinstance(row, ReturnedActual):
        return _judge_actual(plan, repository, row, replace, outcome)
    if isinstance(row, ReturnedMilestone):
        return _judge_milestone(plan, repository, row, replace, outcome)
    return _judge_review(plan, repository, row, quarter, replace, outcome)


def _gone(plan: CollectPlan, row: Returned, what: str) -> None:
    plan.problems.append(Problem(row.where, f"no {what} in the repository (removed or renamed since the request?)"))


def _objective(repository: Repository, objective_id: str) -> tuple[Objective, Path] | None:
    found = next((o for o in repository.objectives if o.record.id == objective_id), None)
    return (found.record, found.file.path) if found else None


def _same_text(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _judge_update(
    plan: CollectPlan,
    repository: Repository,
    row: ReturnedUpdate,
    quarter: Quarter,
    replace: bool,
    outcome: WorkbookOutcome,
) -> _Change | None:
    found = _objective(repository, row.objective_id)
    if found is None:
        _gone(plan, row, f"objective {row.objective_id!r}")
        return None
    objective, path = found
    existing = next((u for u in objective.updates if u.quarter == quarter), None)
    detail = f"the {quarter} update: {row.progress}" + (f", {row.projected}" if row.projected else "")
    if existing is not None:
        same = (
            existing.progress == row.progress
            and _same_text(existing.comment, row.comment)
            and (row.projected is None or existing.projected == row.projected)
            and (row.rationale is None or _same_text(existing.rationale, row.rationale))
        )
        if same:
            _unchanged(outcome, row)
            return None
        if not replace:
            _not_taken(
                outcome,
                row,
                f"the records already hold a different {quarter} update ({existing.progress}"
                f"{', ' + existing.projected if existing.projected else ''}): collect --replace takes this one instead",
            )
            return None
        detail = "replaced " + detail
    return _Change(row, _subject(row), path, ("updates",), detail)


def _measure_holder(repository: Repository, row: ReturnedActual) -> tuple[Measure, Path, tuple[str | int, ...]] | None:
    """The measure a row names, its file, and where its list of measures sits in the record."""
    if row.owner_kind == "objective":
        found = _objective(repository, row.owner_id)
        if found is None:
            return None
        objective, path = found
        measures = objective.measures
        loc: tuple[str | int, ...] = ("measures",)
    elif row.owner_kind == "strategic objective":
        assert repository.trust is not None
        strategic = next(
            ((i, s) for i, s in enumerate(repository.trust.record.strategic_objectives) if s.id == row.owner_id), None
        )
        if strategic is None:
            return None
        measures, path, loc = (
            strategic[1].measures,
            repository.trust.file.path,
            ("strategic_objectives", strategic[0], "measures"),
        )
    else:
        strategy_id, _, commitment_id = row.owner_id.partition(".")
        strategy = next((s for s in repository.strategies if s.record.id == strategy_id), None)
        if strategy is None:
            return None
        commitment = next(((i, c) for i, c in enumerate(strategy.record.commitments) if c.id == commitment_id), None)
        if commitment is None:
            return None
        measures, path, loc = commitment[1].measures, strategy.file.path, ("commitments", commitment[0], "measures")
    index = next((i for i, m in enumerate(measures) if m.id == row.measure_id), None)
    if index is None:
        return None
    return measures[index], path, (*loc, index)


def _judge_actual(
    plan: CollectPlan, repository: Repository, row: ReturnedActual, replace: bool, outcome: WorkbookOutcome
) -> _Change | None:
    found = _measure_holder(repository, row)
    if found is None:
        _gone(plan, row, f"measure {row.measure_id!r} on {row.owner_kind} {row.owner_id!r}")
        return None
    measure, path, loc = found
    try:
        period: Quarter | Month = Month.parse(row.period) if measure.cadence == "monthly" else Quarter.parse(row.period)
    except PeriodError:
        plan.problems.append(
            Problem(
                row.where, f"measure {measure.id} is now {measure.cadence}: the period {row.period} no longer fits it"
            )
        )
        return None
    existing = measure.actuals.get(period)
    # A number given for a duration is minutes, held to the second as it is written ("15:44").
    given = float(round(row.value * 60)) if measure.duration else row.value
    detail = value_text(measure, given) if measure.duration else with_unit(number(row.value), measure.unit or "")
    if existing is not None:
        if existing == given:
            _unchanged(outcome, row)
            return None
        if not replace:
            _not_taken(
                outcome,
                row,
                f"the records already hold {point_text(measure, existing)} for {row.period}: collect --replace "
                f"takes {point_text(measure, given)} instead",
            )
            return None
        detail = f"replaced {point_text(measure, existing)} with {detail}"
    return _Change(row, _subject(row), path, loc, detail)


def _judge_milestone(
    plan: CollectPlan, repository: Repository, row: ReturnedMilestone, replace: bool, outcome: WorkbookOutcome
) -> _Change | None:
    found = _objective(repository, row.objective_id)
    index = _milestone_index(found[0], row) if found else None
    if found is None or index is None:
        _gone(plan, row, f"milestone {row.title!r} on objective {row.objective_id!r}")
        return None
    objective, path = found
    existing = objective.milestones[index].done
    if existing is not None:
        if existing == row.done:
            _unchanged(outcome, row)
            return None
        if not replace:
            _not_taken(
                outcome,
                row,
                f"the records already say it was done on {existing.isoformat()}: collect --replace takes "
                f"{row.done.isoformat()} instead",
            )
            return None
    return _Change(row, _subject(row), path, ("milestones", index), f"done on {row.done.isoformat()}")


def _milestone_index(objective: Objective, row: ReturnedMilestone) -> int | None:
    """The milestone at the row's place if its title still matches, else the one of that title (a list reordered)."""
    if row.index < len(objective.milestones) and objective.milestones[row.index].title == row.title:
        return row.index
    matches = [i for i, m in enumerate(objective.milestones) if m.title == row.title]
    return matches[0] if len(matches) == 1 else None


def _judge_review(
    plan: CollectPlan,
    repository: Repository,
    row: ReturnedReview,
    quarter: Quarter,
    replace: bool,
    outcome: WorkbookOutcome,
) -> _Change | None:
    found = next((r for r in repository.risks if r.record.id == row.risk_id), None)
    if found is None:
        _gone(plan, row, f"risk {row.risk_id!r}")
        return None
    risk: Risk = found.record
    existing = next((r for r in risk.reviews if r.quarter == quarter), None)
    detail = f"the {quarter} review: {row.likelihood} x {row.consequence} = {row.likelihood * row.consequence}"
    if existing is not None:
        rating = existing.current
        same_rating = (rating.likelihood, rating.consequence) == (row.likelihood, row.consequence)
        if same_rating and (row.note is None or _same_text(existing.note, row.note)):
            _unchanged(outcome, row)
            return None
        if not replace:
            held = (
                f"{rating.likelihood} x {rating.consequence}"
                if rating.likelihood is not None and rating.consequence is not None
                else f"score {rating.value}"
            )
            _not_taken(
                outcome,
                row,
                f"the records already hold a different {quarter} review ({held}): "
                "collect --replace takes this one instead",
            )
            return None
        detail = "replaced " + detail
    return _Change(row, _subject(row), found.file.path, ("reviews",), detail)


def _apply(plan: CollectPlan, changes: list[_Change], quarter: Quarter, replace: bool) -> None:
    """Each file's changes on its round-trip tree, checked to change nothing else, then planned and validated."""
    writes = plan.writes
    by_path: dict[Path, list[_Change]] = defaultdict(list)
    for change in changes:
        by_path[change.path].append(change)
    already_wrong = {Path(f.path).resolve() for f in writes.loaded.findings if f.severity == Severity.ERROR}
    origins: dict[Path, list[_Change]] = {}
    for path, planned in by_path.items():
        if path.resolve() in already_wrong:
            for change in planned:
                plan.problems.append(
                    Problem(
                        change.row.where, f"{path.name} has errors already: run stratctl validate and fix them first"
                    )
                )
            continue
        source = writes.source(path)
        tree = load(source)
        try:
            for change in planned:
                _apply_one(tree, change, quarter, replace)
        except StratctlError as error:
            plan.problems.append(Problem(planned[0].row.where, str(error)))
            continue
        text = dump(source, tree)
        elsewhere = _changed_elsewhere(
            source.text, text.removeprefix("\ufeff").replace(source.newline, "\n"), planned, quarter
        )
        if elsewhere is not None:
            plan.problems.append(
                Problem(
                    planned[0].row.where,
                    f"{path}: stratctl cannot add this without also changing {elsewhere} "
                    "(the round trip is not lossless for it): the file is left as it is",
                )
            )
            continue
        if text != original(source):
            writes.put(path, text)
            origins[path.resolve()] = planned
    if plan.problems:
        return
    changed = [Path(p) for p in writes.texts]
    before = {_said(f) for f in writes.check(writes.loaded, only=changed).findings} if changed else set()
    for finding in writes.findings():
        if finding.severity != Severity.ERROR and _said(finding) in before:
            continue  # a warning the file had already: not this collect's to report
        owner = _owner(
            origins.get(Path(finding.path).resolve(), []), finding, fallback=finding.severity == Severity.ERROR
        )
        where = owner.row.where if owner is not None else None
        (plan.errors if finding.severity == Severity.ERROR else plan.warnings).append((where, finding))


def _apply_one(tree: CommentedMap, change: _Change, quarter: Quarter, replace: bool) -> None:
    row = change.row
    if isinstance(row, ReturnedUpdate):
        update, _ = plain_line_breaks(ObjectiveChange(quarter, row.progress, row.comment, row.projected, row.rationale))
        apply_objective_change(tree, update, replace)
    elif isinstance(row, ReturnedActual):
        measure = _node(tree, change.loc)
        value: float | int | str = int(row.value) if row.value.is_integer() and abs(row.value) < 2**53 else row.value
        if measure.get("unit") == DURATION_UNIT:
            value = DoubleQuotedScalarString(duration(row.value * 60))  # a number given for a duration is minutes
        set_actual(measure, row.period, value, replace=replace)
    elif isinstance(row, ReturnedMilestone):
        milestone = _node(tree, change.loc)
        milestone["done"] = row.done
    else:
        review, _ = plain_line_breaks(RiskChange(quarter, None, row.likelihood, row.consequence, row.note))
        apply_risk_change(tree, review, replace)


def _node(tree: Any, loc: tuple[str | int, ...]) -> Any:
    node = tree
    for part in loc:
        node = node[part]
    if not isinstance(node, dict):
        raise StratctlError(f"{'.'.join(map(str, loc))} is not a mapping: fix the file first (stratctl validate)")
    return node


def _changed_elsewhere(before: str, after: str, changes: list[_Change], quarter: Quarter) -> str | None:
    """Where the round trip changed the record beyond what the rows ask, or None."""
    old, new = parse(before).data, parse(after).data
    if not isinstance(old, dict) or not isinstance(new, dict):
        return None  # validation reports it
    masked_old, masked_new = _masked(old, changes, quarter), _masked(new, changes, quarter)
    for key in masked_old.keys() | masked_new.keys():
        if not same_value(masked_old.get(key), masked_new.get(key)):
            return str(key)
    return None


def _masked(data: dict[str, Any], changes: list[_Change], quarter: Quarter) -> dict[str, Any]:
    """`data` without the parts the changes may change: the quarter's entries, the periods given, the done dates."""
    masked = copy.deepcopy(data)
    for change in changes:
        row = change.row
        if isinstance(row, (ReturnedUpdate, ReturnedReview)):
            _mask_quarter_entry(masked, "updates" if isinstance(row, ReturnedUpdate) else "reviews", quarter)
            continue
        node = _part_at(masked, change.loc)
        if isinstance(row, ReturnedActual) and isinstance(node, dict):
            for field_name in ("actuals", "amended"):
                values = node.get(field_name)
                if isinstance(values, dict):
                    values.pop(row.period, None)
                    if not values:
                        node.pop(field_name, None)
        elif isinstance(row, ReturnedMilestone) and isinstance(node, dict):
            node.pop("done", None)
    return masked


def _mask_quarter_entry(masked: dict[str, Any], key: str, quarter: Quarter) -> None:
    """Take `quarter`'s entry out of the record's updates or reviews (and, for a review, the current score)."""
    if isinstance(masked.get(key), list):
        masked[key] = [e for e in masked[key] if not (isinstance(e, dict) and str(e.get("quarter")) == str(quarter))]
    if key == "reviews":
        masked.pop("current", None)
    if not masked.get(key):
        masked.pop(key, None)  # a record's first update or review adds the list itself


def _part_at(data: Any, loc: tuple[str | int, ...]) -> Any:
    """The part of `data` at `loc`, or None where the record no longer has it."""
    node = data
    try:
        for part in loc:
            node = node[part]
    except (KeyError, IndexError, TypeError):
        return None
    return node


def _said(finding: Finding) -> tuple[str, str, str]:
    return (finding.path, finding.code, finding.message)


def _owner(changes: list[_Change], finding: Finding, *, fallback: bool) -> _Change | None:
    """The row a finding on a changed file is about: the change whose part of the record it falls in, else
    (with `fallback`, for an error that stops the write) the file's first."""
    if not changes:
        return None
    loc = tuple(finding.loc or ())
    best = max(changes, key=lambda c: _shared(c.loc, loc))
    if _shared(best.loc, loc):
        return best
    return changes[0] if fallback else None


def _shared(a: tuple[str | int, ...], b: tuple[str | int, ...]) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count
