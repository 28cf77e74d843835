"""Rules about ids: each record's id matches its file, and ids are unique."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from stratctl.findings import Finding, Severity
from stratctl.repository import Repository
from stratctl.rules.registry import rule


@rule("I001", "id-matches-filename", Severity.ERROR)
def id_matches_filename(repo: Repository) -> Iterator[Finding]:
    """A record's id is the name of its file, so that it can be found by id.

    Bad:
        # data/objectives/maternity.yaml
        id: maternity-vacancies
    Good:
        # data/objectives/maternity-vacancies.yaml
        id: maternity-vacancies
    """
    for loaded in [*repo.objectives, *repo.risks, *repo.strategies]:
        if loaded.record.id != loaded.file.stem:
            yield id_matches_filename.finding(
                loaded.file,
                f"id {loaded.record.id!r} does not match the file name: "
                f"rename the file to {loaded.record.id}.yaml or set id: {loaded.file.stem}",
                loc=("id",),
            )


@rule("I002", "duplicate-id", Severity.ERROR)
def duplicate_id(repo: Repository) -> Iterator[Finding]:
    """Ids are unique within their kind: objectives, risks, strategies, and each list in trust.yaml.

    Bad:
        strategic_objectives:
          - {id: SO1, title: Care}
          - {id: SO1, title: Partners}
    Good:
        strategic_objectives:
          - {id: SO1, title: Care}
          - {id: SO2, title: Partners}
    """
    for kind, records in (("objective", repo.objectives), ("risk", repo.risks), ("strategy", repo.strategies)):
        seen: dict[str, str] = {}
        # The file named after the id keeps it; the other claimant is the duplicate.
        for loaded in sorted(records, key=lambda item: (item.record.id != item.file.stem, item.file.display)):
            first = seen.setdefault(loaded.record.id, loaded.file.display)
            if first != loaded.file.display:
                yield duplicate_id.finding(
                    loaded.file, f"{kind} id {loaded.record.id!r} is also used by {first}", loc=("id",)
                )
    if repo.trust:
        trust = repo.trust.record
        for field, items in (
            ("strategic_objectives", trust.strategic_objectives),
            ("priorities", trust.priorities),
            ("executives", trust.executives),
        ):
            yield from _repeats(repo.trust.file, field, [item.id for item in items])
    for loaded in repo.strategies:
        yield from _repeats(loaded.file, "commitments", [c.id for c in loaded.record.commitments])
    for loaded_objective in repo.objectives:
        yield from _repeats(loaded_objective.file, "measures", [m.id for m in loaded_objective.record.measures])


def _repeats(file, field: str, ids: list[str]) -> Iterator[Finding]:  # type: ignore[no-untyped-def]
    counts = Counter(ids)
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if counts[item_id] > 1 and item_id in seen:
            yield duplicate_id.finding(file, f"{field} id {item_id!r} appears more than once", loc=(field, index, "id"))
        seen.add(item_id)
