"""data/risks/<id>.yaml: a strategic risk of the Board Assurance Framework."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from stratctl.records.base import Record
from stratctl.records.fields import ExecutiveRef, Id, IsoDate, Name, QuarterField, RefersTo, StrategicObjectiveRef, Text


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
    line: int = Field(ge=1, le=3)  # the three lines of defence: 1 management, 2 oversight, 3 independent
    source: Text
    rating: Literal["positive", "limited", "none"] | None = None


class Action(Record):
    title: Name
    owner: ExecutiveRef | None = None
    due: IsoDate | None = None
    done: IsoDate | None = None


class Review(Record):
    quarter: QuarterField
    current: Rating
    note: Text | None = None
    amended: Text | None = None  # why the review changed after the Board signed its quarter off (stratctl rules G002)


class Risk(Record):
    id: Id
    title: Name
    description: Text | None = None
    lead: ExecutiveRef
    committee: Annotated[Text, RefersTo("committee")] | None = None
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
