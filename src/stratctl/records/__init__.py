"""The record models: one per kind of file in a strategy repository."""

from stratctl.records.objective import Measure, MeasurePoint, Milestone, Objective, Standard, Update
from stratctl.records.risk import Action, Assurance, Closure, Rating, Review, Risk
from stratctl.records.strategy import Commitment, Strategy
from stratctl.records.trust import (
    Committee,
    Executive,
    Priority,
    RiskBand,
    StrategicObjective,
    StrategyPlan,
    Theme,
    Trust,
)

__all__ = [
    "Action",
    "Assurance",
    "Closure",
    "Commitment",
    "Committee",
    "Executive",
    "Measure",
    "MeasurePoint",
    "Milestone",
    "Objective",
    "Priority",
    "Rating",
    "Review",
    "Risk",
    "RiskBand",
    "Standard",
    "StrategicObjective",
    "Strategy",
    "StrategyPlan",
    "Theme",
    "Trust",
    "Update",
]
