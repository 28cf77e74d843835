"""data/trust.yaml: the frame every other record refers to."""

from stratctl.kinds.registry import RecordKind, register
from stratctl.records import Trust

TRUST = register(RecordKind("trust", Trust))
