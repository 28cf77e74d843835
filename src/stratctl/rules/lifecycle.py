"""Rules about a strategy's life over the years: spans, lineage, the plan period, themes, actions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from stratctl.findings import Finding, Severity
from stratctl.records import Objective
from stratctl.repository import Loaded, Repository
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
    for loaded in repo.objectives:
        objective = loaded.record
        if objective.until is not None and objective.until < objective.year:
            continue  # no span at all: L002 reports the cause, once, not an error for every update
        for index, update in enumerate(objective.updates):
            if not objective.active_in(update.quarter.year):
                yield update_outside_span.finding(
                    loaded.file,
                    f"{update.quarter} is outside the objective's span ({_span(objective)}): "
                    "an objective reports only in the years it is active",
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
    if repo.trust is None or repo.trust.record.strategy is None:
        return
    plan = repo.trust.record.strategy
    if plan.end < plan.start:
        yield strategy_ends_before_start.finding(
            repo.trust.file,
            f"the strategy ends in {plan.end}, before it starts in {plan.start}",
            loc=("strategy", "end"),
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
    if repo.trust is None or repo.trust.record.strategy is None:
        return
    plan = repo.trust.record.strategy
    if plan.end < plan.start:
        return  # L006 says what is wrong
    for loaded in repo.objectives:
        objective = loaded.record
        for field, year in (("year", objective.year), ("until", objective.until)):
            if year is not None and not plan.covers(year):
                yield outside_strategy_period.finding(
                    loaded.file,
                    f"{field} {year} is outside the strategy period {plan.start} to {plan.end} ({plan.title})",
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


def _span(objective: Objective) -> str:
    return (
        str(objective.year) if objective.until in (None, objective.year) else f"{objective.year} to {objective.until}"
    )


def _years(first: object, last: object) -> str:
    if first is None:
        return f"the years up to {last}"
    return str(first) if last in (None, first) else f"{first} to {last}"
