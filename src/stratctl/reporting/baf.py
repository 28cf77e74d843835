"""The Board Assurance Framework as the paper shows it: one entry per strategic risk, and the heat map.

A BAF entry is read for its key controls, gaps in control, sources of assurance by line and their
rating, gaps in assurance, actions with owners and dates, and how the score has moved; the heat
map shows where each risk sits now, where it is heading (its target) and where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stratctl.periods import Quarter, ReportingPoint
from stratctl.rating import RiskRating, band_of, rating_in_force
from stratctl.records import Rating, Risk, Trust
from stratctl.reporting.parts import Named

HISTORY_QUARTERS = 6
"""How many quarters of a risk's score the BAF entry charts: a year and a half of Board meetings."""

LINES = {1: "First line: management", 2: "Second line: oversight", 3: "Third line: independent"}
NO_LINE = "Line not stated"
"""A source of assurance whose line of defence the BAF does not give: listed after the three lines."""
ASSURANCE_RATINGS = {"positive": "Positive", "limited": "Limited", "none": "No assurance"}
NO_LEAD = "Not yet named"
"""What the paper says of a risk whose lead the trust has not yet named: never an executive guessed for it."""
MOVEMENT = {"increased": "↑", "decreased": "↓", "same": "", "new": "new"}


@dataclass(frozen=True, slots=True)
class RatingView:
    """A 5x5 rating: its score, and likelihood and consequence where the record gives them."""

    score: int | None
    likelihood: int | None
    consequence: int | None
    band: str

    @property
    def text(self) -> str:
        """`16 (L4 × C4)`, or the score alone, or an em dash when there is none."""
        if self.score is None:
            return "—"
        if self.likelihood is not None and self.consequence is not None:
            return f"{self.score} (L{self.likelihood} × C{self.consequence})"
        return str(self.score)


@dataclass(frozen=True, slots=True)
class AssuranceRow:
    line: int | None
    line_words: str
    source: str
    rating: str  # in words; "Not rated" when the record gives none


@dataclass(frozen=True, slots=True)
class ActionRow:
    title: str
    owner: str  # the executive's title, else the id, else an em dash
    due: date | None
    done: date | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class ScoreAt:
    quarter: str
    score: int | None
    reviewed: bool = True  # False: no review that quarter, the score is the one in force from before


@dataclass(frozen=True)
class RiskEntry:
    """One strategic risk, as its page of the BAF shows it."""

    id: str
    title: str
    description: str
    lead: str | None  # None: the trust has not yet named one (P009)
    lead_title: str  # the executive's title, or NO_LEAD
    committee: str  # the committee's title ("" when none; several joined by "and")
    appetite: str | None
    appetite_limit: int | None
    above_appetite: bool
    inherent: RatingView | None
    current: RatingView
    target: RatingView
    target_date: date | None
    trend: str
    previous_score: int | None
    distance: int | None
    controls: tuple[str, ...]
    gaps: tuple[str, ...]
    assurances: tuple[AssuranceRow, ...]
    assurance_gaps: tuple[str, ...]
    actions: tuple[ActionRow, ...]
    history: tuple[ScoreAt, ...]  # the score in force at the end of each of the last quarters
    note: str  # the latest review's note
    note_quarter: str
    threatens: tuple[Named, ...]  # the strategic objectives it threatens
    objectives: tuple[str, ...]  # titles of the objectives that cite the risk
    priorities: tuple[str, ...] = ()  # titles of this year's priorities that cite it (trust.yaml)
    opened: str = ""  # the quarter it entered the BAF, when that is the paper's quarter ("" otherwise)

    # The first-round names, which repository templates written before the BAF pages use.
    @property
    def score(self) -> int | None:
        return self.current.score

    @property
    def likelihood(self) -> int | None:
        return self.current.likelihood

    @property
    def consequence(self) -> int | None:
        return self.current.consequence

    @property
    def band(self) -> str:
        return self.current.band

    @property
    def name(self) -> str:
        return risk_name(self.id, self.title)

    @property
    def movement(self) -> str:
        return MOVEMENT[self.trend]

    @property
    def overdue_actions(self) -> int:
        return sum(1 for action in self.actions if action.overdue)


SHORT_TITLE = 22
"""Characters of a risk's title the heat map has room for: a cell holds several risks."""


def short_title(title: str, limit: int = SHORT_TITLE) -> str:
    """`Workforce recruitment, retention and engagement` -> `Workforce recruitment…`: whole words, then an ellipsis."""
    if len(title) <= limit:
        return title
    words, kept = title.split(), ""
    for word in words:
        if len(kept) + len(word) + 1 > limit - 1:
            break
        kept = f"{kept} {word}".strip()
    return (kept or title[: limit - 1]).rstrip(",;:") + "…"


@dataclass(frozen=True, slots=True)
class HeatMark:
    """A risk in a cell of the heat map."""

    id: str
    title: str
    movement: str  # ↑ ↓, "new", or "" when the score has not moved

    @property
    def short(self) -> str:
        return short_title(self.title)


@dataclass(frozen=True, slots=True)
class HeatCell:
    likelihood: int
    consequence: int
    score: int
    band: str
    current: tuple[HeatMark, ...]
    targets: tuple[str, ...]  # ids of the risks whose target rating is this cell


def risk_name(risk_id: str, title: str) -> str:
    """How the paper names a risk in passing: `Patient flow (103350)` for a register number, else its title."""
    return f"{title} ({risk_id})" if risk_id.isdigit() else title


def _view(rating: Rating | None, trust: Trust) -> RatingView | None:
    if rating is None:
        return None
    return RatingView(rating.value, rating.likelihood, rating.consequence, band_of(rating.value, trust))


def _history(risk: Risk, quarter: Quarter) -> tuple[ScoreAt, ...]:
    """The score in force at each of the last quarters, from the risk's first review (or its opening) on."""
    first = min((review.quarter for review in risk.reviews), default=quarter)
    if risk.opened is not None:
        first = max(first, risk.opened)  # before it opened, the risk was not on the BAF to have a score
    start = max(first.index, quarter.index - HISTORY_QUARTERS + 1)
    reviewed = {review.quarter for review in risk.reviews}
    return tuple(
        ScoreAt(str(q), rating_in_force(risk, q)[0].value, q in reviewed)
        for q in (Quarter.from_index(i) for i in range(start, quarter.index + 1))
    )


def risk_entry(
    risk: Risk, scored: RiskRating, trust: Trust, point: ReportingPoint, objective_titles: tuple[str, ...]
) -> RiskEntry:
    """The BAF entry of one risk at `point`."""
    executives = {e.id: e.title for e in trust.executives}
    committees = {c.id: c.title for c in trust.committees}
    strategic = {s.id: s.title for s in trust.strategic_objectives}
    in_force, _ = rating_in_force(risk, point.quarter)
    reviews = [r for r in risk.reviews if r.quarter <= point.quarter and r.note]
    latest = max(reviews, key=lambda r: r.quarter) if reviews else None
    current = _view(in_force, trust)
    target = _view(risk.target, trust)
    assert current is not None and target is not None
    return RiskEntry(
        id=risk.id,
        title=risk.title,
        description=risk.description or "",
        lead=risk.lead,
        lead_title=executives.get(risk.lead, risk.lead) if risk.lead is not None else NO_LEAD,
        committee=" and ".join(committees.get(name, name) for name in risk.committees),
        appetite=scored.appetite,
        appetite_limit=scored.appetite_limit,
        above_appetite=scored.above_appetite,
        inherent=_view(risk.inherent, trust),
        current=current,
        target=target,
        target_date=risk.target_date,
        trend=scored.trend,
        previous_score=scored.previous_score,
        distance=scored.distance_to_target,
        controls=tuple(risk.controls),
        gaps=tuple(risk.gaps),
        assurances=tuple(
            AssuranceRow(
                a.line, LINES.get(a.line or 0, NO_LINE), a.source, ASSURANCE_RATINGS.get(a.rating or "", "Not rated")
            )
            for a in sorted(risk.assurances, key=lambda a: a.line or len(LINES) + 1)
        ),
        assurance_gaps=tuple(risk.assurance_gaps),
        actions=tuple(
            ActionRow(
                a.title,
                executives.get(a.owner, a.owner) if a.owner else "—",
                a.due,
                a.done,
                overdue=a.due is not None and a.due < point.as_of and (a.done is None or a.done > point.as_of),
            )
            for a in risk.actions
        ),
        history=_history(risk, point.quarter),
        note=latest.note or "" if latest else "",
        note_quarter=str(latest.quarter) if latest else "",
        threatens=tuple(Named(s, strategic.get(s, s)) for s in risk.threatens),
        objectives=objective_titles,
        priorities=tuple(p.title for p in trust.priorities if p.applies_in(point.quarter.year) and risk.id in p.risks),
        opened=str(risk.opened) if risk.opened is not None and risk.opened == point.quarter else "",
    )


def heat_map(entries: list[RiskEntry], trust: Trust) -> tuple[tuple[HeatCell, ...], ...]:
    """Rows of likelihood 5 down to 1, cells of consequence 1 to 5: current risks and targets in each."""
    rows = []
    for likelihood in range(5, 0, -1):
        cells = []
        for consequence in range(1, 6):
            score = likelihood * consequence
            here = tuple(
                HeatMark(e.id, e.title, e.movement)
                for e in entries
                if (e.current.likelihood, e.current.consequence) == (likelihood, consequence)
            )
            targets = tuple(
                e.id for e in entries if (e.target.likelihood, e.target.consequence) == (likelihood, consequence)
            )
            cells.append(HeatCell(likelihood, consequence, score, band_of(score, trust), here, targets))
        rows.append(tuple(cells))
    return tuple(rows)
