"""The rule catalogue: `RULES` maps each code to its `Rule`, `lookup` finds one by code or name.

Rules live one family to a module. The first use of `RULES`, `Rule` or `lookup` from this package
imports every family, which registers them all; importing one family's module alone (the reader
imports stratctl.rules.yaml_syntax for the findings it makes) imports only that family, so that a
command answered from the cache never imports the rules and the rating engine they need (start-up).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

FAMILIES = (
    "baf",
    "identity",
    "lifecycle",
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
)
"""Every family's module, in the order their rules are listed."""

if TYPE_CHECKING:
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

_CATALOGUE = ("RULES", "Rule", "lookup")


def __getattr__(name: str) -> Any:
    """`RULES`, `Rule`, `lookup` or a family, with every family imported first (PEP 562)."""
    if name not in _CATALOGUE and name not in FAMILIES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    for family in FAMILIES:
        importlib.import_module(f"{__name__}.{family}")
    if name in FAMILIES:
        return globals()[name]  # bound by the import of the submodule
    registry = importlib.import_module(f"{__name__}.registry")
    value = getattr(registry, name)
    globals()[name] = value
    return value


__all__ = [
    "FAMILIES",
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
