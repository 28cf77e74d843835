"""Rules that hold a signed-off quarter to what the Board approved (the board/ tags of stratctl signoff).

The rules compare the records they are given with the records each sign-off's tag holds; reading
the tags is the caller's (stratctl.api.validate), so that checking is the same whether the records
come from the work tree, a pull request or another tag.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stratctl.findings import Finding, Loc, Severity
from stratctl.numbers import RECORDED_DECIMALS, duration, number
from stratctl.periods import Month, Quarter
from stratctl.rating import rating_in_force
from stratctl.rules.registry import BoardWords, Rule, declare

if TYPE_CHECKING:
    from stratctl.records import Measure, Objective, Rating, Review, Risk, Update
    from stratctl.repository import RecordFile

SIGNED_OFF_CHANGED = declare(
    "G001",
    "signed-off-changed",
    Severity.ERROR,
    """
    An update, risk review or measure actual of a quarter the Board signed
    off differs from the version it approved (the tag board/<year>-Q<n>
    that `stratctl signoff` made), or was added or removed since: the paper
    the Board approved no longer matches the records.

    Restore the entry (git show board/2021-22-Q3:data/objectives/<id>.yaml),
    or, if it really had to change, say why: `amended: <reason>` on the
    update or review, or the quarter and the reason under the measure's
    `amended` for an actual. That makes it G002, a warning the next paper's
    data-quality appendix lists. Quarters not signed off are free to change.

    Bad:
        updates:
          - quarter: 2021/22 Q3      # signed off as behind
            progress: on-track
    Good:
        updates:
          - quarter: 2021/22 Q3
            progress: on-track
            amended: Finance confirmed the recovery after the Board met.
        measures:
          - id: midwife-vacancy-rate
            ...
            actuals: {2021/22 Q3: 16.9}
            amended: {2021/22 Q3: Payroll data corrected in January.}
    """,
)

AMENDED_AFTER_SIGNOFF = declare(
    "G002",
    "amended-after-signoff",
    Severity.WARNING,
    """
    An update, risk review or measure actual of a signed-off quarter was
    changed after the Board approved it, and says why (`amended`). The Board
    should hear of it: the next paper's data-quality appendix lists it as
    "amended after sign-off".

    Bad:
        - quarter: 2021/22 Q3        # changed after sign-off: G001
          progress: on-track
    Good:
        - quarter: 2021/22 Q3
          progress: on-track
          amended: Finance confirmed the recovery after the Board met.
    """,
    board=BoardWords(
        "{n} entry was amended after the Board signed it off",
        "{n} entries were amended after the Board signed them off",
        "all",
    ),
)


SIGNED_KINDS = ("objective", "risk")
"""The kinds of record a sign-off holds: their updates, reviews and actuals are what the paper showed."""


@dataclass(frozen=True)
class Approved:
    """A quarter the Board signed off, as validate holds the records to it: the tag, and what it holds."""

    quarter: Quarter
    tag: str
    blobs: Mapping[str, str]
    """Blob id of every file of the signed kinds at the tag, by path relative to the data folder."""
    records: Mapping[tuple[str, str], Any]
    """The records as tagged, by (kind, id), of the files whose bytes differ now."""


@dataclass(frozen=True)
class SignedFile:
    """A record of a signed kind as it is now: its path relative to the data folder, and its blob id."""

    relative: str
    file: RecordFile
    record: Any
    blob: str | None


def signoff_findings(
    current: Sequence[SignedFile], approved: Sequence[Approved], start_month: int
) -> Iterator[Finding]:
    """G001 and G002: each record of `current` against each sign-off in `approved`.

    A file whose bytes are the tagged blob is the very file the Board signed off and is not compared.
    """
    quarters = sorted({a.quarter for a in approved})
    for signoff in approved:
        # The actuals a paper drew on run up to its quarter; each is held by the first sign-off after it,
        # so that one changed value is one finding, not one for every later paper that also showed it.
        earlier = [q for q in quarters if q < signoff.quarter]
        window = _Window(earlier[-1] if earlier else None, signoff.quarter, start_month)
        for now in current:
            if signoff.blobs.get(now.relative) == now.blob:
                continue
            old = signoff.records.get((now.file.kind, now.record.id))
            if now.file.kind == "objective":
                yield from _objective(now.file, now.record, old, signoff, window)
            else:
                yield from _risk(now.file, now.record, old, signoff)


def _differences(old: Any, new: Any) -> list[str]:
    return [
        name for name in type(new).model_fields if name != "amended" and getattr(old, name, None) != getattr(new, name)
    ]


def _finding(rule: Rule, file: RecordFile, message: str, loc: Loc) -> Finding:
    return rule.finding(file, message, loc=loc)


def _entry(
    file: RecordFile,
    what: str,
    field: str,
    index: int | None,
    old: Update | Review | None,
    new: Update | Review | None,
    signoff: Approved,
) -> Iterator[Finding]:
    """One quarter's update or review against the signed-off one."""
    q, tag = signoff.quarter, signoff.tag
    if new is None:
        if old is not None:
            yield _finding(
                SIGNED_OFF_CHANGED,
                file,
                f"the {q} {what} the Board signed off ({tag}) has been removed: restore it "
                f"(git show {tag}:<this file>)",
                (field,),
            )
        return
    assert index is not None
    if old is None:
        change = f"was added after the Board signed off {q} ({tag})"
    else:
        fields = _differences(old, new)
        if not fields:
            return
        change = f"differs from the one the Board signed off ({tag}): {', '.join(fields)} changed"
    reason = (new.amended or "").strip()
    if reason:
        yield _finding(
            AMENDED_AFTER_SIGNOFF, file, f"the {q} {what} was amended after sign-off ({tag}): {reason}", (field, index)
        )
    else:
        yield _finding(
            SIGNED_OFF_CHANGED,
            file,
            f"the {q} {what} {change}; restore it, or add `amended: <reason>` to the {what} to say why",
            (field, index),
        )


def _at(entries: Sequence[Any], quarter: Quarter) -> tuple[int | None, Any]:
    """The first update or review of `quarter`, and its index."""
    return next(((i, e) for i, e in enumerate(entries) if e.quarter == quarter), (None, None))


class _Window:
    """The measure periods a sign-off holds: those after the previous sign-off's quarter, up to its own."""

    def __init__(self, after: Quarter | None, upto: Quarter, start_month: int) -> None:
        self.after, self.upto, self.start_month = after, upto, start_month

    def holds(self, period: Quarter | Month) -> bool:
        quarter = period.quarter(self.start_month) if isinstance(period, Month) else period
        return quarter <= self.upto and (self.after is None or quarter > self.after)


def _objective(
    file: RecordFile, new: Objective, old: Objective | None, signoff: Approved, window: _Window
) -> Iterator[Finding]:
    q = signoff.quarter
    index, update = _at(new.updates, q)
    _, before = _at(old.updates, q) if old is not None else (None, None)
    yield from _entry(file, "update", "updates", index, before, update, signoff)
    old_measures = {m.id: m for m in old.measures} if old is not None else {}
    for position, measure in enumerate(new.measures):
        yield from _actuals(file, position, measure, old_measures.get(measure.id), signoff, window)
    kept = {m.id for m in new.measures}
    for measure_id, measure in old_measures.items():
        if measure_id not in kept and any(window.holds(period) for period in measure.actuals):
            yield _finding(
                SIGNED_OFF_CHANGED,
                file,
                f"measure {measure_id}, whose actuals the {q} paper showed ({signoff.tag}), has been removed",
                ("measures",),
            )


def _actuals(
    file: RecordFile, position: int, new: Measure, old: Measure | None, signoff: Approved, window: _Window
) -> Iterator[Finding]:
    """Each actual of a period the sign-off holds (a quarter, or a month of it) against the tagged one."""
    periods = {p for p in [*new.actuals, *(old.actuals if old is not None else ())] if window.holds(p)}
    for period in sorted(periods, key=lambda p: (p.quarter(window.start_month) if isinstance(p, Month) else p, str(p))):
        yield from _actual(file, position, new, old, signoff, period)


def _actual(
    file: RecordFile, position: int, new: Measure, old: Measure | None, signoff: Approved, period: Quarter | Month
) -> Iterator[Finding]:
    q, tag = signoff.quarter, signoff.tag
    before = old.actuals.get(period) if old is not None else None
    after = new.actuals.get(period)
    if before == after:
        return
    if before is not None and after is not None:
        change = f"is {_recorded(new, after)}; the Board signed off {_recorded(new, before)} ({tag})"
    elif after is not None:
        change = f"{_recorded(new, after)} was added after the Board signed off {q} ({tag})"
    elif before is not None:
        change = f"({_recorded(new, before)}) the Board saw in the {q} paper ({tag}) has been removed"
    else:
        return
    loc: Loc = (
        ("measures", position, "actuals", str(period)) if after is not None else ("measures", position, "actuals")
    )
    reason = (new.amended.get(period) or "").strip()
    if reason:
        yield _finding(
            AMENDED_AFTER_SIGNOFF,
            file,
            f"the {period} actual of {new.id} was amended after sign-off ({tag}): {reason}",
            loc,
        )
    else:
        yield _finding(
            SIGNED_OFF_CHANGED,
            file,
            f'the {period} actual of {new.id} {change}; restore it, or add "{period}: <reason>" '
            "under the measure's `amended` to say why",
            loc,
        )


def _recorded(measure: Measure, value: float) -> str:
    """A value as the record holds it: minutes and seconds for a duration (held in seconds), else the number
    to as many decimals as were typed, so a change a paper's rounding hides still reads as one."""
    return duration(value) if measure.duration else number(value, RECORDED_DECIMALS)


def _risk(file: RecordFile, new: Risk, old: Risk | None, signoff: Approved) -> Iterator[Finding]:
    """The quarter's review against the tagged one; and, where the quarter has none, the rating in force
    (an earlier review, else `current`), which is what the signed-off paper showed."""

    q, tag = signoff.quarter, signoff.tag
    index, review = _at(new.reviews, q)
    _, before = _at(old.reviews, q) if old is not None else (None, None)
    if old is None or before is not None:
        yield from _entry(file, "review", "reviews", index, before, review, signoff)
        return
    shown, _ = rating_in_force(old, q)
    if review is not None:
        assert index is not None
        if _placed(review.current) != _placed(shown) and not (review.amended or "").strip():
            yield _finding(
                SIGNED_OFF_CHANGED,
                file,
                f"the {q} review was added after the Board signed off {q} ({tag}) with a rating other than the "
                f"{shown.value} the paper showed; give it that rating, or add `amended: <reason>` to say why",
                ("reviews", index),
            )
        elif _placed(review.current) != _placed(shown):
            yield _finding(
                AMENDED_AFTER_SIGNOFF,
                file,
                f"the {q} review was amended after sign-off ({tag}): {(review.amended or '').strip()}",
                ("reviews", index),
            )
        return  # recording the rating the Board saw, as a review of its quarter, changes nothing
    now, source = rating_in_force(new, q)
    if _placed(now) != _placed(shown):
        loc: Loc = (
            ("current",)
            if source is None
            else ("reviews", next(i for i, r in enumerate(new.reviews) if r.quarter == source))
        )
        yield _finding(
            SIGNED_OFF_CHANGED,
            file,
            f"the {q} paper ({tag}) showed this risk at {shown.value}; with no {q} review it now reads "
            f"{now.value}: add a {q} review with the rating the Board saw (stratctl update {new.id} "
            f'--quarter "{q}" {_rating_options(shown)}), so later reviews do not rewrite that paper',
            loc,
        )


def _placed(rating: Rating) -> tuple[int | None, int | None, int | None]:
    """What the paper shows of a rating: its score, and its cell on the heat map."""
    return rating.value, rating.likelihood, rating.consequence


def _rating_options(rating: Rating) -> str:
    if rating.likelihood is not None and rating.consequence is not None:
        return f"--likelihood {rating.likelihood} --consequence {rating.consequence}"
    return f"--score {rating.value}"
