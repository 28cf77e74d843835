"""data/objectives/<id>.yaml: a supporting objective and its quarterly updates."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from stratctl.periods import FinancialYear
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
    CommitteeRef,
    ObjectiveRef,
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
    until: Year | None = None  # the last financial year it runs to, inclusive; absent: `year`
    order: int | None = Field(default=None, ge=0)  # its place within its priority on the tracker, then by id
    carried_from: ObjectiveRef | None = None  # the earlier year's objective this one continues
    committee: CommitteeRef | None = None
    priority: PriorityRef
    supports: list[StrategicObjectiveRef] = []
    lead: ExecutiveRef
    risks: list[RiskRef] = []
    delivers: list[CommitmentRef] = []
    due: IsoDate | None = None
    measures: list[Measure] = []
    milestones: list[Milestone] = []
    updates: list[Update] = []

    @property
    def last_year(self) -> FinancialYear:
        """The last financial year the objective is active in."""
        return self.until or self.year

    def active_in(self, year: FinancialYear) -> bool:
        """Whether `year` lies in the objective's span, `year` to `until`."""
        return self.year <= year <= self.last_year

    def target_date(self, start_month: int = 4) -> date:
        """`due`, else the last day of the objective's span."""
        return self.due or self.last_year.quarter(4).last_day(start_month)
