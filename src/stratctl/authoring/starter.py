"""`init`: a new strategy repository that validates, with CI, pre-commit and editor settings."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from stratctl import __version__
from stratctl.authoring.scaffold import SCHEMA_FOLDER, ensure_schemas, quoted
from stratctl.errors import StratctlError
from stratctl.periods import FinancialYear, quarter_containing
from stratctl.rewrite import write_atomically

WORKFLOW = """\
# Checks every pull request to the strategy records and builds the Board report.
name: strategy
on: [pull_request, push]
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install {install}  # <your-org>: where your organisation keeps stratctl
      - run: stratctl validate  # findings appear as annotations on the pull request
      - run: mkdir -p build && stratctl report --format html --output build/board-report.html
      - uses: actions/upload-artifact@v4
        with:
          name: board-report
          path: build/board-report.html
"""
# stratctl is not on PyPI: CI installs the release matching the stratctl that wrote the workflow, from git.
# README.md ("Using stratctl in your trust's repository") shows this same workflow; tests/test_init.py keeps them equal.
INSTALL = f"git+https://github.com/<your-org>/stratctl@v{__version__}"

PRE_COMMIT = """\
# Run `pre-commit install` once; then records are checked before every commit.
repos:
  - repo: local
    hooks:
      - id: stratctl-validate
        name: stratctl validate
        entry: stratctl validate
        language: system
        files: ^data/.*\\.ya?ml$
      - id: stratctl-fmt
        name: stratctl fmt
        entry: stratctl fmt
        language: system
        files: ^data/.*\\.ya?ml$
"""

README = """\
# {name}: strategy records

Our strategy, supporting objectives, Board Assurance Framework risks and enabling strategies, kept
as YAML records and checked by stratctl (installed as `.github/workflows/strategy.yml` shows).

| folder | holds |
| --- | --- |
| `data/trust.yaml` | the trust, strategic objectives, this year's priorities, executives |
| `data/objectives/` | one file per supporting objective, with its quarterly updates |
| `data/risks/` | one file per strategic risk, with its quarterly reviews |
| `data/strategies/` | one file per enabling strategy and its commitments |

Day to day:

- a new objective: `stratctl new objective ID --title "..." --lead COO --priority ...`
- the quarterly update: `stratctl update ID --quarter Q2 --progress behind --comment "..." --projected A`
- a risk's quarterly review: `stratctl update RISK-ID --quarter Q2 --likelihood 4 --consequence 5`
- before opening a pull request: `stratctl validate` (CI runs it too) and `stratctl fmt`
- the Board paper: `mkdir -p build && stratctl report --quarter Q2 --format html --output build/board-report.html`

Editors that understand `yaml-language-server` (VS Code with the YAML extension) check and complete
records as they are typed, using the schemas in `schemas/` (`stratctl schema --output schemas` refreshes them).
"""


def starter_files(name: str, short_name: str, year: FinancialYear, install: str) -> dict[str, str]:
    """Every file of a new repository, by path relative to its root."""
    q1 = f"{year} Q1"
    due = year.quarter(4).last_day().isoformat()
    schema = lambda kind: f"# yaml-language-server: $schema=../../{SCHEMA_FOLDER}/{kind}.schema.json\n"  # noqa: E731
    return {
        "data/trust.yaml": (
            f"# yaml-language-server: $schema=../{SCHEMA_FOLDER}/trust.schema.json\n"
            f"name: {quoted(name)}\nshort_name: {quoted(short_name)}\nyear: {year}  # the current financial year\n"
            "strategic_objectives:  # the long-term goals every objective and risk ties back to\n"
            "  - id: SO1\n    title: Delivering outstanding care and experience\n"
            "priorities:  # this year's trust priorities, grouping the supporting objectives\n"
            "  - id: recover-safely\n    title: Recover safely\n    statement: We will recover our services safely.\n    risks: [\"100001\"]\n"
            "executives:  # who may lead an objective, a risk or a strategy\n"
            "  - id: COO\n    title: Chief Operating Officer\n"
        ),
        "data/objectives/example-objective.yaml": (
            schema("objective")
            + f"id: example-objective\ntitle: An example supporting objective\nyear: {year}\npriority: recover-safely\n"
            f"supports: [SO1]\nlead: COO\nrisks: [\"100001\"]\ndelivers: [example-strategy.example-commitment]\ndue: {due}\n"
            f"updates:\n  - quarter: {q1}\n    progress: on-track\n    comment: Replace this example with a real objective.\n    projected: G\n"
        ),
        "data/risks/100001.yaml": (
            schema("risk")
            + "id: \"100001\"\ntitle: An example strategic risk\ndescription: Replace this example with a real risk.\n"
            "lead: COO\nthreatens: [SO1]\ncurrent: {likelihood: 3, consequence: 4}\ntarget: {likelihood: 2, consequence: 4}\n"
            f"reviews:\n  - quarter: {q1}\n    current: {{likelihood: 3, consequence: 4}}\n"
        ),
        "data/strategies/example-strategy.yaml": (
            schema("strategy")
            + "id: example-strategy\ntitle: An example enabling strategy\nlead: COO\nstatus: in-development\n"
            f"approval_due: {due}\nsupports: [SO1]\n"
            "commitments:\n  - id: example-commitment\n    title: Replace this example with a real commitment\n"
        ),
        ".github/workflows/strategy.yml": WORKFLOW.format(install=install),
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".vscode/settings.json": json.dumps(
            {
                "yaml.schemas": {
                    f"./{SCHEMA_FOLDER}/trust.schema.json": "data/trust.yaml",
                    f"./{SCHEMA_FOLDER}/objective.schema.json": "data/objectives/*.yaml",
                    f"./{SCHEMA_FOLDER}/risk.schema.json": "data/risks/*.yaml",
                    f"./{SCHEMA_FOLDER}/strategy.schema.json": "data/strategies/*.yaml",
                }
            },
            indent=2,
        ) + "\n",
        ".gitignore": "build/\n",
        "README.md": README.format(name=name),
    }


def init_repository(root: Path, name: str, short_name: str, year: str | None, today: date | None = None) -> list[Path]:
    """Write a new strategy repository at `root`; refuses if any of its files exist."""
    try:
        fy = FinancialYear.parse(year) if year else quarter_containing(today or date.today()).year
    except ValueError as error:
        raise StratctlError(str(error)) from None
    files = starter_files(name, short_name, fy, INSTALL)
    existing = [path for path in files if (root / path).exists()]
    if existing or (root / "data").exists():
        raise StratctlError(f"{root} already has {existing[0] if existing else 'data/'}: stratctl init never overwrites")
    written = []
    for relative, text in files.items():
        write_atomically(root / relative, text)
        written.append(root / relative)
    written.extend(ensure_schemas(root))
    return written
