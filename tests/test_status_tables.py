"""status's tables: rich's bordered tables for the sizes people read, plain columns for large ones."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.text import Text

from stratctl.cli import status as status_cli
from stratctl.cli.status import plain_table
from tests.conftest import PROJECT, Stratctl


def _rich_tables(shown: str) -> list[tuple[list[str], list[list[str]]]]:
    """Each bordered table in `shown`: its column names and its rows, a cell's wrapped lines joined with a
    space (a row starts where its second cell does: no first cell wraps onto a line of its own)."""
    tables: list[tuple[list[str], list[list[str]]]] = []
    for line in shown.splitlines():
        cells = [cell.strip() for cell in line[1:-1].split(line[0])] if line[:1] in ("┃", "│") else None
        if line.startswith("┃") and cells is not None:
            tables.append((cells, []))
        elif line.startswith("│") and cells is not None:
            rows = tables[-1][1]
            if cells[1] or not rows:
                rows.append(cells)
            else:
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
    return tables


def _fits(cell: str, text: str) -> bool:
    """`cell` shows `text`: whole, or cut short with an ellipsis where a word is wider than its column."""
    return cell == text or (cell.endswith("…") and text.startswith(cell[:-1]))


def test_small_tables_are_rich_tables_of_every_objective_and_risk(
    stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECT)
    view = json.loads(stratctl("status", "--format", "json").stdout)
    # no table of the bundled trust is large
    assert max(len(view["objectives"]), len(view["risks"])) < status_cli.PLAIN_FROM
    tables = _rich_tables(stratctl("status").stdout)
    objective_columns = ["objective", "lead", "progress", "position", "evidence", "note"]
    shown = [
        (row[0], row[1], row[2], row[3].rstrip("↑↓"), row[4], row[5])
        for columns, rows in tables
        if columns == objective_columns
        for row in rows
    ]
    unmatched = [
        (
            f"{o['title']} ({o['id']})",
            o["lead"],
            o["progress"] or "-",
            o["reported"],
            o["computed"] if o["computed"] != o["reported"] else "",
            "stale" if o["stale"] else "",
        )
        for o in view["objectives"]
    ]
    for row in shown:  # each row shows exactly one objective, and every objective has its row
        (match,) = [expected for expected in unmatched if all(map(_fits, row, expected))]
        unmatched.remove(match)
    assert not unmatched
    (risk_rows,) = [rows for columns, rows in tables if columns[0] == "risk"]
    assert len(risk_rows) == len(view["risks"])
    for risk_row, risk in zip(risk_rows, view["risks"], strict=True):
        cells = [f"{risk['id']} {risk['title']}", str(risk["score"]), str(risk["target_score"]), risk["band"]]
        assert all(map(_fits, risk_row[:4], cells)), (risk_row, cells)


def _check_well_formed(lines: list[str], columns: tuple[str, ...], rows: list[list[str]]) -> None:
    header, rule, *body = lines
    starts = [header.index(c) if i == 0 else header.index("  " + c) + 2 for i, c in enumerate(columns)]
    assert starts == sorted(starts) and starts[0] == 0
    assert set(rule) <= {"-", " "} and [m.start() for m in re.finditer(r"-+", rule)] == starts
    assert len(body) == len(rows)
    for line, row in zip(body, rows, strict=True):
        assert line == line.rstrip()
        for start, cell in zip(starts, row, strict=True):
            if cell:
                assert line[start : start + len(cell)] == cell, (line, cell)


def test_the_plain_writer_lines_up_every_cell() -> None:
    columns = ("risk", "score", "band", "note")
    rows = [
        [f"R{n} {'title ' * (n % 7)}", str(n * 3), "extreme" if n % 2 else "low", "" if n % 3 else "stale"]
        for n in range(250)
    ]
    text = plain_table(Text("Strategic risks", style="bold"), columns, [[Text(c) for c in row] for row in rows])
    title, *lines = text.plain.split("\n")
    assert title == "Strategic risks"
    _check_well_formed(lines, columns, rows)


def test_a_large_status_is_written_in_plain_columns(stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)
    monkeypatch.setattr(status_cli, "PLAIN_FROM", 1)  # every table counts as large
    shown = stratctl("status").stdout
    json_ids = {o["id"] for o in __import__("json").loads(stratctl("status", "--format", "json").stdout)["objectives"]}
    assert "┏" not in shown and "│" not in shown
    for objective_id in json_ids:
        assert sum(f"({objective_id})" in line for line in shown.splitlines()) == 1
    lines = shown.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("risk "))
    end = next(
        i for i in range(header + 2, len(lines)) if not lines[i][:1].isalnum() or lines[i].startswith("Strategy")
    )
    columns = ("risk", "score", "target", "band", "trend", "appetite")
    body = lines[header + 2 : end]
    assert body
    starts = [lines[header].index(c) if i == 0 else lines[header].index("  " + c) + 2 for i, c in enumerate(columns)]
    _check_well_formed(
        lines[header:end],
        columns,
        [[line[s:e].strip() for s, e in zip(starts, [*starts[1:], None], strict=True)] for line in body],
    )


def test_an_empty_table_is_one_line_not_an_empty_frame(stratctl: Stratctl, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)
    view = __import__("json").loads(stratctl("status", "--lead", "CSATO", "--format", "json").stdout)
    assert view["risks"] and not view["commitments"]  # the view this test needs: risks but no commitments
    shown = stratctl("status", "--lead", "CSATO").stdout.splitlines()
    assert "Strategy commitments: none in this view" in shown
    assert not any(
        line.startswith("Strategy commitments") and line != "Strategy commitments: none in this view" for line in shown
    )
    assert "Strategic risks: none in this view" not in shown


def test_an_empty_table_of_the_whole_repository_says_none(stratctl: Stratctl, repo: Path) -> None:
    import shutil

    shutil.rmtree(repo / "data" / "strategies")  # a trust with no enabling strategy yet
    view = __import__("json").loads(stratctl("status", "--format", "json").stdout)
    assert not view["commitments"]
    assert "Strategy commitments: none" in stratctl("status").stdout.splitlines()
