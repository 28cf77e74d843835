"""data/strategies/<id>.yaml: an enabling strategy and its commitments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stratctl.kinds.registry import NewRecord, RecordKind, choices, default_lead, register

if TYPE_CHECKING:
    from stratctl.records import Trust
    from stratctl.records.base import Record


def scaffold(request: NewRecord, trust: Trust) -> dict[str, str]:
    from stratctl.yamltext import quoted  # ruamel.yaml: only `new` needs it (start-up)

    year_end = trust.year.quarter(4).last_day(trust.year_start_month).isoformat()
    executives = choices([e.id for e in trust.executives])
    return {
        "lead": f"lead: {quoted(default_lead(request, trust))}  # one of: {executives}\n",
        "status": "status: in-development  # in-development | approved | retired\n",
        "approval_due": f"# approval_due: {year_end}  # when the Board is to ratify it\n",
        "supports": f"supports: []  # strategic objectives: {choices([s.id for s in trust.strategic_objectives])}\n",
        "commitments": "commitments: []  # - {id: a-commitment, title: What the strategy commits to}\n",
    }


def model() -> type[Record]:
    from stratctl.records import Strategy  # when first needed (kinds.registry.RecordKind.source: start-up)

    return Strategy


STRATEGY = register(RecordKind("strategy", model, folder="strategies", scaffold=scaffold))
