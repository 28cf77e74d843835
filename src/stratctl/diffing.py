"""What changed in the records between two points: the first question at every Board."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stratctl.loading import LoadResult
from stratctl.periods import ReportingPoint
from stratctl.rating import ORDER
from stratctl.status import Status, build_status

KINDS = ("position", "completed", "computed", "added", "removed", "update", "score", "target", "comment", "planned")
"""Change kinds, in the order they are listed."""


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
    changes: list[Change] = []
    old_objectives = {o.id: (o, r) for o, r in old.objectives} if old else {}
    new_objectives = {o.id: (o, r) for o, r in new.objectives} if new else {}
    for oid in sorted(set(new_objectives) - set(old_objectives)):
        o, r = new_objectives[oid]
        changes.append(Change("added", oid, o.title, None, r.reported, f"new objective, reported {r.reported}"))
    for oid in sorted(set(old_objectives) - set(new_objectives)):
        o, r = old_objectives[oid]
        changes.append(Change("removed", oid, o.title, r.reported, None, "objective removed"))
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
    old_risks = {k.id: (k, s) for k, s in old.risks} if old else {}
    new_risks = {k.id: (k, s) for k, s in new.risks} if new else {}
    for rid in sorted(set(new_risks) - set(old_risks)):
        k, s = new_risks[rid]
        changes.append(Change("added", rid, k.title, None, str(s.score), f"new risk, score {s.score}"))
    for rid in sorted(set(old_risks) - set(new_risks)):
        k, s = old_risks[rid]
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
    old_planned = {(c.strategy, c.id): c.status for c in old.commitments} if old else {}
    for c in new.commitments if new else []:
        if c.status != "not-planned" and old_planned.get((c.strategy, c.id), "not-planned") == "not-planned":
            changes.append(
                Change(
                    "planned",
                    f"{c.strategy}.{c.id}",
                    c.title,
                    "not-planned",
                    c.status,
                    f"now delivered by {', '.join(c.delivered_by)}",
                )
            )
    return sorted(changes, key=lambda c: (KINDS.index(c.kind), c.id, c.detail))


LABELS = {
    "position": "Position moved",
    "completed": "Completed",
    "computed": "Computed position moved",
    "added": "Added",
    "removed": "Removed",
    "update": "Update added",
    "score": "Risk score changed",
    "target": "Risk target changed",
    "comment": "Comment rewritten",
    "planned": "Commitment newly planned",
}
