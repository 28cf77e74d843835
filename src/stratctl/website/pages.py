"""The site's pages rendered through the templates (templates/site/, overridable by the repository's
own templates/site/), each written straight into the folder the site is being written into.

A large repository's pages, and the papers of its earlier quarters, are rendered by a pool of
processes (stratctl.loading.in_pool, as large repositories are read): each page is a job that
names what it shows, the processes are forked once the site's views are ready and share them, and
each writes its pages into the folder itself. A page is the same bytes whichever process writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from stratctl.diffing import LABELS
from stratctl.loading import in_pool
from stratctl.periods import Quarter
from stratctl.reporting.baf import NO_LEAD
from stratctl.reporting.render import Renderer
from stratctl.reporting.report import VOCABULARY
from stratctl.vocabulary import POSITIONS
from stratctl.website.folder import SiteFolder
from stratctl.website.paths import (
    ARCHIVE,
    COMMITTEES,
    EXECUTIVES,
    INDEX,
    OBJECTIVES,
    RISKS,
    STRATEGIC,
    Links,
    SitePaths,
)
from stratctl.website.views import Site

TEMPLATES = "site"
"""The folder of the site's templates, among the paper's."""

PaperWriter = Callable[[Quarter, IO[bytes]], None]
"""Writes a quarter's Board paper into a stream (the use case knows how a paper is made)."""


@dataclass(frozen=True, slots=True)
class Job:
    """One file of the site to render: where it goes, and what it shows."""

    path: str
    template: str  # a page's template under site/, or "" for a quarter's paper
    key: str = ""  # the record's id, or the paper's quarter


class SiteWriter:
    """Renders the site's files into its folder, one job at a time."""

    def __init__(self, site: Site, paths: SitePaths, folder: SiteFolder, renderer: Renderer, paper: PaperWriter):
        self.site = site
        self.paths = paths
        self.folder = folder
        self.renderer = renderer
        self.paper = paper
        self.common: dict[str, Any] = {
            "site": site.frame,
            "v": VOCABULARY,
            "positions": POSITIONS,
            "labels": LABELS,
            "illustrative": site.frame.illustrative,
            "no_lead": NO_LEAD,  # a risk whose lead the trust has not yet named, as the paper says it
            "r": site.board,
        }

    def write(self, job: Job) -> int:
        """Render one job's file; the bytes written."""
        with self.folder.open(job.path) as stream:
            if not job.template:
                self.paper(Quarter.parse(job.key), stream)
            else:
                context = {**self.common, "to": Links(self.paths, job.path), **self._view(job)}
                self.renderer.render_into(stream, context, template=f"{TEMPLATES}/{job.template}")
            return stream.tell()

    def _view(self, job: Job) -> dict[str, Any]:
        site = self.site
        if job.template == "objective":
            return {"page": site.objective(job.key)}
        if job.template == "risk":
            return {"page": site.risk(job.key)}
        if job.template == "strategic":
            return {"page": site.strategic(job.key)}
        if job.template == "group":
            groups = site.committees if job.path.startswith(COMMITTEES + "/") else site.executives
            return {"page": next(group for group in groups if group.id == job.key)}
        if job.template == "groups":
            committee = job.path.startswith(COMMITTEES + "/")
            return {
                "groups": site.committees if committee else site.executives,
                "kind": "committee" if committee else "executive",
            }
        if job.template == "changes":
            return {"entry": next(entry for entry in site.archive if str(entry.quarter) == job.key)}
        return {"page": site}


def record_jobs(site: Site, paths: SitePaths, papers: Sequence[Quarter]) -> list[Job]:
    """The papers of `papers` (first: each is long), then a page per record and the listings that do
    not depend on the archive's digests."""
    jobs = [Job(path, "", str(quarter)) for quarter in papers if (path := paths.paper(quarter)) is not None]
    jobs += [
        Job(INDEX, "home"),
        Job(f"{OBJECTIVES}/{INDEX}", "objectives"),
        Job(f"{RISKS}/{INDEX}", "risks"),
        Job(f"{STRATEGIC}/{INDEX}", "strategics"),
        Job(f"{COMMITTEES}/{INDEX}", "groups"),
        Job(f"{EXECUTIVES}/{INDEX}", "groups"),
    ]
    for folder, template in ((OBJECTIVES, "objective"), (RISKS, "risk"), (STRATEGIC, "strategic")):
        jobs += [Job(path, template, record_id) for record_id, path in sorted(paths.records(folder).items())]
    for folder in (COMMITTEES, EXECUTIVES):
        jobs += [Job(path, "group", record_id) for record_id, path in sorted(paths.records(folder).items())]
    return jobs


def archive_jobs(site: Site, paths: SitePaths) -> list[Job]:
    """The archive's listing and each quarter's changes: written once every paper's digest is known."""
    jobs = [Job(f"{ARCHIVE}/{INDEX}", "archive")]
    for entry in site.archive:
        path = paths.changes(entry.quarter)
        if entry.summary.previous is not None and path is not None:
            jobs.append(Job(path, "changes", str(entry.quarter)))
    return jobs


_WRITER: SiteWriter | None = None
"""The writer the pool's processes render with: set before they are forked, so each inherits it."""


def _write_job(job: Job) -> int:
    assert _WRITER is not None
    return _WRITER.write(job)


CHUNK = 32
"""Jobs a process is given at a time: a page takes milliseconds, a quarter's paper seconds."""


def write_jobs(writer: SiteWriter, jobs: list[Job]) -> Iterator[int]:
    """Each job written, by a pool of processes when there are enough of them for one to pay; the
    bytes each wrote. Each paper starts a chunk of its own, so no one process renders them all."""
    global _WRITER
    papers = [job for job in jobs if not job.template]
    pages = [job for job in jobs if job.template]
    ordered: list[Job] = []
    for paper in papers:
        ordered += [paper, *pages[: CHUNK - 1]]
        pages = pages[CHUNK - 1 :]
    ordered += pages
    _WRITER = writer
    try:
        yield from in_pool(_write_job, ordered, chunksize=CHUNK)
    finally:
        _WRITER = None
