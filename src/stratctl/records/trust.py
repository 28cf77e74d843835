"""data/trust.yaml: the trust, its strategic objectives, priorities and executives."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag

from stratctl.periods import FinancialYear, Quarter
from stratctl.records.base import Record
from stratctl.records.fields import (
    ExecutiveRef,
    Id,
    IsoDate,
    Name,
    QuarterOrYear,
    RiskRef,
    Text,
    ThemeRef,
    Year,
    first_quarter,
    in_force,
    last_quarter,
)
from stratctl.records.objective import Measure
from stratctl.vocabulary import Purpose


class StrategyPlan(Record):
    """The trust strategy these records deliver: a plan of three to seven years."""

    title: Name
    start: Year
    end: Year
    # In force from `from` to `until` (a quarter, or a year for its first or last quarter); absent:
    # from the first quarter of `start` to the last of `end`. A plan replaced mid-year ends early.
    from_: QuarterOrYear | None = Field(default=None, alias="from")
    until: QuarterOrYear | None = None
    vision: Text | None = None
    values: list[Text] = []

    def covers(self, year: FinancialYear) -> bool:
        """`year` lies in the plan's period or in the quarters it is in force."""
        return self.start <= year <= self.end or self.first_in_force.year <= year <= self.last_in_force.year

    @property
    def first_in_force(self) -> Quarter:
        return first_quarter(self.from_ if self.from_ is not None else self.start)

    @property
    def last_in_force(self) -> Quarter:
        return last_quarter(self.until if self.until is not None else self.end)

    def in_force_at(self, quarter: Quarter) -> bool:
        return self.first_in_force <= quarter <= self.last_in_force


class Theme(Record):
    """The level above strategic objectives, in the Board's order."""

    id: Id
    title: Name
    statement: Text | None = None
    from_: QuarterOrYear | None = Field(default=None, alias="from")  # the first quarter it is in force
    until: QuarterOrYear | None = None  # the last quarter it is in force

    def in_force_at(self, quarter: Quarter) -> bool:
        return in_force(self.from_, self.until, quarter)


class StrategicObjective(Record):
    id: Id
    title: Name
    theme: ThemeRef | None = None
    lead: ExecutiveRef | None = None
    description: Text | None = None
    from_: QuarterOrYear | None = Field(default=None, alias="from")  # the first quarter it is in force
    until: QuarterOrYear | None = None  # the last quarter it is in force
    measures: list[Measure] = []  # success measures: rated and reported like an objective's

    def in_force_at(self, quarter: Quarter) -> bool:
        return in_force(self.from_, self.until, quarter)


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


def _plan_form(value: Any) -> str:
    return "several" if isinstance(value, (list, tuple)) else "one"


Plans = Annotated[
    Annotated[StrategyPlan, Tag("one")] | Annotated[list[StrategyPlan], Tag("several")],
    Discriminator(_plan_form),
]
"""One trust strategy, or the plans in force one after another (an old strategy replaced mid-year)."""


class Trust(Record):
    name: Name
    short_name: Name
    year: Year
    year_start_month: int = Field(default=4, ge=1, le=12)
    strategy: Plans | None = None
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

    @property
    def plans(self) -> tuple[StrategyPlan, ...]:
        """Every trust strategy `strategy` gives, in the order written (none, one or several)."""
        if self.strategy is None:
            return ()
        return (self.strategy,) if isinstance(self.strategy, StrategyPlan) else tuple(self.strategy)

    def plan_at(self, quarter: Quarter) -> StrategyPlan | None:
        """The plan in force at `quarter`: of several, the one that came into force last."""
        in_force_then = [plan for plan in self.plans if plan.in_force_at(quarter)]
        return max(in_force_then, key=lambda plan: plan.first_in_force, default=None)

    @property
    def latest_plan(self) -> StrategyPlan | None:
        """The plan that came into force last: the strategy the records deliver from now on."""
        return max(self.plans, key=lambda plan: plan.first_in_force, default=None)

    @property
    def strategy_period(self) -> tuple[FinancialYear, FinancialYear] | None:
        """The years the plans cover together: the first plan's `start` to the last one's `end`."""
        if not self.plans:
            return None
        return min(plan.start for plan in self.plans), max(plan.end for plan in self.plans)
