"""A repository whose every free-text field is hostile: script, markup, template and table-breaking text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

PAYLOADS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    '"><svg onload="window.__xss = 3">',
    "[click me](javascript:window.__xss=4)",
    "![tracker](http://198.51.100.7/pixel.png)",
    "{{ 7 * 7 }} {% for x in range(3) %}loop{% endfor %}",
    "</td></tr></table><style>body { display: none }</style>",
    "cell | split | attempt",
    "line one\nline two\n\n- a list item",
    "Ysbyty Gwynedd ŵ ŷ · 医院 · مستشفى · 🏥",
]
LONG_TITLE = " ".join(["Deliver an exceptionally long objective title that keeps going"] * 30)


def text(index: int) -> str:
    """A hostile text: one payload, a second one, and a marker to find it by."""
    return f"{PAYLOADS[index % len(PAYLOADS)]} · {PAYLOADS[(index + 3) % len(PAYLOADS)]} #{index}"


def write_hostile_repository(root: Path) -> Path:
    """Write the repository under root/data and return the data folder."""
    data = root / "data"
    for folder in ("objectives", "risks", "strategies"):
        (data / folder).mkdir(parents=True, exist_ok=True)

    def q(value: str) -> str:  # a JSON string (non-ASCII kept as is) is a valid YAML double-quoted scalar
        return json.dumps(value, ensure_ascii=False)

    (data / "trust.yaml").write_text(
        f"name: {q(text(0))}\nshort_name: {q(text(1))}\nyear: 2021/22\n"
        f"strategic_objectives:\n  - id: SO1\n    title: {q(text(2))}\n"
        f'priorities:\n  - id: p1\n    title: {q(text(3))}\n    statement: {q(text(4))}\n    risks: ["100"]\n'
        f"executives:\n  - id: L1\n    title: {q(text(5))}\n"
        f"risk_appetite: {{cautious: 12}}\n",
        encoding="utf-8",
    )
    for n in range(len(PAYLOADS)):
        position = "RAGC"[n % 4]
        progress = "complete" if position == "C" else "on-track"
        due = "2021-11-30" if n == 2 else "2022-03-31"
        title = LONG_TITLE if n == 0 else text(10 + n)
        (data / "objectives" / f"o{n}.yaml").write_text(
            f"id: o{n}\ntitle: {q(title)}\nyear: 2021/22\npriority: p1\nsupports: [SO1]\nlead: L1\n"
            f'risks: ["100"]\ndelivers: [s1.c1]\ndue: {due}\n'
            f"milestones:\n  - title: {q(text(30 + n))}\n    due: 2021-10-01\n"
            f"updates:\n  - quarter: 2021/22 Q2\n    progress: on-track\n"
            f"    comment: {q(text(40 + n))}\n    projected: G\n"
            f"  - quarter: 2021/22 Q3\n    progress: {progress}\n"
            f"    comment: {q(text(20 + n))}\n    projected: {position}\n"
            f"    rationale: {q(text(50 + n))}\n",
            encoding="utf-8",
        )
    (data / "risks" / "100.yaml").write_text(
        f'id: "100"\ntitle: {q(text(60))}\ndescription: {q(text(61))}\nlead: L1\nthreatens: [SO1]\n'
        f"committee: {q(text(62))}\nappetite: cautious\ncurrent: {{likelihood: 4, consequence: 4}}\n"
        f"target: {{likelihood: 2, consequence: 3}}\ncontrols: [{q(text(63))}]\n",
        encoding="utf-8",
    )
    (data / "strategies" / "s1.yaml").write_text(
        f"id: s1\ntitle: {q(text(70))}\nlead: L1\nstatus: in-development\napproval_due: 2022-03-31\n"
        f"commitments:\n  - id: c1\n    title: {q(text(71))}\n  - id: c2\n    title: {q(text(72))}\n",
        encoding="utf-8",
    )
    return data


# --- What every hostile case asserts ------------------------------------------------------------
# Each case of the hostile-input suites (tests/test_hostile_*.py) ends with `assert_behaves`: the exit
# code it must give, the words that make its message clear (the path, file:line:col), no traceback or
# internal error, nothing changed outside the repository, and no process of ours left running.


class Outside:
    """A folder beside the repository that a hostile input aims at: nothing may appear or change in it."""

    def __init__(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.before = _tree(path)

    def unchanged(self) -> bool:
        return _tree(self.path) == self.before


def _tree(root: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_symlink():
            found[name] = f"-> {os.readlink(path)}"
        elif path.is_file():
            size = path.stat().st_size  # a large file by its size and time: never read whole here
            found[name] = path.read_bytes() if size <= 1 << 20 else f"{size} bytes, {path.stat().st_mtime_ns}"
        else:
            found[name] = "/"
    return found


def tree(root: Path) -> dict[str, bytes | str]:
    """Every entry under `root` (links as their target, folders as '/'): to prove nothing was changed or left."""
    return _tree(root)


def children() -> list[int]:
    """The processes whose parent is this one (Linux /proc; none known elsewhere)."""
    me = str(os.getpid())
    found = []
    for entry in Path("/proc").glob("[0-9]*") if Path("/proc/self").exists() else []:
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z":
            found.append(int(entry.name))
    return found


class Ran(Protocol):
    exit_code: int
    stdout: str
    stderr: str


def assert_behaves(
    outcome: Ran,
    code: int,
    *needles: str,
    outside: Outside | None = None,
    unchanged: tuple[Path, dict[str, bytes | str]] | None = None,
) -> None:
    """The hostile case behaved: exit `code`, each needle in what it printed, no traceback, nothing
    changed outside (and, with `unchanged`, nothing changed inside), no process of ours left."""
    output = outcome.stdout + outcome.stderr
    assert outcome.exit_code == code, output
    assert "Traceback" not in output and "internal error" not in output, output
    for needle in needles:
        assert needle in output, (needle, output)
    if outside is not None:
        assert outside.unchanged(), f"written outside the repository: {sorted(_tree(outside.path))}"
    if unchanged is not None:
        root, before = unchanged
        assert _tree(root) == before, "the repository changed"
    assert children() == [], "a process was left behind"


@dataclass
class Completed:
    """A stratctl run in a process of its own, as Ran."""

    exit_code: int
    stdout: str
    stderr: str


def run_stratctl(cwd: Path, *args: str, env: dict[str, str] | None = None, own_cache: bool = False) -> Completed:
    """`python -m stratctl ARGS` in `cwd`. `own_cache`: the cache in the repository's .stratctl-cache/ (not the
    test run's folder), and the user's secret under cwd's parent, as a user's own run would have them."""
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "STRATCTL_NO_CACHE")}
    if own_cache:
        environment.pop("STRATCTL_CACHE_DIR", None)
        environment["XDG_CACHE_HOME"] = str(cwd.parent / "user-cache")
    environment.update(env or {})
    # the timeout only stops a hang from stalling the suite: a case that waits fails on its exit code
    done = subprocess.run(
        [sys.executable, "-m", "stratctl", *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120
    )
    return Completed(done.returncode, done.stdout, done.stderr)
