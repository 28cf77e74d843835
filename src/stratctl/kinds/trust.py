"""data/trust.yaml: the frame every other record refers to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stratctl.kinds.registry import RecordKind, register

if TYPE_CHECKING:
    from stratctl.records.base import Record


def model() -> type[Record]:
    from stratctl.records import Trust  # when first needed (kinds.registry.RecordKind.source: start-up)

    return Trust


TRUST = register(RecordKind("trust", model))
