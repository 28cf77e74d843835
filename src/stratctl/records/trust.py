"""data/trust.yaml: the trust, its strategic objectives, priorities and executives."""

from __future__ import annotations

from pydantic import Field

from stratctl.periods import FinancialYear
from stratctl.records.base import Record
from stratctl.records.fields import ExecutiveRef, Id, IsoDate, Name, RiskRef, Text, ThemeRef, Year
from stratctl.records.objective import Measure
from stratctl.vocabulary import Purpose


class StrategyPlan(Record):
    """The trust strategy these records deliver: a plan of three to seven years."""

    title: Name
    start: Year
    end: Year
    vision: Text | None = None
    values: list[Text] = []

    def covers(self, year: FinancialYear) -> bool:
        return self.start <= year <= self.end


class Theme(Record):
    """The level above strategic objectives, in the Board's order."""

    id: Id
    title: Name
    statement: Text | None = None


class StrategicObjective(Record):
    id: Id
    title: Name
    theme: ThemeRef | None = None
    lead: ExecutiveRef | None = None
    description: Text | None = None
    measures: list[Measure] = []  # success measures: rated and reported like an objective's


class Committee(Record):
    """A Board committee that oversees risks and objectives."""

    id: Id
    title: Name


class Priority(Record):
    id: Id
    title: Name
    statement: Text | None = None
    year: Year | None = None  # the first year it applies to; absent: every year
    until: Year | None = None  # the last year it applies to; absent: its `year` (or every year)
    risks: list[RiskRef] = []

    def applies_in(self, year: FinancialYear) -> bool:
        if self.year is None:
            return self.until is None or year <= self.until
        return self.year <= year <= (self.until or self.year)


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


class ReportSettings(Record):
    """The cover sheet of the Board paper, as NHS Board papers carry one; each may be given on the command line too."""

    purpose: Purpose | None = None
    presenter: ExecutiveRef | None = None
    recommendation: Text | None = None
    item: Text | None = None  # the agenda item number
    meeting: Text | None = None  # "Board of Directors meeting in public"
    author: Text | None = None  # who wrote the paper: "Head of Strategy and Planning"
    previously_considered: Text | None = None  # "Executive Management Committee, 7 December 2021"
    # the next meeting's date: the cover's, and what `request` and `chase` count back from
    meeting_date: IsoDate | None = None


class Trust(Record):
    name: Name
    short_name: Name
    year: Year
    year_start_month: int = Field(default=4, ge=1, le=12)
    strategy: StrategyPlan | None = None
    themes: list[Theme] = []
    strategic_objectives: list[StrategicObjective] = []
    committees: list[Committee] = []
    priorities: list[Priority] = []
    executives: list[Executive] = []
    risk_bands: list[RiskBand] = list(DEFAULT_RISK_BANDS)
    risk_appetite: dict[str, int] = {}
    measure_tolerance: float = Field(default=0.10, ge=0)
    report: ReportSettings | None = None
    illustrative: bool = False  # the values are partly invented (an example trust): every paper says so
