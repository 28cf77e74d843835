"""Where each page of the site lives, and the links between pages.

Every page is at the site's root or one folder down (`objectives/<id>.html`), so a link is the
path from the site's root with `../` in front on a page one folder down: the site works from any
folder it is copied to, opened from disk or served, with no base URL to configure.

A page's file name is its record's id (ids are letters, digits, `.`, `_` and `-`, starting with a
letter or digit), lower-cased so that two ids differing only in case cannot overwrite each other on
a file system that ignores case (macOS, Windows): the second gets `-2`, in the order of the ids, so
the same records always give the same names. `index` is the folder's own listing, never a record's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from stratctl.periods import Quarter
from stratctl.signoff import tag_name

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
INDEX = "index.html"

OBJECTIVES = "objectives"
RISKS = "risks"
STRATEGIC = "strategic-objectives"
COMMITTEES = "committees"
EXECUTIVES = "executives"
ARCHIVE = "archive"
FOLDERS = (OBJECTIVES, RISKS, STRATEGIC, COMMITTEES, EXECUTIVES, ARCHIVE)
"""The site's folders, one per kind of page; the home page is the root's index.html."""


def _names(ids: Iterable[str]) -> dict[str, str]:
    """Each id's file name in its folder: collision-free whatever the file system's case rules."""
    taken = {INDEX.lower()}
    names: dict[str, str] = {}
    for record_id in sorted(set(ids)):
        if not _SAFE.fullmatch(record_id):  # the record models refuse such an id: never a path
            raise ValueError(f"not an id a page can be named by: {record_id!r}")
        stem = record_id.lower()
        name, suffix = f"{stem}.html", 2
        while name in taken:
            name, suffix = f"{stem}-{suffix}.html", suffix + 1
        taken.add(name)
        names[record_id] = name
    return names


def quarter_stem(quarter: Quarter) -> str:
    """`2021-22-Q3`: a quarter as a file name, as its sign-off tag names it."""
    return tag_name(quarter).rpartition("/")[2]


class SitePaths:
    """The path from the site's root of every page, by what it shows."""

    def __init__(
        self,
        *,
        objectives: Iterable[str],
        risks: Iterable[str],
        strategic: Iterable[str],
        committees: Iterable[str],
        executives: Iterable[str],
        quarters: Iterable[Quarter],
    ) -> None:
        self._pages = {
            OBJECTIVES: _names(objectives),
            RISKS: _names(risks),
            STRATEGIC: _names(strategic),
            COMMITTEES: _names(committees),
            EXECUTIVES: _names(executives),
        }
        self._quarters = {quarter: quarter_stem(quarter) for quarter in quarters}

    def record(self, folder: str, record_id: str) -> str | None:
        """`objectives/maternity-vacancies.html`; None for an id with no page (a reference to a missing record)."""
        name = self._pages[folder].get(record_id)
        return f"{folder}/{name}" if name is not None else None

    def records(self, folder: str) -> dict[str, str]:
        """Every record of a folder that has a page: id -> path from the root."""
        return {record_id: f"{folder}/{name}" for record_id, name in self._pages[folder].items()}

    def paper(self, quarter: Quarter) -> str | None:
        """`archive/2021-22-Q3.html`: the quarter's Board paper, when the archive holds it."""
        stem = self._quarters.get(quarter)
        return f"{ARCHIVE}/{stem}.html" if stem is not None else None

    def changes(self, quarter: Quarter) -> str | None:
        """`archive/2021-22-Q3-changes.html`: what changed since the quarter before."""
        stem = self._quarters.get(quarter)
        return f"{ARCHIVE}/{stem}-changes.html" if stem is not None else None


class Links:
    """The links a page holds, relative to where the page is: what its template asks for by record."""

    def __init__(self, paths: SitePaths, here: str) -> None:
        self._paths = paths
        self.here = here
        self._up = "../" * here.count("/")

    def to(self, path: str | None) -> str | None:
        """A path from the site's root as a link from this page (None stays None: no page, no link)."""
        return None if path is None else self._up + path

    @property
    def home(self) -> str:
        return self._up + INDEX

    def index(self, folder: str) -> str:
        return f"{self._up}{folder}/{INDEX}"

    def objective(self, record_id: str) -> str | None:
        return self.to(self._paths.record(OBJECTIVES, record_id))

    def risk(self, record_id: str) -> str | None:
        return self.to(self._paths.record(RISKS, record_id))

    def strategic(self, record_id: str) -> str | None:
        return self.to(self._paths.record(STRATEGIC, record_id))

    def committee(self, record_id: str) -> str | None:
        return self.to(self._paths.record(COMMITTEES, record_id))

    def executive(self, record_id: str) -> str | None:
        return self.to(self._paths.record(EXECUTIVES, record_id))

    def paper(self, quarter: Quarter) -> str | None:
        return self.to(self._paths.paper(quarter))

    def changes(self, quarter: Quarter) -> str | None:
        return self.to(self._paths.changes(quarter))
