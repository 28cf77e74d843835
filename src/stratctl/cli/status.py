"""`stratctl status` and `stratctl explain`: the quarter's positions, in the terminal or as JSON."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from stratctl.api.status import status_at
from stratctl.cli.common import EXIT_OK, workspace, write_json
from stratctl.errors import StratctlError
from stratctl.measure_readout import measure_trace, summary
from stratctl.measures import MeasureResult
from stratctl.plaintext import printable
from stratctl.reporters import plain
from stratctl.reporters.console import Console
from stratctl.status import Scope, Status
from stratctl.suggest import did_you_mean
from stratctl.vocabulary import ARROWS, TERMINAL_STYLES, position_key


def _status(data: Path | None, year: str | None, quarter: str | None, as_of: date | None) -> Status:
    return status_at(workspace(data), year, quarter, as_of)


def position_text(position: str, trend: str = "same") -> Text:
    if position == "none":
        return Text("none", style="dim")
    return Text(f" {position}{ARROWS.get(trend, '')} ", style=TERMINAL_STYLES[position])


def run_status(
    data: Path | None, year: str | None, quarter: str | None, as_of: date | None, fmt: str, scope: Scope | None = None
) -> int:
    status = _status(data, year, quarter, as_of).narrowed(scope or Scope())
    if fmt == "json":
        write_json(status.to_dict(), sys.stdout)
        return EXIT_OK
    console = Console(highlight=False)
    trust, point = status.trust, status.point
    console.print(Text(f"{printable(trust.name)}: {point.quarter} as of {point.as_of.isoformat()}", style="bold"))
    if not status.scope.whole:
        scope = status.scope
        only = [
            f"of committee {scope.committee}" if scope.committee else "",
            f"of theme {scope.theme}" if scope.theme else "",
            f"under priority {scope.priority}" if scope.priority else "",
            f"led by {scope.lead}" if scope.lead else "",
        ]
        console.print(
            Text(
                printable(
                    f"Only objectives {' and '.join(w for w in only if w)}, the risks in the same "
                    f"view and the commitments they deliver: {scope.title(trust)}"
                ),
                style="dim",
            )
        )
    counts = status.counts()
    console.print(Text("  ".join(f"{p}: {n}" for p, n in counts.items())))
    for block in trust.priorities:
        rows = status.in_tracker_order((o, r) for o, r in status.objectives if o.priority == block.id)
        if not rows:
            continue
        cells = []
        for objective, rating in rows:
            evidence = position_text(rating.computed) if rating.differs else Text("")
            note = (
                Text(f"starts {rating.starts}", style="dim")
                if rating.starts is not None
                else Text("stale" if rating.stale else "", style="bold magenta")
            )
            progress = rating.update.progress if rating.update else "-"
            cells.append(
                [
                    plain(f"{objective.title} ({objective.id})"),
                    plain(objective.lead),
                    Text(progress),
                    position_text(rating.reported, rating.trend),
                    evidence,
                    note,
                ]
            )
        print_table(
            console,
            Text(printable(block.title), style="bold"),
            ("objective", "lead", "progress", "position", "evidence", "note"),
            cells,
            expand=False,
        )
        # under the table, so the table keeps its width; one print for them all (each line wraps as its own)
        print_lines(
            console,
            [
                printable(f"  {objective.id}: measure {summary(result)}")
                for objective, rating in rows
                for result in rating.measures
            ],
            style="dim",
        )
    orphans = [(o, r) for o, r in status.objectives if o.priority not in {p.id for p in trust.priorities}]
    if orphans:
        console.print(Text(f"{len(orphans)} objective(s) under unknown priorities", style="yellow"))
    risk_cells = []
    for risk, scored in status.risks:
        appetite = "above" if scored.above_appetite else ("within" if scored.appetite_limit is not None else "-")
        risk_cells.append(
            [
                plain(f"{risk.id} {risk.title}"),
                plain(scored.score),
                plain(scored.target_score),
                plain(scored.band),
                plain(scored.trend),
                plain(appetite),
            ]
        )
    print_table(
        console,
        Text("Strategic risks", style="bold"),
        ("risk", "score", "target", "band", "trend", "appetite"),
        risk_cells,
        narrowed=not status.scope.whole,
    )
    if status.closed_risks:  # apart from the BAF above: not counted, banded or placed
        print_lines(
            console,
            [
                printable(
                    f"  closed in {status.point.quarter}: {risk.id} {risk.title}, last score {scored.score} "
                    f"({risk.closed.reason})"
                    + (f"; successors {', '.join(risk.closed.successors)}" if risk.closed.successors else "")
                )
                for risk, scored in status.closed_risks
                if risk.closed is not None
            ],
            style="dim",
        )
    strategic = [
        (s.id, status.strategic_measures[s.id])
        for s in status.strategic_objectives_in_view()
        if status.strategic_measures.get(s.id)
    ]
    if strategic:
        console.print(Text("Strategic objectives: success measures", style="bold"))
        print_lines(
            console,
            [
                printable(f"  {strategic_id}: measure {summary(result)}")
                for strategic_id, results in strategic
                for result in results
            ],
            style="",
        )
    commitment_cells = []
    for c in status.commitments:
        shown = position_text(c.status) if c.status in TERMINAL_STYLES else plain(c.status, style="dim")
        commitment_cells.append([plain(c.strategy), plain(c.title), shown])
    print_table(
        console,
        Text("Strategy commitments", style="bold"),
        ("strategy", "commitment", "status"),
        commitment_cells,
        narrowed=not status.scope.whole,
    )
    print_lines(
        console,
        [
            printable(f"  {c.strategy}.{c.id}: measure {summary(result)}")  # under the table, as the objectives' are
            for c in status.commitments
            for result in c.measures
        ],
        style="dim",
    )
    console.print(
        Text(
            f"Position letters: {position_key()}; ↑↓ change since last quarter; "
            "evidence: the computed position where the Board declared another.",
            style="dim",
        )
    )
    return EXIT_OK


PLAIN_FROM = 100
"""A table of this many rows or more is written by `plain_table`: rich measures every cell of a table
to fit it to the terminal, 30 of status's 37 seconds on the national-scale benchmark repository."""


def print_lines(console: Console, lines: list[str], style: str) -> None:
    """Each line as `console.print(Text(line, style=style))` would print it, in one call."""
    if lines:
        console.print(Text("\n".join(lines), style=style))


def print_table(
    console: Console,
    title: Text,
    columns: tuple[str, ...],
    rows: list[list[Text]],
    *,
    expand: bool | None = None,
    narrowed: bool = False,
) -> None:
    """A rich Table (bordered, fitted to the terminal) for a table people read; plain columns for a large one;
    one line, not an empty frame, for a table with no rows."""
    if not rows:
        console.print(Text.assemble(title, Text(": none in this view" if narrowed else ": none", style="dim")))
        return
    if len(rows) >= PLAIN_FROM:
        console.print(plain_table(title, columns, rows), soft_wrap=True)
        return
    table = (
        Table(title=title, title_justify="left")
        if expand is None
        else Table(title=title, title_justify="left", expand=expand)
    )
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def plain_table(title: Text, columns: tuple[str, ...], rows: list[list[Text]]) -> Text:
    """The table as lines of columns two spaces apart, each as wide as its widest cell, under the title,
    a header and a rule: one line a row, never wrapped, so a large table is written in one pass."""
    widths = [
        max([cell_len(column)] + [cell_len(row[index].plain) for row in rows]) for index, column in enumerate(columns)
    ]
    last = len(columns) - 1
    out = Text()
    out.append_text(title)
    out.append(
        "\n"
        + "  ".join(
            c.ljust(w) if i < last else c for i, (c, w) in enumerate(zip(columns, widths, strict=True))
        ).rstrip()
    )
    out.append("\n" + "  ".join("-" * w for w in widths))
    for row in rows:
        line = Text()
        for index, (cell, width) in enumerate(zip(row, widths, strict=True)):
            line.append_text(cell)
            if index < last:
                line.append(" " * (width - cell_len(cell.plain) + 2))
        line.rstrip()
        out.append("\n")
        out.append_text(line)
    return out


def run_explain(record_id: str, data: Path | None, year: str | None, quarter: str | None, as_of: date | None) -> int:
    status = _status(data, year, quarter, as_of)
    # explain is prose: piped or saved, each reason stays one line rather than broken at 80 columns
    console = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
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
            print_measure_traces(console, rating.measures)
            return EXIT_OK
    for strategic in status.trust.strategic_objectives:
        if strategic.id == record_id:
            console.print(Text(printable(f"{strategic.id}: {strategic.title}"), style="bold"))
            console.print(Text(f"{point.quarter}, as of {point.as_of.isoformat()}: success measures"))
            results = status.strategic_measures.get(strategic.id, ())
            if not results:
                console.print(Text("  no success measures", style="dim"))
            print_measure_traces(console, results)
            return EXIT_OK
    for commitment in status.commitments:
        if f"{commitment.strategy}.{commitment.id}" == record_id:
            console.print(Text(printable(f"{record_id}: {commitment.title}"), style="bold"))
            line = Text(f"{point.quarter}, as of {point.as_of.isoformat()}: status ")
            line.append_text(
                position_text(commitment.status) if commitment.status in TERMINAL_STYLES else Text(commitment.status)
            )
            console.print(line)
            delivering = ", ".join(commitment.delivered_by) or "no objective"
            console.print(
                Text(
                    printable(
                        f"  - delivered by {delivering}; the worst of their positions and its own measures' signals"
                    )
                )
            )
            print_measure_traces(console, commitment.measures)
            return EXIT_OK
    if _explain_risk(console, status, record_id):
        return EXIT_OK
    elsewhere = status.whereabouts(record_id)
    if elsewhere is not None:
        raise StratctlError(f"{record_id!r} is not in the view of {point.quarter}: {elsewhere}")
    known = [o.id for o, _ in status.objectives] + [r.id for r, _ in status.risks]
    raise StratctlError(f"no objective or risk {record_id!r}{did_you_mean(record_id, known)}")


def _explain_risk(console: Console, status: Status, record_id: str) -> bool:
    """A risk's score and its reasons, on the BAF or closed in the quarter; False when the view has no such risk."""
    point = status.point
    for risk, risk_rating in [*status.risks, *status.closed_risks]:
        if risk.id == record_id:
            console.print(Text(printable(f"{risk.id}: {risk.title}"), style="bold"))
            if risk.closed is not None and risk.closed_in(point.quarter):
                console.print(plain(f"{status.whereabouts(risk.id)}; its last score follows"))
            console.print(
                plain(
                    f"{point.quarter}: score {risk_rating.score} ({risk_rating.band}), "
                    f"target {risk_rating.target_score}, "
                    f"distance to target {risk_rating.distance_to_target}, trend {risk_rating.trend}"
                )
            )
            for reason in risk_rating.reasons:
                console.print(Text(f"  - {printable(reason)}"))
            return True
    return False


def print_measure_traces(console: Console, results: tuple[MeasureResult, ...]) -> None:
    """Each measure's whole trace: its points, its signal's reason and, with 12 points, its SPC chart."""
    for result in results:
        lines = measure_trace(result)
        console.print(Text(printable(lines[0]), style="bold"))
        for line in lines[1:]:
            console.print(Text(f"    {printable(line)}"))
