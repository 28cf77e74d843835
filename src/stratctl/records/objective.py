"""data/objectives/<id>.yaml: a supporting objective and its quarterly updates."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Discriminator, Field, Tag, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from stratctl.numbers import DURATION_UNIT
from stratctl.periods import FinancialYear, Month, Quarter
from stratctl.records.base import Record
from stratctl.records.fields import (
    AMOUNT_SCHEMA,
    MONTH_PATTERN,
    QUARTER_PATTERN,
    CadencePeriod,
    CommitmentRef,
    CommitteeRef,
    ExecutiveRef,
    Id,
    IsoDate,
    MeasureAmount,
    MeasurePeriod,
    MeasureValue,
    MonthField,
    Name,
    ObjectiveRef,
    PriorityRef,
    QuarterField,
    RiskRef,
    StrategicObjectiveRef,
    Text,
    Year,
    duration_seconds,
    whole_stage_message,
)
from stratctl.vocabulary import DeclaredTrend, Position, Progress


class MeasurePoint(Record):
    """A measure's value in one period: a quarter, or a month for a monthly measure."""

    # A JSON Schema client checks that one of the two is given; the model checks it below.
    model_config = ConfigDict(json_schema_extra={"oneOf": [{"required": ["quarter"]}, {"required": ["month"]}]})

    quarter: QuarterField | None = None
    month: MonthField | None = None
    value: MeasureAmount

    @field_validator("month")
    @classmethod
    def _one_period(cls, month: Month | None, info: ValidationInfo) -> Month | None:
        if month is not None and info.data.get("quarter") is not None:
            raise PydanticCustomError(
                "stratctl_cadence",
                "a point has one period: give its quarter (a quarterly measure) or its month (a monthly one), not both",
            )
        return month

    @model_validator(mode="after")
    def _has_period(self) -> MeasurePoint:
        if self.quarter is None and self.month is None:
            raise PydanticCustomError(
                "stratctl_missing",
                "a point needs its period: quarter: 2021/22 Q1, or month: 2022-03 for a monthly measure",
            )
        return self

    @property
    def period(self) -> Quarter | Month:
        """The quarter or month the value belongs to."""
        period = self.quarter if self.quarter is not None else self.month
        assert period is not None  # the model refuses a point with neither
        return period


class Standard(Record):
    """A standard to hold rather than a target to reach: exactly one of the three, judged on the
    latest value, or with `over: year` on the mean of the year's values so far."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["at_least"]}, {"required": ["at_most"]}, {"required": ["between"]}]}
    )

    at_least: MeasureAmount | None = None
    at_most: MeasureAmount | None = None
    between: list[MeasureAmount] | None = Field(default=None, json_schema_extra={"minItems": 2, "maxItems": 2})
    over: Literal["year"] | None = None  # judged on the mean of the year's actuals to date

    @field_validator("at_most")
    @classmethod
    def _not_with_at_least(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is not None and info.data.get("at_least") is not None:
            raise PydanticCustomError("stratctl_standard", _ONE_STANDARD)
        return value

    @field_validator("between")
    @classmethod
    def _a_band(cls, value: list[float] | None, info: ValidationInfo) -> list[float] | None:
        if value is None:
            return None
        if info.data.get("at_least") is not None or info.data.get("at_most") is not None:
            raise PydanticCustomError("stratctl_standard", _ONE_STANDARD)
        if len(value) != 2:
            raise PydanticCustomError(
                "stratctl_standard", "between takes two numbers, the low bound then the high: such as [92, 96]"
            )
        low, high = value
        if low > high:
            raise PydanticCustomError(
                "stratctl_standard",
                "between runs from low to high: [{low}, {high}] is upside down; write [{high}, {low}]",
                {"low": _number(low), "high": _number(high)},
            )
        return value

    @model_validator(mode="after")
    def _one_given(self) -> Standard:
        if self.at_least is None and self.at_most is None and self.between is None and self.over is not None:
            raise PydanticCustomError(
                "stratctl_standard",
                "over: year judges a standard on the year's mean: write {at_most: 30, over: year} (or at_least, "
                "between); a number target is reached by its due date and takes no over",
            )
        if self.at_least is None and self.at_most is None and self.between is None:
            raise PydanticCustomError(
                "stratctl_standard",
                "a standard names what to hold: {at_least: 95}, {at_most: 18} or {between: [92, 96]}",
            )
        return self

    @property
    def kind(self) -> Literal["at_least", "at_most", "between"]:
        if self.at_least is not None:
            return "at_least"
        return "at_most" if self.at_most is not None else "between"

    @property
    def values(self) -> tuple[float, ...]:
        """The standard's bound, or its two bounds for a band."""
        if self.between is not None:
            return (self.between[0], self.between[1])
        value = self.at_least if self.at_least is not None else self.at_most
        assert value is not None
        return (value,)


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


_ONE_STANDARD = (
    "a standard is one of at_least, at_most or between, not two at once: "
    "for a range to stay within, write {between: [low, high]}"
)


def _target_kind(value: Any) -> str:
    return "standard" if isinstance(value, (dict, Standard)) else "number"


Target = Annotated[
    Annotated[MeasureAmount, Tag("number")] | Annotated[Standard, Tag("standard")],
    Discriminator(_target_kind),
]
"""A number to reach by the target date, or a standard to hold ({at_least: 95})."""


# Editors (JSON Schema) see the same rules the model applies across fields.
_MEASURE_SCHEMA_RULES: dict[str, Any] = {
    "allOf": [
        {
            "if": {"properties": {"cadence": {"const": "monthly"}}, "required": ["cadence"]},
            "then": {
                "properties": {
                    "actuals": {"propertyNames": {"pattern": MONTH_PATTERN}},
                    "baseline": {"required": ["month"]},
                },
            },
            "else": {
                "properties": {
                    "actuals": {"propertyNames": {"pattern": QUARTER_PATTERN}},
                    "baseline": {"required": ["quarter"]},
                },
            },
        },
        {
            "if": {"properties": {"direction": {"const": "neutral"}}},
            "then": {"not": {"required": ["target"]}},
        },
        {
            # Only a duration's values may be written "34:48": every other measure's are numbers.
            "if": {"properties": {"unit": {"const": "mm:ss"}}, "required": ["unit"]},
            "else": {
                "properties": {
                    "actuals": {
                        "patternProperties": {QUARTER_PATTERN: {"type": "number"}, MONTH_PATTERN: {"type": "number"}}
                    },
                    "baseline": {"properties": {"value": {"type": "number"}}},
                    "target": {
                        "anyOf": [
                            {"type": "number"},
                            {
                                "type": "object",
                                "properties": {
                                    "at_least": {"type": "number"},
                                    "at_most": {"type": "number"},
                                    "between": {"items": {"type": "number"}},
                                },
                            },
                        ]
                    },
                },
            },
        },
        {
            "if": {"required": ["accumulates"]},
            "then": {"properties": {"target": {"not": {"type": "object", "required": ["over"]}}}},
        },
        {
            "if": {"properties": {"kind": {"const": "level"}}, "required": ["kind"]},
            "then": {
                "properties": {
                    "actuals": {"patternProperties": {".": {"type": "integer"}}},
                    "target": {"anyOf": [{"type": "integer"}, {"type": "object"}]},
                },
            },
        },
    ],
}


class Measure(Record):
    """A quantified target (or a standard to hold) with its quarterly or monthly actuals.

    With `direction` up or down and no target, the measure is watched: charted with SPC's
    improvement and concern colours, never rated. With `unit: "mm:ss"` it is a duration: its
    values are written "34:48" (or as minutes) and held here in seconds.
    """

    model_config = ConfigDict(json_schema_extra=_MEASURE_SCHEMA_RULES)

    id: Id
    name: Name
    unit: Text | None = None  # "mm:ss": a duration, values written "34:48" and computed in seconds
    direction: Literal["up", "down", "neutral"]  # neutral: charted and SPC only, never a target
    cadence: Literal["quarterly", "monthly"] = "quarterly"
    kind: Literal["continuous", "level"] = "continuous"  # level: whole stages (HIMSS 0-7)
    history_from: CadencePeriod | None = None  # actuals from this period are accepted before the span
    rebase: list[CadencePeriod] = []  # SPC limits recalculated from each of these periods
    baseline: MeasurePoint | None = None
    target: Target | None = Field(default=None, validate_default=True)
    accumulates: Literal["year"] | None = None  # actuals are year-to-date totals; rollover restarts at 0
    tolerance: float | None = Field(default=None, ge=0)
    provisional: list[CadencePeriod] = []  # periods whose values are provisional: marked "p" wherever shown
    notes: dict[CadencePeriod, Name] = Field(
        default={},
        json_schema_extra={
            "additionalProperties": False,
            "patternProperties": {QUARTER_PATTERN: {"type": "string"}, MONTH_PATTERN: {"type": "string"}},
        },
    )
    # additionalProperties: the schema's patternProperties alone would let a key like "Q3 2021" through.
    actuals: dict[MeasurePeriod, MeasureValue] = Field(
        default={},
        json_schema_extra={
            "additionalProperties": False,
            "patternProperties": {QUARTER_PATTERN: AMOUNT_SCHEMA, MONTH_PATTERN: AMOUNT_SCHEMA},
        },
    )
    # An actual changed after the Board signed its quarter off: period -> why (stratctl rules G002).
    amended: dict[MeasurePeriod, Text] = Field(default={}, json_schema_extra={"additionalProperties": False})

    @field_validator("baseline", "target", mode="before")
    @classmethod
    def _in_seconds(cls, value: Any, info: ValidationInfo) -> Any:
        """A duration's baseline and target, like its actuals, are read in seconds."""
        if (info.data or {}).get("unit") != DURATION_UNIT or value is None:
            return value
        if info.field_name == "baseline":
            if isinstance(value, dict) and "value" in value:
                return {**value, "value": duration_seconds(value["value"])}
            return value
        if isinstance(value, dict):
            converted = dict(value)
            for key in ("at_least", "at_most"):
                if key in converted:
                    converted[key] = duration_seconds(converted[key])
            if isinstance(converted.get("between"), list):
                converted["between"] = [duration_seconds(v) for v in converted["between"]]
            return converted
        return duration_seconds(value)

    @field_validator("baseline")
    @classmethod
    def _baseline_fits(cls, baseline: MeasurePoint | None, info: ValidationInfo) -> MeasurePoint | None:
        if baseline is None:
            return None
        cadence = info.data.get("cadence")
        if cadence == "monthly" and baseline.month is None:
            raise PydanticCustomError(
                "stratctl_cadence",
                "this measure is monthly, so its baseline is a month: write {month: 2022-03, value: ...}",
            )
        if cadence == "quarterly" and baseline.quarter is None:
            raise PydanticCustomError(
                "stratctl_cadence",
                "this measure is quarterly (the default), so its baseline is a quarter: write "
                "{quarter: 2021/22 Q4, value: ...}, or add `cadence: monthly`",
            )
        if info.data.get("kind") == "level" and not baseline.value.is_integer():
            raise PydanticCustomError("stratctl_level", whole_stage_message(baseline.value), {})
        return baseline

    @field_validator("target")
    @classmethod
    def _target_fits(cls, target: float | Standard | None, info: ValidationInfo) -> float | Standard | None:
        direction = info.data.get("direction")
        if direction == "neutral" and target is not None:
            raise PydanticCustomError(
                "stratctl_target",
                "a neutral measure has no target: neither way is better, so nothing can be met; "
                "give it direction up or down, or remove the target",
            )
        if info.data.get("kind") == "level" and target is not None:
            values = target.values if isinstance(target, Standard) else (target,)
            for value in values:
                if not value.is_integer():
                    raise PydanticCustomError("stratctl_level", whole_stage_message(value), {})
        return target

    @field_validator("accumulates")
    @classmethod
    def _totals_take_no_over(cls, accumulates: str | None, info: ValidationInfo) -> str | None:
        target = (info.data or {}).get("target")
        if accumulates is not None and isinstance(target, Standard) and target.over is not None:
            raise PydanticCustomError(
                "stratctl_standard",
                "accumulates: year measures are year-to-date totals already: the latest is the year's figure, "
                "so their standard takes no over; remove over: year, or accumulates",
            )
        return accumulates

    @property
    def standard(self) -> Standard | None:
        return self.target if isinstance(self.target, Standard) else None

    @property
    def duration(self) -> bool:
        """Whether the measure is a time in minutes and seconds (`unit: "mm:ss"`), held in seconds."""
        return self.unit == DURATION_UNIT

    @property
    def watched(self) -> bool:
        """Up or down with no target: charted with improvement and concern, never rated."""
        return self.direction != "neutral" and self.target is None


class Milestone(Record):
    title: Name
    due: IsoDate
    was: list[IsoDate] = []  # earlier due dates, oldest first: the milestone was reprofiled from each
    done: IsoDate | None = None


class Update(Record):
    """One quarter's report on an objective."""

    quarter: QuarterField
    progress: Progress
    comment: Text | None = None
    projected: Position | None = None
    trend: DeclaredTrend | None = None  # the direction the Board declared (the tracker's A↓)
    rationale: Text | None = None
    amended: Text | None = None  # why the update changed after the Board signed its quarter off (stratctl rules G002)


class Objective(Record):
    id: Id
    title: Name
    year: Year
    until: Year | None = None  # the last financial year it runs to, inclusive; absent: `year`
    start: QuarterField | None = None  # the first quarter it is reported (agreed in-year); absent: its first year's Q1
    carried_from: ObjectiveRef | None = None  # the earlier year's objective this one continues
    # the field order is the order `stratctl fmt` writes: where it sits, then who leads and oversees it
    priority: PriorityRef
    order: int | None = Field(default=None, ge=0)  # its place within its priority on the tracker, then by id
    supports: list[StrategicObjectiveRef] = []
    lead: ExecutiveRef
    committee: CommitteeRef | None = None
    risks: list[RiskRef] = []
    delivers: list[CommitmentRef] = []
    due: IsoDate | None = None
    measures: list[Measure] = []
    milestones: list[Milestone] = []
    updates: list[Update] = []

    @property
    def tracker_order(self) -> tuple[bool, int, str]:
        """Its place among its priority's objectives, as the tracker lists them: by `order`, the
        unordered after the ordered, then by id. Every view that lists objectives uses it."""
        return (self.order is None, self.order or 0, self.id)

    @property
    def last_year(self) -> FinancialYear:
        """The last financial year the objective is active in."""
        return self.until or self.year

    @property
    def first_quarter(self) -> Quarter:
        """The first quarter the objective is reported: `start`, else its first year's Q1."""
        return self.start or self.year.quarter(1)

    def starts_after(self, quarter: Quarter) -> bool:
        """`quarter` comes before the objective's `start`: it is on the tracker, not yet reported."""
        return self.start is not None and quarter < self.start

    def active_in(self, year: FinancialYear) -> bool:
        """Whether `year` lies in the objective's span, `year` to `until`."""
        return self.year <= year <= self.last_year

    def target_date(self, start_month: int = 4) -> date:
        """`due`, else the last day of the objective's span."""
        return self.due or self.last_year.quarter(4).last_day(start_month)
