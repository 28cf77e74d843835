"""The state of a strategy at a reporting point: every rating, roll-up and commitment.

`build_status` is what `status`, `explain` and the Board report all read from,
so every view of a quarter shows the same figures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from stratctl.errors import StratctlError
from stratctl.periods import FinancialYear, PeriodError, Quarter, check_day
from stratctl.rating import (
    ORDER,
    ObjectiveRating,
    ReportingPoint,
    RiskRating,
    rate_objective,
    rate_risk,
    worst,
)
from stratctl.records import Objective, Risk, Strategy, Trust
from stratctl.repository import Repository
from stratctl.rules.suggest import did_you_mean

POSITIONS = ("C", "G", "A", "R", "none")


@dataclass(frozen=True, slots=True)
class CommitmentStatus:
    strategy: str
    id: str
    title: str
    status: str  # R A G C, none (delivering objectives have no update yet) or not-planned
    delivered_by: tuple[str, ...]


@dataclass(frozen=True)
class Status:
    trust: Trust
    point: ReportingPoint
    objectives: list[tuple[Objective, ObjectiveRating]]
    risks: list[tuple[Risk, RiskRating]]
    commitments: list[CommitmentStatus]
    strategies: list[Strategy]

    def narrowed(self, priority: str | None = None, lead: str | None = None) -> Status:
        """Only the objectives under `priority` and led by `lead`, the risks `lead` leads, and the
        commitments those objectives deliver: one executive's or one priority's view."""
        for given, known, what in ((priority, [p.id for p in self.trust.priorities], "priority"),
                                   (lead, [e.id for e in self.trust.executives], "executive")):
            if given is not None and given not in known:
                raise StratctlError(f"no {what} {given!r} in trust.yaml{did_you_mean(given, known)}")
        objectives = [(o, r) for o, r in self.objectives
                      if (priority is None or o.priority == priority) and (lead is None or o.lead == lead)]
        kept = {o.id for o, _ in objectives}
        return replace(
            self,
            objectives=objectives,
            risks=[(k, r) for k, r in self.risks if lead is None or k.lead == lead],
            commitments=[c for c in self.commitments if kept.intersection(c.delivered_by)],
        )

    def counts(self, ratings: list[ObjectiveRating] | None = None) -> dict[str, int]:
        """How many objectives are reported at each position."""
        tally = Counter(r.reported for r in (ratings if ratings is not None else [r for _, r in self.objectives]))
        return {p: tally.get(p, 0) for p in POSITIONS}

    def by_priority(self) -> dict[str, dict[str, int]]:
        return {
            p.id: self.counts([r for o, r in self.objectives if o.priority == p.id]) for p in self.trust.priorities
        }

    def by_strategic_objective(self) -> dict[str, dict[str, int]]:
        return {
            s.id: self.counts([r for o, r in self.objectives if s.id in o.supports])
            for s in self.trust.strategic_objectives
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of rating.md: lists sorted by id, so output diffs cleanly."""
        return {
            "trust": self.trust.short_name,
            "year": str(self.point.quarter.year),
            "quarter": self.point.quarter.label,
            "as_of": self.point.as_of.isoformat(),
            "summary": {
                "objectives": self.counts(),
                "by_priority": self.by_priority(),
                "by_strategic_objective": self.by_strategic_objective(),
            },
            "objectives": [
                {
                    "id": o.id,
                    "title": o.title,
                    "priority": o.priority,
                    "lead": o.lead,
                    "due": o.due.isoformat() if o.due else None,
                    "progress": r.update.progress if r.update else None,
                    "computed": r.computed,
                    "declared": r.declared,
                    "reported": r.reported,
                    "previous": r.previous_reported,
                    "trend": r.trend,
                    "stale": r.stale,
                    "reasons": list(r.reasons),
                }
                for o, r in self.objectives
            ],
            "risks": [
                {
                    "id": k.id,
                    "title": k.title,
                    "score": r.score,
                    "target_score": r.target_score,
                    "band": r.band,
                    "trend": r.trend,
                    "previous_score": r.previous_score,
                    "distance_to_target": r.distance_to_target,
                    "appetite": r.appetite,
                    "above_appetite": r.above_appetite,
                    "threatens": list(k.threatens),
                    "reasons": list(r.reasons),
                }
                for k, r in self.risks
            ],
            "commitments": [
                {"strategy": c.strategy, "id": c.id, "title": c.title, "status": c.status, "delivered_by": list(c.delivered_by)}
                for c in self.commitments
            ],
        }


def reporting_point(trust: Trust, year: str | None, quarter: str | None, as_of: date | None) -> ReportingPoint:
    """The reporting point from command-line choices; the year defaults to trust.yaml's."""
    start = trust.year_start_month
    try:
        fy = FinancialYear.parse(year) if year else trust.year
        if as_of is not None:
            if quarter is not None:
                raise StratctlError("give --quarter or --as-of, not both")
            point = ReportingPoint.on(check_day(as_of, start), start)
            _check_year(fy if year else None, point.quarter, f"--as-of {as_of.isoformat()}")
            return point
        if quarter is None:
            return ReportingPoint.end_of(fy.quarter(4), start)
        text = quarter.strip().upper()
        q = Quarter.parse(text) if "/" in text else Quarter.parse(f"{fy} {text}")
        _check_year(fy if year else None, q, f"--quarter {quarter}")
    except PeriodError as error:
        raise StratctlError(str(error)) from None
    return ReportingPoint.end_of(q, start)


def _check_year(year: FinancialYear | None, quarter: Quarter, given: str) -> None:
    """A --year that disagrees with the date or quarter given is a mistake, not something to ignore."""
    if year is not None and quarter.year != year:
        raise StratctlError(f"{given} is in {quarter.year}, not --year {year}: give one or make them agree")


def choose_point(
    repository: Repository, year: str | None = None, quarter: str | None = None, as_of: date | None = None
) -> ReportingPoint:
    """The reporting point asked for; with no choice, the end of the latest quarter reported.

    Defaulting to the latest reported quarter (not the year's Q4) means `status`,
    `report` and `export` all show the position the Board last heard about.
    """
    if repository.trust is None:
        raise StratctlError("trust.yaml could not be read: run stratctl validate")
    trust = repository.trust.record
    if year is None and quarter is None and as_of is None:
        latest = repository.latest_quarter()
        if latest is not None:
            return ReportingPoint.end_of(latest, trust.year_start_month)
    return reporting_point(trust, year, quarter, as_of)


def build_status(repository: Repository, point: ReportingPoint) -> Status:
    if repository.trust is None:
        raise StratctlError("trust.yaml could not be read: run stratctl validate")
    trust = repository.trust.record
    objectives = sorted(
        ((o.record, rate_objective(o.record, point, trust.measure_tolerance)) for o in repository.objectives),
        key=lambda pair: pair[0].id,
    )
    risks = sorted(((r.record, rate_risk(r.record, point, trust)) for r in repository.risks), key=lambda p: p[0].id)
    reported = {o.id: r.reported for o, r in objectives}
    delivered_by: dict[str, list[str]] = defaultdict(list)
    for objective, _ in objectives:
        for ref in dict.fromkeys(objective.delivers):
            delivered_by[ref].append(objective.id)
    commitments = []
    for loaded in sorted(repository.strategies, key=lambda s: s.record.id):
        strategy = loaded.record
        for commitment in sorted(strategy.commitments, key=lambda c: c.id):
            ref = f"{strategy.id}.{commitment.id}"
            delivering = tuple(delivered_by.get(ref, ()))
            if not delivering:
                status = "not-planned"
            else:
                status = worst(reported[i] for i in delivering) or "none"
            commitments.append(CommitmentStatus(strategy.id, commitment.id, commitment.title, status, delivering))
    strategies = sorted((s.record for s in repository.strategies), key=lambda s: s.id)
    return Status(trust, point, objectives, risks, commitments, strategies)


__all__ = ["ORDER", "Status", "build_status", "choose_point", "reporting_point", "CommitmentStatus"]
