"""What changed in the records between two points: the first question at every Board."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stratctl.loading import LoadResult
from stratctl.periods import ReportingPoint
from stratctl.rating import ORDER, ObjectiveRating
from stratctl.records import Objective
from stratctl.status import Status, build_status

KINDS = (
    "position",
    "completed",
    "computed",
    "added",
    "removed",
    "opened",
    "closed",
    "carried",
    "ended",
    "update",
    "score",
    "target",
    "comment",
    "planned",
)
"""Change kinds, in the order they are listed."""

YEAR_TURN = frozenset({"opened", "closed", "carried", "ended"})
"""Kinds that say a record entered or left the view without its file changing: the reporting year
turned (objectives carried forward, or closed with their year) or the BAF changed (a risk opened
or closed). They are not edits: a review of a pull request lists only the records whose files changed."""


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    id: str
    title: str
    before: str | None
    after: str | None
    detail: str

    @property
    def arrow(self) -> str:
        if self.kind not in ("position", "computed") or self.before not in ORDER or self.after not in ORDER:
            return ""
        return "↑" if ORDER[self.after] > ORDER[self.before] else "↓"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "before": self.before,
            "after": self.after,
            "arrow": self.arrow or None,
            "detail": self.detail,
        }


def snapshot(loaded: LoadResult, limit: ReportingPoint | None = None) -> Status | None:
    """The repository's status at its own latest reported quarter, or at `limit` if that is earlier
    (None without trust.yaml)."""
    repository = loaded.repository
    if repository.trust is None:
        return None
    quarter = repository.latest_quarter() or repository.trust.record.year.quarter(1)
    if limit is not None and quarter >= limit.quarter:
        return build_status(repository, limit)
    return build_status(repository, ReportingPoint.end_of(quarter, repository.trust.record.year_start_month))


def compare(before: LoadResult, after: LoadResult, at: ReportingPoint | None = None) -> list[Change]:
    """Every change a Board would ask about, sorted by kind then id.

    Each side is read at its own latest reported quarter; `at` caps both, so a Board paper
    for Q3 reports what moved by Q3 even when Q4 updates have since been written.
    """
    return compare_status(snapshot(before, at), snapshot(after, at))


def compare_status(old: Status | None, new: Status | None) -> list[Change]:
    """`compare` over two snapshots already built (`stratctl diff` builds them once for all its views)."""
    changes = [
        *_objectives_in_and_out(old, new),
        *_objective_moves(old, new),
        *_risk_changes(old, new),
        *_newly_planned(old, new),
    ]
    return sorted(changes, key=lambda c: (KINDS.index(c.kind), c.id, c.detail))


def _objectives_in_and_out(old: Status | None, new: Status | None) -> list[Change]:
    """Objectives added, removed, carried forward, closed with their year, or come into the year's view."""
    changes: list[Change] = []
    old_objectives = {o.id: (o, r) for o, r in old.objectives} if old else {}
    new_objectives = {o.id: (o, r) for o, r in new.objectives} if new else {}
    carried_into: set[str] = set()  # successors named by a "carried forward" change: not listed again
    for oid in sorted(set(old_objectives) - set(new_objectives)):
        o, r = old_objectives[oid]
        change, successor = _left_the_year(o, r, new, new_objectives)
        if successor is not None:
            carried_into.add(successor)
        changes.append(change)
    for oid in sorted(set(new_objectives) - set(old_objectives) - carried_into):
        o, r = new_objectives[oid]
        if old is not None and oid in old.every_objective:  # its file was there: the year turned to it
            changes.append(
                Change("opened", oid, o.title, None, r.reported, f"in the {o.year} plan, reported {r.reported}")
            )
        else:
            changes.append(Change("added", oid, o.title, None, r.reported, f"new objective, reported {r.reported}"))
    return changes


def _objective_moves(old: Status | None, new: Status | None) -> list[Change]:
    """Positions, computed positions, updates and comments of the objectives in both views."""
    changes: list[Change] = []
    old_objectives = {o.id: (o, r) for o, r in old.objectives} if old else {}
    new_objectives = {o.id: (o, r) for o, r in new.objectives} if new else {}
    for oid in sorted(set(old_objectives) & set(new_objectives)):
        (o_old, r_old), (o_new, r_new) = old_objectives[oid], new_objectives[oid]
        if r_old.reported != r_new.reported:
            kind = "completed" if r_new.reported == "C" else "position"
            changes.append(
                Change(kind, oid, o_new.title, r_old.reported, r_new.reported, f"{r_old.reported} to {r_new.reported}")
            )
        if r_old.computed != r_new.computed and (r_old.computed, r_new.computed) != (r_old.reported, r_new.reported):
            # the evidence beside the Board's judgement, when it did not move with it: the paper shows both
            changes.append(
                Change(
                    "computed",
                    oid,
                    o_new.title,
                    r_old.computed,
                    r_new.computed,
                    f"computed {r_old.computed} to {r_new.computed}",
                )
            )
        old_comments = {u.quarter: (u.comment or "") for u in o_old.updates}
        for update in o_new.updates:
            if new is not None and update.quarter > new.point.quarter:
                continue  # a later quarter's update is not in this paper
            if update.quarter not in old_comments:
                changes.append(
                    Change(
                        "update",
                        oid,
                        o_new.title,
                        None,
                        update.progress,
                        f"{update.quarter} update: {update.progress.replace('-', ' ')}",
                    )
                )
            elif old_comments[update.quarter] != (update.comment or ""):
                changes.append(
                    Change(
                        "comment",
                        oid,
                        o_new.title,
                        old_comments[update.quarter],
                        update.comment or "",
                        f"{update.quarter} comment rewritten",
                    )
                )
    return changes


def _risk_changes(old: Status | None, new: Status | None) -> list[Change]:
    """Risks added, removed, opened or closed on the BAF, and their scores and targets."""
    changes: list[Change] = []
    old_risks = {k.id: (k, s) for k, s in old.risks} if old else {}
    new_risks = {k.id: (k, s) for k, s in new.risks} if new else {}
    for rid in sorted(set(new_risks) - set(old_risks)):
        k, s = new_risks[rid]
        if old is not None and rid in old.every_risk and k.opened is not None:
            changes.append(Change("opened", rid, k.title, None, str(s.score), f"opened in {k.opened}, score {s.score}"))
        else:
            changes.append(Change("added", rid, k.title, None, str(s.score), f"new risk, score {s.score}"))
    for rid in sorted(set(old_risks) - set(new_risks)):
        k, s = old_risks[rid]
        closed = new.every_risk[rid].closed if new is not None and rid in new.every_risk else None
        if closed is not None and new is not None and closed.quarter <= new.point.quarter:
            successors = f"; successors {', '.join(closed.successors)}" if closed.successors else ""
            changes.append(
                Change(
                    "closed",
                    rid,
                    k.title,
                    str(s.score),
                    None,
                    f"closed in {closed.quarter}: {closed.reason}{successors}",
                )
            )
        else:
            changes.append(Change("removed", rid, k.title, str(s.score), None, "risk removed"))
    for rid in sorted(set(old_risks) & set(new_risks)):
        (_, s_old), (k_new, s_new) = old_risks[rid], new_risks[rid]
        if s_old.score != s_new.score:
            word = "increased" if (s_new.score or 0) > (s_old.score or 0) else "decreased"
            changes.append(
                Change(
                    "score",
                    rid,
                    k_new.title,
                    str(s_old.score),
                    str(s_new.score),
                    f"score {word} from {s_old.score} to {s_new.score}",
                )
            )
        if s_old.target_score != s_new.target_score:
            changes.append(
                Change(
                    "target",
                    rid,
                    k_new.title,
                    str(s_old.target_score),
                    str(s_new.target_score),
                    f"target score from {s_old.target_score} to {s_new.target_score}",
                )
            )
    return changes


def _newly_planned(old: Status | None, new: Status | None) -> list[Change]:
    """Commitments that an objective now delivers."""
    old_planned = {(c.strategy, c.id): c.status for c in old.commitments} if old else {}
    return [
        Change(
            "planned",
            f"{c.strategy}.{c.id}",
            c.title,
            "not-planned",
            c.status,
            f"now delivered by {', '.join(c.delivered_by)}",
        )
        for c in (new.commitments if new else [])
        if c.status != "not-planned" and old_planned.get((c.strategy, c.id), "not-planned") == "not-planned"
    ]


def _left_the_year(
    objective: Objective,
    rating: ObjectiveRating,
    new: Status | None,
    new_objectives: dict[str, tuple[Objective, ObjectiveRating]],
) -> tuple[Change, str | None]:
    """An objective in the old view and not the new: removed, or (its file still there) left with its
    year, carried forward (and the successor's id) or closed."""
    still = new.every_objective.get(objective.id) if new is not None else None
    if new is None or still is None or still.active_in(new.point.quarter.year):
        return Change("removed", objective.id, objective.title, rating.reported, None, "objective removed"), None
    year = new.point.quarter.year
    successor = next((o for o, _ in new_objectives.values() if o.carried_from == objective.id), None)
    if successor is not None:
        after = new_objectives[successor.id][1].reported
        detail = f"carried forward to {year} as {successor.id}"
        return Change("carried", objective.id, objective.title, rating.reported, after, detail), successor.id
    closed = f"closed with {objective.last_year}"
    return Change("ended", objective.id, objective.title, rating.reported, None, closed), None


def year_turn_summary(changes: list[Change]) -> list[str]:
    """The objectives that left the year, in two sentences rather than a row each: what a Board paper says."""
    carried = [c for c in changes if c.kind == "carried"]
    closed = [c for c in changes if c.kind == "ended"]
    lines = []
    if carried:
        into = carried[0].detail.split(" as ", 1)[0].removeprefix("carried forward to ")
        lines.append(
            f"{_objectives(len(carried))} carried forward to {into}: the tracker shows each, "
            "marked carried forward, with the position it ended on."
        )
    if closed:
        year = closed[0].detail.removeprefix("closed with ")
        lines.append(f"{_objectives(len(closed))} closed with {year}: the {year} annual report gives their outcomes.")
    return lines


def _objectives(count: int) -> str:
    return f"{count} objective{'s' if count != 1 else ''}"


def listed_changes(changes: list[Change]) -> list[Change]:
    """The changes a Board paper lists one by one: all but the objectives that left the year."""
    return [c for c in changes if c.kind not in ("carried", "ended")]


LABELS = {
    "position": "Position moved",
    "completed": "Completed",
    "computed": "Computed position moved",
    "added": "Added",
    "removed": "Removed",
    "opened": "Opened",
    "closed": "Closed",
    "carried": "Carried forward",
    "ended": "Closed with its year",
    "update": "Update added",
    "score": "Risk score changed",
    "target": "Risk target changed",
    "comment": "Comment rewritten",
    "planned": "Commitment newly planned",
}
