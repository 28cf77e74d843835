"""`import tracker` and `import risks`: a trust's spreadsheets into records, validated before anything is written."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from stratctl.authoring.plan import WritePlan
from stratctl.authoring.starter import EXAMPLE_FILES, EXAMPLE_MARKER
from stratctl.authoring.trust_editor import TrustEditor, normalised
from stratctl.authoring.update import ObjectiveChange, RiskChange, apply_objective_change, apply_risk_change
from stratctl.errors import StratctlError
from stratctl.findings import Finding
from stratctl.importing import Problem, RiskRow, Tracker, TrackerRow, slug, unique_id
from stratctl.periods import FinancialYear, PeriodError, Quarter, parse_quarter
from stratctl.records import Objective, Rating, Risk
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


def plan_tracker(
    writes: WritePlan, tracker: Tracker, quarter: str | None, year: str | None, replace: bool
) -> ImportPlan:
    plan = ImportPlan(writes, problems=list(tracker.problems))
    repository = writes.loaded.repository
    if repository.trust is None:
        raise StratctlError("trust.yaml could not be read: run stratctl validate and fix it first")
    try:
        fy = FinancialYear.parse(year) if year else (tracker.year or repository.trust.record.year)
    except PeriodError as error:
        raise StratctlError(str(error)) from None
    trust = TrustEditor(writes, plan.messages)
    examples = _replace_examples(plan, trust)
    objectives = [o for o in repository.objectives if o.file.path not in writes.removed]
    _settle_year(plan, trust, fy, fresh=not objectives, explicit=year is not None)
    trust.strategic_objectives(tracker.strategic_objectives)
    rows = _TrackerRows(plan, trust, fy, _given_quarter(tracker, quarter, fy), replace, objectives)
    for row in tracker.rows:
        rows.read(row)
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
        lead = self.trust.executive(row.executive)
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


def plan_risks(
    writes: WritePlan, rows: list[RiskRow], problems: list[Problem], lead: str | None, quarter: str | None = None
) -> ImportPlan:
    """Risks from the risk table; with `quarter`, each rating imported is also that quarter's review."""
    plan = ImportPlan(writes, problems=list(problems))
    repository = writes.loaded.repository
    if repository.trust is None:
        raise StratctlError("trust.yaml could not be read: run stratctl validate and fix it first")
    try:
        when = parse_quarter(quarter, repository.trust.record.year) if quarter is not None else None
    except PeriodError as error:
        raise StratctlError(f"--quarter {quarter!r}: {error}") from None
    trust = TrustEditor(writes, plan.messages)
    examples = _replace_examples(plan, trust)
    risks = _RiskRows(plan, trust, lead, when)
    for row in rows:
        risks.read(row)
    trust.link_pending(set(risks.existing) | set(risks.seen))  # risks a tracker cited before they were imported
    risks.advise(repository.trust.record.year)
    return _finish(plan, trust, examples)


class _RiskRows:
    """The risk table's rows read one by one into the plan: each updates its risk, or makes a new one."""

    def __init__(self, plan: ImportPlan, trust: TrustEditor, lead: str | None, when: Quarter | None) -> None:
        writes = plan.writes
        repository = writes.loaded.repository
        self.plan, self.trust, self.lead, self.when = plan, trust, lead, when
        self.owner: str | None = None  # settled at the first new risk: a table of risks already imported needs no lead
        self.existing = {r.record.id: r for r in repository.risks if r.file.path not in writes.removed}
        self.seen: dict[str, int] = {}
        self.score_alone: list[tuple[str, int]] = []  # risks left with a score but no likelihood and consequence
        self.unreviewed: list[str] = []  # risks left without a review for the latest quarter reported
        self.latest = repository.latest_quarter()

    def read(self, row: RiskRow) -> None:
        if row.id in self.seen:
            raise StratctlError(
                f"rows {self.seen[row.id]} and {row.row} both give risk {row.id}: keep one; nothing was written"
            )
        self.seen[row.id] = row.row
        if row.id in self.existing:
            self._update(self.existing[row.id], row)
        else:
            self._create(row)

    def _update(self, risk: Loaded[Risk], row: RiskRow) -> None:
        """The row's scores written into the risk it names (and its review for --quarter)."""
        writes, when, latest = self.plan.writes, self.when, self.latest
        source = writes.source(risk.file.path)
        tree = load(source)
        changes = []
        rescored = risk.record.current.value != row.current
        if rescored:
            changes.append(f"current score now {row.current}")
        if when is not None:
            review = next((r for r in risk.record.reviews if r.quarter == when), None)
            if review is None or review.current.value != row.current:
                # An unchanged score keeps the record's likelihood and consequence in its review.
                rating = Rating(score=row.current) if rescored else risk.record.current
                changes.append(
                    apply_risk_change(
                        tree, RiskChange(when, rating.score, rating.likelihood, rating.consequence), replace=True
                    )
                )
        elif rescored:
            tree["current"] = _rating(row.current)
        if risk.record.target.value != row.target:
            tree["target"] = _rating(row.target)
            changes.append(f"target score now {row.target}")
        text = dump(source, tree)
        if text != original(source):
            writes.put(risk.file.path, text)
            self.plan.origins[risk.file.path] = row.row
            self.plan.messages.append(f"{risk.file.path.name}: " + "; ".join(changes))
        after = Rating(score=row.current) if rescored else risk.record.current
        if after.likelihood is None or after.consequence is None:
            self.score_alone.append((row.id, row.current))
        if latest is not None and when != latest and not any(r.quarter >= latest for r in risk.record.reviews):
            self.unreviewed.append(row.id)

    def _create(self, row: RiskRow) -> None:
        """A new risk from the row, reviewed in --quarter if given."""
        when, lead = self.when, self.lead
        title = row.title or _derived_title(row.description)
        owner = self.owner = self.owner or _new_risks_lead(self.trust, lead)
        text = (
            f"id: {quoted(row.id)}\n"
            + ("" if row.title else "# title derived from the description; edit it\n")
            + f"title: {quoted(title)}\ndescription: {quoted(row.description)}\n"
            + ("" if lead else f"# lead: not in the risk table; {owner} is a placeholder\n")
            + f"lead: {quoted(owner)}\nthreatens: []  # the strategic objectives it threatens\n"
            + f"current: {{score: {row.current}}}\ntarget: {{score: {row.target}}}\n"
            + (f"reviews:\n  - quarter: {when}\n    current: {{score: {row.current}}}\n" if when is not None else "")
        )
        path = self.plan.writes.workspace.data_dir / "risks" / f"{row.id}.yaml"
        _refuse_to_replace(path, row.row)
        self.plan.writes.put(path, text)
        self.plan.origins[path] = row.row
        self.plan.messages.append(
            f"{path.name}: new risk from row {row.row}" + (f", reviewed {when}" if when is not None else "")
        )
        self.score_alone.append((row.id, row.current))
        if self.latest is not None and (when is None or when < self.latest):
            self.unreviewed.append(row.id)

    def advise(self, year: FinancialYear) -> None:
        """What the import leaves undone: reviews for the latest quarter reported, and risks scored alone."""
        when, latest, unreviewed, score_alone = self.when, self.latest, self.unreviewed, self.score_alone
        if when is None and latest is not None and unreviewed:
            self.plan.notes.append(
                f"the objectives report {latest}, and {_count(unreviewed, 'risk')} ({_listed(unreviewed)}) "
                f"{'has' if len(unreviewed) == 1 else 'have'} no review for it: import again with "
                f"{_quarter_option(latest, year)} to record the table's ratings as that quarter's reviews "
                "(validate warns of each, K008)"
            )
        if not score_alone:
            return
        risk_id, score = score_alone[0]
        likelihood, consequence = _factors(score)
        reviewed = when or latest
        at = _quarter_option(reviewed, year) if reviewed is not None else "--quarter QUARTER"
        if when is not None or (
            risk_id in self.existing and any(r.quarter == reviewed for r in self.existing[risk_id].record.reviews)
        ):
            at += " --replace"  # the quarter's review is there already: the update rewrites it
        alone = [r for r, _ in score_alone]
        self.plan.notes.append(
            f"the heat map places only risks with a likelihood and consequence, and {_count(alone, 'risk')} "
            f"({_listed(alone)}) {'has' if len(score_alone) == 1 else 'have'} a score alone: "
            f"give them in the risk's file (e.g. `current: {{likelihood: {likelihood}, consequence: {consequence}}}`) "
            f"or with `stratctl update {risk_id} {at} --likelihood {likelihood} --consequence {consequence}`"
        )


def _quarter_option(quarter: Quarter, trust_year: FinancialYear) -> str:
    """`--quarter Q3` in trust.yaml's year, else the quarter in full, as the commands read it."""
    return f"--quarter Q{quarter.number}" if quarter.year == trust_year else f'--quarter "{quarter}"'


def _count(items: list[str], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _listed(ids: list[str], shown: int = 5) -> str:
    """A few ids, not a screenful: `103343, 103344, ... and 9 more`."""
    return ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


def _factors(score: int) -> tuple[int, int]:
    """A likelihood and consequence that give `score` (15 -> 3, 5), the closest pair; (3, 5) when none does."""
    pairs = [
        (likelihood, score // likelihood)
        for likelihood in range(1, 6)
        if score % likelihood == 0 and likelihood <= score // likelihood <= 5
    ]
    return pairs[-1] if pairs else (3, 5)


def _new_risks_lead(trust: TrustEditor, lead: str | None) -> str:
    """--lead (added to trust.yaml if new), else trust.yaml's first executive as a placeholder."""
    if lead is not None:
        return trust.lead(lead)
    executives = trust.executive_ids()
    if not executives:
        raise StratctlError(
            "trust.yaml lists no executives, so the new risks have no lead: give --lead ID (e.g. --lead CEO), "
            "which is added to trust.yaml's executives, or import the tracker first (stratctl import tracker "
            "FILE --quarter Q3), which adds the executives it names; nothing was written"
        )
    return executives[0]


def _rating(score: int) -> CommentedMap:
    rating = CommentedMap([("score", score)])
    rating.fa.set_flow_style()
    return rating


def _derived_title(description: str, words: int = 8) -> str:
    tokens = description.split()
    return " ".join(tokens[:words]) + ("…" if len(tokens) > words else "")


def _check(plan: ImportPlan) -> None:
    """The errors the import would leave in the records it writes: any one stops every write."""
    plan.findings = plan.writes.errors()
