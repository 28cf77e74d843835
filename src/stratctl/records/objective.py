"""data/objectives/<id>.yaml: a supporting objective and its quarterly updates."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from stratctl.records.base import Record
from stratctl.records.fields import (
    CommitmentRef,
    ExecutiveRef,
    Id,
    IsoDate,
    Name,
    Position,
    PriorityRef,
    Progress,
    QuarterField,
    RiskRef,
    StrategicObjectiveRef,
    Text,
    Year,
)


class MeasurePoint(Record):
    quarter: QuarterField
    value: float


class Measure(Record):
    """A quantified target with its quarterly actuals."""

    id: Id
    name: Name
    unit: Text | None = None
    direction: Literal["up", "down"]
    baseline: MeasurePoint | None = None
    target: float
    tolerance: float | None = Field(default=None, ge=0)
    # additionalProperties: the schema's patternProperties alone would let a key like "Q3 2021" through.
    actuals: dict[QuarterField, float] = Field(default={}, json_schema_extra={"additionalProperties": False})
    # An actual changed after the Board signed its quarter off: quarter -> why (stratctl rules G002).
    amended: dict[QuarterField, Text] = Field(default={}, json_schema_extra={"additionalProperties": False})


class Milestone(Record):
    title: Name
    due: IsoDate
    done: IsoDate | None = None


class Update(Record):
    """One quarter's report on an objective."""

    quarter: QuarterField
    progress: Progress
    comment: Text | None = None
    projected: Position | None = None
    rationale: Text | None = None
    amended: Text | None = None  # why the update changed after the Board signed its quarter off (stratctl rules G002)


class Objective(Record):
    id: Id
    title: Name
    year: Year
    priority: PriorityRef
    supports: list[StrategicObjectiveRef] = []
    lead: ExecutiveRef
    risks: list[RiskRef] = []
    delivers: list[CommitmentRef] = []
    due: IsoDate | None = None
    measures: list[Measure] = []
    milestones: list[Milestone] = []
    updates: list[Update] = []
