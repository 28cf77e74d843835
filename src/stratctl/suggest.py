"""'Did you mean ...?' for names that are nearly right."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(wrong: object, candidates: Iterable[str]) -> str:
    """` (did you mean 'X'?)` for the closest candidate, or an empty string."""
    if not isinstance(wrong, str):
        wrong = str(wrong)
    options = sorted(set(candidates))
    by_case = {c.lower(): c for c in options}
    if wrong.lower() in by_case:
        return f"; did you mean {by_case[wrong.lower()]!r}?"
    close = difflib.get_close_matches(wrong, options, n=1, cutoff=0.6)
    if not close:
        close = [by_case[m] for m in difflib.get_close_matches(wrong.lower(), list(by_case), n=1, cutoff=0.6)]
    return f"; did you mean {close[0]!r}?" if close else ""
