"""The import graph of src/stratctl, read from the source: floors run one way, and nothing imports in a circle.

The floors are written once, in docs/architecture.md's table; every import counts, those made inside
functions and those made only for type checking included.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import PROJECT

PACKAGE = PROJECT / "src" / "stratctl"
ARCHITECTURE = PROJECT / "docs" / "architecture.md"


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ["stratctl", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(module: str, path: Path, modules: dict[str, Path]) -> Iterator[str]:
    """The package's modules that `module` imports, anywhere in its source."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        for name in names:
            while name not in modules and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in modules and name != module:
                yield name


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {module: set(_imports(module, path, modules)) for module, path in modules.items()}


def _floors() -> list[tuple[str, list[str]]]:
    """(floor, the modules and folders it holds) from the architecture page's table, top floor first."""
    floors = []
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1].startswith("`"):
            floors.append((cells[0], re.findall(r"`([^`]+)`", cells[1])))
    return floors


def _floor_of(module: str, floors: list[tuple[str, list[str]]]) -> int | None:
    """The floor's height (0 the ground) of the longest entry that holds `module`."""
    relative = module.removeprefix("stratctl").lstrip(".").replace(".", "/")
    best: tuple[int, int] | None = None
    for height, (_, entries) in enumerate(reversed(floors)):
        for entry in entries:
            folder = entry.rstrip("/")
            holds = (
                relative == folder or relative.startswith(folder + "/")
                if entry.endswith("/")
                else relative == entry.removesuffix(".py") or (entry == "__init__.py" and relative == "")
            )
            if holds and (best is None or len(entry) > best[1]):
                best = (height, len(entry))
    return None if best is None else best[0]


def test_the_architecture_page_names_floors_that_exist() -> None:
    floors = _floors()
    names = [name for name, _ in floors]
    assert names[0] == "cli" and names[-1] == "foundation", names
    for _, entries in floors:
        for entry in entries:
            assert (PACKAGE / entry).exists(), f"docs/architecture.md places {entry}, which does not exist"


def test_every_module_stands_on_a_floor() -> None:
    floors = _floors()
    unplaced = sorted(module for module in _graph() if _floor_of(module, floors) is None)
    assert unplaced == [], f"add these to a floor in docs/architecture.md: {unplaced}"


def _upward(graph: dict[str, set[str]], floors: list[tuple[str, list[str]]]) -> list[str]:
    """Each import from a module to one on a higher floor, in words."""
    names = [name for name, _ in reversed(floors)]
    upward = []
    for module, imported in sorted(graph.items()):
        here = _floor_of(module, floors)
        for other in sorted(imported):
            there = _floor_of(other, floors)
            if here is not None and there is not None and there > here:
                upward.append(f"{module} ({names[here]}) imports {other} ({names[there]})")
    return upward


def test_no_import_runs_up_a_floor() -> None:
    assert _upward(_graph(), _floors()) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert _cycles(_graph()) == []


def test_the_checks_see_an_upward_import_and_a_circle() -> None:
    """The checks themselves can fail: a circle and an upward arrow planted in a copy of the graph are found."""
    graph = {module: set(imported) for module, imported in _graph().items()}
    graph["stratctl.periods"].add("stratctl.status")  # status reads periods: now a circle, and an arrow up
    assert [cycle for cycle in _cycles(graph) if "stratctl.periods" in cycle and "stratctl.status" in cycle]
    assert _upward(graph, _floors()) == ["stratctl.periods (foundation) imports stratctl.status (model)"]
