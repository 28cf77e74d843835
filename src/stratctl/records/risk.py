"""data/risks/<id>.yaml: a strategic risk of the Board Assurance Framework."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from stratctl.periods import Quarter
from stratctl.records.base import Record
from stratctl.records.fields import (
    ExecutiveRef,
    Id,
    IsoDate,
    Name,
    QuarterField,
    RefersTo,
    RiskRef,
    StrategicObjectiveRef,
    Text,
)


class Rating(Record):
    """A 5x5 rating: likelihood and consequence, a score, or all three."""

    likelihood: int | None = Field(default=None, ge=1, le=5)
    consequence: int | None = Field(default=None, ge=1, le=5)
    score: int | None = Field(default=None, ge=1, le=25)

    @property
    def value(self) -> int | None:
        """The score: as stated, else likelihood x consequence, else None."""
        if self.score is not None:
            return self.score
        if self.likelihood is not None and self.consequence is not None:
            return self.likelihood * self.consequence
        return None


class Assurance(Record):
    # the three lines of defence: 1 management, 2 oversight, 3 independent; absent where the BAF does not say
    line: int | None = Field(default=None, ge=1, le=3)
    source: Text
    rating: Literal["positive", "limited", "none"] | None = None


class Action(Record):
    title: Name
    owner: ExecutiveRef | None = None
    due: IsoDate | None = None
    done: IsoDate | None = None
    # Shown in the public annual report under its risk, when the risk is public too: a BAF action is
    # the Board's business unless the trust chooses to publish it.
    public: bool = False


class Review(Record):
    quarter: QuarterField
    current: Rating
    note: Text | None = None
    amended: Text | None = None  # why the review changed after the Board signed its quarter off (stratctl rules G002)


class Closure(Record):
    """When a risk left the Board Assurance Framework, why, and the risks that take its place."""

    quarter: QuarterField  # the first quarter it is no longer on the BAF
    reason: Name
    successors: list[RiskRef] = []


CommitteeName = Annotated[Text, RefersTo("committee")]
"""A committee's id (or, before trust.yaml lists committees, its name as free text)."""


def _committee_form(value: Any) -> str:
    return "several" if isinstance(value, (list, tuple)) else "one"


Committees = Annotated[
    Annotated[CommitteeName, Tag("one")] | Annotated[list[CommitteeName], Tag("several")],
    Discriminator(_committee_form),
]
"""One committee, or a list of the committees that oversee a risk together."""


class Risk(Record):
    id: Id
    title: Name
    description: Text | None = None
    # The risk is in the public annual report (its title, description, the strategic objectives it
    # threatens, its level at the start and end of the year and its target, and its public actions);
    # controls, gaps, assurances, reviews' notes and appetite never are. Absent: the Board's alone.
    public: bool = False
    # absent until the trust names one: an imported BAF table may give no lead, and none is invented (P009 warns)
    lead: ExecutiveRef | None = None
    opened: QuarterField | None = None  # the quarter it entered the BAF; absent: it was always on it
    closed: Closure | None = None
    committee: Committees | None = None
    threatens: list[StrategicObjectiveRef] = []
    appetite: Annotated[str, RefersTo("appetite")] | None = None
    inherent: Rating | None = None
    current: Rating
    target: Rating
    target_date: IsoDate | None = None
    controls: list[Text] = []
    gaps: list[Text] = []
    assurance_gaps: list[Text] = []
    assurances: list[Assurance] = []
    actions: list[Action] = []
    reviews: list[Review] = []

    @property
    def committees(self) -> tuple[str, ...]:
        """The committees that oversee the risk, in the order written (none, one or several)."""
        if self.committee is None:
            return ()
        return (self.committee,) if isinstance(self.committee, str) else tuple(self.committee)

    def on_baf(self, quarter: Quarter) -> bool:
        """On the BAF at `quarter`: opened at or before it (or always), and not yet closed by it."""
        return (self.opened is None or self.opened <= quarter) and (
            self.closed is None or quarter < self.closed.quarter
        )

    def closed_in(self, quarter: Quarter) -> bool:
        """The BAF of `quarter` is the first without this risk."""
        return self.closed is not None and self.closed.quarter == quarter
