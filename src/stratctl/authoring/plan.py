"""The one write path: change texts in memory, validate them, check every target, then write.

`update`, `new`, `import`, `fmt` and `init` all write through a `WritePlan`:

1. under the repository's write lock, the repository is read once;
2. the command puts the new text of each file it changes into the plan;
3. the plan validates the repository as it would be after the change, in memory, with the
   repository's own configuration (only the changed files are read again), through the checker
   it was opened with (stratctl.api.writing gives it the one validate, stratctl.api.validate);
4. every target is checked before the first write: writable, a regular file, inside the repository,
   never a link to nothing (a file stratctl creates is never created through a link);
5. the files are written all or nothing: each to a temporary file beside it, then all renamed into
   place; if any step fails, every file already renamed is put back (stratctl.rewrite.write_files).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from stratctl.errors import StratctlError
from stratctl.findings import Finding, Severity
from stratctl.loading import LoadResult, canonical
from stratctl.rewrite import SourceText, exclusive, read_source, source_text, write_files
from stratctl.validation import ValidationResult
from stratctl.workspace import Workspace


class Checker(Protocol):
    """Validates a repository as loaded, reporting on `only` those files (default: all of them)."""

    def __call__(self, loaded: LoadResult, *, only: Iterable[Path] | None = None) -> ValidationResult: ...


@dataclass
class WritePlan:
    """What a command would write, and the repository it would write it into."""

    workspace: Workspace
    loaded: LoadResult
    """The repository as read before the change."""
    check: Checker
    """How the repository is validated, before and after the change."""
    texts: dict[Path, str] = field(default_factory=dict)
    created: set[Path] = field(default_factory=set)
    """Targets that do not exist yet."""
    removed: set[Path] = field(default_factory=set)
    """Files the change deletes (an import replacing the examples `init` wrote)."""

    def put(self, path: Path, text: str) -> None:
        """Plan `text` as the new content of `path`; a later put for the same path replaces it."""
        path = canonical(path)
        self.texts[path] = text
        if not os.path.lexists(path):
            self.created.add(path)

    def remove(self, path: Path) -> None:
        """Plan the deletion of `path` (and forget any text planned for it)."""
        path = canonical(path)
        self.texts.pop(path, None)
        self.created.discard(path)
        self.removed.add(path)

    def source(self, path: Path) -> SourceText:
        """The text of `path` as the plan would leave it so far: planned, else as on disk."""
        planned = self.texts.get(canonical(path))
        return source_text(planned) if planned is not None else read_source(path)

    @property
    def after(self) -> LoadResult:
        """The repository as it would be once the plan is written."""
        return self.loaded.with_texts(self.texts, self.workspace.cwd, removed=self.removed)

    def validation(self, *, only: Iterable[Path] | None = None) -> ValidationResult:
        """`validate` over the planned files (or `only`), as it would report them after the change."""
        wanted = [canonical(path) for path in (only if only is not None else self.texts)]
        return self.check(self.after, only=wanted)

    def findings(self, *, only: Iterable[Path] | None = None) -> list[Finding]:
        return self.validation(only=only).findings if (only is not None or self.texts) else []

    def errors(self, *, only: Iterable[Path] | None = None) -> list[Finding]:
        return [finding for finding in self.findings(only=only) if finding.severity == Severity.ERROR]

    def write(self) -> list[Path]:
        """Write every planned file and delete every planned removal, all or nothing: refused before the
        first write if any target may not be written, and put back as it was if a write fails."""
        for path in self.created:
            if os.path.lexists(path):  # made since it was planned (or a link to nothing): never replaced
                raise StratctlError(f"{path} exists now, though it did not when planned: nothing was written")
        write_files(self.texts, sorted(self.removed), within=self.workspace.root, data=self.workspace.data_dir)
        return list(self.texts)


@contextmanager
def planning(workspace: Workspace, check: Checker, *, read: bool = True) -> Iterator[WritePlan]:
    """A plan for `workspace`, made and written with no other stratctl writing in between.

    `read=False` skips reading the records, for commands that rewrite files one by one without
    validating the repository (fmt) or that create it (init).
    """
    with exclusive(workspace.data_dir):
        loaded = workspace.load() if read else LoadResult.empty(workspace.data_dir)
        yield WritePlan(workspace, loaded, check)
