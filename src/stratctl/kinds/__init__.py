"""Record kinds. Importing this package registers the built-in ones: trust, objective, risk, strategy."""

from stratctl.kinds import trust, objective, risk, strategy  # noqa: I001 - registration order is reading order
from stratctl.kinds.registry import (
    KINDS,
    RECORD_SUFFIXES,
    NewRecord,
    RecordKind,
    folder_kinds,
    is_record_name,
    kind_of_folder,
    register,
    unregister,
)

__all__ = [
    "KINDS",
    "RECORD_SUFFIXES",
    "NewRecord",
    "RecordKind",
    "folder_kinds",
    "is_record_name",
    "kind_of_folder",
    "objective",
    "register",
    "risk",
    "strategy",
    "trust",
    "unregister",
]
