"""`rollover`: close the financial year as one reviewable change.

Every one-year objective of the closing year that is not complete gets a successor in the new year: the same title, lead, priority, supports, risks, delivers, committee
and order, `carried_from` naming it, its measures starting from their last actual, no updates, due
the end of the new year (a comment asks the lead to confirm). trust.yaml's `year` moves on. No
existing objective file changes; multi-year objectives (whether they run on or end with the
closing year: their span was set deliberately, and extending one is its lead's decision) and
complete objectives are left alone. The plan is validated before anything is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stratctl.authoring.plan import WritePlan
from stratctl.errors import StratctlError
from stratctl.findings import Finding, Severity
from stratctl.importing import unique_id
from stratctl.layout import TRUST_FILE
from stratctl.periods import FinancialYear, Quarter
from stratctl.rating import latest_update
from stratctl.records import Measure, Objective
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


def plan_rollover(writes: WritePlan, opening: FinancialYear) -> RolloverPlan:
    """Plan the successors and trust.yaml's new year; validate the repository as it would be."""
    repository = writes.loaded.repository
    if repository.trust is None:
        raise StratctlError("trust.yaml could not be read: run stratctl validate and fix it first")
    trust = repository.trust.record
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
            writes.put(path, successor_text(objective, new_id, opening, trust.year_start_month, year_end))
            plan.successors.append(Successor(objective.id, new_id, path))
            priority = next((p for p in trust.priorities if p.id == objective.priority), None)
            if priority is not None and not priority.applies_in(opening):
                plan.ending_priorities.setdefault(priority.id, []).append(new_id)
    trust_path = writes.workspace.data_dir / TRUST_FILE
    source = writes.source(trust_path)
    tree = load(source)
    tree["year"] = str(opening)
    writes.put(trust_path, dump(source, tree))
    # The whole repository must validate afterwards, not only the files written: a year is closed
    # on records the Board can rely on.
    checked = writes.check(writes.after)
    plan.findings, plan.files_checked = checked.findings, checked.files_checked
    return plan


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
    objective: Objective, new_id: str, year: FinancialYear, start_month: int, closing_end: Quarter
) -> str:
    """The new year's objective that continues `objective`, as the file `stratctl new` would write it."""
    due = year.quarter(4).last_day(start_month).isoformat()
    lines = [
        f"id: {quoted(new_id)}",
        f"title: {quoted(objective.title)}",
        f"year: {year}",
        f"carried_from: {quoted(objective.id)}  # unfinished at the end of {objective.last_year}",
        f"priority: {quoted(objective.priority)}",
        *([f"order: {objective.order}"] if objective.order is not None else []),
        f"supports: {flow(list(objective.supports))}",
        f"lead: {quoted(objective.lead)}",
        *([f"committee: {quoted(objective.committee)}"] if objective.committee else []),
        f"risks: {flow(list(objective.risks))}",
        f"delivers: {flow(list(objective.delivers))}",
        f"due: {due}  # carried forward to the end of {year}: {objective.lead} to confirm the new target date",
    ]
    text = "\n".join(lines) + "\n"
    if objective.measures:
        text += block_list("measures", [_restarted(m, closing_end) for m in objective.measures])
    return text + "updates: []\n"


def _restarted(measure: Measure, closing_end: Quarter) -> dict[str, Any]:
    """A measure that starts the new year from its last actual: that value is its new baseline."""
    data: dict[str, Any] = measure.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data.pop("actuals", None)
    points = {
        **(
            {data["baseline"].get("quarter") or data["baseline"].get("month"): data["baseline"]["value"]}
            if "baseline" in data
            else {}
        ),
        **measure.model_dump(mode="json")["actuals"],
    }
    if points:
        period = max(points, key=_period_order)
        key = "month" if "-" in period and "/" not in period else "quarter"
        data["baseline"] = {key: period, "value": points[period]}
    ordered = {k: data[k] for k in Measure.model_fields if k in data and k != "actuals"}
    ordered["actuals"] = {}
    return ordered


def _period_order(period: str) -> int:
    """Quarters (`2023/24 Q4`) and months (`2024-03`) on one time line: the month each ends, counted from year 0."""
    if "/" in period:
        quarter = Quarter.parse(period)
        return quarter.year.start * 12 + 2 + 3 * quarter.number  # Q1 of 2023/24 ends in June 2023
    year, month = period.split("-")
    return int(year) * 12 + int(month) - 1
