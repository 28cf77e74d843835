"""The record models: one per kind of file in a strategy repository."""

from stratctl.records.objective import Measure, MeasurePoint, Milestone, Objective, Update
from stratctl.records.risk import Action, Assurance, Rating, Review, Risk
from stratctl.records.strategy import Commitment, Strategy
from stratctl.records.trust import Executive, Priority, RiskBand, StrategicObjective, Trust

__all__ = [
    "Action", "Assurance", "Commitment", "Executive", "Measure", "MeasurePoint", "Milestone",
    "Objective", "Priority", "Rating", "Review", "Risk", "RiskBand", "StrategicObjective",
    "Strategy", "Trust", "Update",
]
