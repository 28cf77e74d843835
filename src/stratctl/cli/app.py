"""Typer commands: parse options, call the core, turn its results into output and exit codes.

Exit codes: 0 clean; 1 findings at error level (or warnings, with --strict);
2 stratctl could not run (usage, configuration, unreadable path).
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from stratctl import __version__
from stratctl.cli.common import (
    EXIT_CANNOT_RUN,
    EXIT_INTERRUPTED,
    CommandGroup,
    cycle_collector_paused,
    fail,
    progress_shown,
)
from stratctl.errors import StratctlError
from stratctl.reporters import REPORTERS
from stratctl.reporting import AUDIENCES, PAPER_FORMATS
from stratctl.vocabulary import DeclaredTrend, Position, Progress, Purpose

# The choices of --format come from the registries, so a reporter or paper format added there is
# accepted here with no other edit; typer reads a Literal's values as the choices.
if TYPE_CHECKING:
    ValidateFormat = str
    PaperFormat = str
    Audience = str
else:
    ValidateFormat = Literal[("auto", *REPORTERS)]
    PaperFormat = Literal[PAPER_FORMATS]
    Audience = Literal[AUDIENCES]

app = typer.Typer(
    name="stratctl",
    cls=CommandGroup,
    help="An NHS trust's strategy, objectives and Board Assurance Framework as code.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stratctl {__version__}")
        raise typer.Exit()


def _no_cache(value: bool) -> bool:
    if value:
        from stratctl.cache import disable

        disable()
    return value  # typer takes what an option's callback returns as its value


NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        callback=_no_cache,
        help="Read and check every record afresh: neither use nor write .stratctl-cache/.",
    ),
]


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
    no_cache: NoCacheOption = False,
) -> None:
    """An NHS trust's strategy, objectives and Board Assurance Framework as code."""
    from stratctl import cache

    cache.enable(not no_cache)  # each invocation afresh (tests run many in one process)


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Record files or folders to report on (default: the whole repository)."),
    ] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="The data folder (default: found from here upward).")
    ] = None,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="auto: github under GitHub Actions, else text.")
    ] = "auto",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Check the strategy records: schema, references, ids, years and quarters, risk scores."""
    from stratctl.cli.validate import run_validate

    with cycle_collector_paused(), progress_shown("checking the records"):
        raise typer.Exit(run_validate(paths or [], data, output_format, strict))


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="A rule code or name, to explain it.")] = None,
    no_cache: NoCacheOption = False,
) -> None:
    """List the lint rules, or explain one with a bad and a good example."""
    from stratctl.cli.catalogue import run_rules

    raise typer.Exit(run_rules(code))


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write one <kind>.schema.json per record kind into this folder."),
    ] = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Print the JSON Schema of each record kind, for editors and other validators."""
    from stratctl.cli.catalogue import run_schema

    raise typer.Exit(run_schema(output))


YearOption = Annotated[str | None, typer.Option("--year", help="Financial year, e.g. 2021/22 (default: trust.yaml's).")]
QuarterOption = Annotated[
    str | None, typer.Option("--quarter", "-q", help="Q1-Q4 (or 2021/22 Q3); as of the quarter's last day.")
]
AsOfOption = Annotated[
    datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"], help="Report as of this date (YYYY-MM-DD), mid-quarter."),
]
DataOption = Annotated[Path | None, typer.Option("--data", help="The data folder (default: found from here upward).")]
CommitteeOption = Annotated[
    str | None,
    typer.Option("--committee", help="Only what this Board committee oversees (id in trust.yaml committees)."),
]
LeadOption = Annotated[
    str | None, typer.Option("--lead", help="Only the objectives and risks this executive leads (id).")
]
PriorityOption = Annotated[
    str | None, typer.Option("--priority", help="Only the objectives under this trust priority (id).")
]
ThemeOption = Annotated[
    str | None, typer.Option("--theme", help="Only the objectives and risks of this strategic theme (id).")
]


def _cover(
    purpose: str | None,
    presenter: str | None,
    recommendation: str | None,
    item: str | None,
    author: str | None,
    previously: str | None,
    meeting_date: date | None,
) -> Any:
    from stratctl.reporting.cover import CoverOptions

    return CoverOptions(purpose, presenter, recommendation, item, author, previously, meeting_date)


def _scope(committee: str | None, lead: str | None, priority: str | None, theme: str | None) -> Any:
    from stratctl.status import Scope

    return Scope(committee=committee, lead=lead, priority=priority, theme=theme)


class StatusFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def status(
    year: YearOption = None,
    quarter: QuarterOption = None,
    as_of: AsOfOption = None,
    output_format: Annotated[StatusFormat, typer.Option("--format", "-f")] = StatusFormat.text,
    committee: CommitteeOption = None,
    lead: LeadOption = None,
    priority: PriorityOption = None,
    theme: ThemeOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Each objective's projected year-end position and trend, the strategic risks and the commitments.

    Shows the latest quarter reported unless --quarter, --as-of or --year says otherwise.
    """
    from stratctl.cli.status import run_status

    with cycle_collector_paused(), progress_shown("rating the records"):
        raise typer.Exit(
            run_status(
                data,
                year,
                quarter,
                as_of.date() if as_of else None,
                output_format.value,
                _scope(committee, lead, priority, theme),
            )
        )


@app.command()
def explain(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="An objective or risk id.")],
    year: YearOption = None,
    quarter: QuarterOption = None,
    as_of: AsOfOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Why an objective or risk has the position or score it has:
    the trace of reasons (default: the latest quarter reported)."""
    from stratctl.cli.status import run_explain

    with cycle_collector_paused(), progress_shown("rating the records"):
        raise typer.Exit(run_explain(record_id, data, year, quarter, as_of.date() if as_of else None))


@app.command(context_settings={"allow_extra_args": True})
def report(
    ctx: typer.Context,
    year: YearOption = None,
    quarter: QuarterOption = None,
    as_of: AsOfOption = None,
    output_format: Annotated[
        PaperFormat | None,
        typer.Option("--format", "-f", help="md (default), html, pdf (needs stratctl[pdf]) or json."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: standard output).")
    ] = None,
    template: Annotated[
        str | None,
        typer.Option("--template", help="Template name: templates/NAME.FORMAT.j2 (default: board, annual, or public)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Add a section of what changed since this git ref.")
    ] = None,
    committee: CommitteeOption = None,
    lead: LeadOption = None,
    priority: PriorityOption = None,
    theme: ThemeOption = None,
    purpose: Annotated[
        Purpose | None,
        typer.Option("--purpose", help="The cover sheet's purpose (default: trust.yaml's report:, else assurance)."),
    ] = None,
    presenter: Annotated[
        str | None, typer.Option("--presenter", help="The executive presenting the paper (id).")
    ] = None,
    recommendation: Annotated[
        str | None, typer.Option("--recommendation", help="What the Board is asked to do.")
    ] = None,
    item: Annotated[str | None, typer.Option("--item", help="The agenda item number, e.g. 7.2.")] = None,
    author: Annotated[str | None, typer.Option("--author", help="Who wrote the paper, for the cover sheet.")] = None,
    previously_considered: Annotated[
        str | None,
        typer.Option(
            "--previously-considered",
            help="Where the paper went before, e.g. 'Executive Committee, 7 December 2021'.",
        ),
    ] = None,
    meeting_date: Annotated[
        datetime | None,
        typer.Option(
            "--meeting-date",
            formats=["%Y-%m-%d"],
            help="The date of the meeting (YYYY-MM-DD), for the cover sheet.",
        ),
    ] = None,
    allow_errors: Annotated[
        bool, typer.Option("--allow-errors", help="Render even though validate finds errors; the cover says so.")
    ] = False,
    technical_appendix: Annotated[
        bool,
        typer.Option(
            "--technical-appendix",
            help="Add each data-quality finding with its file, line and rule: the strategy office's own copy.",
        ),
    ] = False,
    audience: Annotated[
        Audience | None,
        typer.Option(
            "--audience",
            help="With --year alone: board (default), the Board's table of positions by quarter; or public, "
            "the annual report for patients and the public in plain words (md, html or pdf).",
        ),
    ] = None,
    signed_off: Annotated[
        str | None,
        typer.Option(
            "--signed-off",
            metavar="QUARTER",
            help="Rebuild the HTML paper the Board signed off for QUARTER from its board/ tag, "
            "and check it against the digest recorded there.",
        ),
    ] = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The Board report for a quarter (default: the latest reported), or with --year alone the annual report.

    A paper is not rendered from records with errors (exit 1) unless --allow-errors.

    --year Y --audience public gives the annual report for patients and the public: plain words by
    strategic objective, no record id, and only the risks the trust marked `public: true`.

    --committee, --lead, --priority and --theme give the same paper for one committee, executive,
    priority or theme: only their objectives and risks, titled accordingly.
    """
    from stratctl.cli.report import run_report

    rest = list(ctx.args)  # `--signed-off 2021/22 Q3` unquoted: the quarter's second word
    if rest and signed_off is None:
        raise StratctlError(f"report takes no argument {rest[0]!r}: did you mean --quarter {rest[0]}?")
    with cycle_collector_paused(), progress_shown("writing the paper"):
        raise typer.Exit(
            run_report(
                data,
                year,
                quarter,
                as_of.date() if as_of else None,
                output_format,
                output,
                template,
                since,
                [signed_off, *rest] if signed_off is not None else None,
                _scope(committee, lead, priority, theme),
                _cover(
                    purpose,
                    presenter,
                    recommendation,
                    item,
                    author,
                    previously_considered,
                    meeting_date.date() if meeting_date else None,
                ),
                allow_errors,
                technical_appendix,
                audience,
            )
        )


@app.command()
def site(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The folder to write the site into: a new folder, an empty one, or one an earlier site was "
            "written into.",
        ),
    ],
    quarter: QuarterOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The strategy as a static website as of a quarter (default: the latest reported): every objective's
    and risk's history, the strategic objectives, committees and executives, and every quarter's paper.

    Plain HTML and CSS, no script, nothing fetched from outside the site. Written all or nothing:
    into a folder beside the output, renamed into its place once whole. Records with errors give no
    site (exit 1).
    """
    from stratctl.cli.site import run_site

    with cycle_collector_paused(), progress_shown("building the site"):
        raise typer.Exit(run_site(data, output, quarter))


@app.command()
def update(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The objective or risk to update.")],
    quarter: Annotated[str, typer.Option("--quarter", "-q", help="Q1-Q4 of trust.yaml's year, or e.g. 2021/22 Q3.")],
    progress: Annotated[Progress | None, typer.Option(help="Objective: the quarter's progress.")] = None,
    comment: Annotated[str | None, typer.Option(help="Objective: the narrative (needed for R or A).")] = None,
    projected: Annotated[
        Position | None, typer.Option(help="Objective: the Board's declared year-end position.")
    ] = None,
    rationale: Annotated[
        str | None, typer.Option(help="Objective: why the declared position differs from the computed one.")
    ] = None,
    trend: Annotated[
        DeclaredTrend | None,
        typer.Option(help="Objective: the direction the Board declared (the tracker's arrow): up, down or same."),
    ] = None,
    actual: Annotated[
        list[str], typer.Option(help="Objective: a measure's value this quarter, MEASURE=VALUE; repeatable.")
    ] = [],
    score: Annotated[int | None, typer.Option(min=1, max=25, help="Risk: the current score, 1-25.")] = None,
    likelihood: Annotated[int | None, typer.Option(min=1, max=5, help="Risk: likelihood 1-5.")] = None,
    consequence: Annotated[int | None, typer.Option(min=1, max=5, help="Risk: consequence 1-5.")] = None,
    note: Annotated[str | None, typer.Option(help="Risk: a note on the review.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the quarter's existing entry.")] = False,
    amended: Annotated[
        str | None,
        typer.Option(
            metavar="REASON",
            help="With --replace on a quarter the Board signed off: why it changed (recorded as `amended`).",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate the change but write nothing.")] = False,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Add a quarter's update to an objective, or a review to a risk, keeping every comment in the file."""
    from stratctl.cli.authoring import run_update

    raise typer.Exit(
        run_update(
            record_id,
            data,
            quarter,
            progress,
            comment,
            projected,
            rationale,
            actual,
            score,
            likelihood,
            consequence,
            note,
            replace,
            dry_run,
            amended,
            trend=trend,
        )
    )


def _kinds_to_create(incomplete: str) -> list[str]:
    from stratctl.kinds import folder_kinds

    return [kind.name for kind in folder_kinds() if kind.name.startswith(incomplete)]


@app.command()
def new(
    kind: Annotated[
        str, typer.Argument(help="The kind of record: objective, risk, strategy.", autocompletion=_kinds_to_create)
    ],
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The new record's id (its file name).")],
    title: Annotated[str, typer.Option(help="The title.")],
    lead: Annotated[
        str | None, typer.Option(help="The executive who leads it (default: the first in trust.yaml).")
    ] = None,
    priority: Annotated[str | None, typer.Option(help="Objective: its trust priority (default: the first).")] = None,
    current: Annotated[str | None, typer.Option(help="Risk: current rating, 4x5 or a score.")] = None,
    target: Annotated[str | None, typer.Option(help="Risk: target rating, 2x5 or a score.")] = None,
    year: Annotated[
        str | None, typer.Option("--year", help="Objective: its first financial year (default: trust.yaml's).")
    ] = None,
    supports: Annotated[
        list[str],
        typer.Option(
            "--supports",
            metavar="SO",
            help="Objective: a strategic objective it serves; repeatable.",
        ),
    ] = [],
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Write a new record with every required field and the optional ones explained; never overwrites."""
    from stratctl.cli.authoring import run_new

    raise typer.Exit(run_new(kind, record_id, title, lead, priority, current, target, data, year, tuple(supports)))


@app.command()
def fmt(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Record files or folders (default: the whole repository).")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; list the files that would change and exit 1 if any.")
    ] = False,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Put record files in the canonical layout (key order, indentation), keeping every comment."""
    from stratctl.cli.authoring import run_fmt

    raise typer.Exit(run_fmt(paths or [], check, data))


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the repository.")],
    name: Annotated[str | None, typer.Option(help="The trust's name (default: Example NHS Foundation Trust).")] = None,
    short_name: Annotated[
        str | None, typer.Option("--short-name", help="The trust's short name (default: ENFT).")
    ] = None,
    year: Annotated[
        str | None, typer.Option("--year", help="The current financial year, e.g. 2023/24 (default: today's).")
    ] = None,
    bare: Annotated[
        bool, typer.Option("--bare", help="No example records: trust.yaml's frame only, ready for an import.")
    ] = False,
    example: Annotated[
        str | None,
        typer.Option("--example", help="Start from a bundled example trust: nwaft (2021/22) or sthft (2022-24)."),
    ] = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Start a strategy repository: example records, CI workflow, pre-commit, editor settings, README.

    An import into a repository that still holds init's example records replaces them.
    """
    from stratctl.cli.authoring import run_init

    raise typer.Exit(run_init(directory, name, short_name, year, bare, example))


@app.command()
def rollover(
    to: Annotated[
        str, typer.Option("--to", help="The financial year to open, e.g. 2024/25: the one after trust.yaml's.")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan and validate it; write nothing.")] = False,
    extend_priorities: Annotated[
        bool,
        typer.Option(
            "--extend-priorities",
            help="Let each priority that ends with the closing year, and would hold carried objectives, run on "
            "into the new year (its `until`), instead of leaving that edit to do by hand.",
        ),
    ] = False,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Close the year: a successor for each unfinished objective whose span ends, and trust.yaml's year moved on."""
    from stratctl.cli.authoring import run_rollover

    raise typer.Exit(run_rollover(to, dry_run, data, extend_priorities=extend_priorities))


@app.command()
def signoff(
    quarter: Annotated[
        list[str],
        typer.Argument(
            metavar="QUARTER",
            help="The quarter whose paper the Board approved: 2021/22 Q3, or Q3 of trust.yaml's year.",
        ),
    ],
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Record the Board's approval of a quarter's paper:
    an annotated tag board/<year>-Q<n> on HEAD holding the paper's SHA-256."""
    from stratctl.cli.governance import run_signoff

    with cycle_collector_paused(), progress_shown("building the paper to sign off"):
        raise typer.Exit(run_signoff(quarter, data))


@app.command()
def codeowners(
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if .github/CODEOWNERS is missing or out of step.")
    ] = False,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Write .github/CODEOWNERS: a pull request touching a record asks its lead's reviewers (trust.yaml) for review."""
    from stratctl.cli.governance import run_codeowners

    raise typer.Exit(run_codeowners(check, data))


class DiffFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"


@app.command()
def diff(
    start: Annotated[
        str | None, typer.Argument(metavar="FROM", help="A git ref (default: the last tag, else HEAD).")
    ] = None,
    end: Annotated[str | None, typer.Argument(metavar="TO", help="A git ref (default: the work tree).")] = None,
    output_format: Annotated[DiffFormat, typer.Option("--format", "-f")] = DiffFormat.text,
    authors: Annotated[
        bool, typer.Option("--authors", help="Name who changed each record, and in which commit.")
    ] = False,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Every change between two points, record by record:
    updates, actuals, reviews, ratings, and what moves in the paper."""
    from stratctl.cli.changes import run_diff

    with cycle_collector_paused(), progress_shown("comparing the records"):
        raise typer.Exit(run_diff(start, end, output_format.value, data, authors))


import_app = typer.Typer(
    help="Read a trust's existing tracker, risk table or measure values into records.", no_args_is_help=True
)
app.add_typer(import_app, name="import")

ExecutiveTitleOption = Annotated[
    list[str] | None,
    typer.Option(
        "--executive",
        metavar="ID=TITLE",
        help="An executive's title for trust.yaml, e.g. --executive 'CPO=Chief People Officer'; repeatable.",
    ),
]
PresenterOption = Annotated[
    str | None, typer.Option("--presenter", help="The cover sheet: the executive who presents the paper (id or title).")
]
MeetingOption = Annotated[
    str | None, typer.Option("--meeting", help="The cover sheet: the meeting, e.g. 'Board of Directors in public'.")
]
ItemOption = Annotated[str | None, typer.Option("--item", help="The cover sheet: the agenda item, e.g. 7.2.")]
PurposeOption = Annotated[Purpose | None, typer.Option("--purpose", help="The cover sheet: what the paper is for.")]
RecommendationOption = Annotated[
    str | None, typer.Option("--recommendation", help="The cover sheet: what the Board is asked to do.")
]
AuthorOption = Annotated[str | None, typer.Option("--author", help="The cover sheet: who wrote the paper.")]
PreviouslyOption = Annotated[
    str | None,
    typer.Option("--previously-considered", help="The cover sheet: where the paper went before the Board."),
]
MeetingDateOption = Annotated[
    datetime | None,
    typer.Option("--meeting-date", formats=["%Y-%m-%d"], help="The cover sheet: the meeting's date (YYYY-MM-DD)."),
]


def _trust_settings(
    executives: list[str] | None,
    presenter: str | None,
    meeting: str | None,
    item: str | None,
    purpose: str | None,
    recommendation: str | None,
    author: str | None,
    previously: str | None,
    meeting_date: datetime | None,
) -> Any:
    from stratctl.cli.bridges import trust_settings

    cover = {
        "presenter": presenter,
        "meeting": meeting,
        "item": item,
        "purpose": purpose,
        "recommendation": recommendation,
        "author": author,
        "previously_considered": previously,
        "meeting_date": meeting_date.date() if meeting_date else None,
    }
    return trust_settings(executives or [], {key: value for key, value in cover.items() if value is not None})


@import_app.command("tracker")
def import_tracker(
    file: Annotated[
        Path, typer.Argument(help="The tracker: .tsv, .csv or .xlsx, laid out like the trust's Board tracker.")
    ],
    quarter: QuarterOption = None,
    year: Annotated[
        str | None, typer.Option("--year", help="The financial year (default: from the header, else trust.yaml's).")
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace a quarter's update that differs.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    executive: ExecutiveTitleOption = None,
    presenter: PresenterOption = None,
    meeting: MeetingOption = None,
    item: ItemOption = None,
    purpose: PurposeOption = None,
    recommendation: RecommendationOption = None,
    author: AuthorOption = None,
    previously_considered: PreviouslyOption = None,
    meeting_date: MeetingDateOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """One objective per row, with that quarter's update; executives and priorities added to trust.yaml when new.

    The trust's name, the year and the quarter are read from the lines above the tracker's header
    where they say them; --executive and the cover sheet's options are written into trust.yaml, so
    that the first paper needs no hand edit.
    """
    from stratctl.cli.bridges import run_import_tracker

    settings = _trust_settings(
        executive, presenter, meeting, item, purpose, recommendation, author, previously_considered, meeting_date
    )
    raise typer.Exit(run_import_tracker(file, quarter, year, replace, dry_run, data, settings))


@import_app.command("risks")
def import_risks(
    file: Annotated[
        Path,
        typer.Argument(
            help="The risk table: the tracker's ('id: description', current and target score) or a BAF summary "
            "(id, title, lead, committee, ratings, controls, gaps, assurances, actions)."
        ),
    ],
    lead: Annotated[
        str | None,
        typer.Option(help="The executive who leads the new risks the table names no lead for (default: none)."),
    ] = None,
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter",
            "-q",
            help="Record each rating as this quarter's review (Q3, or 2021/22 Q3): "
            "the history a signed-off paper shows.",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    executive: ExecutiveTitleOption = None,
    presenter: PresenterOption = None,
    meeting: MeetingOption = None,
    item: ItemOption = None,
    purpose: PurposeOption = None,
    recommendation: RecommendationOption = None,
    author: AuthorOption = None,
    previously_considered: PreviouslyOption = None,
    meeting_date: MeetingDateOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Strategic risks from the trust's risk table: every column a BAF table has; existing risks take what differs."""
    from stratctl.cli.bridges import run_import_risks

    settings = _trust_settings(
        executive, presenter, meeting, item, purpose, recommendation, author, previously_considered, meeting_date
    )
    raise typer.Exit(run_import_risks(file, lead, dry_run, data, quarter, settings))


@import_app.command("measures")
def import_measures(
    file: Annotated[
        Path,
        typer.Argument(
            help="The values: .csv, .tsv or .xlsx with columns measure, period, value (and optionally provisional, "
            "note, record), one row a value."
        ),
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace a recorded value (or note) that the file gives differently.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    data: DataOption = None,
) -> None:
    """Measure values in bulk (an information team's export), each into the record that holds its measure."""
    from stratctl.cli.bridges import run_import_measures

    raise typer.Exit(run_import_measures(file, replace, dry_run, data))


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


class ExportTable(str, Enum):  # bridges.EXPORT_FILES names each table's sheet and file (a test keeps them one)
    tracker = "tracker"
    risks = "risks"
    measures = "measures"
    measure_summary = "measure-summary"


@app.command()
def export(
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.csv,
    year: YearOption = None,
    quarter: QuarterOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write here: an .xlsx file; for csv a folder (a file a table: tracker.csv, risks.csv, measures.csv, "
            "measure-summary.csv) or a file of one table "
            "(default: standard output).",
        ),
    ] = None,
    table: Annotated[
        ExportTable | None,
        typer.Option(
            "--table",
            help="Only this table: tracker, risks, measures or measure-summary (a CSV file or standard output: "
            "the tracker).",
        ),
    ] = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The tracker and risk register as a spreadsheet: XLSX (with stratctl[xlsx]) with number and date cells,
    or CSV, one table a file, ISO dates; rows in the tracker's order, leads with their titles, formulas neutralised."""
    from stratctl.cli.bridges import run_export

    with cycle_collector_paused(), progress_shown("writing the export"):
        raise typer.Exit(
            run_export(output_format.value, year, quarter, output, data, table.value if table is not None else None)
        )


@app.command()
def request(
    quarter: Annotated[
        str, typer.Option("--quarter", "-q", help="The quarter to ask for: Q4 of trust.yaml's year, or 2021/22 Q4.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The folder to write the workbooks into (it must exist).")
    ],
    lead: Annotated[
        list[str],
        typer.Option("--lead", metavar="ID", help="Only this executive (id); repeatable. Default: every executive."),
    ] = [],
    meeting_date: Annotated[
        datetime | None,
        typer.Option(
            "--meeting-date",
            formats=["%Y-%m-%d"],
            help="The meeting the paper goes to (default: trust.yaml's report:).",
        ),
    ] = None,
    return_by: Annotated[
        datetime | None,
        typer.Option(
            "--return-by",
            formats=["%Y-%m-%d"],
            help="When to send the workbook back (default: a week before the meeting).",
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """One XLSX workbook per executive asking for the quarter's updates, measure values and risk reviews."""
    from stratctl.cli.executive import run_request

    raise typer.Exit(
        run_request(
            quarter,
            lead,
            output,
            meeting_date.date() if meeting_date else None,
            return_by.date() if return_by else None,
            data,
        )
    )


@app.command()
def collect(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE", help="Returned request workbooks (.xlsx), any number.")
    ],
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter", "-q", help="The quarter to collect (default: the latest the workbooks were made for)."
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Take a row even where the records already hold something different.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")] = False,
    data: DataOption = None,
) -> None:
    """Write the updates, measure values, milestones and risk reviews from returned request workbooks."""
    from stratctl.cli.executive import run_collect

    raise typer.Exit(run_collect(files, quarter, replace, dry_run, data))


class ChaseFormat(str, Enum):
    text = "text"
    md = "md"


@app.command()
def chase(
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter", "-q", help="The quarter (default: the one whose paper goes to trust.yaml's meeting_date)."
        ),
    ] = None,
    output_format: Annotated[ChaseFormat, typer.Option("--format", "-f")] = ChaseFormat.text,
    lead: Annotated[list[str], typer.Option("--lead", metavar="ID", help="Only this executive (id); repeatable.")] = [],
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            min=0,
            metavar="DAYS",
            help="Print only when trust.yaml's meeting_date is at most DAYS days away (for a scheduled job).",
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Who has not yet given what for the quarter, by executive: exit 1 while anything is outstanding."""
    from stratctl.cli.executive import run_chase

    raise typer.Exit(run_chase(quarter, lead, output_format.value, within, data))


def run() -> None:
    try:
        app()
    except StratctlError as error:
        fail(str(error))
        sys.exit(EXIT_CANNOT_RUN)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except Exception as error:
        if os.environ.get("STRATCTL_DEBUG"):
            raise
        fail(f"internal error ({type(error).__name__}: {error}); set STRATCTL_DEBUG=1 for the traceback")
        sys.exit(EXIT_CANNOT_RUN)
