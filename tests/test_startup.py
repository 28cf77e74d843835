"""Start-up: what a command imports, and the quick coercion of options that keeps pydantic out of it.

A warm `validate` is answered from the cache without reading a record, so it must not import what
reading records needs (pydantic, the record models, the rules and the rating engine); and typer's
options, which typer would coerce through pydantic, are coerced by stratctl.cli.common.quicken to the
same values, leaving every value typer would refuse to typer itself, so its message is the one shown.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer._click.exceptions import BadParameter

from stratctl.cli.app import app
from stratctl.cli.common import _quick_value, _Unsure

_PROBE = """
import sys
from stratctl.cli.app import run
sys.argv = ["stratctl", *sys.argv[1:]]
try:
    run()
except SystemExit:
    pass
heavy = ("pydantic", "stratctl.records", "stratctl.rating", "stratctl.rules.positions")
heavy = sorted(name for name in heavy if name in sys.modules)
sys.stderr.write("IMPORTED " + ",".join(heavy) + "\\n")
"""


def _imported(root: Path, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], cwd=root, capture_output=True, text=True, env=os.environ, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    line = next(line for line in done.stderr.splitlines() if line.startswith("IMPORTED "))
    return [name for name in line.removeprefix("IMPORTED ").split(",") if name]


def test_a_warm_validate_reads_no_record_and_imports_no_model(repo: Path) -> None:
    """The first validate reads and checks every record; the second, with nothing changed, is the cache's
    answer: no pydantic, no record model, no rule that rates, whether of the repository or of one file."""
    assert "pydantic" in _imported(repo, "validate", "--format", "json")
    assert _imported(repo, "validate", "--format", "json") == []
    one = sorted((repo / "data" / "objectives").glob("*.yaml"))[0]
    assert _imported(repo, "validate", str(one.relative_to(repo))) == []


def test_a_changed_file_is_read_again(repo: Path) -> None:
    """Not a cache that never misses: a change to a record makes validate read and check the records."""
    _imported(repo, "validate")
    path = sorted((repo / "data" / "objectives").glob("*.yaml"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    assert "pydantic" in _imported(repo, "validate")


def _parameters() -> list[tuple[str, Any]]:
    group = typer.main.get_group(app)
    found = [("(root)", p) for p in group.params]
    for name, command in sorted(group.commands.items()):
        found += [(name, p) for p in command.params]
    return found


PARAMETERS = _parameters()
SAMPLES = [
    "",
    "x",
    "json",
    "JSON",
    "text",
    "html",
    "pdf",
    "md",
    "csv",
    "tracker",
    "public",
    "on-track",
    "G",
    "up",
    "decision",
    "Q3",
    "2021/22 Q3",
    "data",
    ".",
    "no/such/folder",
    "5",
    "-1",
    " 5",
    "007",
    "2022-01-31",
    "2022-13-01",
    "31/01/2022",
]


def _typer_own(param: Any, value: Any) -> tuple[str, Any]:
    from typer._coercion import build_runtime_param

    try:
        return "value", build_runtime_param(param.type_descriptor).coerce(value, param=param, ctx=_context())
    except BadParameter as error:
        return "refused", error.message


@functools.cache
def _context() -> Any:
    return typer.main.get_group(app).make_context("stratctl", ["validate"], resilient_parsing=True)


@pytest.mark.parametrize(("command", "param"), PARAMETERS, ids=[f"{c}:{p.name}" for c, p in PARAMETERS])
def test_the_quick_coercion_gives_typers_value_or_leaves_it_to_typer(command: str, param: Any) -> None:
    """For every option of every command and values of every kind: the quick coercion's value is the one
    typer's own coercion gives, or it is unsure and typer decides (never a value typer would refuse)."""
    many = param.multiple or param.nargs == -1
    quick_ones = 0
    for sample in SAMPLES:
        value: Any = (sample,) if many else sample
        try:
            quick = _quick_value(param.type_descriptor, value, _context())
        except _Unsure:
            continue
        quick_ones += 1
        outcome, typer_value = _typer_own(param, value)
        assert outcome == "value", (sample, typer_value)
        assert quick == typer_value and type(quick) is type(typer_value), (sample, quick, typer_value)
    annotation = param.type_descriptor.annotation
    if annotation is not bool:
        assert quick_ones > 0, f"{command} {param.name}: no sample is coerced quickly ({annotation})"


def test_a_value_typer_refuses_gets_typers_message(stratctl: Any, repo: Path) -> None:
    outcome = stratctl("status", "--format", "xml")
    assert outcome.exit_code == 2
    assert "'xml' is not one of 'text', 'json'" in outcome.stderr
    outcome = stratctl("status", "--as-of", "2022-13-01")
    assert outcome.exit_code == 2
    assert "'2022-13-01' does not match the formats '%Y-%m-%d'" in outcome.stderr
