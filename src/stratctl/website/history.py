"""What the site keeps of each quarter once its status has been read: every objective's position as
that quarter's paper gave it, the quarter's counts, and what changed since the quarter before.

A status holds every rating with its measures; the site reads one quarter's at a time and keeps
only these few values of it, so a long history of a large repository is held in little memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stratctl.diffing import Change, compare_status
from stratctl.periods import Quarter
from stratctl.status import Status

RISK_KINDS = frozenset({"score", "target"})
"""Change kinds that only a risk has; `opened`, `closed`, `added` and `removed` go to either."""


@dataclass(frozen=True, slots=True)
class RatedAt:
    """An objective as one quarter's paper rated it."""

    reported: str
    computed: str
    declared: str | None
    trend: str
    stale: bool
    before_start: bool  # the quarter comes before the objective's `start`: on the tracker, not yet reported

    @property
    def differs(self) -> bool:
        return self.declared is not None and self.declared != self.computed


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One change between two quarters, and the kind of record it is about (for its link)."""

    change: Change
    record: str  # "objective", "risk" or "" (a strategy's commitment: no page of its own)


@dataclass(frozen=True)
class QuarterSummary:
    """One quarter of the archive: its counts, and what changed since the quarter before it."""

    quarter: Quarter
    counts: dict[str, int]
    risks: int
    updated: int  # objectives with an update of this quarter's own
    previous: Quarter | None  # the archive's quarter before (None for its first)
    changes: tuple[ChangeRow, ...] = ()

    @property
    def objectives(self) -> int:
        return sum(self.counts.values())

    @property
    def moved(self) -> int:
        return sum(1 for row in self.changes if row.change.kind in ("position", "completed"))


@dataclass
class History:
    """Each quarter read so far, oldest first, and each objective's rating in each."""

    quarters: list[QuarterSummary] = field(default_factory=list)
    rated: dict[Quarter, dict[str, RatedAt]] = field(default_factory=dict)
    _last: Status | None = None

    def add(self, status: Status) -> None:
        """Keep what the site shows of `status` (the quarters come in order)."""
        quarter = status.point.quarter
        previous = self._last
        changes: tuple[ChangeRow, ...] = ()
        if previous is not None:
            objectives = {o.id for o, _ in previous.objectives} | {o.id for o, _ in status.objectives}
            risks = {k.id for k, _ in previous.risks} | {k.id for k, _ in status.risks}
            changes = tuple(ChangeRow(c, _record_of(c, objectives, risks)) for c in compare_status(previous, status))
        self.rated[quarter] = {
            o.id: RatedAt(r.reported, r.computed, r.declared, r.trend, r.stale, r.starts is not None)
            for o, r in status.objectives
        }
        self.quarters.append(
            QuarterSummary(
                quarter,
                status.counts(),
                len(status.risks),
                sum(1 for o, _ in status.objectives if any(u.quarter == quarter for u in o.updates)),
                previous.point.quarter if previous is not None else None,
                changes,
            )
        )
        self._last = status

    def at(self, objective_id: str, quarter: Quarter) -> RatedAt | None:
        """The objective's rating in the quarter's paper; None when the archive has no paper for the
        quarter, or the objective was not in it."""
        return self.rated.get(quarter, {}).get(objective_id)


def _record_of(change: Change, objectives: set[str], risks: set[str]) -> str:
    if change.kind == "planned":
        return ""
    if change.kind in RISK_KINDS or (change.id in risks and change.id not in objectives):
        return "risk"
    return "objective"
