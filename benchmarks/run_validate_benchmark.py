#!/usr/bin/env python3
"""Time stratctl's commands on a large synthetic repository, each paired with `validate`.

    python benchmarks/run_validate_benchmark.py [--national] [--objectives N] [--risks N] [--runs 3] [--keep DIR]
        [--skip-pdf] [--pdf-runs N] [--big] [--only TEXT]

Generates a synthetic repository (benchmarks/generate_repository.py) into a temporary folder, or
into DIR with --keep (an existing DIR/data is reused), makes it a git repository with two commits
(the second changes 50 objectives, for `diff v1 HEAD`), exports the JSON Schemas with
`stratctl schema --output`, then times each command in BENCHMARKS against the reference,
`stratctl validate --no-cache`, in alternation (A B A B ...: one warm-up pair, then --runs pairs),
so that a ratio is taken from runs next to each other and survives a noisy, shared machine. Each
run is a whole process; its wall time and peak memory (the largest single process, from the
operating system's accounting of the finished process) are recorded.

Most rows run in that repository (the "national" one); others in repositories of their own, each
paired with a cold validate of the same repository:
- a hand-written corpus: the bundled trust's records (data/), its objectives replicated to 1,800
  files (comments, block scalars and flow lists as people write them), for `fmt --check`;
- the bundled trust's own paper, and generated repositories of 200 and 1,000 objectives, for
  `report --format pdf` beside `report --format html` of the same paper (slow: --skip-pdf leaves
  them out, --pdf-runs times them fewer times than the rest);
- with --big, a generated repository of 50,000 objectives, for a warm validate there.

Each run records wall time, CPU time (user and system, the process and the children it waited for)
and peak memory.

Rows:
- cold: `--no-cache`, or with the cache, from an empty cache folder each run (what the first run
  after a change of stratctl costs); warm: with the cache filled by the warm-up (an unchanged
  repository, the commonest case);
- the libyaml floor: libyaml's events for every record file, in one process, nothing built from
  them: what reading YAML costs at the least; cold validate is held to a multiple of it;
- yamllint and check-jsonschema on the same files, for scale;
- `site`, the strategy as a website, whose target is a multiple of `report --format html` (the
  site holds that paper and one for every earlier quarter, besides a page for every record): the
  ratio of the two rows' ratios to the validate runs beside them.

The table ends with the issue's targets, each "met" or "missed by X", and for a miss what the
profile says the time goes on. The default size (2,000 objectives, 400 risks) runs in a few
minutes; --national is the issue's national scale (10,000 objectives, 2,000 risks, 12,021 files).

Run it with the project's virtual environment (python3 dev.py bench); the executables are looked
up next to sys.executable. yamllint and check-jsonschema come from the `bench` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent  # not resolved: a venv's python is a symlink out of the venv
KINDS = {"objective": "objectives", "risk": "risks", "strategy": "strategies"}
CHANGED = 50  # objectives the second commit changes, for diff
PATHS = 1000  # paths given to `validate` on its command line
MIB = 1024 * 1024


@dataclass
class Context:
    """What the benchmarks' command lines are built from."""

    root: Path
    data: Path
    schemas: Path
    stratctl: str
    yamllint: str
    check_jsonschema: str
    one_file: str = ""
    some_files: list[str] = field(default_factory=list)
    explain_id: str = ""


@dataclass
class Outcome:
    """The result of one run of a benchmark: its invocations' exit codes and output."""

    returncodes: list[int]
    stdout: str
    stderr: str


@dataclass
class Run:
    wall: float
    peak: int  # bytes: the largest single process of the run
    cpu: float = 0.0  # seconds of processor time, the command's and every process it waited for


@dataclass
class Bench:
    """One line of the table.

    `argv` gives the command lines of one run (several are timed as their sum); `cache` is "off"
    (the commands are given --no-cache, or never read it), "cold" (an empty cache folder each run) or
    "warm" (the folder the warm-up filled); `check` looks at the warm-up run and returns notes, or
    raises SystemExit to stop the benchmark; `target` is (ratio to validate, or seconds, and what).
    """

    name: str
    argv: Callable[[Context], list[list[str]]]
    cache: str = "off"
    check: Callable[[Outcome], list[str]] | None = None
    target: tuple[str, float] | None = None  # ("ratio", 1.5), ("seconds", 1.0), ("row", 2.0) or ("floor", 2.0)
    why: str = ""  # where the time goes, from the profile, quoted if the target is missed
    site: str = "national"  # the repository it runs in (SITES); its reference is validate there
    against: str = ""  # for a ("row", x) target: the row whose median wall time it is held to x times
    memory: float | None = None  # a peak memory target, MiB
    pdf: bool = False  # a PDF row: --skip-pdf leaves it out, --pdf-runs says how often it runs
    runs: list[Run] = field(default_factory=list)
    reference: list[Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- first-run checks -------------------------------------------------------------------------


def head(text: str, lines: int = 8) -> str:
    kept = text.strip().splitlines()
    more = f"\n      ... ({len(kept) - lines} more lines)" if len(kept) > lines else ""
    return "\n".join(f"      {line}" for line in kept[:lines]) + more


def check_validate(outcome: Outcome) -> list[str]:
    if outcome.returncodes != [0]:
        raise SystemExit(
            f"stratctl validate exited {outcome.returncodes[0]} on the generated data (expected 0):\n"
            f"{head(outcome.stdout + outcome.stderr, 20)}"
        )
    report = json.loads(outcome.stdout)
    counts: dict[str, int] = {}
    for finding in report.get("findings", []):
        counts[finding.get("code", "?")] = counts.get(finding.get("code", "?"), 0) + 1
    by_code = ", ".join(f"{code} x{n}" for code, n in sorted(counts.items())) or "none"
    return [
        f"{report['files_checked']} files checked: {report['errors']} errors, {report['warnings']} warnings ({by_code})"
    ]


def check_yamllint(outcome: Outcome) -> list[str]:
    problems = [line for line in outcome.stdout.splitlines() if line.strip()]
    kinds: dict[str, int] = {}
    for line in problems:  # file:line:col: [level] message (rule)
        rule = line.rsplit("(", 1)[-1].rstrip(")") if line.endswith(")") else "syntax"
        kinds[rule] = kinds.get(rule, 0) + 1
    summary = ", ".join(f"{rule} x{n}" for rule, n in sorted(kinds.items(), key=lambda kv: -kv[1])[:5])
    return [
        f"exit {outcome.returncodes[0]} (not checked); {len(problems)} problems reported"
        + (f": {summary}" if summary else "")
    ]


def check_jsonschema_outcome(outcome: Outcome) -> list[str]:
    if all(code == 0 for code in outcome.returncodes):
        return ["all four kinds passed against the exported schemas"]
    text = outcome.stdout + outcome.stderr
    why = ""
    if "datetime.date" in text or ("is not of type 'string'" in text and "date" in text):
        why = " (it looks like its YAML loader turned unquoted dates into date objects)"
    return [
        f"REPORTED FAILURES: exit codes {outcome.returncodes} per kind (objective, risk, strategy, trust){why}; "
        f"timed anyway. First lines of its output:\n{head(text, 12)}"
    ]


def check_pdf(outcome: Outcome) -> list[str]:
    if outcome.returncodes == [0] and not outcome.stdout.startswith("%PDF-"):
        return ["FAILED: exit 0 but the output is not a PDF; timed anyway"]
    return check_exit_zero(outcome)


def check_exit_zero(outcome: Outcome) -> list[str]:
    if any(outcome.returncodes):
        return [
            f"FAILED: exit code {outcome.returncodes}; timed anyway. First lines of its output:\n"
            f"{head(outcome.stdout + outcome.stderr, 12)}"
        ]
    return []


def check_site(outcome: Outcome) -> list[str]:
    """The site's summary (pages, papers, size), or why it failed."""
    failed = check_exit_zero(outcome)
    if failed:
        return failed
    summary = [line for line in outcome.stderr.splitlines() if line.startswith("wrote ")]
    return [summary[-1].split(": ", 1)[-1]] if summary else ["no summary line: did it write a site?"]


# --- the command lines ------------------------------------------------------------------------


def arg_max() -> int:
    try:
        limit = os.sysconf("SC_ARG_MAX")
    except (AttributeError, ValueError, OSError):
        limit = 128 * 1024
    environment = sum(len(k) + len(v) + 2 for k, v in os.environ.items())
    return max(16 * 1024, limit - environment - 16 * 1024)


def with_files(prefix: list[str], files: list[str]) -> list[list[str]]:
    """`prefix + files`, split into as few command lines as the system's argument limit allows."""
    limit = arg_max()
    size = sum(len(a) + 1 + 8 for a in prefix)
    lines, current = [], list(prefix)
    for name in files:
        cost = len(name) + 1 + 8  # the string, its NUL and its argv pointer
        if size + cost > limit and len(current) > len(prefix):
            lines.append(current)
            current, size = list(prefix), sum(len(a) + 1 + 8 for a in prefix)
        current.append(name)
        size += cost
    lines.append(current)
    return lines


def jsonschema_invocations(c: Context) -> list[list[str]]:
    """One check-jsonschema invocation per kind (paths relative to the repository root, the cwd)."""
    lines: list[list[str]] = []
    for kind, folder in KINDS.items():
        files = sorted(f"data/{folder}/{p.name}" for p in (c.data / folder).glob("*.yaml"))
        lines += with_files([c.check_jsonschema, "--schemafile", str(c.schemas / f"{kind}.schema.json")], files)
    lines.append([c.check_jsonschema, "--schemafile", str(c.schemas / "trust.schema.json"), "data/trust.yaml"])
    return lines


# libyaml's events for every record file, one process, nothing built from them: the floor under any
# reader of these files that uses libyaml (stratctl reads with the same binding).
FLOOR = """
import os, sys
from _ruamel_yaml import CParser
from ruamel.yaml.events import StreamEndEvent
data = sys.argv[1]
paths = [os.path.join(data, "trust.yaml")]
for folder in ("objectives", "risks", "strategies"):
    names = sorted(n for n in os.listdir(os.path.join(data, folder)) if n.endswith(".yaml"))
    paths += [os.path.join(data, folder, n) for n in names]
events = 0
for path in paths:
    with open(path, encoding="utf-8") as handle:
        parser = CParser(handle.read())
    while not isinstance(parser.get_event(), StreamEndEvent):
        events += 1
print(f"{len(paths)} files, {events} events")
"""


def sc(c: Context, *args: str) -> list[list[str]]:
    return [[c.stratctl, *args]]


def validate(c: Context, *extra: str) -> list[list[str]]:
    return sc(c, "validate", "--format", "json", *extra)


REFERENCE = "validate --no-cache"
REPORT = "report --format html"
"""The row the site's time is compared with: the site holds that paper and one for every earlier quarter."""

# The table, in order. The reference every row is paired with is validate --no-cache.
BENCHMARKS: list[Bench] = [
    Bench(
        "libyaml floor (events only)",
        lambda c: [[sys.executable, "-c", FLOOR, str(c.data)]],
        check=None,
        target=("floor", 2.0),
        why="the checks stratctl adds to libyaml: building values in Python, pydantic, the rules (P001's "
        "position at every declared update, each a distinct quarter, most of it evaluating measures), and start-up",
    ),
    Bench("validate, cache cold", lambda c: validate(c), cache="cold", check=lambda o: check_validate(o)),
    Bench(
        "validate, cache warm",
        lambda c: validate(c),
        cache="warm",
        check=lambda o: check_validate(o),
        target=("seconds", 1.0),
        why="statting every file and reading one entry: start-up and the imports are most of it",
    ),
    Bench("validate one file", lambda c: validate(c, "--no-cache", c.one_file), check=check_exit_zero),
    Bench(
        "validate one file, cache warm",
        lambda c: validate(c, c.one_file),
        cache="warm",
        check=check_exit_zero,
        target=("seconds", 0.3),
        why="start-up alone (a warm validate of a 5-file repository) takes about 0.29 s: "
        "typer 0.29 and pydantic 0.11 s (typer coerces every option through a pydantic adapter), the record model "
        "and the rule registry most of the rest; on top, listing and statting every record file, which keys the "
        "whole repository's answer that checking one file's references needs, about 0.1 s",
    ),
    Bench(
        f"validate {PATHS} paths",
        lambda c: validate(c, "--no-cache", *c.some_files),
        check=check_exit_zero,
        target=("ratio", 1.2),
        why="each path given is checked and resolved (a few system calls each) before the whole repository is read",
    ),
    Bench("status --format json", lambda c: sc(c, "status", "--no-cache", "--format", "json"), check=check_exit_zero),
    Bench(
        "status --format json, cache warm",
        lambda c: sc(c, "status", "--format", "json"),
        cache="warm",
        check=check_exit_zero,
    ),
    Bench(
        "status (text)",
        lambda c: sc(c, "status", "--no-cache"),
        check=check_exit_zero,
        target=("ratio", 1.2),
        why="the ratings of every objective and the text of every table row, on top of validate's reading",
    ),
    Bench("status (text), cache warm", lambda c: sc(c, "status"), cache="warm", check=check_exit_zero),
    Bench(REPORT, lambda c: sc(c, "report", "--no-cache", "--format", "html"), check=check_exit_zero),
    Bench(
        "report --format html, cache warm",
        lambda c: sc(c, "report", "--format", "html"),
        cache="warm",
        check=check_exit_zero,
        target=("ratio", 1.0),
        why="the cache holds what reading the files gave, not the ratings: every record is built and every "
        "objective rated again before the paper is rendered",
    ),
    Bench(
        "report --format json",
        lambda c: sc(c, "report", "--no-cache", "--format", "json"),
        check=check_exit_zero,
        memory=256,
        why="every record built with pydantic and the status (every rating with its measures) held while the JSON "
        "is written",
    ),
    Bench(
        "explain ID, cache warm",
        lambda c: sc(c, "explain", c.explain_id),
        cache="warm",
        check=check_exit_zero,
        target=("row", 2.0),
        against="validate, cache warm",
        why="explain builds every record (pydantic) from the cached reads and rates the whole quarter to show "
        "one objective: a warm validate is answered whole from the cache without building a record",
    ),
    Bench(
        "site",
        lambda c: sc(c, "site", "--no-cache", "--output", str(c.root / "site")),
        check=check_site,
        target=("row", 3.0),
        against=REPORT,
        why="a paper for every quarter in the archive besides the pages: each quarter's status and paper are "
        "built as the report builds its one",
    ),
    Bench(
        f"diff v1 HEAD ({CHANGED} files changed)",
        lambda c: sc(c, "diff", "--no-cache", "v1", "HEAD", "--format", "json"),
        check=check_exit_zero,
        target=("ratio", 2.0),
        why="both sides' positions are computed (a status each)",
    ),
    Bench(
        "diff v1 HEAD, cache warm",
        lambda c: sc(c, "diff", "v1", "HEAD", "--format", "json"),
        cache="warm",
        check=check_exit_zero,
        target=("ratio", 2.0),
        why="both sides' positions are computed (a status each)",
    ),
    Bench(
        "fmt --check",
        lambda c: sc(c, "fmt", "--check"),
        check=check_exit_zero,
        target=("ratio", 1.5),
        why="fmt reads each file twice with libyaml (the checking reader, then the layout proof) and builds no "
        "cache; the round trip is no longer run on a canonical file",
    ),
    Bench(
        "fmt --check, hand-written corpus",
        lambda c: sc(c, "fmt", "--check"),
        site="hand-written",
        check=check_exit_zero,
        target=("ratio", 1.5),
        why="see the notes: the files people write (comments, block scalars, flow lists) are proved canonical "
        "from libyaml's events or, failing that, round-tripped",
    ),
    *(
        bench
        for site, label in (
            ("bundled", "the bundled paper"),
            ("objectives-200", "200 objectives"),
            ("objectives-1000", "1,000 objectives"),
        )
        for bench in (
            Bench(
                f"report --format html, {label}",
                lambda c: sc(c, "report", "--no-cache", "--format", "html"),
                site=site,
                check=check_exit_zero,
                pdf=True,
            ),
            Bench(
                f"report --format pdf, {label}",
                lambda c: sc(c, "report", "--no-cache", "--format", "pdf"),
                site=site,
                check=check_pdf,
                target=("row", 2.0),
                against=f"report --format html, {label}",
                memory=512,
                pdf=True,
                why="WeasyPrint lays the whole paper out at once (long tables, SVG charts, fonts): see the profile "
                "in README.md",
            ),
        )
    ),
    Bench(
        "validate, cache cold, 50,000 objectives",
        lambda c: validate(c),
        cache="cold",
        site="objectives-50000",
        check=lambda o: check_validate(o),
    ),
    Bench(
        "validate, cache warm, 50,000 objectives",
        lambda c: validate(c),
        cache="warm",
        site="objectives-50000",
        check=lambda o: check_validate(o),
        target=("seconds", 1.0),
        why="statting every file (60,000) and reading the cache's index of them, on top of start-up",
    ),
    Bench("yamllint -f parsable", lambda c: [[c.yamllint, "-f", "parsable", "data"]], check=check_yamllint),
    Bench("check-jsonschema, 4 kinds", jsonschema_invocations, check=check_jsonschema_outcome),
    Bench("--version", lambda c: sc(c, "--version"), check=check_exit_zero),
]


# --- running ----------------------------------------------------------------------------------


def executable(name: str, hint: str) -> str:
    path = BIN / name
    if path.exists() and os.access(path, os.X_OK):
        return str(path)
    raise SystemExit(
        f"error: {name} not found next to {sys.executable} (looked for {path}).\n"
        f"Install it into this environment: {hint}"
    )


# Every timed command is started by this small process, started once while the benchmark is small:
# a child's peak memory as the system counts it includes what its parent held when it forked, and
# the benchmark itself grows (it reads the commands' output), which would be counted in every row.
RUNNER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    with open(job["out"], "wb") as out, open(job["err"], "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            job["argv"], cwd=job["cwd"], env=job["env"], stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"wall": wall, "cpu": cpu, "peak": usage.ru_maxrss * 1024, "code": code}), flush=True)
"""


class Runner:
    """The process that starts the timed commands, and the files their output goes to."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.proc = subprocess.Popen(
            [sys.executable, "-c", RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, argvs: list[list[str]], cwd: Path, env: dict[str, str], keep: bool) -> tuple[Run, Outcome]:
        """The command lines, one after another: their summed wall time, the largest peak memory of any;
        their output only when `keep` (it is checked), else it is thrown away unread."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        codes, out, err = [], [], []
        wall, cpu, peak = 0.0, 0.0, 0
        for argv in argvs:
            stdout, stderr = (
                (self.scratch / "out", self.scratch / "err") if keep else (Path(os.devnull), Path(os.devnull))
            )
            self.proc.stdin.write(
                json.dumps({"argv": argv, "cwd": str(cwd), "env": env, "out": str(stdout), "err": str(stderr)}) + "\n"
            )
            self.proc.stdin.flush()
            done = json.loads(self.proc.stdout.readline())
            wall += done["wall"]
            cpu += done["cpu"]
            peak = max(peak, done["peak"])
            codes.append(done["code"])
            if keep:
                out.append(stdout.read_text(encoding="utf-8", errors="replace"))
                err.append(stderr.read_text(encoding="utf-8", errors="replace"))
        return Run(wall, peak, cpu), Outcome(codes, "".join(out), "".join(err))

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


def version_of(argv: list[str]) -> str:
    try:
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"? ({error})"
    return proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "?"


def count_files(data: Path) -> tuple[int, int]:
    files = [p for p in data.rglob("*.yaml") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--national", action="store_true", help="the national scale: 10,000 objectives, 2,000 risks")
    parser.add_argument("--objectives", type=int, default=None, help="default 2000 (10000 with --national)")
    parser.add_argument("--risks", type=int, default=None, help="default 400 (2000 with --national)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="timed pairs per command, after one warm-up pair")
    parser.add_argument(
        "--only", action="append", default=[], metavar="TEXT", help="only the rows whose name holds TEXT"
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="generate into DIR and keep it (an existing DIR/data is reused)"
    )
    parser.add_argument("--skip-pdf", action="store_true", help="leave out the PDF rows (minutes each at scale)")
    parser.add_argument("--pdf-runs", type=int, default=None, help="timed pairs for the PDF rows (default: --runs)")
    parser.add_argument("--big", action="store_true", help="add a warm validate at 50,000 objectives (slow to set up)")
    args = parser.parse_args(argv)
    if args.runs < 1 or (args.pdf_runs is not None and args.pdf_runs < 1):
        parser.error("--runs and --pdf-runs must be at least 1")
    args.objectives = args.objectives or (10000 if args.national else 2000)
    args.risks = args.risks or (2000 if args.national else 400)

    stratctl = executable("stratctl", "pip install -e .")
    yamllint = executable("yamllint", "pip install -e .[bench]")
    check_jsonschema = executable("check-jsonschema", "pip install -e .[bench]")

    scratch = None
    if args.keep is not None:
        root = args.keep.resolve()
        root.mkdir(parents=True, exist_ok=True)
    else:
        scratch = tempfile.mkdtemp(prefix="stratctl-bench-")
        root = Path(scratch)
    try:
        context = Context(root, root / "data", root / "schemas", stratctl, yamllint, check_jsonschema)
        return benchmark(args, context)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def git(root: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-C",
            str(root),
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        check=True,
        capture_output=True,
    )


def prepare(args: argparse.Namespace, c: Context) -> None:
    """The repository, its two commits (v1, then 50 objectives changed), and the exported schemas."""
    if (c.data / "trust.yaml").exists():
        print(f"reusing the repository in {c.data} (--objectives/--risks/--seed do not apply)")
    else:
        sys.path.insert(0, str(HERE))
        import generate_repository

        start = time.perf_counter()
        stats = generate_repository.Generator(args.seed, args.objectives, args.risks).write(c.root)
        print(
            f"generated the repository in {time.perf_counter() - start:.1f} s: {c.data} "
            f"({stats['monthly_measures']} monthly measures)"
        )
    if not (c.root / ".git").exists():
        (c.root / ".gitignore").write_text("schemas/\n.stratctl-cache/\n")
        git(c.root, "init", "-q")
        git(c.root, "add", "-A")
        git(c.root, "commit", "-q", "-m", "v1")
        git(c.root, "tag", "v1")
        for path in sorted((c.data / "objectives").glob("*.yaml"))[:CHANGED]:
            path.write_text(path.read_text().replace("\ntitle: ", "\ntitle: Revised ", 1))
        git(c.root, "commit", "-q", "-a", "-m", f"{CHANGED} objectives updated")
    objectives = sorted((c.data / "objectives").glob("*.yaml"))
    c.one_file = f"data/objectives/{objectives[len(objectives) // 2].name}"
    c.explain_id = objectives[len(objectives) // 2].stem
    c.some_files = [f"data/objectives/{p.name}" for p in objectives[:PATHS]]
    files, size = count_files(c.data)
    per_kind = ", ".join(f"{len(list((c.data / f).glob('*.yaml')))} {f}" for f in KINDS.values())
    print(
        f"data: {files} files, {size / 1e6:.1f} MB ({per_kind}, trust.yaml); "
        f"mean {size / max(files, 1) / 1024:.2f} KiB a file"
    )
    shutil.rmtree(c.schemas, ignore_errors=True)
    proc = subprocess.run([c.stratctl, "schema", "--output", str(c.schemas)], capture_output=True, text=True)
    missing = [k for k in [*KINDS, "trust"] if not (c.schemas / f"{k}.schema.json").exists()]
    if proc.returncode != 0 or missing:
        raise SystemExit(
            f"stratctl schema --output failed (exit {proc.returncode}; missing {missing}):\n"
            f"{head(proc.stdout + proc.stderr)}"
        )


def compile_stratctl() -> str:
    """Compile stratctl's modules to bytecode once, as installing it does: where PYTHONDONTWRITEBYTECODE
    is set, an editable install would otherwise compile its source again on every run (50 ms here)."""
    import compileall

    import stratctl

    package = Path(stratctl.__file__).parent
    compileall.compile_dir(package, quiet=1)
    return "bytecode compiled" + (
        " (PYTHONDONTWRITEBYTECODE is set here)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""
    )


def chosen(args: argparse.Namespace) -> list[Bench]:
    """The rows this run times: --only, --skip-pdf and --big applied."""
    return [
        bench
        for bench in BENCHMARKS
        if (not args.only or any(text in bench.name for text in args.only))
        and not (bench.pdf and args.skip_pdf)
        and (bench.site != "objectives-50000" or args.big)
    ]


def replicate_bundled(root: Path, files: int) -> str:
    """The hand-written corpus: the bundled trust's data/ copied to root/data, its objectives replicated
    (each copy's id and file name suffixed `-copyN`, nothing else changed) until the corpus holds `files`
    files. Comments, block scalars, flow lists and quoting stay as the trust's own records have them."""
    source = HERE.parent / "data"
    data = root / "data"
    if (data / "trust.yaml").exists():
        return f"reusing the corpus in {data}"
    shutil.copytree(source, data)
    originals = sorted((data / "objectives").glob("*.yaml"))
    others = sum(1 for p in data.rglob("*.yaml")) - len(originals)
    copies = max(0, -(-(files - others) // len(originals)) - 1)
    for number in range(1, copies + 1):
        for path in originals:
            text = path.read_text(encoding="utf-8")
            named = re.sub(rf"(?m)^id: {re.escape(path.stem)}\b", f"id: {path.stem}-copy{number}", text, count=1)
            (path.parent / f"{path.stem}-copy{number}.yaml").write_bytes(named.encode("utf-8"))
    total, size = count_files(data)
    return f"hand-written corpus: {total} files, {size / 1e6:.1f} MB ({len(originals)} objectives x {copies + 1})"


def copy_bundled(root: Path) -> str:
    """The bundled trust as it ships: data/ and templates/, for its own paper."""
    if not (root / "data" / "trust.yaml").exists():
        shutil.copytree(HERE.parent / "data", root / "data")
        shutil.copytree(HERE.parent / "templates", root / "templates")
    total, size = count_files(root / "data")
    return f"bundled trust: {total} files, {size / 1e6:.2f} MB"


def generated(root: Path, objectives: int, seed: int) -> str:
    """A generated repository of `objectives` (and a fifth as many risks)."""
    if not (root / "data" / "trust.yaml").exists():
        sys.path.insert(0, str(HERE))
        import generate_repository

        generate_repository.Generator(seed, objectives, max(1, objectives // 5)).write(root)
    total, size = count_files(root / "data")
    return f"generated, {objectives} objectives: {total} files, {size / 1e6:.1f} MB"


def site_context(name: str, national: Context, args: argparse.Namespace) -> Context:
    """The repository `name` (see SITES in the module's docstring), made ready under the national one's folder."""
    if name == "national":
        return national
    root = national.root / "sites" / name
    root.mkdir(parents=True, exist_ok=True)
    if name == "hand-written":
        said = replicate_bundled(root, 1800)
    elif name == "bundled":
        said = copy_bundled(root)
    else:
        said = generated(root, int(name.removeprefix("objectives-")), args.seed)
    print(said, flush=True)
    context = Context(
        root, root / "data", root / "schemas", national.stratctl, national.yamllint, national.check_jsonschema
    )
    objectives = sorted((context.data / "objectives").glob("*.yaml"))
    context.one_file = f"data/objectives/{objectives[len(objectives) // 2].name}"
    context.explain_id = objectives[len(objectives) // 2].stem
    return context


def benchmark(args: argparse.Namespace, c: Context) -> int:
    prepare(args, c)
    rows = chosen(args)
    sites = {name: site_context(name, c, args) for name in dict.fromkeys(b.site for b in rows)}
    compiled = compile_stratctl()
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    print(
        f"machine: {cpus} CPUs ({usable} usable), {platform.machine()}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {compiled}"
    )
    print(
        f"versions: {version_of([c.stratctl, '--version'])}; {version_of([c.yamllint, '--version'])}; "
        f"check-jsonschema {version_of([c.check_jsonschema, '--version']).split()[-1]}"
    )
    print(
        f"runs: each row is paired with `stratctl {REFERENCE}`, in turn (A B A B): 1 warm-up pair + {args.runs} timed\n"
    )

    caches = Path(tempfile.mkdtemp(prefix="stratctl-bench-cache-"))
    runner = Runner(caches)
    base = {**os.environ, "STRATCTL_CACHE_DIR": str(caches / "none")}
    done: list[Bench] = []
    try:
        for bench in rows:
            here = sites[bench.site]
            reference = validate(here, "--no-cache")
            argvs = bench.argv(here)
            if len(argvs) > (4 if bench.argv is jsonschema_invocations else 1):
                bench.notes.append(f"split into {len(argvs)} invocations to fit the system's argument length limit")
            warm = caches / f"warm-{len(done)}"
            runs = args.pdf_runs if bench.pdf and args.pdf_runs is not None else args.runs
            for index in range(runs + 1):
                ref_run, ref_outcome = runner.run(reference, here.root, base, keep=index == 0)
                if index == 0:
                    notes = check_validate(ref_outcome)
                    if bench.site != "national":
                        bench.notes += [f"{bench.site}'s validate: {note}" for note in notes]
                folder = warm if bench.cache == "warm" else caches / f"cold-{len(done)}-{index}"
                environment = {**base, "STRATCTL_CACHE_DIR": str(folder)}
                run, outcome = runner.run(argvs, here.root, environment, keep=index == 0)
                if bench.cache == "cold":
                    shutil.rmtree(folder, ignore_errors=True)
                if index == 0:
                    if bench.check is not None:
                        bench.notes += bench.check(outcome)
                    continue
                bench.reference.append(ref_run)
                bench.runs.append(run)
            print(
                f"  {bench.name}: median {statistics.median(r.wall for r in bench.runs):.3f} s wall, "
                f"{statistics.median(r.cpu for r in bench.runs):.3f} s CPU, {ratio(bench):.3g}x validate, "
                f"peak {max(r.peak for r in bench.runs) / MIB:.0f} MiB",
                flush=True,
            )
            done.append(bench)
    finally:
        runner.close()
        shutil.rmtree(caches, ignore_errors=True)
    report(done)
    print()
    for line in time_measures(c.data, args.runs):
        print(line)
    if args.keep is not None:
        print(f"\nkept: {c.root} (data/, schemas/, a git repository; the other repositories in sites/)")
    return 0


def ratio(bench: Bench, measure: Callable[[Run], float] = lambda r: r.wall) -> float:
    """The median of the pairs' ratios, this row's time over validate's next to it (wall time by default)."""
    return statistics.median(measure(r) / measure(v) for r, v in zip(bench.runs, bench.reference, strict=True))


def median_wall(bench: Bench) -> float:
    return statistics.median(r.wall for r in bench.runs)


def peak_mib(bench: Bench) -> float:
    return max(r.peak for r in bench.runs) / MIB


def verdict(bench: Bench, done: dict[str, Bench]) -> str:
    if bench.target is None:
        return ""
    kind, bound = bench.target
    if kind == "floor":
        value, shown, want = 1 / ratio(bench), f"validate {1 / ratio(bench):.2f}x the floor", f"<= {bound:g}x the floor"
    elif kind == "ratio":
        value, shown, want = ratio(bench), f"{ratio(bench):.2f}x", f"<= {bound:g}x validate"
    elif kind == "row":
        other = done.get(bench.against)
        if other is None:
            return f"not judged: its pair, {bench.against!r}, was not run"
        value = median_wall(bench) / median_wall(other)
        # processor time does not depend on what else the machine runs: the work's own ratio, beside it
        work = statistics.median(r.cpu for r in bench.runs) / statistics.median(r.cpu for r in other.runs)
        shown, want = f"{value:.2f}x {bench.against}, processor time {work:.2f}x", f"<= {bound:g}x"
    else:
        value = median_wall(bench)
        shown, want = f"{value:.3f} s", f"< {bound:g} s"
    if value <= bound:
        return f"met ({shown}; target {want})"
    return f"MISSED by {value / bound - 1:.0%} ({shown}; target {want}): {bench.why or 'see the notes'}"


def report(done: list[Bench]) -> None:
    if not done:
        return
    print()
    header = (
        f"{'command':<48} {'median s':>9} {'min s':>7} {'max s':>7} {'cpu s':>7} {'peak MiB':>9} "
        f"{'validate s':>10} {'x validate':>10} {'x cpu':>6}"
    )
    print(header)
    print("-" * len(header))
    for bench in done:
        walls = [r.wall for r in bench.runs]
        print(
            f"{bench.name:<48} {statistics.median(walls):>9.3f} {min(walls):>7.3f} {max(walls):>7.3f} "
            f"{statistics.median(r.cpu for r in bench.runs):>7.3f} {peak_mib(bench):>9.0f} "
            f"{statistics.median(r.wall for r in bench.reference):>10.3f} {ratio(bench):>10.3g} "
            f"{ratio(bench, lambda r: r.cpu):>6.3g}"
        )
    by_site: dict[str, float] = {}
    for bench in done:
        by_site[bench.site] = max(by_site.get(bench.site, 0.0), max(r.peak for r in bench.reference) / MIB)
    for site, peak in by_site.items():
        label = f"(validate --no-cache, {site})"
        print(f"{label:<48} {'':>9} {'':>7} {'':>7} {'':>7} {peak:>9.0f}")
    by_name = {b.name: b for b in done}
    print("\ntargets:")
    for bench in done:
        if bench.target is not None:
            print(f"- {bench.name}: {verdict(bench, by_name)}")
        if bench.memory is not None:
            held = peak_mib(bench) <= bench.memory
            print(
                f"- {bench.name}: peak memory {'met' if held else 'MISSED'} ({peak_mib(bench):.0f} MiB; "
                f"target <= {bench.memory:g} MiB)" + ("" if held else f": {bench.why or 'see the notes'}")
            )
    over = [
        b
        for b in done
        if b.memory is None and not b.name.startswith(("yamllint", "check-jsonschema")) and peak_mib(b) > 256
    ]
    reference_peak = by_site.get("national", 0.0)
    if reference_peak > 256:
        over.insert(0, Bench(REFERENCE, lambda c: [], runs=[Run(0, int(reference_peak * MIB))]))
    print(
        "- peak memory under 256 MiB for every other stratctl command: "
        + ("met" if not over else "MISSED: " + ", ".join(f"{b.name} {peak_mib(b):.0f} MiB" for b in over))
    )
    if any(b.name.startswith("report") for b in over):
        print(
            "  (the paper is streamed to a spool as it renders, so what remains is the status and the report's "
            "view of every objective and risk, built before the template runs)"
        )
    print()
    for bench in done:
        for note in bench.notes:
            print(f"- {bench.name}: {note}")


def time_measures(data: Path, runs: int) -> list[str]:
    """The measure evaluation alone, in-process: every measure of every objective at the latest quarter."""
    from stratctl.loading import load_repository
    from stratctl.measures import evaluate_measure
    from stratctl.status import choose_point

    repository = load_repository(data).repository
    point = choose_point(repository)
    tolerance = repository.trust.record.measure_tolerance if repository.trust else 0.1
    work = [(m, o.record.target_date(point.start_month)) for o in repository.objectives for m in o.record.measures]
    lines = []
    for cadence in ("quarterly", "monthly"):
        chosen = [(m, due) for m, due in work if m.cadence == cadence]
        if not chosen:
            continue
        times, charts = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            results = [evaluate_measure(m, point, due, tolerance) for m, due in chosen]
            times.append(time.perf_counter() - start)
            charts = sum(1 for r in results if r.spc is not None)
        median = statistics.median(times)
        lines.append(
            f"measure evaluation, {cadence}: {len(chosen)} measures ({charts} with an XmR chart) in "
            f"{median * 1000:.1f} ms (median of {runs}), {median / len(chosen) * 1e6:.0f} µs a measure"
        )
    return lines


if __name__ == "__main__":
    sys.exit(main())
