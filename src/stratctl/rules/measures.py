"""Rules about measures: their periods, stages, standards and targets, and where their actuals fall.

The rules a single measure can check are applied by the model while loading (its cadence, kind
and direction are validated before its baseline, target and actuals) and only declared here; the
rules that need the rest of the repository (an objective's span, the strategy's period) check the
loaded records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from stratctl.findings import Finding, Loc, Severity
from stratctl.periods import FinancialYear, Month, Quarter
from stratctl.records import Measure
from stratctl.rules.registry import BoardWords, declare, rule

if TYPE_CHECKING:
    from stratctl.repository import RecordFile, Repository

E = Severity.ERROR


@rule("M001", "actual-outside-span", E)
def actual_outside_span(repo: Repository) -> Iterator[Finding]:
    """A measure's actuals fall in the years they are reported in.

    An objective's actuals fall in its span (`year` to `until`): a month of those financial years
    for a monthly measure, a quarter of them for a quarterly one. A strategic objective's success
    measures and a strategy commitment's measures fall in the strategy's period (trust.yaml's
    `strategy: {start, end}`), when trust.yaml gives one. A baseline may lie before the span, and
    so may a measure's actuals from its `history_from` on: they are history, charted and used for
    SPC, never an update of the span.

    Bad:
        year: 2022/23
        measures:
          - {id: ed-4-hour, name: Seen within 4 hours, direction: up, cadence: monthly,
             target: {at_least: 76}, actuals: {2012-04: 72.1}}
    Good:
        year: 2022/23
        measures:
          - {id: ed-4-hour, name: Seen within 4 hours, direction: up, cadence: monthly,
             target: {at_least: 76}, actuals: {2022-04: 72.1}}
    """
    start = repo.trust.record.year_start_month if repo.trust is not None else 4
    for loaded in repo.objectives:
        objective = loaded.record
        first = objective.year
        last = objective.last_year
        if last < first:
            continue  # no span at all: L002 reports the cause, once, not an error for every actual
        yield from _outside(
            loaded.file,
            objective.measures,
            ("measures",),
            first,
            last,
            start,
            f"the objective's span ({_years(first, last)})",
        )
    period_years = repo.trust.record.strategy_period if repo.trust is not None else None
    if period_years is None or period_years[1] < period_years[0]:
        return  # no period to check against (or L006 says what is wrong with it)
    plan_start, plan_end = period_years
    period = f"the strategy's period ({_years(plan_start, plan_end)})"
    assert repo.trust is not None
    for index, strategic in enumerate(repo.trust.record.strategic_objectives):
        yield from _outside(
            repo.trust.file,
            strategic.measures,
            ("strategic_objectives", index, "measures"),
            plan_start,
            plan_end,
            start,
            period,
        )
    for strategy in repo.strategies:
        for index, commitment in enumerate(strategy.record.commitments):
            yield from _outside(
                strategy.file,
                commitment.measures,
                ("commitments", index, "measures"),
                plan_start,
                plan_end,
                start,
                period,
            )


def _outside(
    file: RecordFile,
    measures: Iterable[Measure],
    at: Loc,
    first: FinancialYear,
    last: FinancialYear,
    start_month: int,
    where: str,
) -> Iterator[Finding]:
    for index, measure in enumerate(measures):
        history = measure.history_from
        for period in measure.actuals:
            year = period.financial_year(start_month) if isinstance(period, Month) else period.year
            if first <= year <= last:
                continue
            if year < first and history is not None and type(history) is type(period) and history <= period:
                continue  # history: before the span, from history_from on
            what = "month" if isinstance(period, Month) else "quarter"
            if year < first:
                since = f" (history_from is {history})" if history is not None else ""
                advice = (
                    f"correct the {what}, or set the measure's history_from to accept earlier values as history{since}"
                )
            else:
                advice = f"correct the {what}, or record it where that year is reported"
            yield actual_outside_span.finding(
                file,
                f"measure {measure.id}: {period} is in {year}, outside {where}: an actual is recorded in a "
                f"{what} of those years; {advice}",
                loc=(*at, index, "actuals", str(period)),
                on_key=True,
            )


def _years(first: FinancialYear, last: FinancialYear) -> str:
    return str(first) if first == last else f"{first} to {last}"


PERIOD_NOT_CADENCE = declare(
    "M002",
    "period-not-cadence",
    E,
    """
    A monthly measure's baseline and actuals are months, written 2022-04; a quarterly measure's
    (the default) are quarters, written 2021/22 Q3. A point has one period, not both.

    Bad:
        cadence: monthly
        actuals:
          2022/23 Q1: 72.1
    Good:
        cadence: monthly
        actuals:
          2022-04: 72.1
    """,
)

LEVEL_NOT_WHOLE = declare(
    "M003",
    "level-not-whole",
    E,
    """
    A `kind: level` measure counts whole stages (a HIMSS stage 0-7): its baseline, actuals and
    target are whole numbers.

    Bad:
        kind: level
        target: 5.5
    Good:
        kind: level
        target: 6
    """,
)

INVALID_STANDARD = declare(
    "M004",
    "invalid-standard",
    E,
    """
    A standard to hold is one of `{at_least: v}`, `{at_most: v}` or `{between: [low, high]}`, with
    a band's low bound first. For a range, use between rather than two standards.

    Bad:
        target: {at_least: 90, at_most: 95}
    Good:
        target: {between: [90, 95]}
    """,
)

NEUTRAL_WITH_TARGET = declare(
    "M005",
    "neutral-with-target",
    E,
    """
    A `direction: neutral` measure is charted with SPC only: neither way is better, so it has no
    target to meet. Give it a direction, or remove the target.

    Bad:
        direction: neutral
        target: 40
    Good:
        direction: neutral
    """,
)

PERIOD_TWICE = declare(
    "M006",
    "period-twice",
    E,
    """
    A measure has one value a period: its baseline and an actual are never for the same period.

    Bad:
        baseline: {quarter: 2021/22 Q1, value: 21.0}
        actuals:
          2021/22 Q1: 20.5
    Good:
        baseline: {quarter: 2021/22 Q1, value: 21.0}
        actuals:
          2021/22 Q2: 20.5
    """,
)


@rule(
    "M007",
    "standard-against-direction",
    Severity.WARNING,
    board=BoardWords(
        "{n} measure's standard points the other way from the direction it calls better",
        "{n} measures' standards point the other way from the direction they call better",
    ),
)
def standard_against_direction(repo: Repository) -> Iterator[Finding]:
    """A standard says which way is better; the measure's direction should say the same.

    `at_least` is met by going up and `at_most` by going down. The standard decides the signal
    and its assurance; the direction only colours the SPC chart, so a contradiction is likely a
    slip in one of the two.

    Bad:
        direction: down
        target: {at_least: 95}
    Good:
        direction: up
        target: {at_least: 95}
    """
    for file, at, measures in _every_measure_list(repo):
        for index, measure in enumerate(measures):
            standard = measure.standard
            if standard is None or standard.kind == "between":
                continue
            wanted = "up" if standard.kind == "at_least" else "down"
            if measure.direction != wanted:
                yield standard_against_direction.finding(
                    file,
                    f"measure {measure.id} goes {measure.direction}, but {standard.kind} is met by going {wanted}: "
                    f"set direction: {wanted}, or check the standard",
                    loc=(*at, index, "direction"),
                )


INVALID_DURATION = declare(
    "M008",
    "invalid-duration",
    E,
    """
    A measure with `unit: "mm:ss"` is a time in minutes and seconds: its values, baseline and
    standard are written in quotes as minutes, a colon and two digits of seconds below 60
    ("34:48"), or as a number of minutes (34.8). stratctl computes them in seconds and shows them
    as minutes and seconds.

    Bad:
        unit: "mm:ss"
        actuals:
          2025-04: "34:75"
    Good:
        unit: "mm:ss"
        actuals:
          2025-04: "35:15"
    """,
)


@rule("M009", "rebase-not-in-series", E)
def rebase_not_in_series(repo: Repository) -> Iterator[Finding]:
    """A measure's limits are recalculated from a period that has a value.

    `rebase` names the periods where the process changed and SPC starts a new segment with its
    own mean and limits. A period with no value (no actual, not the baseline), before the first
    or after the last, splits nothing: it is a slip in the period or in the actuals.

    Bad:
        rebase: [2024-04]
        actuals: {2024-03: 31.2, 2024-05: 29.8}
    Good:
        rebase: [2024-04]
        actuals: {2024-03: 31.2, 2024-04: 30.1, 2024-05: 29.8}
    """
    for file, at, measures in _every_measure_list(repo):
        for index, measure in enumerate(measures):
            valued = _valued_periods(measure)
            for i, period in enumerate(measure.rebase):
                if period in valued:
                    continue
                where = _series_words(valued, period)
                yield rebase_not_in_series.finding(
                    file,
                    f"measure {measure.id}: rebase {period} has no value{where}: limits are recalculated "
                    f"from a period with an actual; correct the period, or record its actual",
                    loc=(*at, index, "rebase", i),
                )


@rule("M010", "marked-period-without-actual", E)
def marked_period_without_actual(repo: Repository) -> Iterator[Finding]:
    """A provisional mark or a note names a period with an actual.

    `provisional` marks values that may be revised, and `notes` puts a note on one point of the
    chart: both name a period the measure has an actual for (a note may also name the baseline's).

    Bad:
        provisional: [2026-03]
        actuals: {2026-01: 31.2, 2026-02: 29.8}
    Good:
        provisional: [2026-02]
        actuals: {2026-01: 31.2, 2026-02: 29.8}
    """
    for file, at, measures in _every_measure_list(repo):
        for index, measure in enumerate(measures):
            for i, period in enumerate(measure.provisional):
                if period not in measure.actuals:
                    yield marked_period_without_actual.finding(
                        file,
                        f"measure {measure.id}: {period} is marked provisional but has no actual: mark the "
                        "period whose value may be revised, or record its actual",
                        loc=(*at, index, "provisional", i),
                    )
            valued = _valued_periods(measure)
            for period in measure.notes:
                if period not in valued:
                    yield marked_period_without_actual.finding(
                        file,
                        f"measure {measure.id}: the note on {period} names a period with no value: a note sits on "
                        "a point of the chart; correct the period, or record its actual",
                        loc=(*at, index, "notes", str(period)),
                        on_key=True,
                    )


def _valued_periods(measure: Measure) -> set[Quarter | Month]:
    periods: set[Quarter | Month] = set(measure.actuals)
    if measure.baseline is not None:
        periods.add(measure.baseline.period)
    return periods


def _series_words(valued: set[Quarter | Month], period: Quarter | Month) -> str:
    same = sorted((p for p in valued if type(p) is type(period)), key=lambda p: p.index)
    if not same:
        return " (the measure has no values yet)"
    if period < same[0] or period > same[-1]:
        return f", outside the series ({same[0]} to {same[-1]})"
    return ""


def _every_measure_list(repo: Repository) -> Iterator[tuple[RecordFile, Loc, tuple[Measure, ...]]]:
    for held in repo.measure_lists():
        yield held.file, held.at, held.measures


__all__ = [
    "INVALID_DURATION",
    "INVALID_STANDARD",
    "LEVEL_NOT_WHOLE",
    "NEUTRAL_WITH_TARGET",
    "PERIOD_NOT_CADENCE",
    "PERIOD_TWICE",
    "actual_outside_span",
    "marked_period_without_actual",
    "rebase_not_in_series",
    "standard_against_direction",
]
