"""The Board paper: from a repository already read and validated to the paper's text, in each format."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from markupsafe import Markup

from stratctl.diffing import LABELS, Change, listed_changes, year_turn_summary
from stratctl.findings import Finding, Severity
from stratctl.jsontext import json_chunks
from stratctl.layout import templates_dir
from stratctl.loading import LoadResult
from stratctl.periods import Month, Quarter, ReportingPoint
from stratctl.rating import band_of
from stratctl.records import Objective
from stratctl.reporting.annual import PUBLIC_WORDS, build_annual_report
from stratctl.reporting.board import DataQuality, build_board_report
from stratctl.reporting.changes import to_markdown
from stratctl.reporting.cover import CoverOptions
from stratctl.reporting.provenance import Provenance, provenance
from stratctl.reporting.public import build_public_report
from stratctl.reporting.quality import board_findings, board_notes
from stratctl.reporting.render import NOT_UTF8, Renderer
from stratctl.repository import RecordFile, Repository
from stratctl.rules import RULES
from stratctl.status import Scope, Status, build_status
from stratctl.vocabulary import ARROWS, POSITION_MEANINGS, POSITION_NAMES, TREND_WORDS


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The words templates print for positions and trends, so they never spell them out themselves."""

    names: dict[str, str]
    meanings: dict[str, str]
    arrows: dict[str, str]
    trends: dict[str, str]
    letters: tuple[str, ...] = ("R", "A", "G", "C")


VOCABULARY = Vocabulary(POSITION_NAMES, POSITION_MEANINGS, ARROWS, TREND_WORDS)


@dataclass(frozen=True, slots=True)
class ChangesSection:
    """What changed since a git ref: for the paper's own layout, or as `stratctl diff` writes it."""

    heading: str
    changes: list[Change]

    @property
    def year_turn(self) -> list[str]:
        """The objectives that left the year, in a sentence or two (the rest are listed one by one)."""
        return year_turn_summary(self.changes)

    @property
    def listed(self) -> list[Change]:
        return listed_changes(self.changes)

    @property
    def markdown(self) -> Markup:

        return Markup(to_markdown(self.changes, self.heading))


@dataclass(frozen=True)
class ReportRequest:
    point: ReportingPoint
    fmt: str  # md | html | pdf | json
    template: str | None = None  # default: board (quarterly) or annual
    annual: bool = False
    since: tuple[str, list[Change]] | None = None  # heading and changes since a git ref
    scope: Scope = field(default_factory=Scope)  # one committee's, executive's, priority's or theme's paper
    cover: CoverOptions = field(default_factory=CoverOptions)
    allow_errors: bool = False  # render despite errors, saying so on the cover and listing them
    technical_appendix: bool = False  # the findings with their files and lines, for the strategy office's copy
    audience: str = "board"  # an annual report's readers: the Board (its table), or "public" (plain words)


def render_report(
    loaded: LoadResult,
    request: ReportRequest,
    found: Sequence[Finding],
    source: Provenance | None = None,
    *,
    templates: Path | None = None,
) -> str | bytes:
    """The Board paper for `request.point`, as Markdown, HTML or JSON text, or PDF bytes (see write_report)."""
    out = io.BytesIO()
    write_report(out, loaded, request, found, source, templates=templates)
    return out.getvalue() if request.fmt == "pdf" else out.getvalue().decode("utf-8")


def write_report(
    sink: IO[bytes],
    loaded: LoadResult,
    request: ReportRequest,
    found: Sequence[Finding],
    source: Provenance | None = None,
    *,
    templates: Path | None = None,
) -> None:
    """Write the Board paper for `request.point` into `sink`: Markdown, HTML or JSON as UTF-8, or PDF.

    `found` are the records' findings (stratctl.api.validate): the paper's data-quality appendix,
    and its errors when it is rendered despite them. `templates` is the repository's own templates
    folder (default: the one beside its data folder; a signed-off paper is rebuilt with the tag's).
    """
    if request.fmt == "json":
        _write_json(sink, loaded, request, found, source)
        return
    write_prepared(sink, prepare_paper(loaded, request, found, source, templates=templates))


@dataclass(frozen=True)
class PreparedPaper:
    """A Markdown, HTML or PDF paper decided and ready to render: its template's context and name."""

    context: dict[str, object]
    template: str
    request: ReportRequest
    status: Status
    source: Provenance
    templates: Path


def write_prepared(sink: IO[bytes], paper: PreparedPaper, renderer: Renderer | None = None) -> None:
    """Render a prepared paper into `sink` (`renderer`: one already open for its format, to share)."""
    request, status, source = paper.request, paper.status, paper.source
    fmt = "html" if request.fmt == "pdf" else request.fmt
    renderer = renderer or Renderer(fmt, paper.templates)
    if request.fmt != "pdf":
        renderer.render_into(sink, paper.context, template=paper.template)
        return
    text = renderer.render(paper.context, template=paper.template)
    from stratctl.reporting.pdf import PdfMetadata, html_to_pdf

    report = paper.context["r"]
    title = getattr(report, "paper_title", "Strategy report")
    when = "" if request.annual else f", {status.point.quarter.year} {status.point.quarter.label}"
    sink.write(
        html_to_pdf(
            text,
            PdfMetadata(
                title=f"{status.trust.name}: {title}{when}",
                author=status.trust.name,
                subject=_pdf_subject(request),
                created=source.committed,
            ),
        )
    )


def _write_json(
    sink: IO[bytes],
    loaded: LoadResult,
    request: ReportRequest,
    found: Sequence[Finding],
    source: Provenance | None,
) -> None:
    status = build_status(loaded.repository, request.point).narrowed(request.scope)
    source = source or provenance(loaded.repository.data_dir)
    findings = _paper_findings(loaded, found, status, request)
    document = status.to_dict()
    document["provenance"] = {"stratctl": source.version, "commit": source.commit, "dirty": source.dirty}
    document["illustrative"] = status.trust.illustrative
    document["warnings"] = [w.to_dict() for w in findings if w.severity == Severity.WARNING]
    document["errors"] = [f.to_dict() for f in findings if f.severity == Severity.ERROR]
    if request.since is not None:
        document["since"] = {"heading": request.since[0], "changes": [c.to_dict() for c in request.since[1]]}
    for chunk in json_chunks(document):  # streamed: the whole text, and its bytes, were a third of the peak
        sink.write(chunk.encode("utf-8", NOT_UTF8))


def prepare_paper(
    loaded: LoadResult,
    request: ReportRequest,
    found: Sequence[Finding],
    source: Provenance | None = None,
    *,
    templates: Path | None = None,
    status: Status | None = None,
) -> PreparedPaper:
    """What the Markdown, HTML or PDF paper for `request` shows, decided once: `status`, when given,
    is the repository's status at `request.point` already built (the site builds each quarter's once)."""
    repository = loaded.repository
    status = (status or build_status(repository, request.point)).narrowed(request.scope)
    source = source or provenance(repository.data_dir)
    findings = _paper_findings(loaded, found, status, request)
    warnings = [f for f in findings if f.severity == Severity.WARNING]
    templates = templates if templates is not None else templates_dir(repository.data_dir.parent)
    lineage = {o.record.id: o.record for o in repository.objectives}
    relative = _relative_paths(loaded)
    in_view = {relative.get(f.display, f.display) for f in _files_in(status, repository)}
    titles = _record_titles(loaded, relative)
    # Warnings that speak of "now" (an overdue action, no update for the latest quarter) are dated to
    # the latest quarter reported; a paper for an earlier quarter shows its own overdue actions and
    # stale objectives, dated to its own day, in its BAF pages and tracker instead.
    latest = repository.latest_quarter()
    moments = {"today"} | ({"latest quarter"} if latest is not None and request.point.quarter != latest else set())
    dated = {rule.code for rule in RULES.values() if rule.speaks_of in moments}
    records = {
        relative.get(item.file.display, item.file.display): item.record
        for records_of_kind in repository.records.values()
        for item in records_of_kind
    }
    noted = [
        w for w in warnings if w.code not in dated and _of_this_paper(w, records.get(w.path), request.point, in_view)
    ]
    errors = [f for f in findings if f.severity == Severity.ERROR]
    quality = DataQuality(
        board_notes(errors, titles, records),
        board_notes(noted, titles, records),
        board_findings(errors, titles),
        board_findings(noted, titles),
        request.technical_appendix,
    )
    if request.annual and request.audience == "public":
        context: dict[str, object] = {"r": build_public_report(status, source, lineage)}
        name = request.template or "public"
    elif request.annual:
        context = {
            "r": build_annual_report(status, source, lineage),
            "v": VOCABULARY,
            "public": PUBLIC_WORDS,
        }
        name = request.template or "annual"
    else:
        bands = {score: band_of(score, status.trust) for score in range(1, 26)}
        since = ChangesSection(*request.since) if request.since is not None else None
        board = build_board_report(status, source, quality, lineage, cover=request.cover)
        context = {"r": board, "v": VOCABULARY, "bands": bands, "since": since, "change_labels": LABELS}
        name = request.template or "board"
    context["pdf"] = request.fmt == "pdf"
    context["illustrative"] = status.trust.illustrative
    return PreparedPaper(context, name, request, status, source, templates)


def _relative_paths(loaded: LoadResult) -> dict[str, str]:
    """Each file's path as findings show it -> its path from the repository root, so the report is the
    same wherever it is run from."""
    root = loaded.repository.data_dir.parent
    return {f.display: f.path.relative_to(root).as_posix() for f in loaded.files}


def _paper_findings(
    loaded: LoadResult, found: Sequence[Finding], status: Status, request: ReportRequest
) -> list[Finding]:
    """The findings a paper lists, by paths from the repository root; a committee's paper, those on its
    own records (and trust.yaml)."""
    repository = loaded.repository
    relative = _relative_paths(loaded)
    findings = [replace(f, path=relative.get(f.path, f.path)) for f in found]
    if not request.scope.whole:
        in_view = {relative.get(f.display, f.display) for f in _files_in(status, repository)}
        outside = {
            relative.get(item.file.display, item.file.display)
            for kind in ("objective", "risk")
            for item in repository.records.get(kind, ())
        } - in_view
        findings = [f for f in findings if f.path not in outside]
    return findings


def _pdf_subject(request: ReportRequest) -> str:
    if request.annual and request.audience == "public":
        return "Annual report for patients and the public on the delivery of the trust strategy"
    return f"{'Annual report' if request.annual else 'Board paper'} on the delivery of the trust strategy"


def _of_this_paper(warning: Finding, record: object, point: ReportingPoint, in_view: set[str]) -> bool:
    """Whether a quarter's paper lists the warning: not one about an objective of another year, nor
    about an update, review or actual of a later quarter, so a past paper reads as it did."""

    if isinstance(record, Objective) and warning.path not in in_view:
        return False
    loc = warning.loc or ()
    if len(loc) >= 2 and loc[0] in ("updates", "reviews") and isinstance(loc[1], int):
        entries = getattr(record, str(loc[0]), [])
        if loc[1] < len(entries) and entries[loc[1]].quarter > point.quarter:
            return False
    if len(loc) >= 4 and loc[0] == "measures" and loc[2] in ("actuals", "amended"):
        period = _period(str(loc[3]))
        quarter = period.quarter(point.start_month) if isinstance(period, Month) else period
        if quarter is not None and quarter > point.quarter:
            return False
    return True


def _period(text: str) -> Quarter | Month | None:
    for kind in (Quarter, Month):
        try:
            return kind.parse(text)
        except ValueError:
            continue
    return None


def _files_in(status: Status, repository: Repository) -> list[RecordFile]:
    """The files of the objectives and risks a (narrowed) status holds."""
    wanted = {("objective", o.id) for o, _ in status.objectives} | {("risk", k.id) for k, _ in status.risks}
    return [
        item.file
        for kind in ("objective", "risk")
        for item in repository.records.get(kind, ())
        if (kind, item.record.id) in wanted
    ]


def _record_titles(loaded: LoadResult, relative: dict[str, str]) -> dict[str, str]:
    """Each file's record title, by the path the paper shows, so findings name records as the Board knows them."""
    titles: dict[str, str] = {}
    repository = loaded.repository
    if repository.trust is not None:
        titles[relative.get(repository.trust.file.display, "")] = f"trust.yaml ({repository.trust.record.name})"
    for records in repository.records.values():
        for item in records:
            titles[relative.get(item.file.display, item.file.display)] = item.record.title
    return titles
