"""A strategy repository in memory: its records and the files they came from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from stratctl.errors import StratctlError
from stratctl.periods import FinancialYear, Quarter

if TYPE_CHECKING:  # the models are named, never used, here: listing files needs no pydantic (start-up)
    from stratctl.records import Measure, Objective, Risk, Strategy, Trust
    from stratctl.records.base import Record

__all__ = ["Loaded", "MeasureList", "RecordFile", "Repository"]

R = TypeVar("R", bound="Record")


@dataclass(frozen=True, slots=True)
class RecordFile:
    """A record file: where it is, what kind of record it holds, and how findings name it."""

    path: Path
    kind: str
    display: str  # the path as findings print it: relative to where stratctl runs, POSIX

    @property
    def stem(self) -> str:
        return self.path.stem


@dataclass(frozen=True, slots=True)
class Loaded(Generic[R]):
    """A record that passed its schema, with the file it came from."""

    record: R
    file: RecordFile


@dataclass(frozen=True, slots=True)
class MeasureList:
    """One record's measures and where they are written: an objective's, a strategic objective's
    success measures in trust.yaml, or a strategy commitment's.

    Attributes:
        file: The file that holds them.
        at: The path to the list within the file (`("measures",)`, `("strategic_objectives", 2, "measures")`).
        owner: The record's id as a reference names it: the objective's or strategic objective's id,
            or `strategy.commitment`.
        kind: `objective`, `strategic objective` or `commitment`.
        measures: The measures, in the order written.
        objective: The objective, for an objective's measures (its span bounds their actuals).
    """

    file: RecordFile
    at: tuple[str | int, ...]
    owner: str
    kind: str
    measures: tuple[Measure, ...]
    objective: Objective | None = None


@dataclass
class Repository:
    """Everything under a `data/` folder that loaded cleanly.

    Files that did not load are listed in `unreadable` by kind and stem, so that
    a reference to them is not reported as a second, misleading problem.
    """

    data_dir: Path
    trust: Loaded[Trust] | None = None
    records: defaultdict[str, list[Loaded[Any]]] = field(default_factory=lambda: defaultdict(list))
    """Kind name -> the records of that kind kept one to a file, in file order."""
    unreadable: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What is computed from the records once and shared by every rule and view that asks again
    (stratctl.rating's memo of positions and measures, under "ratings"). Records are frozen, so an
    entry never goes stale; it lives on this repository, so nothing is shared with another."""

    @property
    def objectives(self) -> list[Loaded[Objective]]:
        return cast("list[Loaded[Objective]]", self.records["objective"])

    @property
    def risks(self) -> list[Loaded[Risk]]:
        return cast("list[Loaded[Risk]]", self.records["risk"])

    @property
    def strategies(self) -> list[Loaded[Strategy]]:
        return cast("list[Loaded[Strategy]]", self.records["strategy"])

    def trust_record(self) -> Trust:
        """trust.yaml's record, for work that cannot go on without it (its year, executives, priorities)."""
        if self.trust is None:
            raise StratctlError("trust.yaml could not be read: run stratctl validate and fix it first")
        return self.trust.record

    def measure_lists(self) -> Iterator[MeasureList]:
        """Every record's measures, wherever written: objectives, then strategic objectives, then commitments."""
        for loaded in self.objectives:
            record = loaded.record
            yield MeasureList(loaded.file, ("measures",), record.id, "objective", tuple(record.measures), record)
        if self.trust is not None:
            for index, strategic in enumerate(self.trust.record.strategic_objectives):
                yield MeasureList(
                    self.trust.file,
                    ("strategic_objectives", index, "measures"),
                    strategic.id,
                    "strategic objective",
                    tuple(strategic.measures),
                )
        for strategy in self.strategies:
            for index, commitment in enumerate(strategy.record.commitments):
                yield MeasureList(
                    strategy.file,
                    ("commitments", index, "measures"),
                    f"{strategy.record.id}.{commitment.id}",
                    "commitment",
                    tuple(commitment.measures),
                )

    def ids(self, kind: str) -> set[str]:
        """Ids of `kind` a reference may name: loaded records and files that failed to load."""
        return {item.record.id for item in self.records.get(kind, ())} | self.unreadable.get(kind, set())

    def reported_instead(self, quarter: Quarter) -> Quarter | None:
        """Where no update names `quarter`: the latest quarter of the same number that updates do
        name (2021/22 Q3 for a Q3 read as 2022/23 Q3 just after rollover), else the latest reported."""
        reported = {u.quarter for o in self.objectives for u in o.record.updates}
        if not reported or quarter in reported:
            return None
        alike = [q for q in reported if q.number == quarter.number]
        return max(alike) if alike else max(reported)

    def latest_quarter(self, year: FinancialYear | None = None) -> Quarter | None:
        """The latest quarter any update names: what 'up to date' means.

        With `year`, the latest quarter of that year that an objective active in it reports: the
        default view of a year, so next year's plan or last year's history never moves it.
        """
        if year is None:
            return max((u.quarter for o in self.objectives for u in o.record.updates), default=None)
        return max(
            (
                u.quarter
                for o in self.objectives
                if o.record.active_in(year)
                for u in o.record.updates
                if u.quarter.year == year
            ),
            default=None,
        )
