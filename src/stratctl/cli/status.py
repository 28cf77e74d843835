"""`stratctl status` and `stratctl explain`: the quarter's positions, in the terminal or as JSON."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from stratctl.cli.common import EXIT_OK, fail
from stratctl.errors import StratctlError
from stratctl.loading import LoadResult, find_data_dir, load_repository
from stratctl.reporters import plain, printable
from stratctl.repository import Repository
from stratctl.rules.suggest import did_you_mean
from stratctl.status import Status, build_status, choose_point

STYLES = {"R": "bold white on #DA291C", "A": "bold black on #FFB81C", "G": "bold white on #007F3B", "C": "bold white on #005EB8"}
ARROWS = {"up": "↑", "down": "↓", "same": "", "new": ""}


def open_repository(data: Path | None) -> Repository:
    """The repository's records; refuses to go on if any record could not be read."""
    return open_loaded(data).repository


def open_loaded(data: Path | None) -> LoadResult:
    """The loaded repository; refuses to go on if any record could not be read."""
    return ensure_readable(load_repository(data_folder(data)))


def data_folder(data: Path | None, start: Path | None = None) -> Path:
    """--data when given (it must hold trust.yaml), else the data folder found upward from `start`."""
    if data is not None:
        if not (data / "trust.yaml").is_file():
            raise StratctlError(f"--data {data}: no trust.yaml there")
        return data.resolve()
    return find_data_dir(start or Path.cwd())


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


def _status(data: Path | None, year: str | None, quarter: str | None, as_of: date | None) -> Status:
    repository = open_repository(data)
    return build_status(repository, choose_point(repository, year, quarter, as_of))


def position_text(position: str, trend: str = "same") -> Text:
    if position == "none":
        return Text("none", style="dim")
    return Text(f" {position}{ARROWS.get(trend, '')} ", style=STYLES[position])


def run_status(
    data: Path | None, year: str | None, quarter: str | None, as_of: date | None, fmt: str,
    priority: str | None = None, lead: str | None = None,
) -> int:
    try:
        status = _status(data, year, quarter, as_of)
        if priority is not None or lead is not None:
            status = status.narrowed(priority, lead)
    except StratctlError as error:
        raise fail(str(error)) from None
    if fmt == "json":
        sys.stdout.write(json.dumps(status.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    console = Console(highlight=False)
    trust, point = status.trust, status.point
    console.print(Text(f"{printable(trust.name)}: {point.quarter} as of {point.as_of.isoformat()}", style="bold"))
    if priority is not None or lead is not None:
        only = [f"priority {priority}" if priority else "", f"led by {lead}" if lead else ""]
        console.print(Text(f"Only objectives {' and '.join(w for w in only if w)}"
                           f"{', risks led by ' + lead if lead else ''} and the commitments they deliver", style="dim"))
    counts = status.counts()
    console.print(Text("  ".join(f"{p}: {n}" for p, n in counts.items())))
    for priority in trust.priorities:
        rows = [(o, r) for o, r in status.objectives if o.priority == priority.id]
        if not rows:
            continue
        table = Table(title=Text(printable(priority.title), style="bold"), title_justify="left", expand=False)
        for column in ("objective", "lead", "progress", "position", "evidence", "note"):
            table.add_column(column)
        for objective, rating in rows:
            evidence = position_text(rating.computed) if rating.differs else Text("")
            note = Text("stale" if rating.stale else "", style="bold magenta")
            progress = rating.update.progress if rating.update else "-"
            table.add_row(
                plain(f"{objective.title} ({objective.id})"), plain(objective.lead), Text(progress),
                position_text(rating.reported, rating.trend), evidence, note,
            )
        console.print(table)
    orphans = [(o, r) for o, r in status.objectives if o.priority not in {p.id for p in trust.priorities}]
    if orphans:
        console.print(Text(f"{len(orphans)} objective(s) under unknown priorities", style="yellow"))
    risks = Table(title=Text("Strategic risks", style="bold"), title_justify="left")
    for column in ("risk", "score", "target", "band", "trend", "appetite"):
        risks.add_column(column)
    for risk, rating in status.risks:
        appetite = "above" if rating.above_appetite else ("within" if rating.appetite_limit is not None else "-")
        risks.add_row(
            plain(f"{risk.id} {risk.title}"), plain(rating.score), plain(rating.target_score),
            plain(rating.band), plain(rating.trend), plain(appetite),
        )
    console.print(risks)
    commitments = Table(title=Text("Strategy commitments", style="bold"), title_justify="left")
    for column in ("strategy", "commitment", "status"):
        commitments.add_column(column)
    for c in status.commitments:
        shown = position_text(c.status) if c.status in STYLES else Text(c.status, style="dim")
        commitments.add_row(plain(c.strategy), plain(c.title), shown)
    console.print(commitments)
    console.print(Text("Position letters: R off track, A at risk, G on track, C complete; ↑↓ change since last quarter; "
                       "evidence: the computed position where the Board declared another.", style="dim"))
    return EXIT_OK


def run_explain(record_id: str, data: Path | None, year: str | None, quarter: str | None, as_of: date | None) -> int:
    try:
        status = _status(data, year, quarter, as_of)
    except StratctlError as error:
        raise fail(str(error)) from None
    console = Console(highlight=False)
    point = status.point
    for objective, rating in status.objectives:
        if objective.id == record_id:
            console.print(Text(printable(f"{objective.id}: {objective.title}"), style="bold"))
            console.print(Text(f"{point.quarter}, as of {point.as_of.isoformat()}"))
            line = Text("reported ").append_text(position_text(rating.reported, rating.trend))
            line.append(f"  computed {rating.computed}")
            line.append(f"  declared {rating.declared or '-'}  trend {rating.trend} (was {rating.previous_reported})")
            if rating.stale:
                line.append(f"  stale: no update for {point.quarter}", style="bold magenta")
            console.print(line)
            for reason in rating.reasons:
                console.print(Text(f"  - {printable(reason)}"))
            return EXIT_OK
    for risk, risk_rating in status.risks:
        if risk.id == record_id:
            console.print(Text(printable(f"{risk.id}: {risk.title}"), style="bold"))
            console.print(plain(
                f"{point.quarter}: score {risk_rating.score} ({risk_rating.band}), target {risk_rating.target_score}, "
                f"distance to target {risk_rating.distance_to_target}, trend {risk_rating.trend}"
            ))
            for reason in risk_rating.reasons:
                console.print(Text(f"  - {printable(reason)}"))
            return EXIT_OK
    known = [o.id for o, _ in status.objectives] + [r.id for r, _ in status.risks]
    raise fail(f"no objective or risk {record_id!r}{did_you_mean(record_id, known)}")


