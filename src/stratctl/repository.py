"""A strategy repository in memory: its records and the files they came from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Literal, TypeVar

from stratctl.periods import Quarter
from stratctl.records import Objective, Risk, Strategy, Trust

Kind = Literal["trust", "objective", "risk", "strategy"]
KIND_FOLDERS: dict[Kind, str] = {"objective": "objectives", "risk": "risks", "strategy": "strategies"}
TRUST_FILE = "trust.yaml"

R = TypeVar("R", Trust, Objective, Risk, Strategy)


@dataclass(frozen=True, slots=True)
class RecordFile:
    """A record file: where it is, and how findings name it."""

    path: Path
    kind: Kind
    display: str  # the path as findings print it: relative to where stratctl runs, POSIX

    @property
    def stem(self) -> str:
        return self.path.stem


@dataclass(frozen=True, slots=True)
class Loaded(Generic[R]):
    """A record that passed its schema, with the file it came from."""

    record: R
    file: RecordFile


@dataclass
class Repository:
    """Everything under a `data/` folder that loaded cleanly.

    Files that did not load are listed in `unreadable` by kind and stem, so that
    a reference to them is not reported as a second, misleading problem.
    """

    data_dir: Path
    trust: Loaded[Trust] | None = None
    objectives: list[Loaded[Objective]] = field(default_factory=list)
    risks: list[Loaded[Risk]] = field(default_factory=list)
    strategies: list[Loaded[Strategy]] = field(default_factory=list)
    unreadable: dict[Kind, set[str]] = field(default_factory=lambda: {k: set() for k in ("trust", "objective", "risk", "strategy")})

    def ids(self, kind: Kind) -> set[str]:
        """Ids of `kind` a reference may name: loaded records and files that failed to load."""
        records = {"objective": self.objectives, "risk": self.risks, "strategy": self.strategies}[kind]  # type: ignore[index]
        return {item.record.id for item in records} | self.unreadable[kind]

    def objective(self, record_id: str) -> Loaded[Objective] | None:
        return next((o for o in self.objectives if o.record.id == record_id), None)

    def risk(self, record_id: str) -> Loaded[Risk] | None:
        return next((r for r in self.risks if r.record.id == record_id), None)

    def latest_quarter(self) -> Quarter | None:
        """The latest quarter any update names: what 'up to date' means, and the default report."""
        return max((u.quarter for o in self.objectives for u in o.record.updates), default=None)

    def all_loaded(self) -> Iterator[Loaded[Trust] | Loaded[Objective] | Loaded[Risk] | Loaded[Strategy]]:
        if self.trust:
            yield self.trust
        yield from self.objectives
        yield from self.risks
        yield from self.strategies
