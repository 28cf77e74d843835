"""The state of a strategy at a reporting point: every rating, roll-up and commitment.

`build_status` is what `status`, `explain` and the Board report all read from,
so every view of a quarter shows the same figures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from stratctl.errors import StratctlError
from stratctl.measure_readout import measure_json
from stratctl.measures import MeasureResult, evaluate_all, strategy_end, strategy_start
from stratctl.periods import FinancialYear, PeriodError, Quarter, ReportingPoint, check_day, parse_quarter
from stratctl.rating import (
    ORDER,
    ObjectiveRating,
    RatingMemo,
    Reported,
    RiskRating,
    final_position,
    memo_of,
    rate_objective,
    rate_risk,
    worst,
)
from stratctl.records import Committee, Objective, Risk, StrategicObjective, Strategy, StrategyPlan, Theme, Trust
from stratctl.repository import Repository
from stratctl.suggest import did_you_mean
from stratctl.vocabulary import POSITIONS


@dataclass(frozen=True, slots=True)
class CommitmentStatus:
    strategy: str
    id: str
    title: str
    status: str  # R A G C, none (delivering objectives have no update yet) or not-planned
    delivered_by: tuple[str, ...]
    measures: tuple[MeasureResult, ...] = ()
    """The commitment's own measures; their signals count in `status` beside the objectives' positions."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Which part of the strategy a paper or view is about: one committee, executive, priority or theme.

    Each given filter narrows the objectives and the risks; given together, all must hold.
    """

    committee: str | None = None
    lead: str | None = None
    priority: str | None = None
    theme: str | None = None

    @property
    def whole(self) -> bool:
        return self.committee is None and self.lead is None and self.priority is None and self.theme is None

    def check(self, trust: Trust) -> None:
        """Each filter names something trust.yaml defines ("did you mean" otherwise)."""
        for given, known, what in (
            (self.committee, [c.id for c in trust.committees], "committee"),
            (self.lead, [e.id for e in trust.executives], "executive"),
            (self.priority, [p.id for p in trust.priorities], "priority"),
            (self.theme, [t.id for t in trust.themes], "theme"),
        ):
            if given is not None and given not in known:
                raise StratctlError(f"no {what} {given!r} in trust.yaml{did_you_mean(given, known)}")

    def title(self, trust: Trust) -> str:
        """What the paper is about, in the Board's words: `Quality and Safety Committee`."""
        parts = []
        if self.committee is not None:
            parts.append(next(c.title for c in trust.committees if c.id == self.committee))
        if self.theme is not None:
            parts.append(next(t.title for t in trust.themes if t.id == self.theme))
        if self.priority is not None:
            parts.append(next(p.title for p in trust.priorities if p.id == self.priority))
        if self.lead is not None:
            parts.append(f"led by the {next(e.title for e in trust.executives if e.id == self.lead)}")
        return "; ".join(parts)

    def strategic_objectives(self, trust: Trust) -> set[str] | None:
        """The strategic objectives of the theme asked for (None: no theme filter)."""
        if self.theme is None:
            return None
        return {s.id for s in trust.strategic_objectives if s.theme == self.theme}

    def keeps_objective(self, objective: Objective, trust: Trust) -> bool:
        strategic = self.strategic_objectives(trust)
        return (
            (self.committee is None or objective.committee == self.committee)
            and (self.lead is None or objective.lead == self.lead)
            and (self.priority is None or objective.priority == self.priority)
            and (strategic is None or not strategic.isdisjoint(objective.supports))
        )

    def keeps_risk(self, risk: Risk, trust: Trust, cited: set[str]) -> bool:
        """A risk is in scope by its own committee, lead and threatened objectives; for a priority,
        when the priority lists it or one of the priority's objectives cites it."""
        strategic = self.strategic_objectives(trust)
        committee_names = {self.committee} | {c.title for c in trust.committees if c.id == self.committee}
        listed = {r for p in trust.priorities if p.id == self.priority for r in p.risks}
        return (
            (self.committee is None or not committee_names.isdisjoint(risk.committees))
            and (self.lead is None or risk.lead == self.lead)
            and (self.priority is None or risk.id in listed or risk.id in cited)
            and (strategic is None or not strategic.isdisjoint(risk.threatens))
        )


@dataclass(frozen=True)
class Status:
    trust: Trust
    point: ReportingPoint
    objectives: list[tuple[Objective, ObjectiveRating]]
    risks: list[tuple[Risk, RiskRating]]
    commitments: list[CommitmentStatus]
    strategies: list[Strategy]
    scope: Scope = Scope()
    strategic_measures: dict[str, tuple[MeasureResult, ...]] = field(default_factory=dict)
    """Strategic objective id -> its success measures at the point, due by the strategy's end."""
    closed_risks: list[tuple[Risk, RiskRating]] = field(default_factory=list)
    """The risks closed in the quarter (off the BAF from it on), each at its last score: listed apart."""
    every_objective: dict[str, Objective] = field(default_factory=dict)
    """Every objective of the repository by id, of any year: lineage, and what an id outside the view became."""
    every_risk: dict[str, Risk] = field(default_factory=dict)
    """Every risk of the repository by id, on the BAF at the point or not."""

    @property
    def plan(self) -> StrategyPlan | None:
        """The trust strategy in force at the point."""
        return self.trust.plan_at(self.point.quarter)

    def narrowed(self, scope: Scope) -> Status:
        """Only the objectives and risks in `scope`, and the commitments those objectives deliver:
        one committee's, executive's, priority's or theme's view."""
        scope.check(self.trust)
        if scope.whole:
            return self
        objectives = [(o, r) for o, r in self.objectives if scope.keeps_objective(o, self.trust)]
        kept = {o.id for o, _ in objectives}
        cited = {risk for o, _ in objectives for risk in o.risks}
        return replace(
            self,
            objectives=objectives,
            risks=[(k, r) for k, r in self.risks if scope.keeps_risk(k, self.trust, cited)],
            closed_risks=[(k, r) for k, r in self.closed_risks if scope.keeps_risk(k, self.trust, cited)],
            commitments=[c for c in self.commitments if kept.intersection(c.delivered_by)],
            strategies=[
                s
                for s in self.strategies
                if any(kept.intersection(c.delivered_by) for c in self.commitments if c.strategy == s.id)
            ],
            scope=scope,
        )

    def whereabouts(self, record_id: str) -> str | None:
        """Where an objective or risk that this view does not hold is: another year's objective (and
        the successor that carries it on), or a risk not on this quarter's BAF (closed, or not yet opened)."""
        quarter = self.point.quarter
        objective = self.every_objective.get(record_id)
        if objective is not None and not objective.active_in(quarter.year):
            span = (
                str(objective.year)
                if objective.last_year == objective.year
                else f"{objective.year} to {objective.last_year}"
            )
            if objective.year > quarter.year:
                return f"objective {record_id} belongs to {span}: give --year {objective.year}"
            successor = self._successor_in(objective, quarter.year)
            own = f"give --year {objective.last_year} for {record_id} itself"
            if successor is not None:
                return (
                    f"objective {record_id} ran in {span} and is carried forward to {quarter.year} as "
                    f"{successor.id}: stratctl explain {successor.id}, or {own}"
                )
            return f"objective {record_id} ran in {span} and closed with {objective.last_year}: {own}"
        risk = self.every_risk.get(record_id)
        if risk is not None and not risk.on_baf(quarter):
            if risk.closed is not None and risk.closed.quarter <= quarter:
                named = risk.closed.successors
                successors = (
                    f"; its successor{'s are' if len(named) > 1 else ' is'} {', '.join(named)}" if named else ""
                )
                return f"risk {record_id} closed in {risk.closed.quarter} ({risk.closed.reason}){successors}"
            return f"risk {record_id} is not on the BAF until it opens in {risk.opened}"
        return None

    def _successor_in(self, objective: Objective, year: FinancialYear) -> Objective | None:
        """The objective that carries `objective` forward into `year`, following the lineage."""
        successors = {o.carried_from: o for o in self.every_objective.values() if o.carried_from}
        seen = {objective.id}
        current = successors.get(objective.id)
        while current is not None and current.id not in seen:
            if current.active_in(year):
                return current
            seen.add(current.id)
            current = successors.get(current.id)
        return None

    def counts(self, ratings: list[ObjectiveRating] | None = None) -> dict[str, int]:
        """How many objectives are reported at each position."""
        tally: Counter[str] = Counter(
            r.reported for r in (ratings if ratings is not None else [r for _, r in self.objectives])
        )
        return {p: tally.get(p, 0) for p in POSITIONS}

    def by_priority(self) -> dict[str, dict[str, int]]:
        """Counts per priority that applies in the year (or has objectives in it), in the Board's order."""
        year = self.point.quarter.year
        used = {o.priority for o, _ in self.objectives}
        return {
            p.id: self.counts([r for o, r in self.objectives if o.priority == p.id])
            for p in self.trust.priorities
            if p.applies_in(year) or p.id in used
        }

    def by_strategic_objective(self) -> dict[str, dict[str, int]]:
        """Counts per strategic objective in force at the point, in the Board's order."""
        return {
            s.id: self.counts([r for o, r in self.objectives if s.id in o.supports])
            for s in self.trust.strategic_objectives
            if s.in_force_at(self.point.quarter)
        }

    def in_tracker_order(
        self, pairs: Iterable[tuple[Objective, ObjectiveRating]]
    ) -> list[tuple[Objective, ObjectiveRating]]:
        """`pairs` as the tracker lists them: by priority in the Board's order (trust.yaml's), then
        by each objective's place under its priority (Objective.tracker_order)."""
        place = {priority.id: index for index, priority in enumerate(self.trust.priorities)}
        return sorted(pairs, key=lambda pair: (place.get(pair[0].priority, len(place)), pair[0].tracker_order))

    def supporting(self, strategic_objective: str) -> list[tuple[Objective, ObjectiveRating]]:
        """The objectives of this view that support one strategic objective."""
        return [(o, r) for o, r in self.objectives if strategic_objective in o.supports]

    def strategic_objectives_in_view(self, during: FinancialYear | None = None) -> list[StrategicObjective]:
        """The strategic objectives in force at the point (with `during`, in any quarter of that year:
        the annual report's view), in the Board's order: in a theme's view, that theme's; in another
        narrowed view, those its objectives support or its risks threaten."""
        kept = self.scope.strategic_objectives(self.trust)
        if kept is None and not self.scope.whole:
            kept = {s for o, _ in self.objectives for s in o.supports} | {s for k, _ in self.risks for s in k.threatens}
        quarters = [during.quarter(n) for n in range(1, 5)] if during is not None else [self.point.quarter]
        return [
            s
            for s in self.trust.strategic_objectives
            if any(s.in_force_at(q) for q in quarters) and (kept is None or s.id in kept)
        ]

    def themes_in_view(self) -> list[Theme]:
        """The themes in force at the point (the one asked for, in a theme's view)."""
        quarter = self.point.quarter
        return [
            t
            for t in self.trust.themes
            if t.in_force_at(quarter) and (self.scope.theme is None or t.id == self.scope.theme)
        ]

    def theme_counts(self, theme: str) -> dict[str, int]:
        """The reported positions of the objectives supporting any of the theme's strategic objectives, each once."""
        strategic = {
            s.id for s in self.trust.strategic_objectives if s.theme == theme and s.in_force_at(self.point.quarter)
        }
        return self.counts([r for o, r in self.objectives if not strategic.isdisjoint(o.supports)])

    def committee_members(self, committee: Committee) -> tuple[list[str], list[str]]:
        """Ids of the objectives and risks a committee oversees, in this view: a risk overseen by
        several committees is in each one's list."""
        objectives = [o.id for o, _ in self.objectives if o.committee == committee.id]
        names = {committee.id, committee.title}
        risks = [k.id for k, _ in self.risks if not names.isdisjoint(k.committees)]
        return objectives, risks

    def to_dict(self) -> dict[str, Any]:
        """The JSON object docs/rating.md describes: lists of records sorted by id, so output diffs
        cleanly; strategic objectives, themes and committees in the Board's order."""
        result = self._to_dict()
        for entry, (_, rating) in zip(result["objectives"], self.objectives, strict=True):
            entry["measures"] = [measure_json(m) for m in rating.measures]
        for entry, commitment in zip(result["commitments"], self.commitments, strict=True):
            entry["measures"] = [measure_json(m) for m in commitment.measures]
        for entry in result["strategic_objectives"]:  # each strategic objective's success measures
            entry["measures"] = [measure_json(m) for m in self.strategic_measures.get(entry["id"], ())]
        return result

    def _to_dict(self) -> dict[str, Any]:
        """Everything but the measures, which `to_dict` adds to each entry that has them."""
        plan = self.plan
        document: dict[str, Any] = {
            "trust": self.trust.short_name,
            "year": str(self.point.quarter.year),
            "quarter": self.point.quarter.label,
            "as_of": self.point.as_of.isoformat(),
            "strategy": {"title": plan.title, "start": str(plan.start), "end": str(plan.end)} if plan else None,
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
                    "year": str(o.year),
                    "until": str(o.last_year),
                    "carried_from": o.carried_from,
                    "start": str(o.start) if o.start is not None else None,
                    "committee": o.committee,
                    "order": o.order,
                    "due": o.due.isoformat() if o.due else None,
                    "target_date": o.target_date(self.trust.year_start_month).isoformat(),
                    "progress": r.update.progress if r.update else None,
                    "computed": r.computed,
                    "declared": r.declared,
                    "reported": r.reported,
                    "previous": r.previous_reported,
                    "trend": r.trend,
                    "declared_trend": r.declared_trend,
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
                    "committee": k.committee,
                    "committees": list(k.committees),
                    "opened": str(k.opened) if k.opened is not None else None,
                    "reasons": list(r.reasons),
                }
                for k, r in self.risks
            ],
            "closed_risks": [
                {
                    "id": k.id,
                    "title": k.title,
                    "quarter": str(k.closed.quarter),
                    "reason": k.closed.reason,
                    "successors": list(k.closed.successors),
                    "score": r.score,
                    "band": r.band,
                }
                for k, r in self.closed_risks
                if k.closed is not None
            ],
            "commitments": [
                {
                    "strategy": c.strategy,
                    "id": c.id,
                    "title": c.title,
                    "status": c.status,
                    "delivered_by": list(c.delivered_by),
                }
                for c in self.commitments
            ],
            "strategic_objectives": [
                {
                    "id": s.id,
                    "title": s.title,
                    "theme": s.theme,
                    "lead": s.lead,
                    "counts": self.counts([r for _, r in self.supporting(s.id)]),
                    "objectives": [o.id for o, _ in self.supporting(s.id)],
                }
                for s in self.strategic_objectives_in_view()
            ],
            "themes": [
                {
                    "id": t.id,
                    "title": t.title,
                    "counts": self.theme_counts(t.id),
                    "strategic_objectives": [
                        s.id
                        for s in self.trust.strategic_objectives
                        if s.theme == t.id and s.in_force_at(self.point.quarter)
                    ],
                }
                for t in self.themes_in_view()
            ],
            "committees": [
                {"id": c.id, "title": c.title, "objectives": members[0], "risks": members[1]}
                for c in self.trust.committees
                for members in [self.committee_members(c)]
            ],
        }
        if not self.scope.whole:
            document["scope"] = {
                "committee": self.scope.committee,
                "lead": self.scope.lead,
                "priority": self.scope.priority,
                "theme": self.scope.theme,
                "title": self.scope.title(self.trust),
            }
        return document


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
        q = parse_quarter(quarter, fy)
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
    `report` and `export` all show the position the Board last heard about. The year is
    trust.yaml's `year`; a year with nothing reported yet (just after `rollover`) is shown at the
    last quarter reported before it, which is still what the Board last heard, and a repository
    with nothing reported at all at the year's Q1.
    """
    trust = repository.trust_record()
    if year is None and quarter is None and as_of is None:
        latest = repository.latest_quarter(trust.year) or max(
            (u.quarter for o in repository.objectives for u in o.record.updates if u.quarter.year < trust.year),
            default=None,
        )
        return ReportingPoint.end_of(latest or trust.year.quarter(1), trust.year_start_month)
    point = reporting_point(trust, year, quarter, as_of)
    objectives = [o.record for o in repository.objectives]
    if objectives and not any(o.active_in(point.quarter.year) for o in objectives):
        first = min(o.year for o in objectives)
        last = max(o.last_year for o in objectives)
        span = str(first) if first == last else f"{first} to {last}"
        raise StratctlError(f"no objective is active in {point.quarter.year}: the records hold {span}")
    return point


def build_status(repository: Repository, point: ReportingPoint) -> Status:
    """Every rating at `point`: the objectives active in its financial year, every risk, every commitment."""
    trust = repository.trust_record()
    year, tolerance = point.quarter.year, trust.measure_tolerance
    by_id = {o.record.id: o.record for o in repository.objectives}
    memo = memo_of(repository)  # what the rules computed already (validate, then the paper) is not computed again
    objectives = sorted(
        (
            (
                o.record,
                rate_objective(
                    o.record, point, tolerance, predecessor_final(o.record, by_id, point, tolerance, memo), memo=memo
                ),
            )
            for o in repository.objectives
            if o.record.active_in(year)
        ),
        key=lambda pair: pair[0].id,
    )
    # Only the risks on the BAF at the point are scored, counted and placed (docs/rating.md); those
    # closed in its quarter are listed apart, at their last score.
    risks = sorted(
        ((r.record, rate_risk(r.record, point, trust)) for r in repository.risks if r.record.on_baf(point.quarter)),
        key=lambda p: p[0].id,
    )
    closed_risks = sorted(
        ((r.record, rate_risk(r.record, point, trust)) for r in repository.risks if r.record.closed_in(point.quarter)),
        key=lambda p: p[0].id,
    )
    reported = {o.id: r.reported for o, r in objectives}
    delivered_by: dict[str, list[str]] = defaultdict(list)
    for objective, _ in objectives:
        for ref in dict.fromkeys(objective.delivers):
            delivered_by[ref].append(objective.id)
    commitments = []
    tolerance, strategy_due, strategy_first = trust.measure_tolerance, strategy_end(trust), strategy_start(trust)
    for loaded in sorted(repository.strategies, key=lambda s: s.record.id):
        strategy = loaded.record
        for commitment in sorted(strategy.commitments, key=lambda c: c.id):
            ref = f"{strategy.id}.{commitment.id}"
            delivering = tuple(delivered_by.get(ref, ()))
            # A commitment's measures are projected to the end of the trust strategy's period, as the
            # strategy's own success measures are (docs/rating.md); a commitment's `due` is its delivery's.
            measures = evaluate_all(commitment.measures, point, strategy_due, tolerance, span_start=strategy_first)
            signals = [m.signal for m in measures if m.signal is not None]
            if not delivering and not signals:
                status = "not-planned"
            else:
                # The worst of what the delivering objectives report and what its own measures show.
                status = worst([*(reported[i] for i in delivering), *signals]) or "none"
            commitments.append(
                CommitmentStatus(strategy.id, commitment.id, commitment.title, status, delivering, measures)
            )
    strategies = sorted((s.record for s in repository.strategies), key=lambda s: s.id)
    strategic_measures = {
        s.id: evaluate_all(s.measures, point, strategy_due, tolerance, span_start=strategy_first)
        for s in trust.strategic_objectives
        if s.measures
    }
    return Status(
        trust,
        point,
        objectives,
        risks,
        commitments,
        strategies,
        strategic_measures=strategic_measures,
        closed_risks=closed_risks,
        every_objective=by_id,
        every_risk={r.record.id: r.record for r in repository.risks},
    )


def predecessor_final(
    objective: Objective,
    by_id: dict[str, Objective],
    point: ReportingPoint,
    tolerance: float,
    memo: RatingMemo | None = None,
) -> Reported | None:
    """The reported position the objective it was carried from ended on: where its trend starts."""
    predecessor = by_id.get(objective.carried_from or "")
    if predecessor is None or predecessor.last_year >= objective.year:
        return None
    return final_position(predecessor, point.start_month, tolerance, memo=memo)


__all__ = [
    "ORDER",
    "CommitmentStatus",
    "Status",
    "build_status",
    "choose_point",
    "predecessor_final",
    "reporting_point",
]
