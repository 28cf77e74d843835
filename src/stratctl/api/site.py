"""`site`: the strategy as a static website, as of a quarter, written all or nothing into a folder.

Reads the repository once and validates it (a site is never built from records with errors, as a
paper is not), then goes through every quarter the records report up to the site's quarter, oldest
first: each quarter's status is built once, its Board paper is written into the archive (for a
quarter the Board signed off, the paper rebuilt from its sign-off tag and checked against the digest
recorded there: stratctl.api.signoff), and the site keeps what its pages show of it
(stratctl.website.history) before the next. The pages are built from the site quarter's status and
its paper's own views, so every figure on them is the one that paper gives, and each measure's chart
is drawn once for the paper and the objective's page alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from stratctl.api.report import refuse_errors
from stratctl.api.signoff import verify
from stratctl.api.validate import validate_records
from stratctl.errors import StratctlError
from stratctl.periods import Quarter, ReportingPoint
from stratctl.reporting.board import BoardReport
from stratctl.reporting.provenance import provenance
from stratctl.reporting.render import Renderer
from stratctl.reporting.report import ReportRequest, prepare_paper, write_prepared
from stratctl.signoff import SignOff, signoffs_held
from stratctl.status import Status, build_status
from stratctl.website.folder import check_target, staged_site
from stratctl.website.history import History
from stratctl.website.pages import write_pages
from stratctl.website.paths import COMMITTEES, EXECUTIVES, OBJECTIVES, RISKS, STRATEGIC, SitePaths
from stratctl.website.views import ArchiveEntry, SignOffView, SiteInput, build_site
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
    pages: int = 0
    papers: int = 0
    files: int = 0
    bytes: int = 0
    signed_off: list[str] = field(default_factory=list)  # the signed-off quarters whose paper matches its digest
    mismatched: list[str] = field(default_factory=list)  # those whose rebuilt paper does not, or could not be rebuilt
    counts: dict[str, int] = field(default_factory=dict)  # pages by kind


def write_site(space: Workspace, options: SiteOptions) -> SiteOutcome:
    """Write the site of the repository as of the quarter asked for into `options.output`."""
    check_target(options.output)  # before the work, so a folder that may not take the site is said at once
    loaded = space.load()
    repository = loaded.repository
    point = space.point(repository, None, options.quarter)
    found = validate_records(loaded, space.config).findings
    refuse_errors(found, loaded, allowed=False)
    if repository.trust is None:  # pragma: no cover - refuse_errors refused it
        raise StratctlError("trust.yaml could not be read: run stratctl validate")
    start = repository.trust.record.year_start_month
    signoffs = {s.quarter: s for s in signoffs_held(space.data_dir) if s.quarter <= point.quarter}
    reported = {u.quarter for o in repository.objectives for u in o.record.updates if u.quarter <= point.quarter}
    quarters = sorted(reported | set(signoffs))
    source = provenance(space.data_dir)
    renderer = Renderer("html", space.templates)
    paths = SitePaths(
        objectives=[o.record.id for o in repository.objectives],
        risks=[k.record.id for k in repository.risks],
        strategic=[s.id for s in repository.trust.record.strategic_objectives],
        committees=[c.id for c in repository.trust.record.committees],
        executives=[e.id for e in repository.trust.record.executives],
        quarters=quarters,
    )
    outcome = SiteOutcome(options.output, point.quarter)
    history = History()
    archive: list[ArchiveEntry] = []
    status: Status | None = None
    board: BoardReport | None = None
    with staged_site(options.output) as folder:
        for quarter in quarters:
            at = ReportingPoint.end_of(quarter, start) if quarter != point.quarter else point
            quarter_status = build_status(repository, at)
            history.add(quarter_status)
            path = paths.paper(quarter)
            assert path is not None
            signoff_view, text = _signed_off_paper(space, signoffs[quarter]) if quarter in signoffs else (None, None)
            prepared = None
            if text is None or quarter == point.quarter:
                prepared = prepare_paper(loaded, ReportRequest(at, "html"), found, source, status=quarter_status)
            if text is not None:
                folder.write(path, text)
            else:
                assert prepared is not None
                with folder.open(path) as stream:
                    write_prepared(stream, prepared, renderer)
            digest = _digest(folder.path / path)
            if signoff_view is not None:
                signoff_view = SignOffView(
                    signoff_view.tag,
                    signoff_view.commit,
                    signoff_view.recorded,
                    digest,
                    signoff_view.differences,
                    signoff_view.problem,
                )
                (outcome.signed_off if signoff_view.matches else outcome.mismatched).append(str(quarter))
            archive.append(ArchiveEntry(history.quarters[-1], signoff_view, digest))
            outcome.papers += 1
            if quarter == point.quarter:
                status = quarter_status
                assert prepared is not None
                board = _board(prepared.context.get("r"))
        if status is None or board is None:  # the site's quarter has no update of its own: not in the archive
            status = build_status(repository, point)
            prepared = prepare_paper(loaded, ReportRequest(point, "html"), found, source, status=status)
            board = _board(prepared.context.get("r"))
        site = build_site(
            SiteInput(
                status,
                board,
                history,
                tuple(archive),
                source,
                tuple(o.record for o in repository.objectives),
                tuple(k.record for k in repository.risks),
            )
        )
        outcome.pages = write_pages(site, paths, folder, renderer)
        outcome.files, outcome.bytes = folder.files, folder.bytes
        outcome.counts = {
            "objectives": len(paths.records(OBJECTIVES)),
            "risks": len(paths.records(RISKS)),
            "strategic objectives": len(paths.records(STRATEGIC)),
            "committees": len(paths.records(COMMITTEES)),
            "executives": len(paths.records(EXECUTIVES)),
        }
    return outcome


def _board(report: object) -> BoardReport:
    if not isinstance(report, BoardReport):  # a repository template cannot change what the paper's view is
        raise StratctlError("the quarter's paper did not build its Board report view")
    return report


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _signed_off_paper(space: Workspace, signoff: SignOff) -> tuple[SignOffView, str | None]:
    """The paper the Board signed off, rebuilt from its tag and checked; without it (a tag stratctl did
    not make, records at the tag that no longer read), why, and the paper is rendered from the records."""
    try:
        checked = verify(space, signoff.quarter)
    except StratctlError as error:
        return SignOffView(signoff.tag, signoff.commit, "", "", (), str(error)), None
    view = SignOffView(signoff.tag, signoff.commit, checked.recorded, checked.paper.digest, tuple(checked.differences))
    return view, checked.paper.text
