"""data/objectives/<id>.yaml: a supporting objective and its quarterly updates."""

from __future__ import annotations

from stratctl.errors import StratctlError
from stratctl.kinds.registry import NewRecord, RecordKind, register
from stratctl.periods import FinancialYear, PeriodError
from stratctl.records import Objective, Trust
from stratctl.yamltext import flow, quoted


def choices(ids: list[str]) -> str:
    """The ids a field may take, for a scaffold's comment."""
    return ", ".join(ids) if ids else "none defined yet in trust.yaml"


def default_lead(request: NewRecord, trust: Trust) -> str:
    executives = [e.id for e in trust.executives]
    lead = request.lead or (executives[0] if executives else None)
    if lead is None:
        raise StratctlError("give --lead: trust.yaml lists no executives")
    return lead


def scaffold(request: NewRecord, trust: Trust) -> str:
    priorities = [p.id for p in trust.priorities]
    priority = request.priority or (priorities[0] if priorities else None)
    if priority is None:
        raise StratctlError("give --priority: trust.yaml lists no priorities")
    try:
        year = FinancialYear.parse(request.year) if request.year else trust.year
    except PeriodError as error:
        raise StratctlError(str(error)) from None
    executives = [e.id for e in trust.executives]
    due = year.quarter(4).last_day(trust.year_start_month).isoformat()
    return (
        f"year: {year}\n"
        + f"priority: {quoted(priority)}  # one of: {choices(priorities)}\n"
        + f"supports: {flow(list(request.supports))}  # strategic objectives it serves: {choices([s.id for s in trust.strategic_objectives])}\n"
        + f"lead: {quoted(default_lead(request, trust))}  # one of: {choices(executives)}\n"
        + 'risks: []  # strategic risks it addresses, quoted: ["103350"]\n'
        + "delivers: []  # strategy commitments it delivers: [<strategy>.<commitment>]\n"
        + f"due: {due}  # the target date\n"
        + "# measures:  # optional quantified targets\n"
        + '#   - id: a-measure\n#     name: What is measured\n#     unit: "%"\n#     direction: down  # or up\n'
        + f"#     baseline: {{quarter: {year} Q1, value: 0}}\n#     target: 0\n#     actuals: {{}}\n"
        + "# milestones:  # optional\n#   - {title: A step on the way, due: "
        + due
        + "}\n"
        + "updates: []  # one a quarter: stratctl update "
        + request.id
        + ' --quarter Q1 --progress on-track --comment "..."\n'
    )


OBJECTIVE = register(RecordKind("objective", Objective, folder="objectives", scaffold=scaffold))
