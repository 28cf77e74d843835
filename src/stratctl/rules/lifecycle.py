"""Rules about a strategy's life over the years: spans, lineage, the plan period, themes, actions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from stratctl.findings import Finding, Loc, Severity
from stratctl.periods import FinancialYear, Quarter
from stratctl.records import Objective, StrategyPlan, Trust
from stratctl.records.fields import first_quarter, last_quarter
from stratctl.repository import Loaded, Repository
from stratctl.rules.baf import baf_span
from stratctl.rules.registry import BoardWords, rule


@rule("L001", "update-outside-span", Severity.ERROR)
def update_outside_span(repo: Repository) -> Iterator[Finding]:
    """An objective's updates fall in the years it is active: from `year` to `until`.

    Bad:
        year: 2023/24
        updates:
          - {quarter: 2022/23 Q4, progress: on-track}
    Good:
        year: 2023/24
        updates:
          - {quarter: 2023/24 Q1, progress: on-track}
    """
    successors = {o.record.carried_from: o.record for o in repo.objectives if o.record.carried_from}
    for loaded in repo.objectives:
        objective = loaded.record
        if objective.until is not None and objective.until < objective.year:
            continue  # no span at all: L002 reports the cause, once, not an error for every update
        for index, update in enumerate(objective.updates):
            if not objective.active_in(update.quarter.year):
                yield update_outside_span.finding(
                    loaded.file,
                    f"{update.quarter} is outside the objective's span ({_span(objective)}): "
                    "an objective reports only in the years it is active"
                    + _carried_on(objective, update.quarter, successors),
                    loc=("updates", index, "quarter"),
                )


@rule("L002", "until-before-year", Severity.ERROR)
def until_before_year(repo: Repository) -> Iterator[Finding]:
    """`until`, the last year an objective or priority runs to, is not before its first `year`.

    Bad:
        year: 2023/24
        until: 2022/23
    Good:
        year: 2023/24
        until: 2024/25
    """
    for loaded in repo.objectives:
        objective = loaded.record
        if objective.until is not None and objective.until < objective.year:
            yield until_before_year.finding(
                loaded.file, f"until {objective.until} is before year {objective.year}", loc=("until",)
            )
    if repo.trust is not None:
        for index, priority in enumerate(repo.trust.record.priorities):
            if priority.year is not None and priority.until is not None and priority.until < priority.year:
                yield until_before_year.finding(
                    repo.trust.file,
                    f"priority {priority.id}: until {priority.until} is before year {priority.year}",
                    loc=("priorities", index, "until"),
                )


@rule("L003", "predecessor-not-earlier", Severity.ERROR)
def predecessor_not_earlier(repo: Repository) -> Iterator[Finding]:
    """`carried_from` names an objective whose span ends before this one begins.

    A successor continues an unfinished objective into a later year; the two never overlap.

    Bad:
        # data/objectives/long-waits-2023-24.yaml
        year: 2023/24
        carried_from: long-waits-plan   # that objective runs to 2023/24
    Good:
        year: 2023/24
        carried_from: long-waits        # that objective ended in 2022/23
    """
    by_id = {o.record.id: o.record for o in repo.objectives}
    for loaded in repo.objectives:
        objective = loaded.record
        predecessor = by_id.get(objective.carried_from or "")
        if predecessor is not None and predecessor.last_year >= objective.year:
            yield predecessor_not_earlier.finding(
                loaded.file,
                f"carried from {predecessor.id}, which runs to {predecessor.last_year}: "
                f"a predecessor ends before its successor begins ({objective.year})",
                loc=("carried_from",),
            )


@rule(
    "L004",
    "carried-forward-twice",
    Severity.WARNING,
    board=BoardWords(
        "{n} objective is carried forward twice", "{n} objectives are carried forward twice", "first clause"
    ),
)
def carried_forward_twice(repo: Repository) -> Iterator[Finding]:
    """An objective is carried forward at most once: two successors split one objective's story.

    Bad:
        # two files both say
        carried_from: long-waits
    Good:
        # one successor says carried_from: long-waits; the next year's says carried_from: long-waits-2023-24
    """
    successors: defaultdict[str, list[Loaded[Objective]]] = defaultdict(list)
    for loaded in repo.objectives:
        if loaded.record.carried_from is not None:
            successors[loaded.record.carried_from].append(loaded)
    for predecessor, items in successors.items():
        ordered = sorted(items, key=lambda item: (item.record.year, item.record.id))
        for later in ordered[1:]:
            yield carried_forward_twice.finding(
                later.file,
                f"{predecessor} is already carried forward by {ordered[0].record.id}: carry it forward once",
                loc=("carried_from",),
            )


@rule("L005", "lineage-loop", Severity.ERROR)
def lineage_loop(repo: Repository) -> Iterator[Finding]:
    """Following `carried_from` from objective to objective never comes back to where it started.

    Bad:
        # a.yaml: carried_from: b      b.yaml: carried_from: a
    Good:
        # a.yaml: (no carried_from)    b.yaml: carried_from: a
    """
    links = {o.record.id: o.record.carried_from for o in repo.objectives}
    for loaded in repo.objectives:
        seen = [loaded.record.id]
        current = links.get(loaded.record.id)
        while current is not None and current in links:
            if current == loaded.record.id:
                yield lineage_loop.finding(
                    loaded.file,
                    f"carried_from goes round in a loop: {' -> '.join([*seen, current])}",
                    loc=("carried_from",),
                )
                break
            if current in seen:
                break  # a loop further up the chain: reported on its own members
            seen.append(current)
            current = links.get(current)


@rule("L006", "strategy-ends-before-start", Severity.ERROR)
def strategy_ends_before_start(repo: Repository) -> Iterator[Finding]:
    """The trust strategy's `end` year is not before its `start` year.

    Bad:
        strategy: {title: Our strategy, start: 2022/23, end: 2021/22}
    Good:
        strategy: {title: Our strategy, start: 2022/23, end: 2028/29}
    """
    if repo.trust is None:
        return
    for loc, plan in _plans(repo.trust.record):
        if plan.end < plan.start:
            yield strategy_ends_before_start.finding(
                repo.trust.file,
                f"the strategy ends in {plan.end}, before it starts in {plan.start}",
                loc=(*loc, "end"),
            )


@rule(
    "L007",
    "outside-strategy-period",
    Severity.WARNING,
    board=BoardWords(
        "{n} objective runs outside the period of the trust strategy",
        "{n} objectives run outside the period of the trust strategy",
    ),
)
def outside_strategy_period(repo: Repository) -> Iterator[Finding]:
    """An objective's years fall within the trust strategy's period, when trust.yaml gives one.

    Bad:
        # trust.yaml: strategy: {start: 2022/23, end: 2028/29}
        year: 2021/22
    Good:
        year: 2022/23
    """
    if repo.trust is None or not repo.trust.record.plans:
        return
    plans = repo.trust.record.plans
    if any(plan.end < plan.start for plan in plans):
        return  # L006 says what is wrong
    for loaded in repo.objectives:
        objective = loaded.record
        for field, year in (("year", objective.year), ("until", objective.until)):
            if year is not None and not any(plan.covers(year) for plan in plans):
                yield outside_strategy_period.finding(
                    loaded.file,
                    f"{field} {year} is outside the strategy period "
                    + "; ".join(f"{plan.start} to {plan.end} ({plan.title})" for plan in plans),
                    loc=(field,),
                )
                break


@rule("L008", "theme-missing", Severity.ERROR)
def theme_missing(repo: Repository) -> Iterator[Finding]:
    """Once trust.yaml lists themes, every strategic objective names its theme.

    Bad:
        themes: [{id: quality, title: Quality and patient safety}]
        strategic_objectives:
          - {id: QPS1, title: Best quartile for mortality}
    Good:
        strategic_objectives:
          - {id: QPS1, title: Best quartile for mortality, theme: quality}
    """
    if repo.trust is None or not repo.trust.record.themes:
        return
    for index, strategic in enumerate(repo.trust.record.strategic_objectives):
        if strategic.theme is None:
            yield theme_missing.finding(
                repo.trust.file,
                f"strategic objective {strategic.id} has no theme: the themes are "
                + ", ".join(t.id for t in repo.trust.record.themes),
                loc=("strategic_objectives", index),
            )


@rule(
    "L009",
    "action-overdue",
    Severity.WARNING,
    speaks_of="today",
    board=BoardWords("{n} action on a strategic risk is overdue", "{n} actions on strategic risks are overdue", "all"),
)
def action_overdue(repo: Repository) -> Iterator[Finding]:
    """A risk's action past its `due` date and not `done` is overdue.

    Overdue as of the end of the latest quarter any update reports, so the check gives the same
    answer on any day; an action done only after that day was still open then. The Board report
    marks overdue actions the same way, as of its own reporting day.

    Bad:
        actions:
          - {title: Discharge to assess pathway, owner: COO, due: 2021-09-30}
    Good:
        actions:
          - {title: Discharge to assess pathway, owner: COO, due: 2021-09-30, done: 2021-09-20}
    """
    latest = repo.latest_quarter()
    if latest is None:
        return
    start = repo.trust.record.year_start_month if repo.trust else 4
    as_of = latest.last_day(start)
    for loaded in repo.risks:
        for index, action in enumerate(loaded.record.actions):
            if action.due is not None and action.due < as_of and (action.done is None or action.done > as_of):
                yield action_overdue.finding(
                    loaded.file,
                    f"action {action.title!r} was due {action.due.isoformat()} and is not done "
                    f"(as of {as_of.isoformat()}, the end of {latest})",
                    loc=("actions", index, "due"),
                )


@rule(
    "L010",
    "priority-not-in-year",
    Severity.WARNING,
    board=BoardWords(
        "{n} objective sits under a priority of another year", "{n} objectives sit under priorities of another year"
    ),
)
def priority_not_in_year(repo: Repository) -> Iterator[Finding]:
    """An objective sits under a priority that applies to its first year.

    A priority with `year` (and `until`) applies to those years only; next year's objectives go
    under next year's priorities.

    Bad:
        # trust.yaml: - {id: recover-safely, title: Recover safely, year: 2021/22}
        year: 2022/23
        priority: recover-safely
    Good:
        year: 2021/22
        priority: recover-safely
    """
    if repo.trust is None:
        return
    priorities = {p.id: p for p in repo.trust.record.priorities}
    for loaded in repo.objectives:
        objective = loaded.record
        priority = priorities.get(objective.priority)
        if priority is not None and not priority.applies_in(objective.year):
            yield priority_not_in_year.finding(
                loaded.file,
                f"priority {priority.id} applies to {_years(priority.year, priority.until)}, not {objective.year}",
                loc=("priority",),
            )


@rule("L011", "update-before-start", Severity.ERROR)
def update_before_start(repo: Repository) -> Iterator[Finding]:
    """An objective agreed in-year reports from its `start`: no update comes before it.

    Bad:
        start: 2025/26 Q3
        updates:
          - {quarter: 2025/26 Q2, progress: on-track}
    Good:
        start: 2025/26 Q3
        updates:
          - {quarter: 2025/26 Q3, progress: on-track}
    """
    for loaded in repo.objectives:
        objective = loaded.record
        if objective.start is None or not objective.active_in(objective.start.year):
            continue  # no start, or one outside the span: L012 says so, once
        for index, update in enumerate(objective.updates):
            if update.quarter < objective.start and objective.active_in(update.quarter.year):
                yield update_before_start.finding(
                    loaded.file,
                    f"an update for {update.quarter}, before the objective starts in {objective.start}: "
                    "move `start` earlier if it was reported then, or remove the update",
                    loc=("updates", index, "quarter"),
                )


@rule("L012", "start-outside-span", Severity.ERROR)
def start_outside_span(repo: Repository) -> Iterator[Finding]:
    """An objective's `start` is a quarter of its own years, from `year` to `until`.

    Bad:
        year: 2025/26
        start: 2024/25 Q3
    Good:
        year: 2025/26
        start: 2025/26 Q3
    """
    for loaded in repo.objectives:
        objective = loaded.record
        if objective.start is not None and not objective.active_in(objective.start.year):
            yield start_outside_span.finding(
                loaded.file,
                f"start {objective.start} is outside the objective's span ({_span(objective)})",
                loc=("start",),
            )


@rule("L013", "from-after-until", Severity.ERROR)
def from_after_until(repo: Repository) -> Iterator[Finding]:
    """A plan, theme or strategic objective comes into force (`from`) no later than it leaves (`until`).

    Either takes a quarter or a year (a year's first quarter for `from`, its last for `until`); a
    plan without them is in force from its `start` year to its `end` year.

    Bad:
        strategic_objectives:
          - {id: M1, title: Respond to patients, from: 2025/26 Q3, until: 2025/26 Q2}
    Good:
        strategic_objectives:
          - {id: M1, title: Respond to patients, from: 2025/26 Q2}
    """
    if repo.trust is None:
        return
    trust = repo.trust.record
    for loc, plan in _plans(trust):
        if (plan.from_ is not None or plan.until is not None) and plan.last_in_force < plan.first_in_force:
            yield from_after_until.finding(
                repo.trust.file,
                f"the strategy {plan.title!r} is in force from {plan.first_in_force} until {plan.last_in_force}: "
                "it would never be in force",
                loc=(*loc, "until" if plan.until is not None else "from"),
            )
    spans: list[tuple[str, int, str, Quarter | FinancialYear | None, Quarter | FinancialYear | None]] = [
        ("themes", index, f"theme {t.id}", t.from_, t.until) for index, t in enumerate(trust.themes)
    ]
    spans += [
        ("strategic_objectives", index, f"strategic objective {s.id}", s.from_, s.until)
        for index, s in enumerate(trust.strategic_objectives)
    ]
    for key, index, what, start, end in spans:
        if start is not None and end is not None and last_quarter(end) < first_quarter(start):
            yield from_after_until.finding(
                repo.trust.file,
                f"{what} is in force from {start} until {end}: `from` comes after `until`",
                loc=(key, index, "from"),
            )


@rule(
    "L014",
    "strategic-objective-not-in-force",
    Severity.WARNING,
    board=BoardWords(
        "{n} record names a strategic objective that is not in force while it runs",
        "{n} records name strategic objectives that are not in force while they run",
        "first clause",
    ),
)
def strategic_objective_not_in_force(repo: Repository) -> Iterator[Finding]:
    """An objective supports, and a risk threatens, strategic objectives in force while it runs.

    An objective runs from its `start` (else its first year's Q1) to its last year's Q4; a risk
    while it is on the BAF. A strategic objective in force in none of those quarters (`from` and
    `until` in trust.yaml) appears in no view the objective or risk appears in.

    Bad:
        # trust.yaml: - {id: G1, title: Our old goal, until: 2025/26 Q1}
        year: 2025/26
        start: 2025/26 Q3
        supports: [G1]
    Good:
        supports: [M1]   # - {id: M1, title: A new mission, from: 2025/26 Q2}
    """
    if repo.trust is None:
        return
    strategic = {  # one never in force (`from` after `until`) is L013's to report, not each citation's
        s.id: s
        for s in repo.trust.record.strategic_objectives
        if s.from_ is None or s.until is None or first_quarter(s.from_) <= last_quarter(s.until)
    }
    for loaded in repo.objectives:
        objective = loaded.record
        first, last = objective.first_quarter, objective.last_year.quarter(4)
        for index, ref in enumerate(objective.supports):
            found = strategic.get(ref)
            if found is not None and not _overlaps(found.from_, found.until, first, last):
                yield strategic_objective_not_in_force.finding(
                    loaded.file,
                    f"supports {ref}, which is not in force while the objective runs ({first} to {last})"
                    + _in_force_words(found.from_, found.until),
                    loc=("supports", index),
                )
    for loaded_risk in repo.risks:
        risk = loaded_risk.record
        first_on, last_on = baf_span(risk)
        for index, ref in enumerate(risk.threatens):
            found = strategic.get(ref)
            if found is not None and not _overlaps(found.from_, found.until, first_on, last_on):
                yield strategic_objective_not_in_force.finding(
                    loaded_risk.file,
                    f"threatens {ref}, which is not in force while the risk is on the BAF"
                    + _in_force_words(found.from_, found.until),
                    loc=("threatens", index),
                )


def _overlaps(
    start: Quarter | FinancialYear | None,
    end: Quarter | FinancialYear | None,
    first: Quarter | None,
    last: Quarter | None,
) -> bool:
    """Whether the quarters `start`..`end` (in force) and `first`..`last` share one (None: open)."""
    begins = first_quarter(start) if start is not None else None
    ends = last_quarter(end) if end is not None else None
    return (begins is None or last is None or begins <= last) and (ends is None or first is None or first <= ends)


def _in_force_words(start: Quarter | FinancialYear | None, end: Quarter | FinancialYear | None) -> str:
    parts = ([f"from {start}"] if start is not None else []) + ([f"until {end}"] if end is not None else [])
    return f": it is in force {' '.join(parts)}" if parts else ""


def _plans(trust: Trust) -> Iterator[tuple[Loc, StrategyPlan]]:
    """Each plan of trust.yaml's `strategy`, with where it is written: one plan, or a list of them."""
    if isinstance(trust.strategy, StrategyPlan):
        yield ("strategy",), trust.strategy
    elif trust.strategy is not None:
        for index, plan in enumerate(trust.strategy):
            yield ("strategy", index), plan


def _carried_on(objective: Objective, quarter: Quarter, successors: dict[str, Objective]) -> str:
    """Where an objective's story goes on in `quarter`: the successor that carries it forward, if any."""
    seen = {objective.id}
    current = successors.get(objective.id)
    while current is not None and current.id not in seen:
        if current.active_in(quarter.year):
            return (
                f"; it is carried forward to {current.year} as {current.id}: "
                f'stratctl update {current.id} --quarter "{quarter}"'
            )
        seen.add(current.id)
        current = successors.get(current.id)
    return ""


def _span(objective: Objective) -> str:
    return (
        str(objective.year) if objective.until in (None, objective.year) else f"{objective.year} to {objective.until}"
    )


def _years(first: object, last: object) -> str:
    if first is None:
        return f"the years up to {last}"
    return str(first) if last in (None, first) else f"{first} to {last}"
