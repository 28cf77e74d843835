"""Write tests/spc_holdout/series.csv and meta.csv: the series stratctl's SPC is compared on.

Shapes a trust's integrated performance report charts (four-hour performance with a step after a
new unit opens, response times in seconds with winter peaks, infection counts with ties, a
mortality ratio falling month on month), the patterns the rules turn on (a trend below the mean,
a shift, two of three, a spike that is screened out, a flat series, a point on the mean, two
trends meeting at a tie), series of 11 to 14 points, and rebased series with short and long
segments. Seeded, so the files are the same on every run. Run from the repository's root:

    python scripts/make_spc_holdout.py

then regenerate the package's own answers (scripts/ptd_reference.R, which needs R and the
package's source) and commit the four files together.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

OUT = Path("tests/spc_holdout")
Series = tuple[str, str, float | None, list[float], list[int], str]


def _noise(rng: random.Random, n: int, sd: float) -> list[float]:
    return [rng.gauss(0, sd) for _ in range(n)]


def _r1(values: list[float]) -> list[float]:
    return [round(v, 1) for v in values]


def shaped(rng: random.Random) -> list[Series]:
    s: list[Series] = []
    ed = [72 + e for e in _noise(rng, 30, 1.2)]
    ed = [v + (4.5 if i >= 15 else 0) for i, v in enumerate(ed)]
    s.append(("ed4h-step", "increase", 76.0, _r1(ed), [], "four-hour % stepping up at point 16"))
    s.append(("ed4h-step-rebased", "increase", 76.0, _r1(ed), [15], "the same, rebased where the unit opened"))
    c2 = [2100 + 240 * math.cos(2 * math.pi * (i - 8) / 12) + e - 6 * i for i, e in enumerate(_noise(rng, 36, 70))]
    s.append(("c2-seconds", "decrease", 1800.0, [round(v) for v in c2], [], "category 2 mean in seconds, winters"))
    s.append(("c2-seconds-rebased", "decrease", 1800.0, [round(v) for v in c2], [12, 24], "rebased each April"))
    cdiff = [float(min(9, max(0, round(rng.gauss(3, 1.6))))) for _ in range(30)]
    s.append(("cdiff-counts", "decrease", 2.0, cdiff, [], "C. difficile cases, small counts with ties"))
    shmi = [1.06 - 0.004 * i + e for i, e in enumerate(_noise(rng, 24, 0.006))]
    s.append(("shmi", "decrease", 1.0, [round(v, 3) for v in shmi], [], "a mortality ratio falling"))
    sick = [4.6 + 0.6 * math.cos(2 * math.pi * (i - 9) / 12) + e for i, e in enumerate(_noise(rng, 27, 0.15))]
    s.append(("sickness", "decrease", 4.0, [round(v, 2) for v in sick], [], "sickness absence %, seasonal"))
    falls = [6.2 + e for e in _noise(rng, 20, 0.7)] + [5.0 + e for e in _noise(rng, 10, 0.5)]
    s.append(("falls", "decrease", None, _r1(falls), [], "falls per 1,000 bed days, a step down"))
    s.append(("falls-rebased-short", "decrease", None, _r1(falls), [20], "rebased leaving a 10-point segment"))
    demand = [13000 + e for e in _noise(rng, 24, 450)]
    s.append(("attendances", "neutral", None, [round(v) for v in demand], [], "attendances, watched"))
    surge = [round(v) for v in demand[:18]] + [15800.0]
    s.append(("attendances-surge", "neutral", None, surge, [], "attendances, a surge in the latest month"))
    # the patterns
    below_rise = [80, 84, 78, 83, 81, 85, 79, 84, 82, 86, 60, 62, 64, 66, 68, 70, 72, 80, 83]
    s.append(("trend-rising-below-mean", "increase", 75.0, [float(v) for v in below_rise], [], "PR 180's case"))
    s.append(("trend-rising-below-mean-down", "decrease", 75.0, [float(v) for v in below_rise], [], "reversed"))
    above_fall = [20, 16, 21, 17, 20, 16, 19, 40, 38, 36, 34, 32, 30, 28, 18, 21, 17]
    s.append(("trend-falling-above-mean", "increase", None, [float(v) for v in above_fall], [], "falling, above"))
    s.append(("trend-falling-neutral", "neutral", None, [float(v) for v in above_fall], [], "falling, neutral"))
    peak = [9, 18] * 6 + [4, 5, 6, 7, 8, 9, 10, 9, 8, 7, 6, 5, 4]
    s.append(("peak-on-mean", "neutral", None, [float(v) for v in peak], [], "two trends meeting on the mean"))
    tie = [5, 9, 5, 9, 5, 9, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1, 5, 9]
    s.append(("tie-between-trends", "increase", None, [float(v) for v in tie], [], "a rise, a tie, a fall"))
    s.append(("tie-between-trends-down", "decrease", None, [float(v) for v in tie], [], "the same, down"))
    two3 = [9, 11] * 6 + [16, 11, 16]
    s.append(("two-of-three", "decrease", None, [float(v) for v in two3], [], "two of three high"))
    two3b = [9, 11] * 6 + [17, 9, 17]
    s.append(("two-of-three-across", "increase", None, [float(v) for v in two3b], [], "across the mean"))
    shift = [8, 12] * 4 + [8] + [11] * 7
    s.append(("shift-seven", "increase", 9.0, [float(v) for v in shift], [], "seven above"))
    on_mean = [8, 11, 8, 11, 8, 11, 8, 11, 8, 11, 11, 11, 10, 11, 11, 11]
    s.append(("point-on-mean", "increase", None, [float(v) for v in on_mean], [], "a point on the mean"))
    spike = [9, 11] * 7 + [20]
    s.append(("spike", "increase", 12.0, [float(v) for v in spike], [], "a spike screened out"))
    s.append(("flat", "increase", 8.0, [7.0] * 15, [], "never moved"))
    s.append(("flat-target-equal", "down", 7.0, [7.0] * 16, [], "never moved, target on it"))
    s.append(("flat-one-drop", "increase", None, [20.0] * 14 + [5.0], [], "flat then a drop"))
    s.append(("flat-rebased", "increase", 3.0, [float(rng.randint(0, 6)) for _ in range(14)] + [2.0] * 13, [14], ""))
    s.extend(
        (f"short-{n}", "increase", 50.0, _r1([50 + e for e in _noise(rng, n, 3)]), [], f"{n} points")
        for n in (11, 12, 13, 14)
    )
    s.append(
        ("short-rising-13", "increase", None, [float(v) for v in [3, 5, 4, 6, 7, 8, 9, 10, 11, 12, 8, 9, 7]], [], "")
    )
    mid = _r1(
        [40 + e for e in _noise(rng, 14, 2)]
        + [45 + e for e in _noise(rng, 6, 2)]
        + [38 + e for e in _noise(rng, 15, 2)]
    )
    s.append(("short-middle-segment", "decrease", 41.0, mid, [14, 20], "a 6-point middle segment"))
    screen = [10, 12, 11, 13, 10, 55, 12, 11, 13, 12, 10, 11, -20, 12, 11, 13, 12]
    s.append(("screen-two", "increase", None, [float(v) for v in screen], [], "two wild months"))
    return [(n, "decrease" if d == "down" else d, t, v, r, w) for n, d, t, v, r, w in s]


def random_walks(rng: random.Random, count: int) -> list[Series]:
    out: list[Series] = []
    for k in range(count):
        n = rng.randint(12, 40)
        level = rng.uniform(-50, 200)
        step = rng.choice([0.5, 1, 2, 5])
        values = [level]
        for _ in range(n - 1):
            values.append(values[-1] + rng.choice([-2, -1, -1, 0, 1, 1, 2]) * step)
        values = [round(v, 1) for v in values]
        direction = rng.choice(["increase", "decrease", "neutral"])
        target = (
            None
            if direction == "neutral" or rng.random() < 0.3
            else round(rng.uniform(min(values), max(values)) + rng.choice([-30, 0, 30]), 1)
        )
        rebase = sorted(rng.sample(range(1, n), rng.choice([0, 0, 1, 2]))) if n > 2 else []
        out.append((f"walk-{k:02d}", direction, target, values, rebase, "a random walk"))
    return out


def noisy(rng: random.Random, count: int) -> list[Series]:
    out: list[Series] = []
    for k in range(count):
        n = rng.randint(12, 36)
        base = rng.uniform(0, 100)
        sd = rng.uniform(0.5, 8)
        values = [base + rng.gauss(0, sd) for _ in range(n)]
        if rng.random() < 0.5:  # a step
            at = rng.randint(4, n - 2)
            values = [v + (rng.choice([-1, 1]) * 2.5 * sd if i >= at else 0) for i, v in enumerate(values)]
        if rng.random() < 0.4:  # a spike
            values[rng.randrange(n)] += rng.choice([-1, 1]) * 5 * sd
        decimals = rng.choice([0, 1, 2])
        values = [round(v, decimals) for v in values]
        direction = rng.choice(["increase", "decrease", "neutral"])
        target = None if direction == "neutral" or rng.random() < 0.3 else round(base + rng.gauss(0, 3 * sd), 1)
        rebase = [rng.randint(1, n - 1)] if rng.random() < 0.3 else []
        out.append((f"noisy-{k:02d}", direction, target, values, rebase, "noise, steps and spikes"))
    return out


def main() -> None:
    rng = random.Random(20251)
    series = shaped(rng) + random_walks(rng, 20) + noisy(rng, 20)
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "series.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["series", "index", "value", "rebase"])
        for name, _, _, values, rebase, _ in series:
            for i, v in enumerate(values):
                w.writerow([name, i + 1, repr(float(v)), 1 if i in rebase else 0])
    with (OUT / "meta.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["series", "direction", "target", "about"])
        for name, direction, target, _, _, about in series:
            w.writerow([name, direction, "NA" if target is None else repr(float(target)), about])


if __name__ == "__main__":
    main()
