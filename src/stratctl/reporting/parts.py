"""Small named values the report's sections share."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Named:
    """Something the paper names by id and title: an executive, a strategic objective."""

    id: str
    title: str
