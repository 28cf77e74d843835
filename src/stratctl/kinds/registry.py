"""The registry of record kinds: every kind of file a strategy repository holds.

A kind is declared once, in a module of its own, with its folder under data/, its model and
(optionally) the scaffold `stratctl new` writes. Loading, the identity and reference rules,
`new`, `schema` and the command line's choices all read this registry; references and the lists
whose ids must be unique are found from the model's field types (stratctl.records.introspect).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stratctl.errors import StratctlError

if TYPE_CHECKING:
    from stratctl.records import Trust
    from stratctl.records.base import Record

RECORD_SUFFIXES = (".yaml", ".yml")


def is_record_name(name: str) -> bool:
    """Whether a file of this name in a kind's folder is a record: .yaml or .yml, and not hidden. The
    one rule for the work tree (discover) and for a git ref (diff, report --since) alike."""
    return not name.startswith(".") and name.endswith(RECORD_SUFFIXES)


@dataclass(frozen=True, slots=True)
class NewRecord:
    """What `stratctl new` was asked for; a scaffold uses the parts its kind needs."""

    kind: str
    id: str
    title: str
    lead: str | None = None
    priority: str | None = None
    current: str | None = None  # risks: a rating, 4x5 or a score
    target: str | None = None  # risks: a rating
    year: str | None = None  # objectives: the first financial year (default: trust.yaml's)
    supports: tuple[str, ...] = ()  # objectives: the strategic objectives it serves


Scaffold = Callable[[NewRecord, "Trust"], Mapping[str, str]]
"""A new record's fields as its kind writes them: field name -> its lines (each ending in a newline;
"" leaves the field out). A field the mapping does not name is written from the model: a required
one filled in where the options say how, an optional one as a comment naming it."""


def choices(ids: list[str]) -> str:
    """The ids a field may take, for a scaffold's comment."""
    return ", ".join(ids) if ids else "none defined yet in trust.yaml"


def default_lead(request: NewRecord, trust: Trust) -> str:
    """--lead, else trust.yaml's first executive."""
    executives = [e.id for e in trust.executives]
    lead = request.lead or (executives[0] if executives else None)
    if lead is None:
        raise StratctlError("give --lead: trust.yaml lists no executives")
    return lead


@dataclass(frozen=True, slots=True)
class RecordKind:
    """One kind of record file."""

    name: str
    """What commands and messages call it: `objective`."""
    source: type[Record] | Callable[[], type[Record]]
    """Its model, or a function that imports it: the built-in kinds import theirs when first asked for
    (`model`), so that a command answered without reading a record (a warm `validate`) never imports
    the models nor pydantic."""
    folder: str | None = None
    """Its folder under data/ (`objectives`); None for the one frame file, trust.yaml."""
    scaffold: Scaffold | None = None
    """The fields a new record's kind writes itself for `stratctl new`; None: all from the model's fields."""

    @property
    def model(self) -> type[Record]:
        """The pydantic model a file of this kind is checked against."""
        source = self.source
        return source if isinstance(source, type) else source()


KINDS: dict[str, RecordKind] = {}
"""Kind name -> kind, in the order files are read and listed."""


def register(kind: RecordKind) -> RecordKind:
    """Add a kind; its folder and name must be new."""
    if kind.name in KINDS:
        raise RuntimeError(f"record kind {kind.name!r} registered twice")
    if kind.folder is not None and any(k.folder == kind.folder for k in KINDS.values()):
        raise RuntimeError(f"folder {kind.folder!r} already holds another kind of record")
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove a kind (tests that add a kind of their own take it away again)."""
    KINDS.pop(name, None)


def folder_kinds() -> Iterator[RecordKind]:
    """The kinds kept one record per file in a folder of data/."""
    return (kind for kind in KINDS.values() if kind.folder is not None)


def kind_of_folder(folder: str) -> RecordKind | None:
    return next((kind for kind in folder_kinds() if kind.folder == folder), None)
