"""The rule catalogue. Importing this package registers every rule.

Rules live one family to a module; `RULES` maps each code to its `Rule`.
"""

from stratctl.rules import (
    baf,
    identity,
    lifecycle,
    measures,
    ordering,
    owners,
    positions,
    references,
    schema,
    scoring,
    signoff,
    suppression,
    yaml_syntax,
)
from stratctl.rules.registry import RULES, Rule, lookup

__all__ = [
    "RULES",
    "Rule",
    "baf",
    "identity",
    "lifecycle",
    "lookup",
    "measures",
    "ordering",
    "owners",
    "positions",
    "references",
    "schema",
    "scoring",
    "signoff",
    "suppression",
    "yaml_syntax",
]
