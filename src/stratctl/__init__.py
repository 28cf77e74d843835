"""stratctl: an NHS trust's strategy, objectives and Board Assurance Framework as code."""

__version__ = "0.1.0"

HOMEPAGE = "https://github.com/your-org/stratctl"
"""Where stratctl's source and documentation live: the organisation's own copy, as README.md's install line
(git+https://github.com/<your-org>/stratctl) says; your-org is to be replaced with it. SARIF names it as the
tool's informationUri and each rule's helpUri (pyproject.toml's [project.urls] says the same)."""
