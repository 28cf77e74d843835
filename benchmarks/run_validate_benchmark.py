#!/usr/bin/env python3
"""Time `stratctl validate` on a national-scale repository, beside yamllint and check-jsonschema.

    python benchmarks/run_validate_benchmark.py [--objectives 10000] [--risks 2000] [--runs 5] [--keep DIR]

Generates a synthetic repository (benchmarks/generate_repository.py) into a temporary folder, or
into DIR with --keep (an existing DIR/data is reused), exports the JSON Schemas with
`stratctl schema --output`, then times each command in BENCHMARKS: one warm-up run, then --runs
timed runs, reporting min/median/max wall-clock seconds and each median as a multiple of
`stratctl validate`'s. Every command is run as a subprocess with its output captured.

What SPC costs: one objective in ten has a monthly measure with 24 months of actuals, charted by
`status`. The same repository is generated again without them (DIR/plain/data), `status` is timed
on both, and the measure evaluation itself is timed in-process, monthly measures (with their XmR
charts) apart from quarterly ones.

Run it with the project's virtual environment; the executables are looked up next to
sys.executable (the venv's bin folder). yamllint and check-jsonschema come from the `bench`
extra: pip install -e .[bench]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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


@dataclass
class Context:
    """What the benchmarks' command lines are built from."""

    data: Path
    schemas: Path
    stratctl: str
    yamllint: str
    check_jsonschema: str
    plain: Path | None = None  # the same repository without its monthly measures


@dataclass
class Outcome:
    """The result of one run of a benchmark: its invocations' exit codes and output."""

    returncodes: list[int]
    stdout: str
    stderr: str


@dataclass
class Bench:
    """One line of the table.

    `argv` gives the command lines of one run (several are timed as their sum); `subcommand`, for a
    stratctl command, is checked with `stratctl SUBCOMMAND --help` and the line skipped if it does not
    exist yet; `check` looks at the first (warm-up) run and returns notes for the report, or raises
    SystemExit to stop the benchmark; `runs` overrides --runs.
    """

    name: str
    argv: Callable[[Context], list[list[str]]]
    subcommand: str | None = None
    check: Callable[[Outcome], list[str]] | None = None
    runs: int | None = None
    times: list[float] = field(default_factory=list)
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
    return [f"{report['files_checked']} files checked: {report['errors']} errors, "
            f"{report['warnings']} warnings ({by_code})"]


def check_yamllint(outcome: Outcome) -> list[str]:
    problems = [line for line in outcome.stdout.splitlines() if line.strip()]
    kinds: dict[str, int] = {}
    for line in problems:  # file:line:col: [level] message (rule)
        rule = line.rsplit("(", 1)[-1].rstrip(")") if line.endswith(")") else "syntax"
        kinds[rule] = kinds.get(rule, 0) + 1
    summary = ", ".join(f"{rule} x{n}" for rule, n in sorted(kinds.items(), key=lambda kv: -kv[1])[:5])
    return [f"exit {outcome.returncodes[0]} (not checked); {len(problems)} problems reported"
            + (f": {summary}" if summary else "")]


def check_jsonschema_outcome(outcome: Outcome) -> list[str]:
    if all(code == 0 for code in outcome.returncodes):
        return ["all four kinds passed against the exported schemas"]
    text = outcome.stdout + outcome.stderr
    why = ""
    if "datetime.date" in text or ("is not of type 'string'" in text and "date" in text):
        why = " (it looks like its YAML loader turned unquoted dates into date objects)"
    return [f"REPORTED FAILURES: exit codes {outcome.returncodes} per kind (objective, risk, strategy, trust){why}; "
            f"timed anyway. First lines of its output:\n{head(text, 12)}"]


def check_exit_zero(outcome: Outcome) -> list[str]:
    if any(outcome.returncodes):
        return [f"FAILED: exit code {outcome.returncodes}; timed anyway. First lines of its output:\n"
                f"{head(outcome.stdout + outcome.stderr, 12)}"]
    return []


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
    """One check-jsonschema invocation per kind (paths relative to the data folder, the cwd)."""
    lines: list[list[str]] = []
    for kind, folder in KINDS.items():
        files = sorted(f"{folder}/{p.name}" for p in (c.data / folder).glob("*.yaml"))
        lines += with_files([c.check_jsonschema, "--schemafile", str(c.schemas / f"{kind}.schema.json")], files)
    lines.append([c.check_jsonschema, "--schemafile", str(c.schemas / "trust.schema.json"), "trust.yaml"])
    return lines


# The table, in order. Add a command with one line; a stratctl subcommand that does not exist yet
# is skipped with a note. The first line is the reference the others' medians are divided by.
BENCHMARKS: list[Bench] = [
    Bench("stratctl validate", lambda c: [[c.stratctl, "validate", "--data", str(c.data), "--format", "json"]],
          subcommand="validate", check=check_validate),
    Bench("stratctl status", lambda c: [[c.stratctl, "status", "--data", str(c.data), "--format", "json"]],
          subcommand="status", check=check_exit_zero),
    Bench("stratctl status, no monthly", lambda c: [[c.stratctl, "status", "--data", str(c.plain or c.data), "--format", "json"]],
          subcommand="status", check=check_exit_zero),
    Bench("stratctl report (md)", lambda c: [[c.stratctl, "report", "--data", str(c.data), "--format", "md"]],
          subcommand="report", check=check_exit_zero),
    Bench("stratctl report (html)", lambda c: [[c.stratctl, "report", "--data", str(c.data), "--format", "html"]],
          subcommand="report", check=check_exit_zero),
    Bench("yamllint -f parsable", lambda c: [[c.yamllint, "-f", "parsable", str(c.data)]], check=check_yamllint),
    Bench("check-jsonschema (4 kinds)", jsonschema_invocations, check=check_jsonschema_outcome),
    Bench("stratctl --version", lambda c: [[c.stratctl, "--version"]], check=check_exit_zero, runs=10),
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


def run_once(argvs: list[list[str]], cwd: Path) -> tuple[float, Outcome]:
    codes, out, err = [], [], []
    start = time.perf_counter()
    for argv in argvs:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
        codes.append(proc.returncode)
        out.append(proc.stdout)
        err.append(proc.stderr)
    elapsed = time.perf_counter() - start
    return elapsed, Outcome(codes, "".join(out), "".join(err))


def has_subcommand(stratctl: str, name: str) -> bool:
    proc = subprocess.run([stratctl, name, "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc.returncode == 0


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
    parser.add_argument("--objectives", type=int, default=10000)
    parser.add_argument("--risks", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command, after one warm-up")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="generate into DIR and keep it (an existing DIR/data is reused)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

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
        context = Context(root / "data", root / "schemas", stratctl, yamllint, check_jsonschema, root / "plain" / "data")
        return benchmark(args, root, context)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def benchmark(args: argparse.Namespace, root: Path, c: Context) -> int:
    if (c.data / "trust.yaml").exists():
        print(f"reusing the repository in {c.data} (--objectives/--risks/--seed do not apply)")
    else:
        sys.path.insert(0, str(HERE))
        import generate_repository  # noqa: PLC0415 (a sibling script, not a package)

        start = time.perf_counter()
        stats = generate_repository.Generator(args.seed, args.objectives, args.risks).write(root)
        print(f"generated the repository in {time.perf_counter() - start:.1f} s: {c.data} "
              f"({stats['monthly_measures']} monthly measures)")
    if c.plain is not None and not (c.plain / "trust.yaml").exists():
        sys.path.insert(0, str(HERE))
        import generate_repository  # noqa: PLC0415

        generate_repository.Generator(args.seed, args.objectives, args.risks, monthly=False).write(c.plain.parent)
        print(f"generated it again without the monthly measures: {c.plain}")
    files, size = count_files(c.data)
    per_kind = ", ".join(f"{len(list((c.data / f).glob('*.yaml')))} {f}" for f in KINDS.values())
    print(f"data: {files} files, {size / 1e6:.1f} MB ({per_kind}, trust.yaml); "
          f"mean {size / max(files, 1) / 1024:.2f} KiB a file")

    shutil.rmtree(c.schemas, ignore_errors=True)
    proc = subprocess.run([c.stratctl, "schema", "--output", str(c.schemas)], capture_output=True, text=True)
    missing = [k for k in [*KINDS, "trust"] if not (c.schemas / f"{k}.schema.json").exists()]
    if proc.returncode != 0 or missing:
        raise SystemExit(f"stratctl schema --output failed (exit {proc.returncode}; missing {missing}):\n"
                         f"{head(proc.stdout + proc.stderr)}")

    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    print(f"machine: {cpus} CPUs ({usable} usable), {platform.machine()}, {platform.system()} {platform.release()}; "
          f"Python {platform.python_version()}")
    print(f"versions: {version_of([c.stratctl, '--version'])}; {version_of([c.yamllint, '--version'])}; "
          f"check-jsonschema {version_of([c.check_jsonschema, '--version']).split()[-1]}")
    print(f"runs: 1 warm-up + {args.runs} timed per command (stratctl --version: 1 + 10)\n")

    done: list[Bench] = []
    skipped: list[str] = []
    for bench in BENCHMARKS:
        if bench.subcommand and not has_subcommand(c.stratctl, bench.subcommand):
            skipped.append(f"{bench.name}: skipped, `stratctl {bench.subcommand}` does not exist yet")
            print(f"  {bench.name}: skipped (no such subcommand)", flush=True)
            continue
        argvs = bench.argv(c)
        if len(argvs) > (4 if bench.argv is jsonschema_invocations else 1):
            bench.notes.append(f"split into {len(argvs)} invocations to fit the system's argument length limit")
        _, outcome = run_once(argvs, c.data)  # the warm-up, also the run whose output is checked
        if bench.check is not None:
            bench.notes += bench.check(outcome)
        runs = bench.runs or args.runs
        for _ in range(runs):
            elapsed, _ = run_once(argvs, c.data)
            bench.times.append(elapsed)
        print(f"  {bench.name}: median {statistics.median(bench.times):.3f} s over {runs} runs", flush=True)
        done.append(bench)

    reference = statistics.median(done[0].times) if done else None
    print()
    header = f"{'command':<28} {'runs':>4} {'min s':>8} {'median s':>9} {'max s':>8} {'vs ' + done[0].name if done else '':>22}"
    print(header)
    print("-" * len(header))
    for bench in done:
        median = statistics.median(bench.times)
        ratio = f"{median / reference:.3g}x" if reference else "-"
        print(f"{bench.name:<28} {len(bench.times):>4} {min(bench.times):>8.3f} {median:>9.3f} "
              f"{max(bench.times):>8.3f} {ratio:>22}")
    print()
    for bench in done:
        for note in bench.notes:
            print(f"- {bench.name}: {note}")
    for note in skipped:
        print(f"- {note}")
    by_name = {bench.name: statistics.median(bench.times) for bench in done}
    if "stratctl status" in by_name and "stratctl status, no monthly" in by_name:
        extra = by_name["stratctl status"] - by_name["stratctl status, no monthly"]
        print(f"- monthly measures with SPC add {extra:+.3f} s to `status --format json` "
              f"({extra / by_name['stratctl status, no monthly']:+.1%})")
    print()
    for line in time_measures(c.data, args.runs):
        print(line)
    if args.keep is not None:
        print(f"\nkept: {root} (data/, schemas/)")
    return 0


def time_measures(data: Path, runs: int) -> list[str]:
    """The measure evaluation alone, in-process: every measure of every objective at the latest quarter."""
    from stratctl.loading import load_repository  # noqa: PLC0415 (stratctl is imported only for this)
    from stratctl.measures import evaluate_measure, objective_target_date  # noqa: PLC0415
    from stratctl.status import choose_point  # noqa: PLC0415

    repository = load_repository(data).repository
    point = choose_point(repository)
    tolerance = repository.trust.record.measure_tolerance if repository.trust else 0.1
    work = [(m, objective_target_date(o.record, point.start_month)) for o in repository.objectives for m in o.record.measures]
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
        lines.append(f"measure evaluation, {cadence}: {len(chosen)} measures ({charts} with an XmR chart) in "
                     f"{median * 1000:.1f} ms (median of {runs}), {median / len(chosen) * 1e6:.0f} µs a measure")
    return lines


if __name__ == "__main__":
    sys.exit(main())
