"""data/risks/<id>.yaml: a strategic risk of the Board Assurance Framework."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stratctl.errors import StratctlError
from stratctl.kinds.registry import NewRecord, RecordKind, choices, default_lead, register

if TYPE_CHECKING:
    from stratctl.records import Trust
    from stratctl.records.base import Record

_RATING = re.compile(r"(?:(?P<l>[1-5])\s*[x×*]\s*(?P<c>[1-5]))|(?P<s>\d{1,2})")


def rating(text: str) -> str:
    """`4x5` (likelihood x consequence) or `20` (a score) as a YAML flow mapping."""
    match = _RATING.fullmatch(text.strip())
    if not match:
        raise StratctlError(f"{text!r} is not a rating: write likelihood x consequence (4x5) or a score (20)")
    if match["s"]:
        return f"{{score: {int(match['s'])}}}"
    return f"{{likelihood: {match['l']}, consequence: {match['c']}}}"


def scaffold(request: NewRecord, trust: Trust) -> dict[str, str]:
    from stratctl.yamltext import quoted  # ruamel.yaml: only `new` needs it (start-up)

    if not request.current or not request.target:
        raise StratctlError("a risk needs --current and --target ratings, e.g. --current 4x5 --target 2x5")
    year_end = trust.year.quarter(4).last_day(trust.year_start_month).isoformat()
    strategic = choices([s.id for s in trust.strategic_objectives])
    executives = choices([e.id for e in trust.executives])
    return {
        "description": "# description: the risk in full, cause, event and effect\n",
        "public": "# public: true  # in the public annual report: title, description, level, public actions\n",
        "lead": f"lead: {quoted(default_lead(request, trust))}  # one of: {executives}\n",
        "committee": "",  # optional, not offered in a new record (nor the other "" below)
        "threatens": f"threatens: []  # strategic objectives at risk: {strategic}\n",
        "appetite": (
            f"# appetite: cautious  # one of: {choices(list(trust.risk_appetite))}\n" if trust.risk_appetite else ""
        ),
        "inherent": "",
        "current": f"current: {rating(request.current)}  # likelihood x consequence, or {{score: N}}\n",
        "target": f"target: {rating(request.target)}\n",
        "target_date": f"# target_date: {year_end}\n",
        "controls": "controls: []\n",
        "gaps": "gaps: []\n",
        "assurance_gaps": "",
        "assurances": "",
        "actions": "",
        "reviews": "reviews: []  # one a quarter: stratctl update "
        + request.id
        + " --quarter Q1 --likelihood 4 --consequence 5\n",
    }


def model() -> type[Record]:
    from stratctl.records import Risk  # when first needed (kinds.registry.RecordKind.source: start-up)

    return Risk


RISK = register(RecordKind("risk", model, folder="risks", scaffold=scaffold))
