"""Record kinds. Importing this package registers the built-in ones: trust, objective, risk, strategy."""

from stratctl.kinds import trust, objective, risk, strategy  # noqa: I001 - registration order is reading order
from stratctl.kinds.registry import KINDS, TRUST_FILE, NewRecord, RecordKind, folder_kinds, kind_of_folder, register, unregister

__all__ = [
    "KINDS", "TRUST_FILE", "NewRecord", "RecordKind", "folder_kinds", "kind_of_folder", "register", "unregister",
    "objective", "risk", "strategy", "trust",
]
