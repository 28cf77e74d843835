"""`init`: a new strategy repository that validates, with CI, pre-commit and editor settings."""

from __future__ import annotations

import json
import os
from datetime import date
from importlib import resources
from pathlib import Path

from stratctl import __version__
from stratctl.authoring.scaffold import schema_line
from stratctl.errors import StratctlError
from stratctl.layout import CACHE_FOLDER, DATA_FOLDER, SCHEMA_FOLDER, WORKFLOW_FILE
from stratctl.periods import FinancialYear, quarter_containing
from stratctl.yamlsource import parse
from stratctl.yamltext import quoted

ORG_PLACEHOLDER = "<your-org>"
"""In the workflow's install line until the trust says where it keeps stratctl: CI fails until it is replaced."""
WORKFLOW = """\
# Checks every pull request to the strategy records and builds the Board report. On a pull request
# it also posts what the pull request changes, record by record, as one comment updated on each push.
# On weekday mornings it lists who has not yet sent their quarterly update (the chase job, below).
name: strategy
on:  # each change is checked once: as a pull request, and again when it is merged to main
  pull_request:
  push:
    branches: [main]
  schedule:
    - cron: "0 7 * * 1-5"  # the chase job: weekdays at 07:00 UTC
  workflow_dispatch:  # the chase job, run by hand from the Actions tab
permissions: {}  # nothing by default: each job asks for what it needs
concurrency:  # a newer push to the same pull request or branch replaces a run still going
  group: strategy-${{ github.event.pull_request.number || github.ref }}
  cancel-in-progress: ${{ github.event_name == 'pull_request' }}  # every merge to main is checked
jobs:
  validate:
    name: validate  # the check's name, as branch protection requires it
    if: ${{ github.event_name == 'pull_request' || github.event_name == 'push' }}
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write  # the comment on the pull request; nothing else is written
    steps:
      - uses: actions/checkout@v7
        with:
          fetch-depth: 0  # all history and tags: diff compares with the base branch, validate reads Board sign-offs
          persist-credentials: false  # nothing here pushes: the token is not left in .git/config for later steps
      - uses: actions/setup-python@v7
        with:
          python-version: "3.12"
      - run: pip install {install}  # <your-org>: where your organisation keeps stratctl
      - run: stratctl validate  # findings appear as annotations on the pull request
      - run: mkdir -p build && stratctl report --format html --output build/board-report.html
      - uses: actions/upload-artifact@v7
        with:
          name: board-report
          path: build/board-report.html
      - name: What the pull request changes
        id: diff
        if: ${{ !cancelled() && github.event_name == 'pull_request' }}  # also when validate found errors
        env:
          BASE_REF: ${{ github.base_ref }}  # passed as data, never pasted into the script
        run: |
          mkdir -p build
          { echo "<!-- stratctl-diff -->"; stratctl diff "origin/$BASE_REF" HEAD --format md --authors; } > build/diff.md
          cat build/diff.md >> "$GITHUB_STEP_SUMMARY"
      - name: Comment on the pull request (one comment, updated in place)
        # A pull request from a fork gets a read-only token: it has the job summary only.
        if: ${{ !cancelled() && steps.diff.outcome == 'success' && github.event.pull_request.head.repo.full_name == github.repository }}
        uses: actions/github-script@v9
        with:
          script: |
            const marker = '<!-- stratctl-diff -->';
            let body = require('fs').readFileSync('build/diff.md', 'utf8');
            if (body.length > 65000) body = body.slice(0, 65000) + '\\n\\n(cut short: the job summary has all of it)';
            const { owner, repo } = context.repo;
            const issue_number = context.issue.number;
            const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
            const previous = comments.find(c => c.user.type === 'Bot' && c.body.startsWith(marker));
            if (previous) {
              await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
            } else {
              await github.rest.issues.createComment({ owner, repo, issue_number, body });
            }
  chase:
    # Optional. From a fortnight before the Board meeting (trust.yaml `report: meeting_date`), posts who has
    # not yet given their quarterly update (stratctl chase) as one issue, updated in place each weekday and
    # closed once nothing is outstanding. Without a meeting_date it does nothing; delete this job and the
    # schedule above to turn it off.
    name: chase  # who has not yet given their quarterly update
    if: ${{ github.event_name == 'schedule' || github.event_name == 'workflow_dispatch' }}
    runs-on: ubuntu-latest
    permissions:
      contents: read
      issues: write  # the one issue it keeps up to date; nothing else is written
    steps:
      - uses: actions/checkout@v7
        with:
          persist-credentials: false  # nothing here pushes
      - uses: actions/setup-python@v7
        with:
          python-version: "3.12"
      - run: pip install {install}
      - name: Who has not yet given what
        id: chase
        run: |
          mkdir -p build
          status=0
          stratctl chase --format md --within 14 > build/chase.md || status=$?
          if [ "$status" -gt 1 ]; then exit "$status"; fi  # 2: stratctl could not run
          echo "outstanding=$([ "$status" -eq 1 ] && echo true || echo false)" >> "$GITHUB_OUTPUT"
          echo "post=$([ -s build/chase.md ] && echo true || echo false)" >> "$GITHUB_OUTPUT"
          cat build/chase.md >> "$GITHUB_STEP_SUMMARY"
      - name: Post it as one issue, updated in place
        if: ${{ steps.chase.outputs.post == 'true' }}
        uses: actions/github-script@v9
        env:
          OUTSTANDING: ${{ steps.chase.outputs.outstanding }}
        with:
          script: |
            const marker = '<!-- stratctl-chase -->';
            const text = require('fs').readFileSync('build/chase.md', 'utf8');
            const title = text.split('\\n')[0].replace(/^#+ /, '').replace(/\\\\(.)/g, '$1');
            let body = marker + '\\n' + text;
            if (body.length > 65000) body = body.slice(0, 65000) + '\\n\\n(cut short: the job summary has all of it)';
            const outstanding = process.env.OUTSTANDING === 'true';
            const { owner, repo } = context.repo;
            const open = await github.paginate(github.rest.issues.listForRepo, { owner, repo, state: 'open', per_page: 100 });
            const previous = open.find(i => !i.pull_request && (i.body || '').startsWith(marker));
            if (previous) {
              await github.rest.issues.update({ owner, repo, issue_number: previous.number, title, body, state: outstanding ? 'open' : 'closed' });
            } else if (outstanding) {
              await github.rest.issues.create({ owner, repo, title, body });
            }
  site:
    # On each push to main, builds the strategy website (stratctl site) and keeps it as the run's
    # strategy-site artifact for 30 days. The publish job below puts it on GitHub Pages; without it the
    # artifact alone is the site (Actions tab, the run, Artifacts: a zip holding artifact.tar).
    name: site  # the strategy website, built from main
    if: ${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v7
        with:
          fetch-depth: 0  # all history and tags: the archive rebuilds each signed-off paper from its sign-off tag
          persist-credentials: false  # nothing here pushes
      - uses: actions/setup-python@v7
        with:
          python-version: "3.12"
      - run: pip install {install}
      - run: mkdir -p build && stratctl site --output build/site
      - uses: actions/upload-pages-artifact@v5
        with:
          name: strategy-site
          path: build/site
          retention-days: 30
  publish:
    # Optional. Publishes the site with GitHub Pages, once the repository has Pages set to "GitHub Actions"
    # (Settings, Pages, Source) and the variable STRATEGY_SITE set to pages (Settings, Secrets and
    # variables, Actions, Variables). A Pages site is public unless your organisation uses GitHub
    # Enterprise Cloud and Pages' visibility is set to private (README.md: Publishing the site).
    name: publish  # the site on GitHub Pages
    needs: site
    if: ${{ vars.STRATEGY_SITE == 'pages' }}
    runs-on: ubuntu-latest
    permissions:
      pages: write  # the Pages deployment; nothing else is written
      id-token: write  # Pages checks the deployment comes from this workflow
    environment:
      name: github-pages
      url: ${{ steps.deploy.outputs.page_url }}
    concurrency:
      group: pages
      cancel-in-progress: false  # a deployment under way finishes; the next waits for it
    steps:
      - id: deploy
        uses: actions/deploy-pages@v5
        with:
          artifact_name: strategy-site
"""
# stratctl is not on PyPI: CI installs the release matching the stratctl that wrote the workflow, from git.
# README.md ("Using stratctl in your trust's repository") shows this same workflow; tests/test_init.py keeps them equal.
INSTALL = f"git+https://github.com/{ORG_PLACEHOLDER}/stratctl@v{__version__}"

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
- the quarter's updates from executives who do not use git: `mkdir -p requests && stratctl request --quarter Q2 --output requests`,
  e-mail each their workbook, `stratctl chase --quarter Q2` for who is yet to reply, then `stratctl collect returns/*.xlsx`
- before opening a pull request: `stratctl validate` (CI runs it too) and `stratctl fmt`
- the Board paper: `mkdir -p build && stratctl report --quarter Q2 --format html --output build/board-report.html`

Editors that understand `yaml-language-server` (VS Code with the YAML extension) check and complete
records as they are typed, using the schemas in `schemas/` (`stratctl schema --output schemas` refreshes them).
"""


# Without `report:` every cover reads "Presented by —"; commented out, the file validates as written,
# and each line, uncommented, validates too (presenter once the executive is listed).
REPORT_BLOCK = """\
# The Board paper's cover sheet: uncomment `report:` and the lines you need (stratctl report's options override them).
# report:
#   meeting: Board of Directors meeting in public  # the meeting the paper goes to (default: Board of Directors)
#   item: "7.2"  # its agenda item number, quoted so YAML keeps it as text
#   purpose: assurance  # what the paper is for: assurance (the default), information, decision or approval
#   presenter: COO  # the executive who presents it, by id from executives below: the cover prints their title
#   recommendation: The Board is asked to note the delivery of the objectives.  # what the Board is asked to do
#   author: Head of Strategy and Planning  # who wrote the paper
#   previously_considered: Executive Management Committee  # where it went before the Board
#   meeting_date: 2024-01-25  # the next meeting: the cover's date; request asks for returns a week before; chase starts a fortnight before
"""
EXAMPLE_MARKER = (
    "# An example written by stratctl init: edit it, delete it, or import your tracker to replace every example.\n"
)
"""The first line of each example record; `import` replaces the files that still carry it."""
EXAMPLE_FILES = (
    "data/objectives/example-objective.yaml",
    "data/risks/100001.yaml",
    "data/strategies/example-strategy.yaml",
)
EXAMPLE_ENTRIES = {  # trust.yaml's example entries, by list: (id, title); an import removes those still as written
    "strategic_objectives": ("SO1", "Delivering outstanding care and experience"),
    "priorities": ("recover-safely", "Recover safely"),
}


def starter_files(
    name: str, short_name: str, year: FinancialYear, install: str, *, examples: bool = True
) -> dict[str, str]:
    """Every file of a new repository, by path relative to its root; `examples=False` writes no example records."""
    q1 = f"{year} Q1"
    due = year.quarter(4).last_day().isoformat()
    frame = (
        schema_line("trust", depth=1)
        + f"name: {quoted(name)}\nshort_name: {quoted(short_name)}\nyear: {year}  # the current financial year\n"
        + REPORT_BLOCK
    )
    if not examples:
        trust = frame + (
            "strategic_objectives: []  # the long-term goals every objective and risk ties back to: - {id: SO1, title: ...}\n"
            "priorities: []  # this year's trust priorities, grouping the supporting objectives\n"
            "executives: []  # who may lead an objective, a risk or a strategy: - {id: COO, title: Chief Operating Officer}\n"
        )
    else:
        trust = frame + (
            "strategic_objectives:  # the long-term goals every objective and risk ties back to\n"
            "  - id: SO1\n    title: Delivering outstanding care and experience\n"
            "priorities:  # this year's trust priorities, grouping the supporting objectives\n"
            '  - id: recover-safely\n    title: Recover safely\n    statement: We will recover our services safely.\n    risks: ["100001"]\n'
            "executives:  # who may lead an objective, a risk or a strategy\n"
            "  - id: COO\n    title: Chief Operating Officer\n"
            "    # GitHub users or teams who review the records the COO leads (stratctl codeowners):\n"
            '    # reviewers: ["@your-org/operations"]\n'
        )
    records = {
        "data/objectives/example-objective.yaml": (
            schema_line("objective")
            + EXAMPLE_MARKER
            + f"id: example-objective\ntitle: An example supporting objective\nyear: {year}\npriority: recover-safely\n"
            f'supports: [SO1]\nlead: COO\nrisks: ["100001"]\ndelivers: [example-strategy.example-commitment]\ndue: {due}\n'
            f"updates:\n  - quarter: {q1}\n    progress: on-track\n    comment: Replace this example with a real objective.\n    projected: G\n"
        ),
        "data/risks/100001.yaml": (
            schema_line("risk")
            + EXAMPLE_MARKER
            + 'id: "100001"\ntitle: An example strategic risk\ndescription: Replace this example with a real risk.\n'
            "lead: COO\nthreatens: [SO1]\ncurrent: {likelihood: 3, consequence: 4}\ntarget: {likelihood: 2, consequence: 4}\n"
            f"reviews:\n  - quarter: {q1}\n    current: {{likelihood: 3, consequence: 4}}\n"
        ),
        "data/strategies/example-strategy.yaml": (
            schema_line("strategy")
            + EXAMPLE_MARKER
            + "id: example-strategy\ntitle: An example enabling strategy\nlead: COO\nstatus: in-development\n"
            f"approval_due: {due}\nsupports: [SO1]\n"
            "commitments:\n  - id: example-commitment\n    title: Replace this example with a real commitment\n"
        ),
    }
    return {
        "data/trust.yaml": trust,
        **(records if examples else {}),
        WORKFLOW_FILE.as_posix(): WORKFLOW.replace("{install}", install),
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
        )
        + "\n",
        ".gitignore": f"build/\n{CACHE_FOLDER}/\n",  # stratctl's local cache: never committed
        "README.md": README.format(name=name),
    }


def bundled_examples() -> dict[str, Path]:
    """The example trusts `init --example` starts from, by name: each a data/ folder.

    Installed, they ship inside the package (pyproject.toml); in a checkout they are the
    top-level data/ (North West Anglia, 2021/22) and examples/<name>/data.
    """
    installed = Path(str(resources.files("stratctl"))) / "examples"
    checkout = Path(__file__).resolve().parents[3]
    if installed.is_dir():
        return {folder.name: folder / "data" for folder in sorted(installed.iterdir()) if (folder / "data").is_dir()}
    found = {"nwaft": checkout / "data"}
    examples = checkout / "examples"
    if examples.is_dir():
        found.update(
            {folder.name: folder / "data" for folder in sorted(examples.iterdir()) if (folder / "data").is_dir()}
        )
    return found


def _example_files(name: str) -> dict[str, str]:
    examples = bundled_examples()
    if name not in examples:
        raise StratctlError(f"no example trust {name!r}: the examples are {', '.join(examples)}")
    data = examples[name]
    return {
        f"data/{path.relative_to(data).as_posix()}": path.read_text(encoding="utf-8")
        for path in sorted(data.rglob("*.yaml"))
    }


def _trust_name(trust_yaml: str) -> str | None:
    """The `name` an example's trust.yaml gives, for the README's title."""

    data = parse(trust_yaml).data
    return str(data["name"]) if isinstance(data, dict) and isinstance(data.get("name"), str) else None


DEFAULT_NAME, DEFAULT_SHORT_NAME = "Example NHS Foundation Trust", "ENFT"


def init_files(
    root: Path,
    name: str | None,
    short_name: str | None,
    year: str | None,
    today: date | None = None,
    *,
    bare: bool = False,
    example: str | None = None,
) -> dict[str, str]:
    """The files of a new strategy repository at `root`, by path relative to it; refused if any exists.

    `bare` writes trust.yaml's frame and no example records; `example` starts from one of the
    bundled example trusts instead (its records as published, with their own name and year).
    `name`, `short_name` and `year` None: the defaults (today's year).
    """
    if bare and example:
        raise StratctlError("give --bare or --example, not both")
    if example is not None:
        given = [
            option
            for option, value in (("--year", year), ("--name", name), ("--short-name", short_name))
            if value is not None
        ]
        if given:  # silently ignored, they left a repository that was not what was asked for
            raise StratctlError(
                f"give {' and '.join(given)} or --example, not both: an example is that trust's own records, with its own "
                f"name and years; for your own trust, give {' and '.join(given)} with --bare (then import your tracker) "
                "or without either; nothing was written"
            )
    name = DEFAULT_NAME if name is None else name
    short_name = DEFAULT_SHORT_NAME if short_name is None else short_name
    if not name.strip() or not short_name.strip():
        raise StratctlError("the trust's --name and --short-name cannot be empty")
    try:
        fy = FinancialYear.parse(year) if year else quarter_containing(today or date.today()).year
    except ValueError as error:
        raise StratctlError(str(error)) from None
    files = starter_files(name, short_name, fy, INSTALL, examples=not bare and example is None)
    if example is not None:
        files = {**{k: v for k, v in files.items() if not k.startswith("data/")}, **_example_files(example)}
        files["README.md"] = README.format(name=_trust_name(files["data/trust.yaml"]) or name)
    # lexists: a link to nothing is there too, and writing it would create the file it names, wherever that is
    existing = [path for path in files if os.path.lexists(root / path)]
    if existing or os.path.lexists(root / DATA_FOLDER):
        raise StratctlError(
            f"{root} already has {existing[0] if existing else 'data/'}: stratctl init never overwrites"
        )
    return files
