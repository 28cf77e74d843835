"""How an import names and matches the executives a tracker writes in its own words."""

from __future__ import annotations

import pytest

from stratctl.authoring.trust_editor import executive_id, normalised


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        ("COO", "COO"),  # an acronym stays as it is
        ("Chief Nurse", "CN"),
        ("CMO & Dep CEO", "CMO"),  # starts with an acronym: that is the post
        ("Director of Estates and Facilities", "DEF"),  # minor words carry no initial
        ("Director/Finance", "DF"),
        ("", "EXEC"),
    ],
)
def test_an_executive_is_named_by_upper_case_initials(post: str, expected: str) -> None:
    assert executive_id(post) == expected


def test_titles_match_whatever_their_spacing_and_case() -> None:
    assert normalised("  Chief   nurse ") == normalised("CHIEF NURSE") == "chief nurse"
    assert normalised("Chief Nurse") != normalised("Chief Nurses")
