#!/usr/bin/env python3
"""Count what a trust must still edit by hand after adopting stratctl from its published tables.

Runs the adoption path (`init --bare`, `import tracker`, `import risks`, `report`) in a temporary
folder for each case below, then counts, file by file, the values a Board secretary would have to
correct before the paper could go out:

- trust.yaml's name and short name still init's placeholders;
- an executive titled only by letters (`CPO`, `CMO & Dep CEO`): the cover and the tracker print it;
- the cover sheet with no presenter;
- a risk titled from the first words of its description (the table gives no title);
- a risk whose lead is a placeholder the import chose, or is not given at all;
- a risk of the table the import did not bring in at all (counted once: the file, written by hand).

    python scripts/count_hand_edits.py             # this checkout's stratctl, with the options it has
    python scripts/count_hand_edits.py --plain     # the bare commands, no option beyond --quarter

`--stratctl-src DIR` runs another checkout's src/ (an earlier commit, say) for a before-and-after.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
TRACKERS = ROOT / "tests" / "fixtures" / "trackers"
SEED = TRACKERS / "nwaft-2021-22-q3.tsv"
WESTBROOK_TRACKER = TRACKERS / "westbrook-2023-24-q2-tracker.csv"
WESTBROOK_BAF = TRACKERS / "westbrook-2023-24-q2-baf.csv"

# The seed's executive titles are the bundled example's (data/trust.yaml), given on the command line.
SEED_OPTIONS = [
    "--executive", "COO=Chief Operating Officer",
    "--executive", "CMO=Chief Medical Officer & Deputy Chief Executive",
    "--executive", "CPO=Chief People Officer",
    "--executive", "CSATO=Chief Strategy and Transformation Officer",
    "--executive", "CFO=Chief Finance Officer",
    "--presenter", "CSATO",
]  # fmt: skip


@dataclass(frozen=True)
class Case:
    """An adoption: `init --bare` with `init`, then each of `steps` in the new repository; `risks` the table's risks."""

    init: list[str]
    steps: list[list[str]]
    risks: list[str]


CASES = {
    "seed (the published tracker and its risk table)": Case(
        ["--name", "North West Anglia NHS Foundation Trust", "--short-name", "NWAFT"],
        [
            ["import", "tracker", str(SEED), "--quarter", "Q3", *SEED_OPTIONS],
            ["import", "risks", str(SEED), "--quarter", "Q3"],
        ],
        [f"1033{n}" for n in (43, 44, 45, 46, 48, 49, 50, 51, 52, 53)] + ["103438"],
    ),
    "hold-out-like (a tracker and a BAF summary)": Case(
        [],
        [
            ["import", "tracker", str(WESTBROOK_TRACKER), "--quarter", "Q2", "--presenter", "COO"],
            ["import", "risks", str(WESTBROOK_BAF), "--quarter", "Q2"],
        ],
        [f"SR{n}" for n in range(1, 7)],
    ),
}
OPTIONS_WITH_VALUES = {"--executive", "--presenter", "--name", "--short-name"}
LETTERS_ONLY = re.compile(r"\b[A-Z]{2,}\b")


@dataclass
class Count:
    values: dict[str, list[str]] = field(default_factory=dict)  # file -> what needs editing in it
    exit_codes: list[int] = field(default_factory=list)

    def add(self, file: str, what: str) -> None:
        self.values.setdefault(file, []).append(what)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.values.values())


def _plain(arguments: list[str]) -> list[str]:
    """The arguments without the options that give trust.yaml's values (what an earlier stratctl lacked)."""
    kept, skip = [], False
    for argument in arguments:
        if skip:
            skip = False
        elif argument in OPTIONS_WITH_VALUES:
            skip = True
        else:
            kept.append(argument)
    return kept


def _run(arguments: list[str], cwd: Path, src: Path | None) -> int:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    done = subprocess.run(
        [sys.executable, "-m", "stratctl", *arguments], cwd=cwd, env=env, capture_output=True, text=True
    )
    return done.returncode


def count(case: Case, *, plain: bool, src: Path | None) -> Count:
    """Run `case` in a temporary folder and count what is left to edit by hand."""
    found = Count()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "trust"
        init = _plain(case.init) if plain else case.init
        found.exit_codes.append(_run(["init", str(root), "--bare", *init], Path(folder), src))
        for step in case.steps:
            found.exit_codes.append(_run(_plain(step) if plain else step, root, src))
        found.exit_codes.append(_run(["report", "--format", "md", "--output", "paper.md"], root, src))
        _inspect(root / "data", found)
        for risk in case.risks:
            if not (root / "data" / "risks" / f"{risk}.yaml").is_file():  # not imported: written by hand, in full
                found.add(f"risks/{risk}.yaml", "the whole risk (not imported)")
    return found


def _inspect(data: Path, found: Count) -> None:
    yaml = YAML(typ="safe", pure=True)
    trust = yaml.load((data / "trust.yaml").read_text(encoding="utf-8"))
    if trust.get("name") == "Example NHS Foundation Trust":
        found.add("trust.yaml", "name")
    if trust.get("short_name") == "ENFT":
        found.add("trust.yaml", "short_name")
    for executive in trust.get("executives") or []:
        if LETTERS_ONLY.search(str(executive.get("title"))):
            found.add("trust.yaml", f"executive {executive.get('id')}'s title {executive.get('title')!r}")
    if not (trust.get("report") or {}).get("presenter"):
        found.add("trust.yaml", "the cover sheet's presenter")
    for path in sorted((data / "risks").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        risk = yaml.load(text)
        name = f"risks/{path.name}"
        if re.search(r"#.*title (?:derived|made) from the description", text):
            found.add(name, "title")
        if "placeholder" in text or not risk.get("lead"):
            found.add(name, "lead")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plain", action="store_true", help="run the commands without the options")
    parser.add_argument("--stratctl-src", type=Path, help="run the stratctl of this src/ folder")
    arguments = parser.parse_args()
    for name, case in CASES.items():
        found = count(case, plain=arguments.plain, src=arguments.stratctl_src)
        print(
            f"{name}: {found.total} value(s) in {len(found.values)} file(s) to edit by hand; "
            f"exit codes {found.exit_codes}"
        )
        for file, values in found.values.items():
            print(f"  {file}: {', '.join(values)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
