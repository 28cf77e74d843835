"""Write plans opened for a use case: the one validate checks every change before it is written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from stratctl.api.validate import validate_repository
from stratctl.authoring import plan as write_plan
from stratctl.loading import LoadResult
from stratctl.validation import ValidationResult
from stratctl.workspace import Workspace


def checker(space: Workspace) -> write_plan.Checker:
    """Validation of `space` as it would be after a change: the records, CODEOWNERS and sign-offs."""

    def check(loaded: LoadResult, *, only: Iterable[Path] | None = None) -> ValidationResult:
        return validate_repository(space, loaded, only=only)

    return check


@contextmanager
def planning(space: Workspace, *, read: bool = True) -> Iterator[write_plan.WritePlan]:
    """A write plan for `space`, under its write lock (authoring.plan.planning), checked by the one validate."""
    with write_plan.planning(space, checker(space), read=read) as plan:
        yield plan
