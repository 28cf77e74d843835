"""`rollover`: close the financial year as one reviewable change.

Every one-year objective of the closing year that is not complete gets a successor in the new year:
every field carried as it is (title, lead, priority, supports, risks, delivers, committee, order, and
any field the model gains), except `carried_from` naming it, its measures starting from their last
actual, no milestones or updates, due the end of the new year (a comment asks the lead to confirm).
trust.yaml's `year` moves on. No
existing objective file changes; multi-year objectives (whether they run on or end with the
closing year: their span was set deliberately, and extending one is its lead's decision) and
complete objectives are left alone. The plan is validated before anything is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from stratctl.authoring.plan import WritePlan
from stratctl.errors import StratctlError
from stratctl.findings import Finding, Severity
from stratctl.importing import unique_id
from stratctl.layout import TRUST_FILE
from stratctl.numbers import duration
from stratctl.periods import FinancialYear, Month, Quarter, months_of
from stratctl.rating import latest_update
from stratctl.records import Measure, Objective, Risk
from stratctl.records.introspect import fields_in_order
from stratctl.repository import Loaded
from stratctl.rewrite import dump, load
from stratctl.yamltext import block_list, flow, quoted


@dataclass(frozen=True, slots=True)
class Successor:
    predecessor: str
    id: str
    path: Path


@dataclass
class RolloverPlan:
    """What a rollover writes, what it leaves alone (and why), and what validation says of the result."""

    writes: WritePlan
    closing: FinancialYear
    opening: FinancialYear
    successors: list[Successor] = field(default_factory=list)
    left_alone: list[tuple[str, str]] = field(default_factory=list)  # objective id, why
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0  # the whole repository is validated as it would be, not only the files written
    # priorities that end with the closing year but have carried objectives under them: the Board
    # decides whether each continues (`until`) or its objectives move under a new year's priority
    ending_priorities: dict[str, list[str]] = field(default_factory=dict)
    extended_priorities: list[str] = field(default_factory=list)  # given `until: <opening>` (--extend-priorities)
    # successor id -> (closed risk, the successors cited instead): a risk closed by the new year is not carried on
    replaced_risks: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)

    def findings_to_show(self) -> tuple[list[Finding], int]:
        """Every error, and the warnings on the files the rollover writes; and the count of the other warnings.

        The rest of a repository's warnings (a closing year's P004, say) are not the rollover's to review,
        and printed in full they buried what it did; `stratctl validate` lists them.
        """
        written = {path.resolve() for path in self.writes.texts}
        shown = [f for f in self.findings if f.severity == Severity.ERROR or Path(f.path).resolve() in written]
        return shown, len(self.findings) - len(shown)


def year_suffix(year: FinancialYear) -> str:
    """`-2023-24`: how an id names the financial year 2023/24."""
    return f"-{year.start}-{(year.start + 1) % 100:02d}"


def successor_id(objective_id: str, year: FinancialYear, taken: set[str]) -> str:
    """`long-waits` (or `long-waits-2023-24`) carried into 2024/25 is `long-waits-2024-25`.

    Only the closing year's own suffix is replaced: `trust-strategy-2022-25` names a span, not a year,
    and stripping any `-YYYY-YY` made its successor `trust-strategy-2022-23`, which reads as a year before it.
    """
    closing = FinancialYear(year.start - 1)
    return unique_id(objective_id.removesuffix(year_suffix(closing)) + year_suffix(year), taken)


def plan_rollover(writes: WritePlan, opening: FinancialYear, *, extend_priorities: bool = False) -> RolloverPlan:
    """Plan the successors and trust.yaml's new year; validate the repository as it would be.

    With `extend_priorities`, each priority that ends with the closing year and would hold carried
    objectives is given `until: <opening>`, so the new year's objectives have their priority.
    """
    repository = writes.loaded.repository
    trust = repository.trust_record()
    closing = trust.year
    if opening == closing:
        raise StratctlError(f"trust.yaml's year is already {opening}: there is nothing to roll over")
    if opening.start != closing.start + 1:
        raise StratctlError(
            f"a rollover closes one year: from trust.yaml's {closing} to {FinancialYear(closing.start + 1)}"
        )
    plan = RolloverPlan(writes, closing, opening)
    objectives = sorted((o.record for o in repository.objectives), key=lambda o: o.id)
    carried = {o.carried_from: o.id for o in objectives if o.carried_from}
    taken = {o.id for o in objectives}
    year_end = closing.quarter(4)
    for objective in objectives:
        if not objective.active_in(closing):
            continue
        update = latest_update(objective, year_end)
        if objective.last_year > closing:
            plan.left_alone.append((objective.id, f"continues to {objective.last_year}"))
        elif objective.year < closing:
            plan.left_alone.append(
                (
                    objective.id,
                    f"multi-year ({objective.year} to {objective.last_year}): its lead closes it, or extends its until",
                )
            )
        elif update is not None and update.progress == "complete":
            plan.left_alone.append((objective.id, f"complete ({update.quarter})"))
        elif objective.id in carried:
            plan.left_alone.append((objective.id, f"already carried forward by {carried[objective.id]}"))
        else:
            new_id = successor_id(objective.id, opening, taken)
            taken.add(new_id)
            path = writes.workspace.data_dir / "objectives" / f"{new_id}.yaml"
            _refuse_to_replace(path, objective.id)
            risks, replaced = _risks_on_the_baf(objective.risks, repository.risks, opening.quarter(1))
            if replaced:
                plan.replaced_risks[new_id] = replaced
            writes.put(path, successor_text(objective, new_id, opening, trust.year_start_month, year_end, risks=risks))
            plan.successors.append(Successor(objective.id, new_id, path))
            priority = next((p for p in trust.priorities if p.id == objective.priority), None)
            if priority is not None and not priority.applies_in(opening):
                plan.ending_priorities.setdefault(priority.id, []).append(new_id)
    _move_trust_year(plan, extend_priorities)
    # The whole repository must validate afterwards, not only the files written: a year is closed
    # on records the Board can rely on.
    checked = writes.check(writes.after)
    plan.findings, plan.files_checked = checked.findings, checked.files_checked
    return plan


def _move_trust_year(plan: RolloverPlan, extend_priorities: bool) -> None:
    """trust.yaml's `year` moved on; with `extend_priorities`, the ending priorities run on into it."""
    writes = plan.writes
    trust_path = writes.workspace.data_dir / TRUST_FILE
    source = writes.source(trust_path)
    tree = load(source)
    tree["year"] = str(plan.opening)
    if extend_priorities:
        for entry in tree.get("priorities") or []:
            if isinstance(entry, CommentedMap) and str(entry.get("id")) in plan.ending_priorities:
                _set_until(entry, plan.opening)
                plan.extended_priorities.append(str(entry["id"]))
    writes.put(trust_path, dump(source, tree))


def _risks_on_the_baf(
    cited: list[str], risks: list[Loaded[Risk]], quarter: Quarter
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The risks a successor cites: each closed by `quarter` replaced by its successors on the BAF then."""
    by_id = {r.record.id: r.record for r in risks}
    kept: list[str] = []
    replaced: list[tuple[str, list[str]]] = []
    for risk_id in cited:
        risk = by_id.get(risk_id)
        if risk is None or risk.on_baf(quarter) or risk.closed is None or risk.closed.quarter > quarter:
            kept.append(risk_id)
            continue
        instead = [s for s in risk.closed.successors if s in by_id and by_id[s].on_baf(quarter)]
        replaced.append((risk_id, instead))
        kept.extend(instead)
    return list(dict.fromkeys(kept)), replaced


def _set_until(priority: CommentedMap, year: FinancialYear) -> None:
    """`until: <year>` on a priority, where the record format places it (after `year`)."""
    if "until" in priority:
        priority["until"] = str(year)
        return
    keys = list(priority.keys())
    after = next((keys.index(k) + 1 for k in ("year", "statement", "title", "id") if k in keys), len(keys))
    priority.insert(after, "until", str(year))


def _refuse_to_replace(path: Path, predecessor: str) -> None:
    """No existing objective file changes: a file at a successor's name that did not load as that
    objective (a YAML error, an id that differs from its name, a link) is the user's to fix or rename."""
    for existing in (path, path.with_suffix(".yml")):
        if os.path.lexists(existing):
            raise StratctlError(
                f"{existing} already exists, and is not an objective of the repository (it could not be read as one, "
                f"or its id differs from its name): {predecessor}'s successor would replace it. Fix or rename it, "
                "then roll over again; nothing was written"
            )


def successor_text(
    objective: Objective,
    new_id: str,
    year: FinancialYear,
    start_month: int,
    closing_end: Quarter,
    *,
    risks: list[str] | None = None,
) -> str:
    """The new year's objective that continues `objective`, as the file `stratctl new` would write it.

    Built from the model's fields in order: the fields below say what changes for the new year, and
    every other field (a new one included) is carried over as the predecessor has it. `risks` are
    the risks it cites (default: the objective's own): a risk closed by the new year is replaced by
    its successors.
    """
    due = year.quarter(4).last_day(start_month).isoformat()
    changed = {
        "id": f"id: {quoted(new_id)}",
        "year": f"year: {year}",
        "until": None,  # a successor runs one year; its lead extends it if need be
        "carried_from": f"carried_from: {quoted(objective.id)}  # unfinished at the end of {objective.last_year}",
        "due": f"due: {due}  # carried forward to the end of {year}: {objective.lead} to confirm the new target date",
        "measures": block_list(
            "measures", [_restarted(m, closing_end, start_month) for m in objective.measures]
        ).rstrip("\n")
        if objective.measures
        else None,
        "start": None,  # an in-year start belongs to the closing year: the successor reports from Q1
        "milestones": None,  # the closing year's steps stay with it
        "updates": "updates: []",
    }
    if risks is not None:  # else the predecessor's own, carried as they are
        changed["risks"] = f"risks: {flow(list(risks))}"
    names = [shape.name for shape in fields_in_order(type(objective))]
    if not set(changed) <= set(names):
        raise RuntimeError(f"successor_text changes {sorted(set(changed) - set(names))}, which the model lacks")
    carried = objective.model_dump(mode="json", exclude_none=True)
    lines = []
    for name in names:
        if name in changed:
            line = changed[name]
        elif name in carried:
            line = _carried(name, carried[name])
        else:
            continue  # nothing to carry: the predecessor has no value there
        if line is not None:
            lines.append(line)
    return "\n".join(lines) + "\n"


def _carried(name: str, value: object) -> str:
    """A field carried into the successor as the predecessor has it (plain data, as the JSON has it)."""
    return f"{name}: {quoted(value) if isinstance(value, str) else flow(value)}"


def _restarted(measure: Measure, closing_end: Quarter, start_month: int = 4) -> dict[str, Any]:
    """A measure that starts the new year from its last actual: that value is its new baseline.

    Year-to-date totals (`accumulates: year`) start again from 0: their baseline is 0 at the closing
    year's last period, so the new year's first total is its first actual. The closing year's
    provisional marks, notes and recalculation points go with its actuals; a duration's values are
    written back as minutes and seconds.
    """
    data: dict[str, Any] = measure.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    for key in ("actuals", "provisional", "notes", "rebase", "amended"):
        data.pop(key, None)
    # The model has read every period already (a measure's points are all quarters or all months).
    points: dict[Quarter | Month, float] = dict(measure.actuals)
    if measure.baseline is not None:
        points.setdefault(measure.baseline.period, measure.baseline.value)
    monthly = measure.cadence == "monthly"
    if measure.accumulates is not None:
        last: Quarter | Month = months_of(closing_end, start_month)[-1] if monthly else closing_end
        data["baseline"] = {"month" if monthly else "quarter": str(last), "value": 0}
    elif points:
        latest = max(points, key=lambda period: period.index)
        data["baseline"] = {"month" if isinstance(latest, Month) else "quarter": str(latest), "value": points[latest]}
    if measure.duration:
        _durations_written(data)
    ordered = {f.name: data[f.name] for f in fields_in_order(type(measure)) if f.name in data and f.name != "actuals"}
    ordered["actuals"] = {}
    return ordered


def _durations_written(data: dict[str, Any]) -> None:
    """A duration's baseline and target back in minutes and seconds: the model holds seconds, and a
    number in the file would be read as minutes."""
    baseline = data.get("baseline")
    if isinstance(baseline, dict) and isinstance(baseline.get("value"), (int, float)):
        baseline["value"] = duration(baseline["value"])
    target = data.get("target")
    if isinstance(target, (int, float)):
        data["target"] = duration(target)
    elif isinstance(target, dict):
        for key in ("at_least", "at_most"):
            if isinstance(target.get(key), (int, float)):
                target[key] = duration(target[key])
        if isinstance(target.get("between"), list):
            target["between"] = [duration(v) for v in target["between"]]
