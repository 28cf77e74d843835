"""`site`: the strategy as a static website, as of a quarter, written all or nothing into a folder.

Reads the repository once and validates it (a site is never built from records with errors, as a
paper is not), then goes through every quarter the records report up to the site's quarter, oldest
first, keeping what the pages show of each (stratctl.website.history: positions, counts, what
changed since the quarter before). Each quarter's Board paper goes into the archive: for a quarter
the Board signed off, the paper rebuilt from its sign-off tag and checked against the digest
recorded there (stratctl.api.signoff); for the others, the paper `stratctl report --quarter Q
--format html` gives, byte for byte. The pages are built from the site quarter's status and its
paper's own views, so every figure on them is the one that paper gives, and each measure's chart is
drawn once for the paper and the objective's page alike. The pages and the earlier quarters' papers
are rendered by a pool of processes when the repository is large (stratctl.website.pages).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from stratctl.api.report import refuse_errors
from stratctl.api.signoff import verify
from stratctl.api.validate import validate_records
from stratctl.errors import StratctlError
from stratctl.findings import Finding
from stratctl.loading import LoadResult
from stratctl.periods import Quarter, ReportingPoint
from stratctl.reporting.board import BoardReport
from stratctl.reporting.provenance import provenance
from stratctl.reporting.render import Renderer
from stratctl.reporting.report import PreparedPaper, ReportRequest, prepare_paper, write_prepared
from stratctl.signoff import SignOff, signoffs_held
from stratctl.status import Status, build_status
from stratctl.website.folder import SiteFolder, check_target, staged_site
from stratctl.website.history import History
from stratctl.website.pages import SiteWriter, archive_jobs, record_jobs, write_jobs
from stratctl.website.paths import COMMITTEES, EXECUTIVES, OBJECTIVES, RISKS, STRATEGIC, SitePaths
from stratctl.website.views import ArchiveEntry, SignOffView, Site, SiteInput
from stratctl.workspace import Workspace


@dataclass(frozen=True)
class SiteOptions:
    output: Path
    quarter: str | None = None  # default: the latest quarter reported


@dataclass
class SiteOutcome:
    """What was written, for the command to say."""

    output: Path
    quarter: Quarter
    pages: int = 0  # the site's own pages
    papers: int = 0  # the quarters' papers in the archive
    files: int = 0
    bytes: int = 0
    signed_off: list[str] = field(default_factory=list)  # the signed-off quarters whose paper matches its digest
    mismatched: list[str] = field(default_factory=list)  # those whose rebuilt paper does not, or could not be rebuilt
    counts: dict[str, int] = field(default_factory=dict)  # pages by kind of record


def write_site(space: Workspace, options: SiteOptions) -> SiteOutcome:
    """Write the site of the repository as of the quarter asked for into `options.output`."""
    check_target(options.output)  # before the work, so a folder that cannot take the site is said at once
    loaded = space.load()
    point = space.point(loaded.repository, None, options.quarter)
    found = validate_records(loaded, space.config).findings
    refuse_errors(found, loaded, allowed=False, what="site")
    build = _Build(space, loaded, found, point)
    with staged_site(options.output) as folder:
        status, board = build.archive(folder)
        site = Site(
            SiteInput(
                status,
                board,
                build.history,
                tuple(ArchiveEntry(s, build.signed.get(s.quarter), "") for s in build.history.quarters),
                build.source,
                tuple(o.record for o in loaded.repository.objectives),
                tuple(k.record for k in loaded.repository.risks),
            )
        )
        return build.pages(site, folder, SiteOutcome(options.output, point.quarter))


class _Build:
    """One site being built: the repository read and validated, the quarters of its archive, and what
    each step leaves for the next."""

    def __init__(self, space: Workspace, loaded: LoadResult, found: Sequence[Finding], point: ReportingPoint) -> None:
        repository = loaded.repository
        if repository.trust is None:  # pragma: no cover - refuse_errors refused it
            raise StratctlError("trust.yaml could not be read: run stratctl validate")
        trust = repository.trust.record
        self.space, self.loaded, self.found, self.point = space, loaded, found, point
        self.start_month = trust.year_start_month
        self.signoffs = {s.quarter: s for s in signoffs_held(space.data_dir) if s.quarter <= point.quarter}
        reported = {u.quarter for o in repository.objectives for u in o.record.updates if u.quarter <= point.quarter}
        self.quarters = sorted(reported | set(self.signoffs))
        self.source = provenance(space.data_dir)
        self.renderer = Renderer("html", space.templates)
        self.paths = SitePaths(
            objectives=[o.record.id for o in repository.objectives],
            risks=[k.record.id for k in repository.risks],
            strategic=[s.id for s in trust.strategic_objectives],
            committees=[c.id for c in trust.committees],
            executives=[e.id for e in trust.executives],
            quarters=self.quarters,
        )
        self.history = History()
        self.signed: dict[Quarter, SignOffView] = {}
        self.kept: dict[Quarter, Status] = {}  # the status of each quarter whose paper the pool renders

    def prepared(self, status: Status) -> PreparedPaper:
        return prepare_paper(self.loaded, ReportRequest(status.point, "html"), self.found, self.source, status=status)

    def earlier_paper(self, quarter: Quarter, stream: IO[bytes]) -> None:
        """An earlier quarter's paper, rendered by a process of the pool from the status kept for it."""
        write_prepared(stream, self.prepared(self.kept[quarter]), self.renderer)

    def archive(self, folder: SiteFolder) -> tuple[Status, BoardReport]:
        """Each quarter read, oldest first: what the pages keep of it, and its paper, written now (a
        signed-off one, the site's own quarter's) or kept for the pool; the site quarter's status and
        its paper's view."""
        repository, point = self.loaded.repository, self.point
        status: Status | None = None
        board: BoardReport | None = None
        for quarter in self.quarters:
            at = ReportingPoint.end_of(quarter, self.start_month) if quarter != point.quarter else point
            quarter_status = build_status(repository, at)
            self.history.add(quarter_status)
            path = str(self.paths.paper(quarter))
            text = None
            if quarter in self.signoffs:
                self.signed[quarter], text = _signed_off_paper(self.space, self.signoffs[quarter])
                if text is not None:
                    folder.write(path, text)
            if quarter == point.quarter:  # the site's own quarter: its paper's views are the pages'
                paper = self.prepared(quarter_status)
                status, board = quarter_status, _board(paper.context.get("r"))
                if text is None:
                    with folder.open(path) as stream:
                        write_prepared(stream, paper, self.renderer)
            elif text is None:
                self.kept[quarter] = quarter_status
        if status is None or board is None:  # the site's quarter has no update of its own: no paper
            status = build_status(repository, point)
            board = _board(self.prepared(status).context.get("r"))
        return status, board

    def pages(self, site: Site, folder: SiteFolder, outcome: SiteOutcome) -> SiteOutcome:
        """Every page, and the papers kept for the pool; then the archive's listing, once every paper's
        digest is known."""
        paths = self.paths
        writer = SiteWriter(site, paths, folder, self.renderer, self.earlier_paper)
        jobs = record_jobs(site, paths, list(self.kept))
        outcome.bytes = sum(write_jobs(writer, jobs))
        site.archive = tuple(
            _checked(entry, _digest(folder.path / str(paths.paper(entry.quarter)))) for entry in site.archive
        )
        finishing = archive_jobs(site, paths)
        outcome.bytes += sum(writer.write(job) for job in finishing)
        outcome.bytes += sum(
            (folder.path / str(paths.paper(q))).stat().st_size for q in self.quarters if q not in self.kept
        )
        outcome.papers = len(self.quarters)
        outcome.pages = len(jobs) + len(finishing) - len(self.kept)
        outcome.files = outcome.pages + outcome.papers + 1  # and the marker
        for entry in site.archive:
            if entry.signoff is not None:
                (outcome.signed_off if entry.signoff.matches else outcome.mismatched).append(str(entry.quarter))
        outcome.counts = {
            "objectives": len(paths.records(OBJECTIVES)),
            "risks": len(paths.records(RISKS)),
            "strategic objectives": len(paths.records(STRATEGIC)),
            "committees": len(paths.records(COMMITTEES)),
            "executives": len(paths.records(EXECUTIVES)),
        }
        return outcome


def _checked(entry: ArchiveEntry, digest: str) -> ArchiveEntry:
    """The entry with the digest of the paper the archive holds (and the sign-off's check against it)."""
    signoff = replace(entry.signoff, digest=digest) if entry.signoff is not None else None
    return replace(entry, signoff=signoff, digest=digest)


def _board(report: object) -> BoardReport:
    if not isinstance(report, BoardReport):  # pragma: no cover - the paper's view is built by stratctl, not a template
        raise StratctlError("the quarter's paper did not build its Board report view")
    return report


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _signed_off_paper(space: Workspace, signoff: SignOff) -> tuple[SignOffView, str | None]:
    """The paper the Board signed off, rebuilt from its tag and checked against its digest; where it
    cannot be rebuilt (a tag stratctl did not make, records at the tag that no longer read), why, and
    no paper: the records' own is rendered instead."""
    try:
        checked = verify(space, signoff.quarter)
    except StratctlError as error:
        return SignOffView(signoff.tag, signoff.commit, "", "", (), str(error)), None
    view = SignOffView(signoff.tag, signoff.commit, checked.recorded, checked.paper.digest, tuple(checked.differences))
    return view, checked.paper.text
