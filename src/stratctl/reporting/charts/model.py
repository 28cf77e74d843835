"""What a chart is given: a measure's points, target or standard, projection and SPC lines; a risk's
scores and bands. Each is checked when it is made, so a chart is never drawn from a value it cannot place."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Final, Literal

from stratctl.reporting.charts.words import ASSURANCE_WORDS, SPC_WORDS, VARIATION_WORDS, SpcClass

__all__ = [
    "MeasureChart",
    "Point",
    "Projection",
    "ScoreBand",
    "ScoreHistory",
    "ScorePoint",
    "SpcLines",
    "Standard",
    "check_id",
]

_ID: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]*")
_LIMIT: Final = 1e300  # beyond this, the axis arithmetic would overflow


@dataclass(frozen=True, slots=True)
class Point:
    """One actual: a period label ("2022-04" monthly, "2021/22 Q3" quarterly), its value, its SPC class.

    `provisional`: the value may be revised (marked "p"); `note`: a note on the point ("New triage model").
    """

    period: str
    value: float
    spc: SpcClass = "none"
    provisional: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        _check_value(self.value, f"the value at {self.period!r}")
        if self.spc not in SPC_WORDS:
            raise ValueError(f"SPC class {self.spc!r} is not one of {', '.join(SPC_WORDS)}")


@dataclass(frozen=True, slots=True)
class Standard:
    """A standard to meet: `at_least` `low`, `at_most` `high`, or `between` `low` and `high`.

    Build one with `Standard.at_least(95)`, `Standard.at_most(18)` or `Standard.between(2, 4)`.
    """

    kind: Literal["at_least", "at_most", "between"]
    low: float | None = None
    high: float | None = None
    average: bool = False  # judged on the year's average, not each value (`over: year`)

    def __post_init__(self) -> None:
        needs = {"at_least": (True, False), "at_most": (False, True), "between": (True, True)}
        if self.kind not in needs:
            raise ValueError(f"standard kind {self.kind!r} is not at_least, at_most or between")
        for bound, wanted, name in zip((self.low, self.high), needs[self.kind], ("low", "high"), strict=True):
            if wanted and bound is None:
                raise ValueError(f"a standard {self.kind} needs {name}")
            if not wanted and bound is not None:
                raise ValueError(f"a standard {self.kind} takes no {name}")
            if bound is not None:
                _check_value(bound, f"the standard's {name} bound")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError("a standard between low and high needs low <= high")

    @classmethod
    def at_least(cls, value: float, *, average: bool = False) -> Standard:
        return cls("at_least", low=value, average=average)

    @classmethod
    def at_most(cls, value: float, *, average: bool = False) -> Standard:
        return cls("at_most", high=value, average=average)

    @classmethod
    def between(cls, low: float, high: float, *, average: bool = False) -> Standard:
        return cls("between", low=low, high=high, average=average)

    def bounds(self) -> tuple[float, ...]:
        return tuple(b for b in (self.low, self.high) if b is not None)


@dataclass(frozen=True, slots=True)
class Projection:
    """Where the measure is expected to be at a later period."""

    period: str
    value: float

    def __post_init__(self) -> None:
        _check_value(self.value, "the projected value")


@dataclass(frozen=True, slots=True)
class SpcLines:
    """A process's mean and its upper and lower process limits, over the points from `start` to `end`
    (indexes into the chart's points, end excluded; None: to the last). `trial`: set from fewer than
    15 points, and so labelled."""

    mean: float
    upper: float
    lower: float
    start: int = 0
    end: int | None = None
    trial: bool = False

    def __post_init__(self) -> None:
        for value, name in ((self.mean, "mean"), (self.upper, "upper limit"), (self.lower, "lower limit")):
            _check_value(value, f"the SPC {name}")
        if not self.lower <= self.mean <= self.upper:
            raise ValueError("SPC lines need lower <= mean <= upper")
        if self.start < 0 or (self.end is not None and self.end <= self.start):
            raise ValueError("SPC lines run over at least one point: 0 <= start < end")


@dataclass(frozen=True, slots=True)
class MeasureChart:
    """One measure over time.

    `id_prefix` makes the chart's ids (`PREFIX-title`, `PREFIX-desc`): unique on the page.
    `unit`: "%" sits against its number (5%), any other unit follows a space (18 weeks).
    `target` and `standard` are alternatives: give one or neither. `variation` and `assurance` are
    keys of VARIATION_WORDS and ASSURANCE_WORDS; their words go into the chart's description.
    `level`: the measure counts integer stages; the y axis ticks integers and values have no decimals.
    `decimals`: how many decimals a value is written with (needless zeros stripped).
    `compact`: drawn for a table cell (about 100mm) rather than a full-width section; same text size.
    `spc`: the lines over every point; or `segments`, where the limits were recalculated (rebased):
    each segment's lines over its own points, in time order, the chart marking where each begins.
    `duration`: the values are minutes, written as minutes and seconds (34:48).
    """

    id_prefix: str
    title: str
    points: tuple[Point, ...]
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    standard: Standard | None = None
    projection: Projection | None = None
    spc: SpcLines | None = None
    variation: str | None = None
    assurance: str | None = None
    level: bool = False
    decimals: int = 1
    compact: bool = False
    segments: tuple[SpcLines, ...] = ()
    duration: bool = False

    def __post_init__(self) -> None:
        check_id(self.id_prefix)
        object.__setattr__(self, "points", tuple(self.points))
        object.__setattr__(self, "segments", tuple(self.segments))
        if self.spc is not None and self.segments:
            raise ValueError("a measure chart takes spc (one set of lines) or segments, not both")
        ends = [(s.start, s.end if s.end is not None else len(self.points)) for s in self.segments]
        if any(b[0] < a[1] for a, b in pairwise(ends)) or any(e > len(self.points) for _, e in ends):
            raise ValueError("SPC segments run in time order, each within the chart's points")
        if self.target is not None and self.standard is not None:
            raise ValueError("a measure chart takes a target or a standard, not both")
        for value, name in ((self.baseline, "baseline"), (self.target, "target")):
            if value is not None:
                _check_value(value, f"the {name}")
        if self.variation is not None and self.variation not in VARIATION_WORDS:
            raise ValueError(f"variation {self.variation!r} is not one of {', '.join(VARIATION_WORDS)}")
        if self.assurance is not None and self.assurance not in ASSURANCE_WORDS:
            raise ValueError(f"assurance {self.assurance!r} is not one of {', '.join(ASSURANCE_WORDS)}")
        if not 0 <= self.decimals <= 6:
            raise ValueError("decimals must be between 0 and 6")

    @property
    def lines(self) -> tuple[SpcLines, ...]:
        """Every set of SPC lines the chart draws, in time order: `segments`, or `spc` over every point."""
        return self.segments or ((self.spc,) if self.spc is not None else ())

    @property
    def current(self) -> SpcLines | None:
        """The lines of the process as it runs now: the set that reaches the latest point, if any does."""
        last = self.lines[-1] if self.lines else None
        if last is None or (last.end is not None and last.end < len(self.points)):
            return None
        return last


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """A quarter's risk score (1-25), or None where the risk was not scored."""

    period: str
    score: int | None

    def __post_init__(self) -> None:
        if self.score is not None:
            _check_score(self.score, f"the score at {self.period!r}")


@dataclass(frozen=True, slots=True)
class ScoreBand:
    """A risk band: its name and the scores it covers (inclusive)."""

    name: str
    min: int
    max: int

    def __post_init__(self) -> None:
        _check_score(self.min, f"band {self.name!r}'s min")
        _check_score(self.max, f"band {self.name!r}'s max")
        if self.min > self.max:
            raise ValueError(f"band {self.name!r} needs min <= max")


@dataclass(frozen=True, slots=True)
class ScoreHistory:
    """A BAF risk's score over the last quarters, with its target score and optionally the risk bands."""

    id_prefix: str
    title: str
    points: tuple[ScorePoint, ...]
    target: int | None = None
    bands: tuple[ScoreBand, ...] = ()

    def __post_init__(self) -> None:
        check_id(self.id_prefix)
        object.__setattr__(self, "points", tuple(self.points))
        object.__setattr__(self, "bands", tuple(sorted(self.bands, key=lambda b: (b.min, b.max, b.name))))
        if self.target is not None:
            _check_score(self.target, "the target score")


def check_id(prefix: str) -> None:
    if not _ID.fullmatch(prefix):
        raise ValueError(f"id prefix {prefix!r} must start with a letter and hold only letters, digits, _ . : -")


def _check_value(value: float, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    if abs(value) > _LIMIT:
        raise ValueError(f"{what} is too large to chart: {value!r}")


def _check_score(score: int, what: str) -> None:
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 25:
        raise ValueError(f"{what} must be a whole number from 1 to 25, not {score!r}")
