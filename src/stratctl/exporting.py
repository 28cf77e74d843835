"""`export`: the tracker and the risk register as tables a Board office can filter.

Columns follow the trust's own tracker, plus the id, the quarter and the computed
position, so that `import tracker` reads an export back without changing a record.
"""

from __future__ import annotations

from stratctl.status import Status
from stratctl.vocabulary import ARROWS, TRACKER_HEADINGS, label

TRACKER_HEADER = [
    *TRACKER_HEADINGS.values(),
    "Reported Position",
    "Computed Position",
    "Trend",
    "Stale",
]
RISK_HEADER = [
    "Strategic Risk",
    "Current Risk Score",
    "Target Risk Score",
    "Id",
    "Title",
    "Lead",
    "Band",
    "Trend",
    "Distance To Target",
    "Appetite",
    "Above Appetite",
    "Threatens",
]


def _position(letter: str | None) -> str:
    return "Complete" if letter == "C" else (letter or "")


def tables(status: Status) -> dict[str, list[list[str]]]:
    """The tracker and the risk register, each a header row and one row per record, in a stable order."""
    priorities = {p.id: p for p in status.trust.priorities}
    titles = {e.id: e.title for e in status.trust.executives}
    tracker = [TRACKER_HEADER]
    quarter = status.point.quarter
    # beside a priority, the risks on the quarter's BAF: one closed or not yet opened is not cited then
    on_baf = {k.id for k, _ in status.risks} | {k for k, r in status.every_risk.items() if r.on_baf(quarter)}
    for objective, rating in status.in_tracker_order(status.objectives):
        priority = priorities.get(objective.priority)
        update = rating.update
        tracker.append(
            [
                objective.id,
                str(update.quarter) if update else "",
                priority.title if priority else objective.priority,
                " ".join(r for r in priority.risks if r in on_baf or r not in status.every_risk) if priority else "",
                objective.title,
                objective.lead,
                titles.get(objective.lead, ""),
                label(update.progress) if update else "",
                (update.comment or "") if update else "",
                objective.due.strftime("%d/%m/%Y") if objective.due else "",
                # the Board's declared arrow with its position, as the tracker writes it (A↓): import keeps both
                _position(update.projected) + (ARROWS[update.trend] if update.projected and update.trend else "")
                if update
                else "",
                (update.rationale or "") if update else "",
                _position(rating.reported) if rating.reported != "none" else "",
                _position(rating.computed) if rating.computed != "none" else "",
                rating.trend,
                "yes" if rating.stale else "",
            ]
        )
    risks = [RISK_HEADER]
    for risk, scored in status.risks:
        risks.append(
            [
                f"{risk.id}: {risk.description or risk.title}",
                str(scored.score),
                str(scored.target_score),
                risk.id,
                risk.title,
                risk.lead or "",
                scored.band,
                scored.trend,
                str(scored.distance_to_target),
                risk.appetite or "",
                "yes" if scored.above_appetite else "",
                " ".join(risk.threatens),
            ]
        )
    return {"Tracker": tracker, "Risks": risks}
