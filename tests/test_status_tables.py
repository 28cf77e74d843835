"""status's tables: rich's bordered tables for the sizes people read, plain columns for large ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.text import Text

from stratctl.cli import status as status_cli
from stratctl.cli.status import plain_table
from tests.conftest import PROJECT


def test_small_tables_are_rich_tables_as_before(stratctl, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(PROJECT)
    shown = stratctl("status").stdout
    assert "┏" in shown and "objective" in shown  # rich's heavy-headed box: no table of the bundled trust is large
    monkeypatch.setattr(status_cli, "PLAIN_FROM", 10**9)
    assert stratctl("status").stdout == shown


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


def test_a_large_status_is_written_in_plain_columns(stratctl, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
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


def test_an_empty_table_is_one_line_not_an_empty_frame(stratctl, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(PROJECT)
    view = __import__("json").loads(stratctl("status", "--lead", "CSATO", "--format", "json").stdout)
    assert view["risks"] and not view["commitments"]  # the view this test needs: risks but no commitments
    shown = stratctl("status", "--lead", "CSATO").stdout.splitlines()
    assert "Strategy commitments: none in this view" in shown
    assert not any(
        line.startswith("Strategy commitments") and line != "Strategy commitments: none in this view" for line in shown
    )
    assert "Strategic risks: none in this view" not in shown


def test_an_empty_table_of_the_whole_repository_says_none(stratctl, repo: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    shutil.rmtree(repo / "data" / "strategies")  # a trust with no enabling strategy yet
    view = __import__("json").loads(stratctl("status", "--format", "json").stdout)
    assert not view["commitments"]
    assert "Strategy commitments: none" in stratctl("status").stdout.splitlines()
