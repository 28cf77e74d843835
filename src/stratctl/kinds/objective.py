"""data/objectives/<id>.yaml: a supporting objective and its quarterly updates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stratctl.errors import StratctlError
from stratctl.kinds.registry import NewRecord, RecordKind, choices, default_lead, register
from stratctl.periods import FinancialYear, PeriodError

if TYPE_CHECKING:
    from stratctl.records import Trust
    from stratctl.records.base import Record


def scaffold(request: NewRecord, trust: Trust) -> dict[str, str]:
    from stratctl.yamltext import flow, quoted  # ruamel.yaml: only `new` needs it (start-up)

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
    strategic = choices([s.id for s in trust.strategic_objectives])
    return {
        "year": f"year: {year}\n",
        "until": "",  # absent: the objective runs one year
        "carried_from": "",  # rollover writes it on a successor
        "priority": f"priority: {quoted(priority)}  # one of: {choices(priorities)}\n",
        "order": "",  # absent: placed under its priority by id
        "supports": f"supports: {flow(list(request.supports))}  # strategic objectives it serves: {strategic}\n",
        "lead": f"lead: {quoted(default_lead(request, trust))}  # one of: {choices(executives)}\n",
        "committee": "",  # optional, not offered in a new record
        "risks": 'risks: []  # strategic risks it addresses, quoted: ["103350"]\n',
        "delivers": "delivers: []  # strategy commitments it delivers: [<strategy>.<commitment>]\n",
        "due": f"due: {due}  # the target date\n",
        "measures": "# measures:  # optional quantified targets\n"
        + '#   - id: a-measure\n#     name: What is measured\n#     unit: "%"\n#     direction: down  # or up\n'
        + f"#     baseline: {{quarter: {year} Q1, value: 0}}\n#     target: 0\n#     actuals: {{}}\n",
        "milestones": f"# milestones:  # optional\n#   - {{title: A step on the way, due: {due}}}\n",
        "updates": "updates: []  # one a quarter: stratctl update "
        + request.id
        + ' --quarter Q1 --progress on-track --comment "..."\n',
    }


def model() -> type[Record]:
    from stratctl.records import Objective  # when first needed (kinds.registry.RecordKind.source: start-up)

    return Objective


OBJECTIVE = register(RecordKind("objective", model, folder="objectives", scaffold=scaffold))
