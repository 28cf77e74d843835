"""`report`: the Board paper for a quarter (or the annual report for a year), from the work tree.

Reads the repository once, settles the reporting point, validates the records (a paper is never
rendered from records with errors unless asked, and then says so), gathers what changed since a
git ref when asked, and has the reporting floor write the paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

from stratctl.api.validate import validate_records
from stratctl.config import Config
from stratctl.diffing import Change, compare
from stratctl.errors import FindingsError, StratctlError
from stratctl.findings import Finding, Severity
from stratctl.gitrefs import describe, list_records, read_listing, user_ref, work_tree_root
from stratctl.loading import LoadResult, load_texts, reusable
from stratctl.periods import ReportingPoint
from stratctl.reporting import AUDIENCES
from stratctl.reporting.cover import CoverOptions
from stratctl.reporting.provenance import Provenance
from stratctl.reporting.report import ReportRequest, render_report, write_report
from stratctl.signoff import SignOff
from stratctl.status import Scope
from stratctl.workspace import Workspace, ensure_readable


@dataclass(frozen=True)
class PaperOptions:
    """What the report command asks for, as given."""

    fmt: str = "md"
    year: str | None = None
    quarter: str | None = None
    as_of: date | None = None
    template: str | None = None
    since: str | None = None  # a git ref: add what moved since it
    scope: Scope = field(default_factory=Scope)
    cover: CoverOptions = field(default_factory=CoverOptions)
    allow_errors: bool = False
    technical_appendix: bool = False  # the strategy office's copy: each finding with its file and line
    audience: str = "board"  # the annual report's readers: "board" (its table) or "public" (plain words)


@dataclass
class PaperOutcome:
    """What writing the paper noticed beside the paper itself (entries at the --since ref not read)."""

    notes: list[str] = field(default_factory=list)


def write_paper(space: Workspace, options: PaperOptions, sink: IO[bytes]) -> PaperOutcome:
    """Write the paper `options` ask for into `sink`; FindingsError when the records have errors."""
    if options.audience != "board":
        check_public_options(options)
    if options.since is not None:
        user_ref(options.since, "--since")
    outcome = PaperOutcome()
    # Records that cannot be read are errors like any other: the paper is refused with them listed
    # (exit 1), or with --allow-errors rendered without them and saying so.
    loaded = space.load()
    repository = loaded.repository
    annual = options.year is not None and options.quarter is None and options.as_of is None
    point = space.point(repository, options.year, options.quarter, options.as_of)
    instead = repository.reported_instead(point.quarter) if options.quarter is not None else None
    if instead is not None and instead.year != point.quarter.year:
        # a bare Q3 just after rollover reads as the new year's, which has nothing reported yet
        outcome.notes.append(
            f"no objective has an update for {point.quarter}, so the paper reports none; the latest "
            f'Q{point.quarter.number} with updates is {instead}: give --quarter "{instead}" for that paper'
        )
    changes = None
    if options.since is not None:
        changes = _changes_since(space, loaded, options.since, point, outcome.notes)
    request = ReportRequest(
        point,
        options.fmt,
        options.template,
        annual,
        changes,
        options.scope,
        options.cover,
        options.allow_errors,
        options.technical_appendix,
        options.audience,
    )
    found = validate_records(loaded, space.config).findings
    refuse_errors(found, loaded, allowed=options.allow_errors)
    write_report(sink, loaded, request, found)
    return outcome


def check_public_options(options: PaperOptions) -> None:
    """The public annual report is a year's, in Markdown, HTML or PDF, from records without errors, for
    the whole trust: refuse (StratctlError, exit 2) what would make it something else."""
    if options.audience not in AUDIENCES:
        raise StratctlError(f"--audience {options.audience!r}: choose board or public")
    if options.year is None or options.quarter is not None or options.as_of is not None:
        raise StratctlError(
            "--audience public is the annual report for patients and the public: give --year alone "
            "(such as --year 2021/22), with no --quarter or --as-of"
        )
    if options.fmt not in ("md", "html", "pdf"):
        raise StratctlError(f"the public annual report is written as md, html or pdf, not {options.fmt}")
    given = [
        name
        for name, value in (
            ("--since", options.since is not None),
            ("--committee, --lead, --priority or --theme", not options.scope.whole),
            ("a cover sheet option", options.cover != CoverOptions()),
            ("--allow-errors", options.allow_errors),
            ("--technical-appendix", options.technical_appendix),
        )
        if value
    ]
    if given:
        raise StratctlError(
            f"--audience public takes no {', '.join(given)}: those are for the Board's papers, and the "
            "public report is the whole trust's, from records without errors"
        )


def render_paper(
    loaded: LoadResult,
    request: ReportRequest,
    config: Config,
    source: Provenance | None = None,
    *,
    templates: Path | None = None,
    signoffs: Sequence[SignOff] | None = None,
) -> str | bytes:
    """The paper `request` asks for from records already read: validated with `config` (against
    `signoffs`, default the board tags HEAD contains), refused when they have errors unless the
    request allows them, then rendered (text, or PDF bytes)."""
    found = validate_records(loaded, config, signoffs).findings
    refuse_errors(found, loaded, allowed=request.allow_errors)
    return render_report(loaded, request, found, source, templates=templates)


def refuse_errors(found: Sequence[Finding], loaded: LoadResult, *, allowed: bool, what: str = "paper") -> None:
    """Records with errors give no paper (FindingsError) unless allowed, when the cover says so and the
    appendix lists them: a paper must never look sound when its data is not. Only a paper can be
    allowed them (--allow-errors); the message for anything else (`what`: the site) offers no way round."""
    errors = [f for f in found if f.severity == Severity.ERROR]
    if errors and not allowed:
        way_round = ", or give --allow-errors for a paper that says so on its cover" if what == "paper" else ""
        raise FindingsError(
            f"the records have {len(errors)} error(s), so no {what} is rendered from them: fix them "
            f"(stratctl validate lists them){way_round}",
            errors,
            len(loaded.files),
        )


def _changes_since(
    space: Workspace, loaded: LoadResult, since: str, point: ReportingPoint, notes: list[str]
) -> tuple[str, list[Change]]:
    """The heading and the changes that moved something since the git ref `since`."""
    repository = loaded.repository
    root = work_tree_root(repository.data_dir)
    # entries at the ref that are not files (a submodule) are not read, and said so in `notes`;
    # a file the work tree has the same is not read either
    listing = list_records(root, since, repository.data_dir, notes)
    texts = read_listing(root, listing, reusable(repository.data_dir, listing.blobs, [loaded]))
    before = ensure_readable(
        load_texts(repository.data_dir, texts, blobs=listing.blobs, reuse=[loaded], cache=space.read_cache()),
        f" at {since}",
    )
    # the paper itself holds every new update: its section lists what moved, not each update added
    moved = [change for change in compare(before, loaded, point) if change.kind != "update"]
    return f"Changes since {describe(root, since)}", moved
