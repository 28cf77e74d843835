"""Rules that hold a signed-off quarter to what the Board approved (the board/ tags of stratctl signoff).

These rules read git, not only the records: `validate` lists the sign-offs with one
`git for-each-ref` (nothing else happens without board tags, outside a git repository, or without
git at all), then reads each tag's records by blob id in one `git cat-file --batch`. A file whose
content is the tagged blob is not parsed again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratctl.cache import blob_id
from stratctl.errors import StratctlError
from stratctl.findings import Finding, Loc, Severity
from stratctl.periods import Month, Quarter
from stratctl.rules.registry import Rule, declare
from stratctl.signoff import SignOff, board_signoffs

if TYPE_CHECKING:
    from stratctl.config import Config
    from stratctl.loading import LoadResult
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
)


def signoff_findings(
    loaded: LoadResult, signoffs: Sequence[SignOff] | None = None, config: Config | None = None
) -> list[Finding]:
    """G001 and G002 over the repository as loaded, against `signoffs` (default: the board tags HEAD contains)."""
    if (
        config is not None
        and config.severity(SIGNED_OFF_CHANGED.code) is None
        and config.severity(AMENDED_AFTER_SIGNOFF.code) is None
    ):
        return []
    if signoffs is None:
        signoffs = signoffs_to_check(loaded.repository.data_dir, config)
    if not signoffs:
        return []
    try:
        return list(_check(loaded, signoffs))
    except StratctlError:
        return []  # a tag whose objects are missing (a shallow clone): nothing to compare with


def signoffs_to_check(data_dir: Path, config: Config | None = None) -> list[SignOff]:
    """The sign-offs validate holds the records to: the board tags HEAD contains (none if both rules are off)."""
    if (
        config is not None
        and config.severity(SIGNED_OFF_CHANGED.code) is None
        and config.severity(AMENDED_AFTER_SIGNOFF.code) is None
    ):
        return []
    return (board_signoffs(data_dir) or []) if _maybe_in_git(data_dir) else []


def _maybe_in_git(folder: Path) -> bool:
    """False only when no folder from `folder` up holds a `.git` and git is not pointed elsewhere: then not even
    one git process is started (validate runs in editors and pre-commit hooks on every save)."""
    if os.environ.get("GIT_DIR"):
        return True
    folder = folder.resolve()
    return any((candidate / ".git").exists() for candidate in (folder, *folder.parents))


def _blob_id(loaded: LoadResult, file: RecordFile) -> str | None:
    """The blob id of the file as it was read (loading keeps it), else of the text validated."""
    known = loaded.blobs.get(file.path)
    if known is not None:
        return known
    text = loaded.text_of(file)
    return None if text is None else blob_id(text.encode("utf-8"))


def _check(loaded: LoadResult, signoffs: Sequence[SignOff]) -> Iterator[Finding]:
    from stratctl.gitrefs import blobs_at, read_blobs
    from stratctl.kinds import KINDS
    from stratctl.loading import load_texts

    repository = loaded.repository
    data_dir = repository.data_dir.resolve()
    folders = {folder: kind for kind in ("objective", "risk") if kind in KINDS and (folder := KINDS[kind].folder)}
    current = {}  # path relative to data/ -> (file, record, blob id of the text validated)
    for kind in folders.values():
        for item in repository.records.get(kind, []):
            relative = _relative(item.file.path, data_dir)
            if relative is None:
                continue  # not a file of this data folder: nothing tagged to compare with
            current[relative] = (item.file, item.record, _blob_id(loaded, item.file))
    tagged_blobs = {s.tag: blobs_at(data_dir, s.commit, *folders) for s in signoffs}
    wanted = [
        blob
        for s in signoffs
        for path, blob in tagged_blobs[s.tag].items()
        if path not in current or current[path][2] != blob
    ]
    contents = read_blobs(data_dir, wanted)
    start_month = repository.trust.record.year_start_month if repository.trust else 4
    quarters = sorted({s.quarter for s in signoffs})
    for signoff in signoffs:
        # The actuals a paper drew on run up to its quarter; each is held by the first sign-off after it,
        # so that one changed value is one finding, not one for every later paper that also showed it.
        earlier = [q for q in quarters if q < signoff.quarter]
        window = _Window(earlier[-1] if earlier else None, signoff.quarter, start_month)
        blobs = tagged_blobs[signoff.tag]
        changed = {
            path: contents[blob].decode("utf-8", errors="replace")
            for path, blob in blobs.items()
            if path not in current or current[path][2] != blob
        }
        then = load_texts(data_dir, changed).repository
        tagged: dict[tuple[str, str], Any] = {}
        for kind in folders.values():
            for item in then.records.get(kind, []):
                tagged.setdefault((kind, item.record.id), item.record)
        for relative, (file, record, blob) in current.items():
            if blobs.get(relative) == blob:
                continue  # the very file the Board signed off
            old = tagged.get((file.kind, record.id))
            if file.kind == "objective":
                yield from _objective(file, record, old, signoff, window)
            else:
                yield from _risk(file, record, old, signoff)


def _relative(path: Path, data_dir: Path) -> str | None:
    """`objectives/x.yaml`; paths are already resolved at the folder (see loading.discover), so rarely resolved here."""
    for candidate in (path, path.resolve()):
        try:
            return candidate.relative_to(data_dir).as_posix()
        except ValueError:
            continue
    return None


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
    signoff: SignOff,
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
    file: RecordFile, new: Objective, old: Objective | None, signoff: SignOff, window: _Window
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
    file: RecordFile, position: int, new: Measure, old: Measure | None, signoff: SignOff, window: _Window
) -> Iterator[Finding]:
    """Each actual of a period the sign-off holds (a quarter, or a month of it) against the tagged one."""
    periods = {p for p in [*new.actuals, *(old.actuals if old is not None else ())] if window.holds(p)}
    for period in sorted(periods, key=lambda p: (p.quarter(window.start_month) if isinstance(p, Month) else p, str(p))):
        yield from _actual(file, position, new, old, signoff, period)


def _actual(
    file: RecordFile, position: int, new: Measure, old: Measure | None, signoff: SignOff, period: Quarter | Month
) -> Iterator[Finding]:
    q, tag = signoff.quarter, signoff.tag
    before = old.actuals.get(period) if old is not None else None
    after = new.actuals.get(period)
    if before == after:
        return
    if before is None:
        change = f"{after:g} was added after the Board signed off {q} ({tag})"
    elif after is None:
        change = f"({before:g}) the Board saw in the {q} paper ({tag}) has been removed"
    else:
        change = f"is {after:g}; the Board signed off {before:g} ({tag})"
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


def _risk(file: RecordFile, new: Risk, old: Risk | None, signoff: SignOff) -> Iterator[Finding]:
    """The quarter's review against the tagged one; and, where the quarter has none, the rating in force
    (an earlier review, else `current`), which is what the signed-off paper showed."""
    from stratctl.rating import rating_in_force

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
