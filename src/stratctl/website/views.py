"""What each page of the site shows, as plain data for its template.

Built from the quarter's status (stratctl.status), the quarter's Board paper as the Board reads it
(stratctl.reporting.board: its rows, strategic objectives, heat map and BAF entries), and the site's
history of earlier quarters (stratctl.website.history), so every figure on a page is the one the
paper of that quarter gives. Pages name records by their titles and link them by id; the
templates lay out what is decided here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from stratctl.measures import MeasureResult
from stratctl.periods import FinancialYear, Quarter, ReportingPoint
from stratctl.rating import band_of, final_position, rate_objective, rate_risk, rating_in_force
from stratctl.records import Objective, Risk, StrategicObjective, Trust
from stratctl.records.objective import Update
from stratctl.records.risk import Review
from stratctl.reporting.baf import RatingView, RiskEntry, risk_entry, risk_name
from stratctl.reporting.board import BoardReport, MilestoneView, Row, milestone_views
from stratctl.reporting.charts.model import ScoreBand, ScoreHistory, ScorePoint
from stratctl.reporting.charts.score import score_history
from stratctl.reporting.measure_views import MeasureView, measure_view
from stratctl.reporting.parts import Named
from stratctl.reporting.provenance import Provenance
from stratctl.status import Status
from stratctl.website.history import History, QuarterSummary


@dataclass(frozen=True, slots=True)
class Ref:
    """A record a page names: its id (for the link), its title, and what the page says beside it."""

    id: str
    title: str
    note: str = ""
    position: str = ""  # R, A, G, C or none: the record's position at the site's quarter ("" for none shown)
    trend: str = "same"
    score: int | None = None  # a risk's score at the site's quarter
    band: str = ""


@dataclass(frozen=True)
class SignOffView:
    """A quarter the Board signed off, and whether the paper in the archive is the one it approved."""

    tag: str
    commit: str
    recorded: str  # the Paper-SHA256 the tag records ("" when it records none)
    digest: str  # the SHA-256 of the paper the archive holds
    differences: tuple[str, ...] = ()  # why the rebuilt paper differs, when it does
    problem: str = ""  # why it could not be rebuilt from its tag ("" when it was)

    @property
    def matches(self) -> bool:
        return bool(self.recorded) and self.recorded == self.digest and not self.problem


@dataclass(frozen=True)
class ArchiveEntry:
    """One quarter's paper in the archive."""

    summary: QuarterSummary
    signoff: SignOffView | None
    digest: str  # the SHA-256 of the paper the archive holds

    @property
    def quarter(self) -> Quarter:
        return self.summary.quarter


@dataclass(frozen=True)
class SiteFrame:
    """What every page says about the site as a whole."""

    trust_name: str
    short_name: str
    quarter: Quarter
    as_of: date
    provenance: Provenance
    illustrative: bool
    latest: Quarter | None  # the latest quarter with a paper in the archive
    papers: int  # how many quarters' papers the archive holds

    @property
    def label(self) -> str:
        return f"{self.quarter.year} {self.quarter.label}"


# --- the pages ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UpdateRow:
    """One quarter of an objective's lineage: the update its objective gave, and the paper's position."""

    quarter: Quarter
    objective: Ref  # the objective of the lineage the quarter belongs to
    own: bool  # that objective is the page's own
    update: Update | None
    reported: str  # the position the quarter's paper gave ("" when the archive has no paper for the quarter)
    computed: str
    declared: str | None
    trend: str
    before_start: bool

    @property
    def differs(self) -> bool:
        return self.declared is not None and bool(self.computed) and self.declared != self.computed


@dataclass(frozen=True)
class ObjectivePage:
    objective: Objective
    span: str  # "2021/22", or "2022/23 to 2023/24"
    standing: str  # where it stands in the site's year, in a sentence
    priority: Named | None
    supports: tuple[Ref, ...]
    lead: Ref
    committee: Ref | None
    target_date: date
    row: Row | None  # its row in the site quarter's tracker, when active in the site's year
    measures: tuple[MeasureView, ...]
    measures_at: str  # the quarter the measures are read at
    milestones: tuple[MilestoneView, ...]
    lineage: tuple[Ref, ...]  # every objective of its lineage, oldest first, itself included
    updates: tuple[UpdateRow, ...]
    risks: tuple[Ref, ...]
    commitments: tuple[Ref, ...]

    @property
    def title(self) -> str:
        return self.objective.title


@dataclass(frozen=True, slots=True)
class ReviewRow:
    quarter: Quarter
    rating: RatingView
    note: str
    amended: str


@dataclass(frozen=True)
class RiskPage:
    risk: Risk
    entry: RiskEntry  # the BAF entry at the site's quarter (for a closed risk, at its last score)
    standing: str
    on_baf: bool
    chart: Markup
    reviews: tuple[ReviewRow, ...]
    committees: tuple[Ref, ...]
    threatens: tuple[Ref, ...]
    lead: Ref | None  # None until the trust names one (an imported BAF table may give none)
    successors: tuple[Ref, ...]  # the risks that took its place when it closed
    predecessors: tuple[Ref, ...]  # the closed risks whose place it took
    objectives: tuple[Ref, ...]  # every objective that cites it, of any year
    priorities: tuple[str, ...]  # this year's priorities that cite it

    @property
    def title(self) -> str:
        return risk_name(self.risk.id, self.risk.title)


@dataclass(frozen=True)
class StrategicPage:
    strategic: StrategicObjective
    theme: Named | None
    lead: Ref | None
    in_force: str  # when it is in force, in words ("" when always)
    current: bool  # in force at the site's quarter
    counts: dict[str, int]
    supporting: tuple[Ref, ...]  # the site year's objectives that support it, with their positions
    other_years: tuple[Ref, ...]
    measures: tuple[MeasureView, ...]
    risks: tuple[Ref, ...]  # the risks on the BAF that threaten it
    other_risks: tuple[Ref, ...]  # those that threatened it before, or will

    @property
    def title(self) -> str:
        return self.strategic.title


@dataclass(frozen=True)
class GroupPage:
    """A committee's or an executive's page: what they oversee or lead."""

    id: str
    title: str
    kind: str  # "committee" | "executive"
    counts: dict[str, int]
    objectives: tuple[Ref, ...]  # of the site's year, with their positions
    other_objectives: tuple[Ref, ...]
    risks: tuple[Ref, ...]  # on the BAF at the site's quarter, with their scores
    other_risks: tuple[Ref, ...]
    strategic: tuple[Ref, ...] = ()  # the strategic objectives an executive leads
    strategies: tuple[str, ...] = ()  # the enabling strategies an executive leads
    actions: tuple[Ref, ...] = ()  # BAF actions an executive owns: the risk's id and title, the action as note


@dataclass(frozen=True)
class YearGroup:
    """Objectives of one year, for the objectives index."""

    year: str
    objectives: tuple[Ref, ...]


# --- building them ------------------------------------------------------------------------


def _span(objective: Objective) -> str:
    return (
        str(objective.year) if objective.last_year == objective.year else f"{objective.year} to {objective.last_year}"
    )


def _in_force_words(first: object, last: object) -> str:
    if first is None and last is None:
        return ""
    if first is not None and last is not None:
        return f"in force from {first} to {last}"
    return f"in force from {first}" if first is not None else f"in force until {last}"


class _Indexes:
    """Who cites, leads and oversees what, built once for every page (a national repository has
    10,000 objectives and 2,000 risks: each page looks its links up here)."""

    def __init__(self, status: Status, objectives: Sequence[Objective], risks: Sequence[Risk]) -> None:
        trust = status.trust
        self.trust = trust
        self.objectives = {o.id: o for o in objectives}
        self.risks = {k.id: k for k in risks}
        self.executives = {e.id: e.title for e in trust.executives}
        self.committees = {c.id: c.title for c in trust.committees}
        self.committee_ids = {c.title: c.id for c in trust.committees} | {c.id: c.id for c in trust.committees}
        self.strategic = {s.id: s for s in trust.strategic_objectives}
        self.priorities = {p.id: p for p in trust.priorities}
        self.successors: dict[str, list[Objective]] = defaultdict(list)
        self.citing: dict[str, list[Objective]] = defaultdict(list)
        self.supporting: dict[str, list[Objective]] = defaultdict(list)
        self.led: dict[str, list[Objective]] = defaultdict(list)
        self.overseen: dict[str, list[Objective]] = defaultdict(list)
        for objective in sorted(objectives, key=lambda o: (o.year, o.tracker_order)):
            if objective.carried_from:
                self.successors[objective.carried_from].append(objective)
            for risk_id in dict.fromkeys(objective.risks):
                self.citing[risk_id].append(objective)
            for strategic_id in dict.fromkeys(objective.supports):
                self.supporting[strategic_id].append(objective)
            self.led[objective.lead].append(objective)
            if objective.committee:
                self.overseen[objective.committee].append(objective)
        self.threatening: dict[str, list[Risk]] = defaultdict(list)
        self.risks_led: dict[str, list[Risk]] = defaultdict(list)
        self.risks_overseen: dict[str, list[Risk]] = defaultdict(list)
        self.predecessors: dict[str, list[Risk]] = defaultdict(list)
        for risk in sorted(risks, key=lambda k: k.id):
            for strategic_id in dict.fromkeys(risk.threatens):
                self.threatening[strategic_id].append(risk)
            if risk.lead is not None:
                self.risks_led[risk.lead].append(risk)
            for name in risk.committees:
                self.risks_overseen[self.committee_ids.get(name, name)].append(risk)
            if risk.closed is not None:
                for successor in dict.fromkeys(risk.closed.successors):
                    self.predecessors[successor].append(risk)
        self.ratings = {o.id: r for o, r in status.objectives}
        self.scores = {k.id: r for k, r in status.risks}
        self.commitments = {f"{c.strategy}.{c.id}": c for c in status.commitments}
        self.strategies = {s.id: s for s in status.strategies}


@dataclass(frozen=True)
class SiteInput:
    """What the site is built from."""

    status: Status  # at the site's quarter
    board: BoardReport  # that quarter's paper, as the Board reads it
    history: History  # every quarter of the archive, the site's last
    archive: tuple[ArchiveEntry, ...]
    source: Provenance
    objectives: tuple[Objective, ...]  # every objective of the repository, of any year
    risks: tuple[Risk, ...]  # every risk, on the BAF or not


class Site:
    """The repository as of the status's quarter, page by page: the listings are built at once, a
    record's page only when it is rendered (a national repository's 12,000 pages are never held at once)."""

    def __init__(self, given: SiteInput) -> None:
        status, board = given.status, given.board
        trust, point = status.trust, status.point
        self.status = status
        self.board = board
        self.history = given.history
        self.archive = given.archive
        self._index = index = _Indexes(status, given.objectives, given.risks)
        self._rows = {row.id: row for block in board.priorities for row in block.rows} | {
            row.id: row for row in board.unassigned
        }
        self.frame = SiteFrame(
            trust.name,
            trust.short_name,
            point.quarter,
            point.as_of,
            given.source,
            trust.illustrative,
            given.history.quarters[-1].quarter if given.history.quarters else None,
            len(given.history.quarters),
        )
        year = point.quarter.year
        others: dict[FinancialYear, list[Ref]] = defaultdict(list)
        for objective in sorted(given.objectives, key=lambda o: (o.year, o.tracker_order)):
            if not objective.active_in(year):
                others[objective.year].append(_objective_ref(objective, index, note=_span(objective)))
        self.other_years = tuple(YearGroup(str(y), tuple(refs)) for y, refs in sorted(others.items(), reverse=True))
        """Objectives of the years other than the site's, newest first."""
        self.closed_risks = tuple(
            _risk_ref(risk, index, point.quarter)
            for risk in sorted(given.risks, key=lambda k: k.id)
            if not risk.on_baf(point.quarter)
        )
        """Risks not on the BAF at the site's quarter: closed, or not yet opened."""
        theme_ids = {t.id for t in trust.themes}
        themes = [
            (Named(t.id, t.title), tuple(Ref(s.id, s.title) for s in trust.strategic_objectives if s.theme == t.id))
            for t in trust.themes
        ]
        unthemed = tuple(Ref(s.id, s.title) for s in trust.strategic_objectives if s.theme not in theme_ids)
        if unthemed:
            themes.append((Named("", ""), unthemed))
        self.themes = tuple(themes)
        """The strategic objectives by theme (those under none last, with an empty theme)."""
        self.committees = tuple(_committee_page(c.id, c.title, index, status) for c in trust.committees)
        self.executives = tuple(_executive_page(e.id, e.title, index, status) for e in trust.executives)

    @property
    def current(self) -> ArchiveEntry | None:
        """The archive's entry for the site's own quarter (None when that quarter has no update yet)."""
        return next((entry for entry in self.archive if entry.quarter == self.frame.quarter), None)

    def objective(self, objective_id: str) -> ObjectivePage:
        index = self._index
        return _objective_page(
            index.objectives[objective_id], index, self.status, self._rows.get(objective_id), self.history
        )

    def risk(self, risk_id: str) -> RiskPage:
        return _risk_page(self._index.risks[risk_id], self._index, self.status)

    def strategic(self, strategic_id: str) -> StrategicPage:
        return _strategic_page(self._index.strategic[strategic_id], self._index, self.status)


def _objective_ref(objective: Objective, index: _Indexes, note: str = "") -> Ref:
    rating = index.ratings.get(objective.id)
    if rating is None:
        return Ref(objective.id, objective.title, note)
    if rating.starts is not None:
        return Ref(objective.id, objective.title, note or f"starts {rating.starts}")
    return Ref(objective.id, objective.title, note, rating.reported, rating.trend)


def _risk_ref(risk: Risk, index: _Indexes, quarter: Quarter) -> Ref:
    scored = index.scores.get(risk.id)
    if scored is not None:
        return Ref(risk.id, risk_name(risk.id, risk.title), "", score=scored.score, band=scored.band)
    if risk.closed is not None and risk.closed.quarter <= quarter:
        successors = [index.risks[s].title if s in index.risks else s for s in risk.closed.successors]
        tail = f"; taken on by {', '.join(successors)}" if successors else ""
        return Ref(risk.id, risk_name(risk.id, risk.title), f"closed in {risk.closed.quarter}{tail}")
    return Ref(risk.id, risk_name(risk.id, risk.title), f"on the BAF from {risk.opened}")


def _objective_point(objective: Objective, point: ReportingPoint) -> ReportingPoint:
    """Where an objective of another year is read: the end of its last year when that has passed,
    else the site's own point (an objective planned for a later year has nothing to show yet)."""
    end = objective.last_year.quarter(4)
    return ReportingPoint.end_of(end, point.start_month) if end < point.quarter else point


def _lineage(objective: Objective, index: _Indexes) -> list[Objective]:
    """The objectives it continues and those that continue it, oldest first (a loop is an error
    validate reports: each objective is taken once)."""
    chain: list[Objective] = []
    seen: set[str] = set()
    current: Objective | None = objective
    while current is not None and current.id not in seen:  # back to the first
        seen.add(current.id)
        chain.insert(0, current)
        current = index.objectives.get(current.carried_from or "")
    queue = [objective]
    while queue:  # forward, through every successor
        for successor in index.successors.get(queue.pop(0).id, ()):
            if successor.id not in seen:
                seen.add(successor.id)
                chain.append(successor)
                queue.append(successor)
    return sorted(chain, key=lambda o: (o.first_quarter, o.id))


def _updates(
    objective: Objective, chain: Sequence[Objective], history: History, last: Quarter
) -> tuple[UpdateRow, ...]:
    """Every quarter of the lineage up to the site's quarter: each member's quarters, from its first
    reported (or planned) quarter to the end of its span."""
    rows: list[UpdateRow] = []
    for member in chain:
        own = {u.quarter: u for u in member.updates}
        ref = Ref(member.id, member.title, _span(member))
        quarter = member.year.quarter(1)
        end = min(member.last_year.quarter(4), last)
        while quarter <= end:
            rated = history.at(member.id, quarter)
            rows.append(
                UpdateRow(
                    quarter,
                    ref,
                    member.id == objective.id,
                    own.get(quarter),
                    rated.reported if rated is not None else "",
                    rated.computed if rated is not None else "",
                    rated.declared if rated is not None else None,
                    rated.trend if rated is not None else "same",
                    member.starts_after(quarter),
                )
            )
            quarter = quarter.next()
    return tuple(rows)


def _objective_page(
    objective: Objective, index: _Indexes, status: Status, row: Row | None, history: History
) -> ObjectivePage:
    trust, point = status.trust, status.point
    rating = index.ratings.get(objective.id)
    year = point.quarter.year
    chain = _lineage(objective, index)
    successors = [o for o in chain if o.carried_from == objective.id]
    if rating is not None:
        measures: Sequence[MeasureResult] = rating.measures
        at = point
        standing = (
            f"Starts in {rating.starts}: on the {year} tracker, not yet reported."
            if rating.starts is not None
            else f"Active in {year}."
        )
    else:
        at = _objective_point(objective, point)
        measures = rate_objective(objective, at, trust.measure_tolerance).measures
        if objective.year > year:
            standing = f"Planned for {_span(objective)}: not yet begun at {point.quarter}."
        else:
            ended = final_position(objective, point.start_month, trust.measure_tolerance)
            carried = f" It is carried forward as {', '.join(o.title for o in successors)}." if successors else ""
            standing = f"Ran in {_span(objective)} and ended at {ended}.{carried}"
    priority = index.priorities.get(objective.priority)
    committee = objective.committee
    return ObjectivePage(
        objective=objective,
        span=_span(objective),
        standing=standing,
        priority=Named(priority.id, priority.title) if priority is not None else None,
        supports=tuple(
            Ref(s, index.strategic[s].title if s in index.strategic else s) for s in dict.fromkeys(objective.supports)
        ),
        lead=Ref(objective.lead, index.executives.get(objective.lead, objective.lead)),
        committee=Ref(committee, index.committees.get(committee, committee)) if committee else None,
        target_date=objective.target_date(trust.year_start_month),
        row=row,
        measures=row.measures if row is not None else tuple(measure_view(m, objective.id) for m in measures),
        measures_at=str(at.quarter),
        milestones=row.milestones if row is not None else milestone_views(objective, at.as_of),
        lineage=tuple(
            _objective_ref(member, index, note=_span(member))
            if member.id != objective.id
            else Ref(member.id, member.title, _span(member))
            for member in chain
        ),
        updates=_updates(objective, chain, history, point.quarter),
        risks=tuple(
            _risk_ref(index.risks[r], index, point.quarter) if r in index.risks else Ref(r, r)
            for r in dict.fromkeys(objective.risks)
        ),
        commitments=tuple(_commitment_ref(ref, index) for ref in dict.fromkeys(objective.delivers)),
    )


def _commitment_ref(ref: str, index: _Indexes) -> Ref:
    strategy_id, _, commitment_id = ref.partition(".")
    strategy = index.strategies.get(strategy_id)
    found = index.commitments.get(ref)
    title = found.title if found is not None else commitment_id
    return Ref(ref, title, strategy.title if strategy is not None else strategy_id, found.status if found else "")


def _history_chart(risk: Risk, index: _Indexes, quarter: Quarter) -> Markup:
    """The risk's score at the end of every quarter from its first review (or its opening) to the site's
    quarter, or the quarter it closed."""
    first = min((review.quarter for review in risk.reviews), default=None)
    if risk.opened is not None:
        first = max(first, risk.opened) if first is not None else risk.opened
    last = quarter
    if risk.closed is not None and risk.closed.quarter <= quarter:
        last = risk.closed.quarter
    points: list[ScorePoint] = []
    if first is not None and first <= last:
        points = [
            ScorePoint(str(q), rating_in_force(risk, q)[0].value)
            for q in (Quarter.from_index(i) for i in range(first.index, last.index + 1))
        ]
    trust = index.trust
    return score_history(
        ScoreHistory(
            id_prefix="risk-history",
            title=f"{risk.title}: score by quarter",
            points=tuple(points),
            target=risk.target.value,
            bands=tuple(ScoreBand(b.name, b.min, b.max) for b in trust.risk_bands),
        )
    )


def _risk_page(risk: Risk, index: _Indexes, status: Status) -> RiskPage:
    trust, point = status.trust, status.point
    quarter = point.quarter
    scored = index.scores.get(risk.id) or rate_risk(risk, point, trust)
    citing = index.citing.get(risk.id, [])
    entry = risk_entry(risk, scored, trust, point, tuple(o.title for o in citing if o.active_in(quarter.year)))
    on_baf = risk.on_baf(quarter)
    if on_baf:
        standing = f"On the Board Assurance Framework at {quarter}" + (
            f", since {risk.opened}." if risk.opened is not None else "."
        )
    elif risk.closed is not None and risk.closed.quarter <= quarter:
        standing = f"Closed in {risk.closed.quarter}: {risk.closed.reason}"
        standing += "" if standing.endswith((".", "!", "?")) else "."
    else:
        standing = f"Not yet on the Board Assurance Framework at {quarter}: it opens in {risk.opened}."
    reviews = tuple(
        ReviewRow(r.quarter, _rating_view(r, trust), r.note or "", r.amended or "")
        for r in sorted(risk.reviews, key=lambda r: r.quarter)
        if r.quarter <= quarter
    )
    return RiskPage(
        risk=risk,
        entry=entry,
        standing=standing,
        on_baf=on_baf,
        chart=_history_chart(risk, index, quarter),
        reviews=reviews,
        committees=tuple(Ref(index.committee_ids.get(c, ""), index.committees.get(c, c)) for c in risk.committees),
        threatens=tuple(
            Ref(s, index.strategic[s].title if s in index.strategic else s) for s in dict.fromkeys(risk.threatens)
        ),
        lead=Ref(risk.lead, index.executives.get(risk.lead, risk.lead)) if risk.lead is not None else None,
        successors=tuple(
            _risk_ref(index.risks[s], index, quarter) if s in index.risks else Ref(s, s)
            for s in (risk.closed.successors if risk.closed is not None and risk.closed.quarter <= quarter else ())
        ),
        predecessors=tuple(
            _risk_ref(k, index, quarter)
            for k in index.predecessors.get(risk.id, ())
            if k.closed and k.closed.quarter <= quarter
        ),
        objectives=tuple(_objective_ref(o, index, note=_span(o)) for o in citing),
        priorities=entry.priorities,
    )


def _rating_view(review: Review, trust: Trust) -> RatingView:
    rating = review.current
    return RatingView(rating.value, rating.likelihood, rating.consequence, band_of(rating.value, trust))


def _split(
    objectives: Iterable[Objective], risks: Iterable[Risk], index: _Indexes, status: Status
) -> tuple[tuple[Ref, ...], tuple[Ref, ...], tuple[Ref, ...], tuple[Ref, ...]]:
    """Objectives of the site's year and of others; risks on the BAF at its quarter and the rest."""
    year, quarter = status.point.quarter.year, status.point.quarter
    objectives = list(objectives)
    current = tuple(_objective_ref(o, index) for o in objectives if o.active_in(year))
    other = tuple(_objective_ref(o, index, note=_span(o)) for o in objectives if not o.active_in(year))
    risks = sorted(risks, key=lambda k: (-(index.scores[k.id].score or 0) if k.id in index.scores else 0, k.id))
    on = tuple(_risk_ref(k, index, quarter) for k in risks if k.id in index.scores)
    off = tuple(_risk_ref(k, index, quarter) for k in risks if k.id not in index.scores)
    return current, other, on, off


def _strategic_page(strategic: StrategicObjective, index: _Indexes, status: Status) -> StrategicPage:
    point = status.point
    current, other, on, off = _split(
        index.supporting.get(strategic.id, ()), index.threatening.get(strategic.id, ()), index, status
    )
    theme = next((t for t in index.trust.themes if t.id == strategic.theme), None)
    return StrategicPage(
        strategic=strategic,
        theme=Named(theme.id, theme.title) if theme is not None else None,
        lead=Ref(strategic.lead, index.executives.get(strategic.lead, strategic.lead)) if strategic.lead else None,
        in_force=_in_force_words(strategic.from_, strategic.until),
        current=strategic.in_force_at(point.quarter),
        counts=status.counts([index.ratings[r.id] for r in current if r.id in index.ratings]),
        supporting=current,
        other_years=other,
        measures=tuple(measure_view(m, strategic.id) for m in status.strategic_measures.get(strategic.id, ())),
        risks=on,
        other_risks=off,
    )


def _committee_page(committee_id: str, title: str, index: _Indexes, status: Status) -> GroupPage:
    current, other, on, off = _split(
        index.overseen.get(committee_id, ()), index.risks_overseen.get(committee_id, ()), index, status
    )
    return GroupPage(
        committee_id,
        title,
        "committee",
        status.counts([index.ratings[r.id] for r in current if r.id in index.ratings]),
        current,
        other,
        on,
        off,
    )


def _executive_page(executive_id: str, title: str, index: _Indexes, status: Status) -> GroupPage:
    current, other, on, off = _split(
        index.led.get(executive_id, ()), index.risks_led.get(executive_id, ()), index, status
    )
    as_of = status.point.as_of
    actions = tuple(
        Ref(
            risk.id,
            risk_name(risk.id, risk.title),
            action.title
            + (f", done {action.done:%-d %B %Y}" if action.done is not None and action.done <= as_of else "")
            + (
                f", overdue (due {action.due:%-d %B %Y})"
                if action.due is not None and action.due < as_of and (action.done is None or action.done > as_of)
                else (
                    f", due {action.due:%-d %B %Y}"
                    if action.due is not None and (action.done is None or action.done > as_of)
                    else ""
                )
            ),
        )
        for risk in sorted(index.risks.values(), key=lambda k: k.id)
        if risk.on_baf(status.point.quarter)
        for action in risk.actions
        if action.owner == executive_id
    )
    return GroupPage(
        executive_id,
        title,
        "executive",
        status.counts([index.ratings[r.id] for r in current if r.id in index.ratings]),
        current,
        other,
        on,
        off,
        strategic=tuple(Ref(s.id, s.title) for s in index.trust.strategic_objectives if s.lead == executive_id),
        strategies=tuple(s.title for s in index.strategies.values() if s.lead == executive_id),
        actions=actions,
    )
