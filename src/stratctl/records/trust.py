"""data/trust.yaml: the trust, its strategic objectives, priorities and executives."""

from __future__ import annotations

from pydantic import Field

from stratctl.records.base import Record
from stratctl.records.fields import Id, Name, RiskRef, Text, Year


class StrategicObjective(Record):
    id: Id
    title: Name


class Priority(Record):
    id: Id
    title: Name
    statement: Text | None = None
    risks: list[RiskRef] = []


class Executive(Record):
    id: Id
    title: Name
    # GitHub users (@name) or teams (@org/team) who review the records this executive leads
    # (stratctl codeowners writes them into .github/CODEOWNERS; rule O001 checks the form).
    reviewers: list[Text] = []


class RiskBand(Record):
    name: str
    min: int = Field(ge=1, le=25)
    max: int = Field(ge=1, le=25)


DEFAULT_RISK_BANDS = (
    RiskBand(name="low", min=1, max=3),
    RiskBand(name="moderate", min=4, max=6),
    RiskBand(name="high", min=8, max=12),
    RiskBand(name="extreme", min=15, max=25),
)
"""The NPSA 5x5 grading, used unless trust.yaml sets `risk_bands`."""


class Trust(Record):
    name: Name
    short_name: Name
    year: Year
    year_start_month: int = Field(default=4, ge=1, le=12)
    strategic_objectives: list[StrategicObjective] = []
    priorities: list[Priority] = []
    executives: list[Executive] = []
    risk_bands: list[RiskBand] = list(DEFAULT_RISK_BANDS)
    risk_appetite: dict[str, int] = {}
    measure_tolerance: float = Field(default=0.10, ge=0)
