"""data/strategies/<id>.yaml: an enabling strategy and its commitments."""

from __future__ import annotations

from typing import Literal

from stratctl.records.base import Record
from stratctl.records.fields import ExecutiveRef, Id, IsoDate, Name, StrategicObjectiveRef
from stratctl.records.objective import Measure


class Commitment(Record):
    id: Id
    title: Name
    due: IsoDate | None = None
    measures: list[Measure] = []


class Strategy(Record):
    id: Id
    title: Name
    lead: ExecutiveRef
    status: Literal["in-development", "approved", "retired"]
    approval_due: IsoDate | None = None
    supports: list[StrategicObjectiveRef] = []
    commitments: list[Commitment] = []
