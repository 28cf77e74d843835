"""`status`, `explain` and `export`'s view: the repository's positions at a reporting point."""

from __future__ import annotations

from datetime import date

from stratctl.status import Status, build_status
from stratctl.workspace import Workspace


def status_at(space: Workspace, year: str | None, quarter: str | None, as_of: date | None = None) -> Status:
    """Every objective's, risk's and commitment's standing at the point the options name (default:
    the end of the latest quarter reported); refused when a record file cannot be read."""
    repository = space.load_readable().repository
    return build_status(repository, space.point(repository, year, quarter, as_of))
