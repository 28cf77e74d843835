"""Rules about ids: each record's id matches its file, and ids are unique."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from stratctl.findings import Finding, Severity
from stratctl.records.introspect import id_list_paths, values_at
from stratctl.repository import Loaded, RecordFile, Repository
from stratctl.rules.registry import rule


def _filed(repo: Repository) -> Iterator[tuple[str, list[Loaded[Any]]]]:
    """Each kind of record kept one to a file, with its records."""
    yield from repo.records.items()


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
    for _, records in _filed(repo):
        for loaded in records:
            if loaded.record.id != loaded.file.stem:
                yield id_matches_filename.finding(
                    loaded.file,
                    f"id {loaded.record.id!r} does not match the file name: "
                    f"rename the file to {loaded.record.id}.yaml or set id: {loaded.file.stem}",
                    loc=("id",),
                )


@rule("I002", "duplicate-id", Severity.ERROR)
def duplicate_id(repo: Repository) -> Iterator[Finding]:
    """Ids are unique within their kind: objectives, risks, strategies, and each list of a record.

    Lists whose entries carry ids (strategic objectives, priorities and executives in trust.yaml,
    a strategy's commitments, an objective's measures) hold each id once.

    Bad:
        strategic_objectives:
          - {id: SO1, title: Care}
          - {id: SO1, title: Partners}
    Good:
        strategic_objectives:
          - {id: SO1, title: Care}
          - {id: SO2, title: Partners}
    """
    for kind, records in _filed(repo):
        seen: dict[str, str] = {}
        # The file named after the id keeps it; the other claimant is the duplicate.
        for loaded in sorted(records, key=lambda item: (item.record.id != item.file.stem, item.file.display)):
            first = seen.setdefault(loaded.record.id, loaded.file.display)
            if first != loaded.file.display:
                yield duplicate_id.finding(
                    loaded.file, f"{kind} id {loaded.record.id!r} is also used by {first}", loc=("id",)
                )
    every = [repo.trust] if repo.trust else []
    for loaded in [*every, *(item for _, records in _filed(repo) for item in records)]:
        model: type[BaseModel] = type(loaded.record)
        for path in id_list_paths(model):
            # `path` ends with the list's items: the lists themselves sit one step up.
            for loc, items in values_at(loaded.record, path[:-1]):
                yield from _repeats(loaded.file, loc, [item.id for item in items])


def _repeats(file: RecordFile, loc: tuple[str | int, ...], ids: list[str]) -> Iterator[Finding]:
    counts = Counter(ids)
    seen: set[str] = set()
    field = next((part for part in reversed(loc) if isinstance(part, str)), "list")
    for index, item_id in enumerate(ids):
        if counts[item_id] > 1 and item_id in seen:
            yield duplicate_id.finding(file, f"{field} id {item_id!r} appears more than once", loc=(*loc, index, "id"))
        seen.add(item_id)
