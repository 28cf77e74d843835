"""`report` as a library call: from a loaded repository to the text of the Board paper."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup

from stratctl.config import Config
from stratctl.diffing import LABELS, Change
from stratctl.findings import Severity
from stratctl.loading import LoadResult
from stratctl.rating import ReportingPoint, band_of
from stratctl.reporting.board import build_annual_report, build_board_report
from stratctl.reporting.provenance import Provenance, provenance
from stratctl.reporting.render import render
from stratctl.signoff import SignOff
from stratctl.status import build_status
from stratctl.validation import validate_loaded
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
    def markdown(self) -> Markup:
        from stratctl.reporting.changes import to_markdown

        return Markup(to_markdown(self.changes, self.heading))


@dataclass(frozen=True)
class ReportRequest:
    point: ReportingPoint
    fmt: str  # md | html | json
    template: str | None = None  # default: board (quarterly) or annual
    annual: bool = False
    since: tuple[str, list[Change]] | None = None  # heading and changes since a git ref


def render_report(loaded: LoadResult, request: ReportRequest, config: Config | None = None,
                  source: Provenance | None = None, *, templates: Path | None = None,
                  signoffs: Sequence[SignOff] | None = None) -> str:
    """The Board paper for `request.point`, as Markdown, HTML or JSON.

    `templates` and `signoffs` rebuild a signed-off paper: the templates folder as the tag has
    it, and the sign-offs its data-quality appendix was validated against (stratctl.signoff).
    """
    repository = loaded.repository
    status = build_status(repository, request.point)
    source = source or provenance(repository.data_dir)
    # Paths relative to the repository root, so the report is the same wherever it is run from.
    root = repository.data_dir.parent
    relative = {f.display: f.path.relative_to(root).as_posix() for f in loaded.files}
    warnings = [
        replace(f, path=relative.get(f.path, f.path))
        for f in validate_loaded(loaded, config=config, signoffs=signoffs).findings
        if f.severity == Severity.WARNING
    ]
    if request.fmt == "json":
        document = status.to_dict()
        document["provenance"] = {"stratctl": source.version, "commit": source.commit, "dirty": source.dirty}
        document["warnings"] = [w.to_dict() for w in warnings]
        if request.since is not None:
            document["since"] = {"heading": request.since[0], "changes": [c.to_dict() for c in request.since[1]]}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    templates = templates if templates is not None else repository.data_dir.parent / "templates"
    if request.annual:
        context: dict[str, object] = {"r": build_annual_report(status, source), "v": VOCABULARY}
        name = request.template or "annual"
    else:
        bands = {score: band_of(score, status.trust) for score in range(1, 26)}
        since = ChangesSection(*request.since) if request.since is not None else None
        context = {"r": build_board_report(status, source, warnings), "v": VOCABULARY, "bands": bands,
                   "since": since, "change_labels": LABELS}
        name = request.template or "board"
    return render(context, template=name, fmt=request.fmt, repository_templates=templates)
