"""Rules about quarterly histories: oldest first, one entry a quarter."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from stratctl.findings import Finding, Severity
from stratctl.periods import Quarter
from stratctl.repository import RecordFile, Repository
from stratctl.rules.registry import rule


@rule("Q001", "quarter-order", Severity.ERROR)
def quarter_order(repo: Repository) -> Iterator[Finding]:
    """An objective's updates and a risk's reviews are oldest first, one per quarter.

    Bad:
        updates:
          - {quarter: 2021/22 Q3, progress: behind}
          - {quarter: 2021/22 Q2, progress: on-track}
    Good:
        updates:
          - {quarter: 2021/22 Q2, progress: on-track}
          - {quarter: 2021/22 Q3, progress: behind}
    """
    for loaded in repo.objectives:
        yield from _check(loaded.file, "updates", [u.quarter for u in loaded.record.updates])
    for loaded_risk in repo.risks:
        yield from _check(loaded_risk.file, "reviews", [r.quarter for r in loaded_risk.record.reviews])


def _check(file: RecordFile, field: str, quarters: Sequence[Quarter]) -> Iterator[Finding]:
    for index in range(1, len(quarters)):
        before, this = quarters[index - 1], quarters[index]
        if this == before:
            yield quarter_order.finding(
                file, f"a second entry for {this}: one entry a quarter", loc=(field, index, "quarter")
            )
        elif this < before:
            yield quarter_order.finding(
                file, f"{this} comes after {before}: list entries oldest first", loc=(field, index, "quarter")
            )
