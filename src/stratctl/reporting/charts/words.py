"""The words of a chart's readings: a point's SPC class, a variation and an assurance.

Templates print them beside or instead of the icons; the charts put them in their descriptions,
legends and hidden tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

__all__ = ["ASSURANCE_WORDS", "SPC_WORDS", "VARIATION_WORDS", "SpcClass"]

SpcClass = Literal["common", "improvement", "concern", "neutral", "none"]

SPC_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "improvement": "special cause: improvement",
        "concern": "special cause: concern",
        "neutral": "special cause: neither improvement nor concern",
        "common": "common cause",
        "none": "not assessed",
    }
)
"""A point's SPC reading in words, as the hidden table and legend print it."""

VARIATION_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "common_cause": "Common cause variation: no significant change",
        "improvement_high": "Special cause variation: improvement (high)",
        "improvement_low": "Special cause variation: improvement (low)",
        "concern_high": "Special cause variation: concern (high)",
        "concern_low": "Special cause variation: concern (low)",
        "neutral_high": "Special cause variation: neither improvement nor concern (high)",
        "neutral_low": "Special cause variation: neither improvement nor concern (low)",
    }
)
"""The text alternative of each variation icon, for templates to print beside or instead of it."""

ASSURANCE_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "pass": "Assurance: the process will consistently pass the target",
        "fail": "Assurance: the process will consistently fail the target",
        "hit_and_miss": "Assurance: hit and miss: the target lies within the process limits",
    }
)
"""The text alternative of each assurance icon."""
