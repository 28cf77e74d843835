"""The repository a command works on, settled once: its folders, configuration and reporting point.

Every command builds one `Workspace` from its options and hands it to the core, so the same
mistake (a folder without trust.yaml, a quarter written `2021/22 q3`) gets the same answer from
every command, and `stratctl.toml` reaches every command that checks records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from stratctl.cache import ReadCache, enabled
from stratctl.config import Config, load_config
from stratctl.errors import RepositoryNotFound, StratctlError
from stratctl.layout import DATA_FOLDER, TRUST_FILE, templates_dir
from stratctl.loading import load_repository, read_file

if TYPE_CHECKING:
    from stratctl.cache import ReadCache
    from stratctl.loading import LoadResult
    from stratctl.periods import ReportingPoint
    from stratctl.records import Trust
    from stratctl.repository import Repository


def _holds_trust(folder: Path) -> bool:
    return (folder / TRUST_FILE).is_file()


def data_folder_of(given: Path) -> Path:
    """The data folder named by `--data`: the folder holding trust.yaml, or a repository root above it."""
    for candidate in (given, given / DATA_FOLDER):
        if _holds_trust(candidate):
            return candidate.resolve()
    raise RepositoryNotFound(
        f"--data {given}: no {TRUST_FILE} there, so it is not a strategy repository "
        f"(give --data the folder that holds {TRUST_FILE}, or run stratctl init)"
    )


def find_data_dir(start: Path) -> Path:
    """The data folder for `start`: found upward from it, as git finds its root."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if _holds_trust(folder) and folder.name == DATA_FOLDER:
            return folder
        if _holds_trust(folder / DATA_FOLDER):
            return folder / DATA_FOLDER
        if _holds_trust(folder):
            return folder
    raise RepositoryNotFound(
        f"no strategy repository found at {start} or above it: expected a {DATA_FOLDER}/ folder holding {TRUST_FILE} "
        "(give --data DIR, or run stratctl init)"
    )


@dataclass(frozen=True)
class Workspace:
    """One strategy repository, as a command sees it."""

    data_dir: Path
    config: Config = field(default_factory=Config)
    cwd: Path | None = None  # where paths in findings are shown relative to (default: the working folder)
    _caches: dict[str, ReadCache | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def open(cls, data: Path | None = None, *, near: Path | None = None, cwd: Path | None = None) -> Workspace:
        """The repository of `--data`, else the one found upward from `near` (default: the working folder)."""
        data_dir = data_folder_of(data) if data is not None else find_data_dir(near or cwd or Path.cwd())
        return cls(data_dir, load_config(data_dir.parent), cwd)

    @property
    def root(self) -> Path:
        """The repository root: the folder that holds data/, stratctl.toml and templates/."""
        return self.data_dir.parent

    @property
    def templates(self) -> Path:
        return templates_dir(self.root)

    def load(self) -> LoadResult:
        """Every record, with the findings of the files that could not be read."""

        return load_repository(self.data_dir, self.cwd, self.read_cache())

    def read_cache(self) -> ReadCache | None:
        """The cache of this repository's file reads (stratctl.cache), opened once; None with --no-cache."""

        key = f"{self.data_dir}\0{self.config.fingerprint()!r}\0{enabled()}"
        if key not in self._caches:
            self._caches[key] = ReadCache.open(self.data_dir, self.config.fingerprint())
        return self._caches[key]

    def trust(self) -> Trust | None:
        """trust.yaml alone, when that is all a command needs (the year a bare `Q3` belongs to)."""

        from stratctl.records import Trust  # pydantic: only when a record is read (start-up)

        result = read_file(self.data_dir / TRUST_FILE)
        if result.data is None or result.findings:
            return None
        try:
            return Trust.model_validate(result.data)
        except ValueError:
            return None

    def load_readable(self, where: str = "") -> LoadResult:
        """Every record; refuses to go on if any file could not be read, so none is silently left out."""
        return ensure_readable(self.load(), where)

    def point(
        self, repository: Repository, year: str | None = None, quarter: str | None = None, as_of: date | None = None
    ) -> ReportingPoint:
        """The reporting point the options ask for; with none, the end of the latest quarter reported."""
        from stratctl.status import choose_point  # the rating engine: not for an answer from the cache (start-up)

        return choose_point(repository, year, quarter, as_of)


def ensure_readable(loaded: LoadResult, where: str = "") -> LoadResult:
    """The loaded records, or an error if any file could not be read: none may be silently left out."""
    unreadable = sorted({f.path for f in loaded.findings if f.severity == "error"})
    if unreadable:
        raise StratctlError(
            f"{len(unreadable)} record file(s){where} could not be read ({', '.join(unreadable[:3])}"
            f"{', ...' if len(unreadable) > 3 else ''}): run stratctl validate and fix them first, "
            "so that no record is silently left out"
        )
    return loaded
