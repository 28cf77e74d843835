"""Financial years, quarters and calendar months.

A financial year is written `2021/22` and runs from the trust's start month
(April unless trust.yaml says otherwise) to the month before it a year later.
Quarter 1 is the first three months of that year, so with the NHS default
Q1 is April-June and Q4 January-March of the following calendar year.
A month is a calendar month, written `2022-04`: a monthly measure's actuals are keyed by month.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

# ASCII digits only: Python's \d also matches ٢٠٢١, which int() reads, but the JSON Schema and every
# other reader of the records refuse it.
_YEAR = re.compile(r"([0-9]{4})/([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4}/[0-9]{2}) Q([1-4])")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""English month abbreviations, fixed here rather than read from the locale: output is the same on any machine."""
FIRST_YEAR, LAST_YEAR = 1948, 2199
"""The financial years stratctl reads, 1948/49 (the NHS began in July 1948) to 2199/00: a year outside
them is a typing mistake, and the calendar arithmetic of quarters needs years 1 to 9999."""


YEAR_RANGE = f"{FIRST_YEAR}/{(FIRST_YEAR + 1) % 100:02d} to {LAST_YEAR}/{(LAST_YEAR + 1) % 100:02d}"


class PeriodError(ValueError):
    """A year, quarter or month that is not written as docs/records.md asks (2021/22, 2021/22 Q3, 2022-04)."""


@dataclass(frozen=True, order=True, slots=True)
class FinancialYear:
    """A financial year, identified by the calendar year it starts in."""

    start: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Read `2021/22`; the second half must be the first plus one."""
        match = _YEAR.fullmatch(text.strip())
        if not match:
            raise PeriodError(f"{text!r} is not a financial year: write it as 2021/22")
        first, second = int(match[1]), int(match[2])
        if not FIRST_YEAR <= first <= LAST_YEAR:
            raise PeriodError(f"{text!r} is outside the financial years stratctl reads, {YEAR_RANGE}")
        if (first + 1) % 100 != second:
            expected = f"{first}/{(first + 1) % 100:02d}"
            raise PeriodError(f"{text!r} is not a financial year: did you mean {expected}?")
        return cls(first)

    def __str__(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    def quarter(self, number: int) -> Quarter:
        return Quarter(self, number)


@dataclass(frozen=True, slots=True)
class Quarter:
    """One quarter of a financial year; orders chronologically."""

    year: FinancialYear
    number: int
    index: int = field(init=False, repr=False, compare=False)
    """A running quarter count: consecutive quarters differ by one."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", self.year.start * 4 + self.number - 1)

    # Compared by the stored running count rather than dataclass order (a tuple of a nested
    # dataclass): the rating engine compares quarters hundreds of thousands of times.
    def __lt__(self, other: object) -> bool:
        return self.index < other.index if isinstance(other, Quarter) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.index <= other.index if isinstance(other, Quarter) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.index > other.index if isinstance(other, Quarter) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.index >= other.index if isinstance(other, Quarter) else NotImplemented

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read `2021/22 Q3`."""
        match = _QUARTER.fullmatch(text.strip()) if isinstance(text, str) else None
        if not match:
            raise PeriodError(f"{text!r} is not a quarter: write it as 2021/22 Q3")
        return cls(FinancialYear.parse(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.year} Q{self.number}"

    @property
    def label(self) -> str:
        """`Q3`: the quarter without its year."""
        return f"Q{self.number}"

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        return cls(FinancialYear(index // 4), index % 4 + 1)

    def previous(self) -> Quarter:
        """The quarter before; Q1's is the prior year's Q4."""
        return Quarter.from_index(self.index - 1)

    def next(self) -> Quarter:
        return Quarter.from_index(self.index + 1)

    def first_day(self, start_month: int = 4) -> date:
        month0 = start_month - 1 + (self.number - 1) * 3
        return date(self.year.start + month0 // 12, month0 % 12 + 1, 1)

    def last_day(self, start_month: int = 4) -> date:
        """The quarter's last day: the as-of date of a quarterly report."""
        month0 = start_month - 1 + (self.number - 1) * 3 + 2
        year, month = self.year.start + month0 // 12, month0 % 12 + 1
        return date(year, month, calendar.monthrange(year, month)[1])


_TYPED_QUARTER = re.compile(r"(?:BOARD/)?([0-9]{4})[/-]([0-9]{2})[ -]?Q([1-4])|Q([1-4]) ([0-9]{4})[/-]([0-9]{2})")
"""How people type a quarter on the command line: 2021/22 Q3, 2021-22 Q3, the sign-off tag
board/2021-22-Q3, or Q3 2021/22 (after upper-casing and single spaces)."""


def parse_quarter(text: str, year: FinancialYear | None = None) -> Quarter:
    """A quarter as a person types it: `2021/22 Q3` (or the forms above), or `Q3` of `year`; any case or spacing.

    Every command that takes a quarter reads it here, so `2021/22 q3` means the same to all of them.
    Records are stricter: a quarter in a file is written exactly `2021/22 Q3`.
    """
    words = " ".join(str(text).split()).upper()
    typed = _TYPED_QUARTER.fullmatch(words)
    if typed:
        start, end, number = (typed[1], typed[2], typed[3]) if typed[1] else (typed[5], typed[6], typed[4])
        try:
            return Quarter.parse(f"{start}/{end} Q{number}")
        except PeriodError as error:  # a year that is not one (2021/23): said of what was typed
            raise PeriodError(str(error).replace(repr(f"{start}/{end} Q{number}"), repr(text))) from None
    if re.fullmatch(r"Q[1-4]", words):
        if year is None:
            raise PeriodError(f"{text!r} needs its year: write it as 2021/22 Q3")
        return Quarter.parse(f"{year} {words}")
    raise PeriodError(f"{text!r} is not a quarter: write it as 2021/22 Q3, or Q3 for trust.yaml's year")


def check_day(day: date, start_month: int = 4) -> date:
    """`day`, if it falls in a financial year stratctl reads (an --as-of date); else PeriodError."""
    year = quarter_containing(day, start_month).year.start
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"{day.isoformat()} is outside the financial years stratctl reads, {YEAR_RANGE}")
    return day


def quarter_containing(day: date, start_month: int = 4) -> Quarter:
    """The financial quarter that `day` falls in (any date: a due date's quarter is only compared)."""
    months_into_year = (day.month - start_month) % 12
    start_year = day.year if day.month >= start_month else day.year - 1
    return Quarter(FinancialYear(start_year), months_into_year // 3 + 1)


@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month, `2022-04`; orders chronologically.

    A month belongs to the financial year and quarter that contain its first day, which depend on
    the trust's start month: pass it to `financial_year` and `quarter`.
    """

    year: int
    month: int
    index: int = field(init=False, repr=False, compare=False)
    """A running month count: consecutive months differ by one (the x of a monthly trend line)."""

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise PeriodError(f"{self.year:04d}-{self.month:02d} is not a month: months run 01 to 12")
        object.__setattr__(self, "index", self.year * 12 + self.month - 1)

    def __lt__(self, other: object) -> bool:
        return self.index < other.index if isinstance(other, Month) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.index <= other.index if isinstance(other, Month) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.index > other.index if isinstance(other, Month) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.index >= other.index if isinstance(other, Month) else NotImplemented

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read `2022-04`: four digits for the year, two for the month, nothing else."""
        match = _MONTH.fullmatch(text) if isinstance(text, str) else None
        if not match:
            raise PeriodError(f"{text!r} is not a month: write it as 2022-04 (year-month)")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def abbreviation(self) -> str:
        """`Apr`: the month without its year."""
        return MONTH_ABBREVIATIONS[self.month - 1]

    @property
    def words(self) -> str:
        """`Apr 2022`: the month as a reader writes it."""
        return f"{self.abbreviation} {self.year}"

    def next(self) -> Month:
        return Month.from_index(self.index + 1)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def quarter(self, start_month: int = 4) -> Quarter:
        """The financial quarter the month falls in."""
        return quarter_containing(self.first_day(), start_month)

    def financial_year(self, start_month: int = 4) -> FinancialYear:
        return self.quarter(start_month).year


def parse_period(text: str) -> Quarter | Month:
    """A measure's period as a record writes it: a quarter, `2021/22 Q3`, or a month, `2022-04`."""
    if isinstance(text, str) and _QUARTER.fullmatch(text):
        return Quarter.parse(text)
    if isinstance(text, str) and _MONTH.fullmatch(text):
        return Month.parse(text)
    raise PeriodError(f"{text!r} is not a period: write a quarter as 2021/22 Q3, or a month as 2022-04")


def month_containing(day: date) -> Month:
    """The calendar month that `day` falls in."""
    return Month(day.year, day.month)


def months_of(quarter: Quarter, start_month: int = 4) -> tuple[Month, Month, Month]:
    """The three months of a financial quarter, in order."""
    first = month_containing(quarter.first_day(start_month))
    return first, first.next(), first.next().next()


@dataclass(frozen=True, slots=True)
class ReportingPoint:
    """As of when a report speaks: the quarter and the day."""

    quarter: Quarter
    as_of: date
    start_month: int = 4

    @classmethod
    def end_of(cls, quarter: Quarter, start_month: int = 4) -> ReportingPoint:
        """As of the last day of `quarter`: how a quarterly Board report is read."""
        return cls(quarter, quarter.last_day(start_month), start_month)

    @classmethod
    def on(cls, day: date, start_month: int = 4) -> ReportingPoint:
        """As of `day`, mid-quarter: the quarter is the one containing it."""
        return cls(quarter_containing(day, start_month), day, start_month)

    def previous(self) -> ReportingPoint:
        return ReportingPoint.end_of(self.quarter.previous(), self.start_month)
