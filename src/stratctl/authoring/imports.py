"""`import tracker` and `import risks`: a trust's spreadsheets into records, validated before anything is written."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from stratctl.authoring.plan import WritePlan
from stratctl.authoring.starter import EXAMPLE_FILES, EXAMPLE_MARKER
from stratctl.authoring.trust_editor import TrustEditor, normalised
from stratctl.authoring.update import ObjectiveChange, apply_objective_change
from stratctl.errors import StratctlError
from stratctl.findings import Finding
from stratctl.importing import Problem, Tracker, TrackerRow, slug, unique_id
from stratctl.periods import FinancialYear, PeriodError, Quarter, parse_quarter
from stratctl.records import Objective
from stratctl.repository import Loaded
from stratctl.rewrite import NEW_FILE, dump, load, original, source_text
from stratctl.yamltext import quoted


@dataclass
class ImportPlan:
    """What an import would change (the write plan) and what to tell the user."""

    writes: WritePlan
    messages: list[str] = field(
        default_factory=list
    )  # each a change the import makes ("would change ..." in a dry run)
    notes: list[str] = field(default_factory=list)  # advice, not a change: shown as it is, dry run or not
    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # validation errors that stop the write
    origins: dict[Path, int] = field(default_factory=dict)  # an objective file -> the tracker row it comes from

    @property
    def texts(self) -> dict[Path, str]:
        return self.writes.texts

    @property
    def new(self) -> set[Path]:
        """Files the import would create."""
        return self.writes.created


@dataclass(frozen=True)
class TrustSettings:
    """What an import writes into trust.yaml from the command line, so that a first paper needs no hand edit."""

    executives: tuple[tuple[str, str], ...] = ()  # (id, title), as `--executive ID=TITLE` gives them
    cover: Mapping[str, str | date] = field(default_factory=dict)  # the cover sheet: trust.yaml's `report:` keys


def plan_tracker(
    writes: WritePlan,
    tracker: Tracker,
    quarter: str | None,
    year: str | None,
    replace: bool,
    settings: TrustSettings | None = None,
) -> ImportPlan:
    settings = settings or TrustSettings()
    plan = ImportPlan(writes, problems=list(tracker.problems))
    repository = writes.loaded.repository
    trust_year = repository.trust_record().year
    try:
        fy = FinancialYear.parse(year) if year else (tracker.year or trust_year)
    except PeriodError as error:
        raise StratctlError(str(error)) from None
    trust = TrustEditor(writes, plan.messages)
    examples = _replace_examples(plan, trust)
    objectives = [o for o in repository.objectives if o.file.path not in writes.removed]
    _settle_year(plan, trust, fy, fresh=not objectives, explicit=year is not None)
    if tracker.trust_name:
        trust.trust_named(tracker.trust_name, "the tracker's heading")
    trust.given_executives(settings.executives)
    trust.strategic_objectives(tracker.strategic_objectives)
    if quarter is None and tracker.quarter_number is not None:
        quarter = f"Q{tracker.quarter_number}"
        plan.notes.append(
            f"the updates are for {fy} {quarter}, as the tracker's heading says (--quarter gives another)"
        )
    rows = _TrackerRows(plan, trust, fy, _given_quarter(tracker, quarter, fy), replace, objectives)
    for row in tracker.rows:
        rows.read(row)
    trust.cover(settings.cover)
    return _finish(plan, trust, examples)


def _given_quarter(tracker: Tracker, quarter: str | None, year: FinancialYear) -> Quarter | None:
    """--quarter, read in the tracker's year; required when a row has progress but no quarter of its own."""
    undated = [row.row for row in tracker.rows if row.progress and not row.quarter]
    try:
        given = parse_quarter(quarter, year) if quarter is not None else None
    except PeriodError as error:
        raise StratctlError(f"--quarter {quarter!r}: {error}") from None
    if undated and given is None:  # one message, not one a row
        raise StratctlError(
            f"give --quarter (for example --quarter Q3): the tracker does not say which quarter its "
            f"{len(undated)} progress update(s) are for; nothing was written"
        )
    return given


class _TrackerRows:
    """The tracker's rows read one by one into the plan: each updates its objective, or makes a new one."""

    def __init__(
        self,
        plan: ImportPlan,
        trust: TrustEditor,
        year: FinancialYear,
        given: Quarter | None,
        replace: bool,
        objectives: list[Loaded[Objective]],
    ) -> None:
        writes = plan.writes
        self.plan, self.trust, self.year, self.given, self.replace = plan, trust, year, given, replace
        self.known_risks = writes.loaded.repository.ids("risk") - {
            p.stem for p in writes.removed if p.parent.name == "risks"
        }
        self.by_id = {o.record.id: o for o in objectives}
        # A row updates the objective of that title active in the tracker's year; last year's is history.
        self.by_title: dict[str, Loaded[Objective] | None] = {
            normalised(o.record.title): o for o in objectives if o.record.active_in(year)
        }
        self.taken = set(self.by_id)
        self.rows_under: dict[str, int] = {}  # priority id -> the tracker rows read under it so far

    def read(self, row: TrackerRow) -> None:
        try:
            when = Quarter.parse(row.quarter) if row.quarter else self.given
        except PeriodError as error:
            self.plan.problems.append(Problem(row.row, str(error)))
            return
        lead = self.trust.executive(row.executive, row.executive_title)
        priority = self.trust.priority(
            row.priority_title, row.priority_statement, row.priority_risks, self.known_risks, self.year
        )
        order = self.rows_under.get(priority, 0)  # its place among the priority's rows: the order the Board knows
        self.rows_under[priority] = order + 1
        existing = self.by_id.get(row.id or "") or self.by_title.get(normalised(row.title))
        change = (
            ObjectiveChange(when, row.progress, row.comment or None, row.position, row.rationale, trend=row.trend)
            if row.progress and when
            else None
        )
        if existing is not None:
            self._update(existing, row, change)
        else:
            self._create(row, change, lead, priority, order)

    def _update(self, existing: Loaded[Objective], row: TrackerRow, change: ObjectiveChange | None) -> None:
        """The row's target date and quarterly update written into the objective it names."""
        writes, path = self.plan.writes, existing.file.path
        source = writes.source(path)
        tree = load(source)
        notes = []
        if row.due is not None and str(tree.get("due")) != row.due.isoformat():
            tree["due"] = row.due
            notes.append(f"target date now {row.due.isoformat()}")
        if change is not None:
            same = _same_update(existing.record, change)
            if same is None or (same is False and self.replace):
                notes.append(apply_objective_change(tree, change, replace=True))
            elif same is False:
                self.plan.problems.append(
                    Problem(
                        row.row, f"{existing.record.id} already has a different {change.quarter} update: use --replace"
                    )
                )
        text = dump(source, tree)
        if text != original(source):
            writes.put(path, text)
            self.plan.origins[path] = row.row
            self.plan.messages.append(f"{path.name}: " + "; ".join(notes))

    def _create(self, row: TrackerRow, change: ObjectiveChange | None, lead: str, priority: str, order: int) -> None:
        """A new objective from the row, with its update if it has one."""
        fy = self.year
        base = slug(row.title)
        if base in self.by_id and not self.by_id[base].record.active_in(fy):
            base = f"{base}-{fy.start}-{(fy.start + 1) % 100:02d}"  # last year's objective of that title keeps its id
        new_id = unique_id(base, self.taken)
        self.taken.add(new_id)
        text = (
            f"id: {quoted(new_id)}\ntitle: {quoted(row.title)}\nyear: {fy}\npriority: {quoted(priority)}\n"
            f"order: {order}\nlead: {quoted(lead)}\n" + (f"due: {row.due.isoformat()}\n" if row.due is not None else "")
        )
        if change is not None:
            tree = load(source_text(text))
            apply_objective_change(tree, change, replace=False)
            text = dump(NEW_FILE, tree)
        path = self.plan.writes.workspace.data_dir / "objectives" / f"{new_id}.yaml"
        _refuse_to_replace(path, row.row)
        self.plan.writes.put(path, text)
        self.plan.origins[path] = row.row
        self.by_title[normalised(row.title)] = None  # a repeated title in one file is a new row
        self.plan.messages.append(f"{path.name}: new objective from row {row.row}")


def _finish(plan: ImportPlan, trust: TrustEditor, examples: list[str]) -> ImportPlan:
    """trust.yaml as the import leaves it, what it replaced, and the errors that would stop the write."""
    trust_text = trust.text(trust.pending)
    if trust_text is not None:
        plan.writes.put(trust.path, trust_text)
    if examples:
        plan.messages.append(f"replaced the examples stratctl init wrote: {', '.join(examples)}")
    _check(plan)
    return plan


def _replace_examples(plan: ImportPlan, trust: TrustEditor) -> list[str]:
    """An import into a repository that still holds init's example records replaces them."""
    root = plan.writes.workspace.root
    removed = []
    for relative in EXAMPLE_FILES:
        path = root / relative
        if path.is_file() and EXAMPLE_MARKER in path.read_text(encoding="utf-8", errors="replace"):
            plan.writes.remove(path)
            removed.append(relative.removeprefix("data/"))
    if removed:
        removed.extend(f"trust.yaml {entry}" for entry in trust.drop_examples())
    return removed


def _settle_year(plan: ImportPlan, trust: TrustEditor, year: FinancialYear, *, fresh: bool, explicit: bool) -> None:
    """A first import sets trust.yaml's year to the tracker's; a later one says plainly when they differ."""
    current = FinancialYear.parse(str(trust.tree.get("year")))
    if current == year:
        return
    if fresh:
        trust.tree["year"] = str(year)
        plan.messages.append(
            f"trust.yaml: year {current} -> {year}, the tracker's year (the repository had no objectives yet)"
        )
    else:
        plan.notes.append(
            f"the tracker is for {year} but trust.yaml's year is {current}: its objectives are filed under {year}; "
            f"run stratctl rollover --to {year} if the year has turned"
            if year > current and not explicit
            else f"the tracker is for {year} but trust.yaml's year is {current}: its objectives are filed under {year}"
        )


def _refuse_to_replace(path: Path, row: int) -> None:
    """A new record never goes over a file already there: one the import could not read as the record it meant."""
    for existing in (path, path.with_suffix(".yml")):
        if os.path.lexists(existing):
            raise StratctlError(
                f"row {row}: {existing} already exists but could not be read as the record this row would update "
                "(a YAML error, or an id that differs from its file name): fix or rename it, then import again; "
                "nothing was written"
            )


def _same_update(objective: Any, change: ObjectiveChange) -> bool | None:
    """None: no update for the quarter; True: the same one; False: a different one."""
    for update in objective.updates:
        if update.quarter == change.quarter:
            return (
                update.progress == change.progress
                and (update.comment or "").strip() == (change.comment or "").strip()
                and update.projected == change.projected
                and _same_trend(update.trend, change.trend)
                and (update.rationale or "").strip() == (change.rationale or "").strip()
            )
    return None


def _same_trend(declared: str | None, arrow: str | None) -> bool:
    """A tracker's position without an arrow says nothing moved: the same as a declared `same` (or `new`)."""
    if arrow is None:
        return declared in (None, "same", "new")
    return declared == arrow


def _check(plan: ImportPlan) -> None:
    """The errors the import would leave in the records it writes: any one stops every write."""
    plan.findings = plan.writes.errors()
