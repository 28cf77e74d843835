"""Where things live in a strategy repository: the one module that knows its layout.

    <root>/
      data/                   the records (DATA_FOLDER): trust.yaml, and one folder per kind of record
      stratctl.toml           the repository's configuration (CONFIG_FILE)
      templates/              the repository's own report templates (TEMPLATES_FOLDER)
      schemas/                the JSON Schemas editors check records with (SCHEMA_FOLDER)
      .github/CODEOWNERS      who reviews which record (CODEOWNERS_FILE)
      .github/workflows/strategy.yml   the CI workflow `init` writes (WORKFLOW_FILE)
      .stratctl-cache/        local state, never committed (CACHE_FOLDER)

The folder of each kind of record (objectives/, risks/, strategies/) is declared by the kind
itself (stratctl.kinds); everything else about the layout is named here and nowhere else.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

DATA_FOLDER = "data"
TRUST_FILE = "trust.yaml"
CONFIG_FILE = "stratctl.toml"
TEMPLATES_FOLDER = "templates"
SCHEMA_FOLDER = "schemas"
CODEOWNERS_FILE = PurePosixPath(".github/CODEOWNERS")
WORKFLOW_FILE = PurePosixPath(".github/workflows/strategy.yml")
CACHE_FOLDER = ".stratctl-cache"


def templates_dir(root: Path) -> Path:
    """The repository's own templates folder (it may not exist: the packaged templates are used then)."""
    return root / TEMPLATES_FOLDER


def config_path(root: Path) -> Path:
    return root / CONFIG_FILE


def codeowners_path(root: Path) -> Path:
    return root / CODEOWNERS_FILE
