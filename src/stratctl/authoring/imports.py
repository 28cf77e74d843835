"""`import tracker` and `import risks`: a trust's spreadsheets into records, validated before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from stratctl.authoring.update import ObjectiveChange, apply_objective_change
from stratctl.errors import StratctlError
from stratctl.findings import Finding, Severity
from stratctl.importing import Problem, RiskRow, Tracker, unique_id
from stratctl.loading import load_repository
from stratctl.periods import FinancialYear, PeriodError, Quarter
from stratctl.repository import Repository
from stratctl.rewrite import SourceText, dump, ensure_writable, load, original, read_source, scalar, write_atomically
from stratctl.validation import validate_loaded

NEW_FILE = SourceText("", False, "\n", False)


def slug(text: str, words: int = 8) -> str:
    """A readable id from a title: `Reduce maternity service vacancies to 5% by Q4` -> reduce-maternity-service-vacancies-to-5-by-q4."""
    tokens = re.findall(r"[a-z0-9]+", text.lower())[:words]
    return "-".join(tokens)[:60].strip("-") or "record"


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class ImportPlan:
    """What an import would change: file texts by path, and what to tell the user."""

    texts: dict[Path, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # validation errors that stop the write
    origins: dict[Path, int] = field(default_factory=dict)  # an objective file -> the tracker row it comes from
    new: set[Path] = field(default_factory=set)  # files the import would create


class _TrustEditor:
    """trust.yaml as a round-trip tree: executives and priorities found, or created and reported."""

    def __init__(self, data_dir: Path, plan: ImportPlan) -> None:
        self.path = data_dir / "trust.yaml"
        self.source = read_source(self.path)
        self.tree = load(self.source)
        self.plan = plan

    def _list(self, key: str) -> CommentedSeq:
        if not isinstance(self.tree.get(key), list):
            self.tree[key] = CommentedSeq()
        return self.tree[key]

    def executive(self, text: str) -> str:
        for item in self._list("executives"):
            if _norm(str(item.get("id"))) == _norm(text) or _norm(str(item.get("title"))) == _norm(text):
                return str(item["id"])
        new_id = text.strip() if re.fullmatch(r"[A-Z][A-Z0-9]{1,9}", text.strip()) else slug(text, 6)
        entry = CommentedMap([("id", new_id), ("title", scalar(text.strip()))])
        self._list("executives").append(entry)
        self.plan.messages.append(f"trust.yaml: new executive {new_id} ({text.strip()})")
        return new_id

    def priority(self, title: str, statement: str, risks: tuple[str, ...], known_risks: set[str]) -> str:
        for item in self._list("priorities"):
            if _norm(str(item.get("title"))) == _norm(title) or _norm(str(item.get("id"))) == _norm(title):
                listed = [str(r) for r in (item.get("risks") or [])]
                adding = [r for r in risks if r in known_risks and r not in listed]
                if adding:  # the tracker lists the priority's strategic risks: link those that exist
                    if not isinstance(item.get("risks"), list):
                        item["risks"] = CommentedSeq()
                        item["risks"].fa.set_flow_style()
                    item["risks"].extend(adding)
                    self.plan.messages.append(f"trust.yaml: priority {item['id']} now cites risks {', '.join(adding)}")
                return str(item["id"])
        new_id = slug(title, 6)
        entry = CommentedMap([("id", new_id), ("title", scalar(title))])
        if statement:
            entry["statement"] = scalar(statement)
        linked = [r for r in risks if r in known_risks]
        if linked:
            entry["risks"] = CommentedSeq(linked)
            entry["risks"].fa.set_flow_style()
        missing = [r for r in risks if r not in known_risks]
        if missing:
            self.plan.messages.append(
                f"trust.yaml: priority {new_id} cites risks {', '.join(missing)} not in data/risks; "
                "import the risk table first (stratctl import risks FILE) to link them"
            )
        self._list("priorities").append(entry)
        self.plan.messages.append(f"trust.yaml: new priority {new_id} ({title})")
        return new_id

    def text(self) -> str | None:
        text = dump(self.source, self.tree)
        return text if text != original(self.source) else None


def plan_tracker(data_dir: Path, tracker: Tracker, quarter: str | None, year: str | None, replace: bool) -> ImportPlan:
    plan = ImportPlan(problems=list(tracker.problems))
    loaded = load_repository(data_dir)
    repository = loaded.repository
    if repository.trust is None:
        raise StratctlError("trust.yaml could not be read: run stratctl validate and fix it first")
    try:
        fy = FinancialYear.parse(year) if year else (tracker.year or repository.trust.record.year)
    except PeriodError as error:
        raise StratctlError(str(error)) from None
    trust = _TrustEditor(data_dir, plan)
    known_risks = repository.ids("risk")
    by_id = {o.record.id: o for o in repository.objectives}
    by_title = {_norm(o.record.title): o for o in repository.objectives}
    taken = set(by_id)
    for row in tracker.rows:
        try:
            when = Quarter.parse(row.quarter) if row.quarter else _quarter(quarter, fy)
        except PeriodError as error:
            plan.problems.append(Problem(row.row, str(error)))
            continue
        lead = trust.executive(row.executive)
        priority = trust.priority(row.priority_title, row.priority_statement, row.priority_risks, known_risks)
        existing = by_id.get(row.id or "") or by_title.get(_norm(row.title))
        change = ObjectiveChange(when, row.progress, row.comment or None, row.position, row.rationale) if row.progress else None
        if existing is not None:
            path = existing.file.path
            source = read_source(path) if path not in plan.texts else SourceText(plan.texts[path], False, "\n", False)
            tree = load(source)
            notes = []
            if row.due is not None and str(tree.get("due")) != row.due.isoformat():
                tree["due"] = row.due
                notes.append(f"target date now {row.due.isoformat()}")
            if change is not None:
                same = _same_update(existing.record, change)
                if same is None or (same is False and replace):
                    notes.append(apply_objective_change(tree, change, replace=True))
                elif same is False:
                    plan.problems.append(Problem(row.row, f"{existing.record.id} already has a different {when} update: use --replace"))
            text = dump(source, tree)
            if text != original(source):
                plan.texts[path] = text
                plan.origins[path] = row.row
                plan.messages.append(f"{path.name}: " + "; ".join(notes))
            continue
        new_id = unique_id(slug(row.title), taken)
        taken.add(new_id)
        tree = CommentedMap([("id", new_id), ("title", scalar(row.title)), ("year", str(fy)), ("priority", priority), ("lead", lead)])
        if row.due is not None:
            tree["due"] = row.due
        if change is not None:
            apply_objective_change(tree, change, replace=False)
        path = data_dir / "objectives" / f"{new_id}.yaml"
        plan.texts[path] = dump(NEW_FILE, tree)
        plan.origins[path] = row.row
        plan.new.add(path)
        by_title[_norm(row.title)] = None  # type: ignore[assignment]  # a repeated title in one file is a new row
        plan.messages.append(f"{path.name}: new objective from row {row.row}")
    trust_text = trust.text()
    if trust_text is not None:
        plan.texts[trust.path] = trust_text
    _check(data_dir, plan)
    return plan


def _quarter(quarter: str | None, year: FinancialYear) -> Quarter:
    if quarter is None:
        raise PeriodError("give --quarter: which quarter's update the tracker holds")
    return Quarter.parse(quarter) if "/" in quarter else Quarter.parse(f"{year} {quarter.strip().upper()}")


def _same_update(objective: Any, change: ObjectiveChange) -> bool | None:
    """None: no update for the quarter; True: the same one; False: a different one."""
    for update in objective.updates:
        if update.quarter == change.quarter:
            return (
                update.progress == change.progress
                and (update.comment or "").strip() == (change.comment or "").strip()
                and update.projected == change.projected
                and (update.rationale or "").strip() == (change.rationale or "").strip()
            )
    return None


def plan_risks(data_dir: Path, rows: list[RiskRow], problems: list[Problem], lead: str | None) -> ImportPlan:
    plan = ImportPlan(problems=list(problems))
    repository: Repository = load_repository(data_dir).repository
    if repository.trust is None:
        raise StratctlError("trust.yaml could not be read: run stratctl validate and fix it first")
    executives = [e.id for e in repository.trust.record.executives]
    owner = lead or (executives[0] if executives else None)
    if owner is None:
        raise StratctlError("give --lead: trust.yaml lists no executives")
    existing = {r.record.id: r for r in repository.risks}
    for row in rows:
        if row.id in existing:
            risk = existing[row.id]
            source = read_source(risk.file.path)
            tree = load(source)
            if risk.record.current.value != row.current:
                tree["current"] = _rating(row.current)
            if risk.record.target.value != row.target:
                tree["target"] = _rating(row.target)
            text = dump(source, tree)
            if text != original(source):
                plan.texts[risk.file.path] = text
                plan.origins[risk.file.path] = row.row
                plan.messages.append(f"{risk.file.path.name}: scores now {row.current} (target {row.target})")
            continue
        title = row.title or _derived_title(row.description)
        text = (
            f"id: \"{row.id}\"\n"
            + ("" if row.title else "# title derived from the description; edit it\n")
            + f"title: {_quoted(title)}\ndescription: {_quoted(row.description)}\n"
            + ("" if lead else f"# lead: not in the risk table; {owner} is a placeholder\n")
            + f"lead: {owner}\nthreatens: []  # the strategic objectives it threatens\n"
            + f"current: {{score: {row.current}}}\ntarget: {{score: {row.target}}}\n"
        )
        path = data_dir / "risks" / f"{row.id}.yaml"
        plan.texts[path] = text
        plan.origins[path] = row.row
        plan.new.add(path)
        plan.messages.append(f"{path.name}: new risk from row {row.row}")
    _check(data_dir, plan)
    return plan


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _rating(score: int) -> CommentedMap:
    rating = CommentedMap([("score", score)])
    rating.fa.set_flow_style()
    return rating


def _derived_title(description: str, words: int = 8) -> str:
    tokens = description.split()
    return " ".join(tokens[:words]) + ("…" if len(tokens) > words else "")


def _check(data_dir: Path, plan: ImportPlan) -> None:
    if not plan.texts:
        return
    after = load_repository(data_dir, overrides=plan.texts)
    touched = {p.resolve() for p in plan.texts}
    plan.findings = [
        f for f in validate_loaded(after).findings
        if f.severity == Severity.ERROR and Path(f.path).resolve() in touched
    ]


def write_plan(plan: ImportPlan) -> None:
    """Write every file of the plan; refuses before the first write if any one could not be written."""
    for path in plan.texts:
        ensure_writable(path)
    for path, text in plan.texts.items():
        write_atomically(path, text)
