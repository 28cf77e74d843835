"""NHSRplotthedots 0.2.2, ported line by line from its R source: the oracle stratctl.spc is held to.

Written from the package's own files (R/ptd_spc_standard.R, R/ptd_calculate_point_type.R,
R/ptd_calculate_assurance_type.R, R/ptd_add_short_group_warnings.R, R/geom_ptd_icon.R,
R/ptd_add_rebase_column.R; the package at commit 050b07d, September 2025), never from
stratctl.spc, and kept in the R code's shape so that each function can be read beside its
original: the same padding, the same windows, the same case_when order. Where R's arithmetic
matters it is copied too: `mean()`'s second pass, `2 * (2.66 / 3)` for the near lines (not
`2 / 3 * 2.66`), and NA, which a comparison with a missing limit gives and `case_when` reads as
false.

The data-frame plumbing (dplyr's group_by and mutate) becomes a loop over rebase groups; a
rebase date becomes the index of the point it falls on (ptd_add_rebase_column: 1 on that row,
0 elsewhere, `cumsum` into groups).

tests/spc_holdout/ holds what the package itself computes for the hold-out series (its R code
run under R 4.2.2, by scripts/ptd_reference.R); tests/test_spc_holdout.py checks this port
against that first, then stratctl.spc against this port.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

LIMIT = 2.66
LIMIT_CLOSE = 2 * (LIMIT / 3)
WARNING_THRESHOLD = 13  # getOption("ptd_spc.warning_threshold", 13)


def r_mean(values: Sequence[float]) -> float:
    """R's mean() of doubles: the sum over n, then corrected by the mean of the residuals.

    R accumulates in long double; fsum (exact, then rounded once) stands in for it.
    """
    n = len(values)
    if n == 0:
        return math.nan
    s = math.fsum(values) / n
    if math.isfinite(s):
        s += math.fsum(v - s for v in values) / n
    return s


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


@dataclass(frozen=True)
class PtdRow:
    """One row of ptd_spc()'s data frame, the columns stratctl is compared on."""

    y: float
    rebase_group: int
    mean_col: float
    lpl: float
    upl: float
    nlpl: float
    nupl: float
    outside_limits: bool | None  # None: NA (a limit is NaN)
    relative_to_mean: int
    close_to_limits: bool | None
    special_cause_type: str
    point_type: str
    short_group_warning: bool


@dataclass(frozen=True)
class StandardRow:
    """A row after ptd_spc_standard(): the point, its group's lines and how it lies against them."""

    y: float
    rebase_group: int
    mean_col: float
    lpl: float
    upl: float
    nlpl: float
    nupl: float
    outside_limits: bool | None
    relative_to_mean: int
    close_to_limits: bool | None


def ptd_spc_standard(y: Sequence[float], rebase: Sequence[int]) -> list[StandardRow]:
    """ptd_spc_standard(): per rebase group, the mean, the screened mean moving range and the limits."""
    marks = set(rebase)
    groups: list[int] = []
    total = 0
    for i in range(len(y)):  # rebase_group = cumsum(rebase)
        total += 1 if i in marks else 0
        groups.append(total)
    rows: list[StandardRow] = []
    for group in sorted(set(groups)):
        ys = [v for v, g in zip(y, groups, strict=True) if g == group]
        mean_col = r_mean(ys)
        mr: list[float | None] = [None] + [abs(b - a) for a, b in pairwise(ys)]
        amr = r_mean([m for m in mr if m is not None])
        # screen: mr < 3.267 * amr kept, else NA (a comparison with NaN is NA: not kept either)
        mr = [m if m is not None and m < 3.267 * amr else None for m in mr]
        amr = r_mean([m for m in mr if m is not None])
        lpl, upl = mean_col - LIMIT * amr, mean_col + LIMIT * amr
        nlpl, nupl = mean_col - LIMIT_CLOSE * amr, mean_col + LIMIT_CLOSE * amr
        for v in ys:
            outside: bool | None = None if math.isnan(upl) else (v > upl or v < lpl)
            close: bool | None = None if outside is None else (not outside) and (v < nlpl or v > nupl)
            rows.append(StandardRow(v, group, mean_col, lpl, upl, nlpl, nupl, outside, _sign(v - mean_col), close))
    return rows


def ptd_seven_point_one_side_mean(v: Sequence[int]) -> list[int]:
    vp = [0] * 6 + list(v)
    return [int(all(vp[i] == vp[i - k] for k in range(1, 7)) and vp[i] != 0) for i in range(6, len(vp))]


def ptd_part_of_seven_trend(v: Sequence[int]) -> list[int]:
    vp = list(v) + [0] * 6
    return [int(any(abs(vp[i + k]) == 1 for k in range(7))) for i in range(len(v))]


def ptd_seven_point_trend(y: Sequence[float]) -> list[int]:
    if len(y) < 7:
        return [0] * len(y)
    out = [0] * 6
    for i in range(6, len(y)):
        window = [y[i - k] for k in range(7)]  # y[i - 0:6]
        d = [-_sign(b - a) for a, b in pairwise(window)]  # sign(diff(.)) * -1
        out.append(1 if all(x == 1 for x in d) else -1 if all(x == -1 for x in d) else 0)
    return out


def ptd_two_in_three(v: Sequence[bool | None], rtm: Sequence[int]) -> list[bool]:
    """A close point NA makes a window's sum NA: `NA >= 2 & FALSE` is FALSE, `NA & TRUE` NA (false)."""
    vp: list[int | None] = [0, 0, *(None if c is None else int(c) for c in v), 0, 0]
    rp = [0, 0, *rtm, 0, 0]

    def window(start: int) -> bool:
        close = vp[start : start + 3]
        same_side = abs(sum(rp[start : start + 3])) == 3
        if any(c is None for c in close):
            return False  # NA & same_side: NA or FALSE, neither true
        return sum(c for c in close if c is not None) >= 2 and same_side

    return [window(i) or window(i + 1) or window(i + 2) for i in range(len(v))]


def ptd_part_of_two_in_three(v: Sequence[bool], x: Sequence[bool | None]) -> list[int]:
    return [int(a and b is True) for a, b in zip(v, x, strict=True)]


def ptd_special_cause_type(
    y: Sequence[float],
    relative_to_mean: Sequence[int],
    close_to_limits: Sequence[bool | None],
    outside_limits: Sequence[bool | None],
) -> list[str]:
    part_trend = ptd_part_of_seven_trend(ptd_seven_point_trend(y))
    part_two = ptd_part_of_two_in_three(ptd_two_in_three(close_to_limits, relative_to_mean), close_to_limits)
    part_shift = ptd_part_of_seven_trend(ptd_seven_point_one_side_mean(relative_to_mean))
    n = len(y)
    sdy = [_sign(b - a) for a, b in pairwise(y)]
    # if a point is part of a trend either side, use right side
    right = sdy + sdy[-1:]
    left = [0, *sdy]
    nxt = [*part_trend[1:], 0]
    sdy2 = [right[i] if (nxt[i] and part_trend[i]) else left[i] for i in range(n)]
    out = []
    for i in range(n):
        above_or_below = "Above" if relative_to_mean[i] > 0 else "Below"
        if outside_limits[i]:  # NA: case_when reads it as false
            out.append("Above UCL" if relative_to_mean[i] == 1 else "Below LCL")
        elif part_trend[i] != 0:
            out.append(f"7 Point Trend ({'In' if sdy2[i] == 1 else 'De'}creasing)")
        elif part_two[i] != 0:
            out.append(f"2 in 3 {above_or_below} CL")
        elif part_shift[i] != 0:
            out.append(f"7 Points {above_or_below} CL")
        else:
            out.append("Common Cause")
    return out


def ptd_point_type(special_cause_type: Sequence[str], improvement_direction: int) -> list[str]:
    out = []
    for t in special_cause_type:
        v = 1 if ("Above" in t or "Increasing" in t) else -1 if ("Below" in t or "Decreasing" in t) else 0
        if improvement_direction == 0:
            out.append(
                "special_cause_neutral_high" if v > 0 else "special_cause_neutral_low" if v < 0 else "common_cause"
            )
        else:
            v *= improvement_direction
            out.append("special_cause_improvement" if v > 0 else "special_cause_concern" if v < 0 else "common_cause")
    return out


DIRECTIONS = {"increase": 1, "neutral": 0, "decrease": -1}


def ptd_spc(y: Sequence[float], improvement_direction: str, rebase: Sequence[int] = ()) -> list[PtdRow]:
    """ptd_spc(): the standard columns, the point types per rebase group, the short-group warnings."""
    rows = ptd_spc_standard([float(v) for v in y], rebase)
    direction = DIRECTIONS[improvement_direction]
    result: list[PtdRow] = []
    for group in sorted({r.rebase_group for r in rows}):
        part = [r for r in rows if r.rebase_group == group]
        types = ptd_special_cause_type(
            [r.y for r in part],
            [r.relative_to_mean for r in part],
            [r.close_to_limits for r in part],
            [r.outside_limits for r in part],
        )
        for r, t, p in zip(part, types, ptd_point_type(types, direction), strict=True):
            result.append(
                PtdRow(
                    y=r.y,
                    rebase_group=group,
                    mean_col=r.mean_col,
                    lpl=r.lpl,
                    upl=r.upl,
                    nlpl=r.nlpl,
                    nupl=r.nupl,
                    outside_limits=r.outside_limits,
                    relative_to_mean=r.relative_to_mean,
                    close_to_limits=r.close_to_limits,
                    special_cause_type=t,
                    point_type=p,
                    short_group_warning=len(part) < WARNING_THRESHOLD,
                )
            )
    return result


def variation_icon(rows: Sequence[PtdRow], improvement_direction: str) -> str:
    """geom_ptd_icon.R's variation_icon_file(): the latest point's type as an icon's name."""
    point_type = rows[-1].point_type
    increase = improvement_direction == "increase"
    return {
        "common_cause": "common_cause",
        "special_cause_neutral_high": "neutral_high",
        "special_cause_neutral_low": "neutral_low",
        "special_cause_concern": "concern_low" if increase else "concern_high",
        "special_cause_improvement": "improvement_high" if increase else "improvement_low",
    }[point_type]


def assurance_type(rows: Sequence[PtdRow], improvement_direction: str, target: float | None) -> str | None:
    """ptd_calculate_assurance_type(): the target against the latest row's limits."""
    if target is None or improvement_direction == "neutral":
        return None
    last = rows[-1]
    increasing = improvement_direction == "increase"
    if target > last.upl:  # NA (a NaN limit) is false: case_when falls through
        return "consistent_fail" if increasing else "consistent_pass"
    if target < last.lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"
