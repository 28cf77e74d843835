"""The cover sheet NHS Board papers carry: what the paper is for, who presents it, what the Board is asked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stratctl.errors import StratctlError
from stratctl.records import Trust
from stratctl.suggest import did_you_mean
from stratctl.vocabulary import PURPOSE_WORDS

PURPOSES = PURPOSE_WORDS
DEFAULT_PURPOSE = "assurance"


@dataclass(frozen=True, slots=True)
class Purpose:
    key: str
    words: str
    chosen: bool


@dataclass(frozen=True)
class CoverSheet:
    """What the paper is for, who presents it, and what the Board is asked to do."""

    item: str
    meeting: str
    presenter: str
    purposes: tuple[Purpose, ...]
    recommendation: str
    author: str = ""
    previously_considered: str = ""
    meeting_date: date | None = None

    @property
    def purpose(self) -> str:
        return next(p.words for p in self.purposes if p.chosen)


@dataclass(frozen=True, slots=True)
class CoverOptions:
    """The cover sheet as asked for on the command line; each overrides trust.yaml's `report:` block."""

    purpose: str | None = None
    presenter: str | None = None
    recommendation: str | None = None
    item: str | None = None
    author: str | None = None
    previously_considered: str | None = None
    meeting_date: date | None = None


def cover_sheet(trust: Trust, options: CoverOptions, subject: str) -> CoverSheet:
    settings = trust.report
    purpose = options.purpose or (settings.purpose if settings else None) or DEFAULT_PURPOSE
    presenter = options.presenter or (settings.presenter if settings else None)
    executives = {e.id: e.title for e in trust.executives}
    if options.presenter is not None and options.presenter not in executives:
        suggestion = did_you_mean(options.presenter, executives)
        raise StratctlError(f"--presenter {options.presenter!r} is not an executive in trust.yaml{suggestion}")
    recommendation = (
        options.recommendation
        or (settings.recommendation if settings else None)
        or (
            f"The Board is asked to note {subject}, to seek assurance on the exceptions and the strategic "
            "risks above appetite, and to agree any actions it requires."
        )
    )
    return CoverSheet(
        item=options.item or (settings.item if settings and settings.item else "") or "",
        meeting=(settings.meeting if settings and settings.meeting else "") or "Board of Directors",
        presenter=executives.get(presenter, presenter) if presenter else "",
        purposes=tuple(Purpose(key, words, key == purpose) for key, words in PURPOSES.items()),
        recommendation=recommendation,
        author=options.author or (settings.author if settings and settings.author else "") or "",
        previously_considered=options.previously_considered
        or (settings.previously_considered if settings and settings.previously_considered else "")
        or "",
        meeting_date=options.meeting_date or (settings.meeting_date if settings else None),
    )
