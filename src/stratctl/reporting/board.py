"""What the Board paper holds, as plain data for the templates.

Templates only lay out what this module decides: which objectives are
exceptions, what moved, which risks sit in which cell of the heat map.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from stratctl.rating import ORDER, ObjectiveRating, final_position
from stratctl.records import Objective
from stratctl.reporting.baf import HeatCell, RiskEntry, heat_map, risk_entry, risk_name
from stratctl.reporting.cover import CoverOptions, CoverSheet, cover_sheet
from stratctl.reporting.measure_views import MeasureView, measure_view
from stratctl.reporting.parts import Named
from stratctl.reporting.provenance import Provenance
from stratctl.reporting.quality import BoardFinding, BoardNote
from stratctl.status import Status
from stratctl.vocabulary import ARROWS, POSITIONS


@dataclass(frozen=True, slots=True)
class MilestoneView:
    """A milestone as the paper shows it: when it is due, when it was due before, and whether it is done."""

    title: str
    due: date
    was: tuple[date, ...]  # earlier due dates, oldest first: reprofiled from each
    done: date | None
    overdue_days: int  # days past `due` at the reporting date, not done by then; 0 otherwise

    @property
    def reprofiled(self) -> bool:
        return bool(self.was)

    @property
    def due_words(self) -> str:
        """`31 January 2026, reprofiled from 31 October 2025, then 31 December 2025`."""
        words = long_date(self.due)
        if self.was:
            words += ", reprofiled from " + ", then ".join(long_date(d) for d in self.was)
        return words

    @property
    def state_words(self) -> str:
        """Done (and when), overdue (and by how long, judged against `due`), or not yet due."""
        if self.done is not None:
            return f"Done {long_date(self.done)}"
        if self.overdue_days:
            return f"Overdue by {self.overdue_days} day{'s' if self.overdue_days != 1 else ''}"
        return "Not yet due"


def long_date(day: date) -> str:
    """`6 December 2026`: a day as the paper writes it."""
    return f"{day.day} {day:%B %Y}"


def milestone_views(objective: Objective, as_of: date) -> tuple[MilestoneView, ...]:
    """The objective's milestones as the paper shows them at `as_of`: a milestone done later is not done yet."""
    views = []
    for milestone in objective.milestones:
        done = milestone.done if milestone.done is not None and milestone.done <= as_of else None
        late = (as_of - milestone.due).days if done is None and milestone.due < as_of else 0
        views.append(MilestoneView(milestone.title, milestone.due, tuple(milestone.was), done, late))
    return tuple(views)


@dataclass(frozen=True)
class DataQuality:
    """What the records' findings say, for the paper: in the Board's words, and one by one for the office."""

    error_notes: tuple[BoardNote, ...] = ()
    warning_notes: tuple[BoardNote, ...] = ()
    errors: tuple[BoardFinding, ...] = ()
    warnings: tuple[BoardFinding, ...] = ()
    technical_appendix: bool = False


@dataclass(frozen=True)
class Row:
    """One objective in the tracker."""

    id: str
    title: str
    lead: str
    lead_title: str
    progress: str
    comment: str
    due: date | None
    reported: str
    computed: str
    declared: str | None
    previous: str
    trend: str
    stale: bool
    missed_due: bool
    reasons: tuple[str, ...]
    year: str = ""
    until: str = ""  # the last year of its span: a multi-year objective "continues to" it
    carried_from: Named | None = None  # the objective it continues, by id and title
    carried_from_year: str = ""  # the last year of that objective
    carried_final: str = ""  # the reported position that objective ended on
    committee: str | None = None
    order: int | None = None
    measures: tuple[MeasureView, ...] = ()
    starts: str = ""  # the quarter it starts in, where the paper's quarter comes before it ("" otherwise)
    trend_declared: bool = False  # the trend shown is the Board's own arrow: no earlier position to compute one
    milestones: tuple[MilestoneView, ...] = ()

    @property
    def multi_year(self) -> bool:
        return self.until != self.year

    @property
    def arrow(self) -> str:
        return ARROWS[self.trend]

    @property
    def differs(self) -> bool:
        return self.declared is not None and self.declared != self.computed

    @property
    def position_account(self) -> str:
        """The reported position and who set it, in the words both report formats use."""
        if self.declared is None:
            return f"{self.reported}, computed from the evidence (the Board declared none)"
        if self.differs:
            return f"{self.reported}, declared by the Board; the evidence gives {self.computed}"
        return f"{self.reported}, declared by the Board, and the evidence agrees"


@dataclass(frozen=True)
class StrategicBlock:
    """A strategic objective with what supports it, for the strategy section."""

    id: str
    title: str
    lead: str | None
    lead_title: str | None
    description: str
    counts: dict[str, int]
    rows: tuple[Row, ...]
    measures: tuple[MeasureView, ...]  # its success measures


@dataclass(frozen=True)
class ThemeBlock:
    id: str
    title: str
    statement: str
    counts: dict[str, int]
    strategic_objectives: tuple[StrategicBlock, ...]


@dataclass(frozen=True)
class PriorityBlock:
    id: str
    title: str
    statement: str
    risks: tuple[str, ...]
    rows: tuple[Row, ...]
    counts: dict[str, int]


@dataclass(frozen=True)
class ExceptionItem:
    row: Row
    why: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    id: str
    title: str
    status: str
    delivered_by: tuple[str, ...]  # titles of the objectives delivering it
    measures: tuple[MeasureView, ...] = ()


@dataclass(frozen=True)
class StrategyBlock:
    id: str
    title: str
    lead: str
    status: str
    approval_due: date | None
    commitments: tuple[CommitmentRow, ...]


@dataclass(frozen=True, slots=True)
class ClosedRisk:
    """A risk that left the BAF in the paper's quarter: its last score, why it closed, what replaced it."""

    id: str
    title: str
    score: int | None
    band: str
    reason: str
    successors: tuple[Named, ...]  # the risks that take its place, by id and title

    @property
    def name(self) -> str:
        return risk_name(self.id, self.title)


@dataclass(frozen=True, slots=True)
class BandRange:
    """A risk band for the heat map's key: its name, lowest and highest score."""

    name: str
    low: int
    high: int


@dataclass(frozen=True)
class BoardReport:
    trust_name: str
    short_name: str
    year: str
    quarter: str
    as_of: date
    provenance: Provenance
    counts: dict[str, int]
    priorities: tuple[PriorityBlock, ...]
    improved: tuple[Row, ...]
    deteriorated: tuple[Row, ...]
    exceptions: tuple[ExceptionItem, ...]
    risks: tuple[RiskEntry, ...]
    heat_map: tuple[tuple[HeatCell, ...], ...]  # rows of likelihood 5 down to 1, cells of consequence 1 to 5
    score_only_risks: tuple[str, ...]
    strategies: tuple[StrategyBlock, ...]
    awaiting_approval: tuple[StrategyBlock, ...]
    warnings: tuple[BoardFinding, ...]
    positions: tuple[str, ...] = POSITIONS
    unassigned: tuple[Row, ...] = field(default=())
    band_ranges: tuple[BandRange, ...] = ()
    executives: tuple[Named, ...] = ()  # each executive who leads an objective
    scope_title: str = ""  # a committee's, executive's, priority's or theme's paper: what it is about
    strategy: StrategyOverview | None = None
    themes: tuple[ThemeBlock, ...] = ()
    unthemed: tuple[StrategicBlock, ...] = ()  # strategic objectives under no theme (all of them, without themes)
    closed_risks: tuple[ClosedRisk, ...] = ()  # the risks that left the BAF in the quarter, listed apart from it

    @property
    def with_milestones(self) -> tuple[Row, ...]:
        """The objectives with milestones, in the tracker's order (priorities, then those under none)."""
        rows = [row for block in self.priorities for row in block.rows] + list(self.unassigned)
        return tuple(row for row in rows if row.milestones)

    @property
    def paper_title(self) -> str:
        return f"{self.scope_title}: strategy delivery report" if self.scope_title else "Strategy delivery report"

    cover: CoverSheet | None = None
    errors: tuple[BoardFinding, ...] = ()  # errors the paper was rendered despite (--allow-errors)
    notes: tuple[BoardNote, ...] = ()  # the warnings, in the Board's words (the data-quality appendix)
    error_notes: tuple[BoardNote, ...] = ()  # the errors, likewise
    technical_appendix: bool = False  # list each finding with its file and line too (the office's copy)

    @property
    def strategic_objective_names(self) -> tuple[Named, ...]:
        """The strategic objectives in the paper, in the Board's order: for the cover sheet."""
        blocks = [s for theme in self.themes for s in theme.strategic_objectives] + list(self.unthemed)
        return tuple(Named(s.id, s.title) for s in blocks)

    @property
    def exception_summary(self) -> str:
        """`3 reported red, 2 deteriorated, 1 past its target date, 4 without a 2021/22 Q3 update`."""
        red = sum(1 for e in self.exceptions if e.row.reported == "R")
        down = sum(1 for e in self.exceptions if e.row.trend == "down")
        missed = sum(1 for e in self.exceptions if e.row.missed_due)
        stale = sum(1 for e in self.exceptions if e.row.stale)
        parts = [
            (red, "reported red"),
            (down, "deteriorated"),
            (missed, "past the target date"),
            (stale, f"without a {self.quarter} update"),
        ]
        return ", ".join(f"{count} {words}" for count, words in parts if count)

    @property
    def risk_summary(self) -> str:
        """`4 extreme, 3 above appetite, 1 increased since the previous quarter`."""
        bands: dict[str, int] = {}
        for risk in self.risks:
            bands[risk.band] = bands.get(risk.band, 0) + 1
        parts = [f"{bands[b.name]} {b.name}" for b in self.band_ranges if bands.get(b.name)]
        above = sum(1 for risk in self.risks if risk.above_appetite)
        increased = sum(1 for risk in self.risks if risk.trend == "increased")
        overdue = sum(risk.overdue_actions for risk in self.risks)
        if above:
            parts.append(f"{above} above appetite")
        if increased:
            parts.append(f"{increased} increased since the previous quarter")
        if overdue:
            parts.append(f"{overdue} overdue action{'s' if overdue != 1 else ''}")
        return ", ".join(parts) or "none scored"

    @property
    def risks_by_score(self) -> tuple[RiskEntry, ...]:
        """Highest current score first; an unscored risk (a finding of validate) last; ties by id."""
        return tuple(sorted(self.risks, key=lambda k: (k.score is None, -(k.score or 0), k.id)))


@dataclass(frozen=True, slots=True)
class StrategyOverview:
    """The trust strategy the paper reports on: its title, period, vision and values."""

    title: str
    start: str
    end: str
    vision: str
    values: tuple[str, ...]


def _row(
    objective: Objective,
    rating: ObjectiveRating,
    status: Status,
    executives: dict[str, str],
    lineage: dict[str, Objective] | None = None,
) -> Row:
    update = rating.update
    complete = update is not None and update.progress == "complete"
    missed = objective.target_date(status.trust.year_start_month) < status.point.as_of and not complete
    predecessor = (lineage or {}).get(objective.carried_from or "")
    carried_final = (
        final_position(predecessor, status.trust.year_start_month, status.trust.measure_tolerance)
        if predecessor
        else ""
    )
    return Row(
        year=str(objective.year),
        until=str(objective.last_year),
        committee=objective.committee,
        order=objective.order,
        carried_from=Named(predecessor.id, predecessor.title) if predecessor is not None else None,
        carried_from_year=str(predecessor.last_year) if predecessor is not None else "",
        carried_final=carried_final,
        measures=tuple(measure_view(m, objective.id) for m in rating.measures),
        starts=str(rating.starts) if rating.starts is not None else "",
        trend_declared=rating.trend != rating.computed_trend,
        milestones=milestone_views(objective, status.point.as_of),
        id=objective.id,
        title=objective.title,
        lead=objective.lead,
        lead_title=executives.get(objective.lead, objective.lead),
        progress=update.progress if update else "no update",
        comment=(update.comment or "") if update else "",
        due=objective.target_date(status.trust.year_start_month),
        reported=rating.reported,
        computed=rating.computed,
        declared=rating.declared,
        previous=rating.previous_reported,
        trend=rating.trend,
        stale=rating.stale,
        missed_due=missed,
        reasons=rating.reasons,
    )


def build_board_report(
    status: Status,
    provenance: Provenance,
    quality: DataQuality | None = None,
    lineage: dict[str, Objective] | None = None,
    *,
    cover: CoverOptions | None = None,
) -> BoardReport:
    """Everything the quarterly Board paper shows, decided once, for any template.

    `lineage` holds every objective of the repository by id, so a carried-forward objective can
    name the one it continues even though that one belongs to an earlier year.
    """
    trust, point = status.trust, status.point
    executives = {e.id: e.title for e in trust.executives}
    rows = {o.id: _row(o, r, status, executives, lineage) for o, r in status.objectives}
    # Indexes built once: a national repository has 10,000 objectives and 2,000 risks.
    by_priority: dict[str, list[tuple[Objective, ObjectiveRating]]] = defaultdict(list)
    citing: dict[str, list[str]] = defaultdict(list)
    for objective, rating in status.objectives:
        by_priority[objective.priority].append((objective, rating))
        for risk_id in objective.risks:
            citing[risk_id].append(objective.id)
    risk_names = {k.id: risk_name(k.id, k.title) for k, _ in status.risks}
    # beside a priority, only the risks on the quarter's BAF: one closed or not yet opened is not cited then
    off_baf = {k for k, risk in status.every_risk.items() if not risk.on_baf(point.quarter)}
    priorities = []
    for priority in trust.priorities:
        members = by_priority.get(priority.id, [])
        if not members and (not priority.applies_in(point.quarter.year) or not status.scope.whole):
            continue  # another year's priority, or one outside this committee's or executive's view
        priorities.append(
            PriorityBlock(
                priority.id,
                priority.title,
                priority.statement or "",
                tuple(risk_names.get(r, r) for r in priority.risks if r not in off_baf),
                tuple(rows[o.id] for o, _ in status.in_tracker_order(members)),
                status.counts([r for _, r in members]),
            )
        )
    known = {p.id for p in trust.priorities}
    unassigned = tuple(rows[o.id] for o, _ in status.objectives if o.priority not in known)
    exceptions = []
    for row in rows.values():
        why = []
        if row.reported == "R":
            why.append("reported red")
        if row.trend == "down":
            why.append(
                f"deteriorated to {row.reported} (declared by the Board)"
                if row.trend_declared
                else f"deteriorated from {row.previous} to {row.reported}"
            )
        if row.missed_due:
            why.append("target date missed")  # the date itself is shown beside it, in the report's own format
        if row.stale:
            why.append(f"no update for {point.quarter}")
        if why:
            exceptions.append(ExceptionItem(row, tuple(why)))
    exceptions.sort(key=lambda e: (ORDER.get(e.row.reported, 9), e.row.id))
    risks = [
        risk_entry(risk, scored, trust, point, tuple(rows[i].title for i in dict.fromkeys(citing.get(risk.id, ()))))
        for risk, scored in status.risks
    ]
    score_only = [e.id for e in risks if e.current.likelihood is None or e.current.consequence is None]
    commitments: dict[tuple[str, str], CommitmentRow] = {}
    for c in status.commitments:
        # By title: a Board reader knows the objectives by what they say, not by their file names.
        delivering = tuple(rows[i].title if i in rows else i for i in c.delivered_by)
        commitments[(c.strategy, c.id)] = CommitmentRow(
            c.id, c.title, c.status, delivering, tuple(measure_view(m, f"{c.strategy}.{c.id}") for m in c.measures)
        )
    strategies = [  # commitments in the order the strategy document lists them
        StrategyBlock(
            record.id,
            record.title,
            executives.get(record.lead, record.lead),
            record.status,
            record.approval_due,
            tuple(commitments[(record.id, c.id)] for c in record.commitments if (record.id, c.id) in commitments),
        )
        for record in status.strategies
    ]
    strategic_blocks = {
        s.id: StrategicBlock(
            s.id,
            s.title,
            s.lead,
            executives.get(s.lead, s.lead) if s.lead else None,
            s.description or "",
            status.counts([r for _, r in status.supporting(s.id)]),
            tuple(rows[o.id] for o, _ in status.in_tracker_order(status.supporting(s.id))),
            tuple(measure_view(m, s.id) for m in status.strategic_measures.get(s.id, ())),
        )
        for s in status.strategic_objectives_in_view()
    }
    themes = tuple(
        ThemeBlock(
            t.id,
            t.title,
            t.statement or "",
            status.theme_counts(t.id),
            tuple(strategic_blocks[s.id] for s in status.strategic_objectives_in_view() if s.theme == t.id),
        )
        for t in status.themes_in_view()
    )
    themed = {s.id for block in themes for s in block.strategic_objectives}
    plan = status.plan  # the strategy in force in the quarter: of one replaced mid-year, the one then
    overview = (
        StrategyOverview(plan.title, str(plan.start), str(plan.end), plan.vision or "", tuple(plan.values))
        if plan
        else None
    )
    leads = {r.lead for r in rows.values()}
    return BoardReport(
        trust_name=trust.name,
        short_name=trust.short_name,
        year=str(point.quarter.year),
        quarter=point.quarter.label,
        as_of=point.as_of,
        provenance=provenance,
        counts=status.counts(),
        priorities=tuple(priorities),
        improved=tuple(r for r in rows.values() if r.trend == "up"),
        deteriorated=tuple(r for r in rows.values() if r.trend == "down"),
        exceptions=tuple(exceptions),
        risks=tuple(risks),
        heat_map=heat_map(risks, trust),
        score_only_risks=tuple(score_only),
        strategies=tuple(strategies),
        awaiting_approval=tuple(s for s in strategies if s.status == "in-development"),
        warnings=quality.warnings if quality else (),
        notes=quality.warning_notes if quality else (),
        error_notes=quality.error_notes if quality else (),
        technical_appendix=quality.technical_appendix if quality else False,
        unassigned=unassigned,
        band_ranges=tuple(BandRange(band.name, band.min, band.max) for band in trust.risk_bands),
        executives=tuple(Named(e.id, e.title) for e in trust.executives if e.id in leads),
        scope_title=status.scope.title(trust) if not status.scope.whole else "",
        strategy=overview,
        themes=themes,
        unthemed=tuple(block for sid, block in strategic_blocks.items() if sid not in themed),
        cover=cover_sheet(
            trust,
            cover or CoverOptions(),
            f"the delivery of the {point.quarter.year} objectives at {point.quarter.label}",
        ),
        errors=quality.errors if quality else (),
        closed_risks=tuple(
            ClosedRisk(
                risk.id,
                risk.title,
                scored.score,
                scored.band,
                risk.closed.reason,
                tuple(
                    Named(s, status.every_risk[s].title if s in status.every_risk else s)
                    for s in risk.closed.successors
                ),
            )
            for risk, scored in status.closed_risks
            if risk.closed is not None
        ),
    )
