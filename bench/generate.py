#!/usr/bin/env python3
"""Deterministic reliability-CSV generator for the agreement benchmarks.

Writes `unit,rater,value` rows (the format `concord agreement FILE.csv` reads): units
`u000000`.., raters `r1..rR`, integer values `1..K` so that nominal, ordinal, interval and
ratio alpha all apply; a missing rating is a row with an empty value.

Ratings are correlated the way real ones are: each unit has a true category, drawn with
skewed prevalence (category k has weight 1/k, as rubric answers usually are: most clips
are "fine"), and each rater reports it, except with probability --noise, when they pick a
category uniformly at random. With the defaults (K=6, noise 0.2) Krippendorff's nominal
alpha is about 0.62 and Gwet's AC1 about 0.64, realistic figures that also differ from
each other; independent random ratings would give alpha near 0, which is not what concord
will be measuring in practice.

Standard library only (random.Random(seed)), so the same seed gives the same bytes on any
Python 3, with or without the benchmark venv.
"""
from __future__ import annotations

import argparse
import bisect
import os
import random
import sys


def generate(units: int, raters: int, categories: int, missing: float, seed: int,
             noise: float, out) -> dict:
    """Write the CSV to the text stream `out`; return counts for the caller to print."""
    rng = random.Random(seed)
    width = max(6, len(str(max(units - 1, 0))))
    rater_names = [f"r{j}" for j in range(1, raters + 1)]
    values = [str(v) for v in range(1, categories + 1)]
    cumulative, total = [], 0.0
    for k in range(1, categories + 1):
        total += 1.0 / k
        cumulative.append(total)
    rows = missing_rows = 0
    out.write("unit,rater,value\n")
    buf = []
    for i in range(units):
        unit = f"u{i:0{width}d}"
        truth = min(bisect.bisect_right(cumulative, rng.random() * total), categories - 1)
        for name in rater_names:
            # Draw every random number in the same order whatever the outcome, so that
            # changing --missing does not reshuffle the ratings themselves.
            is_noisy = rng.random() < noise
            noisy_value = rng.randrange(categories)
            is_missing = rng.random() < missing
            if is_missing:
                buf.append(f"{unit},{name},\n")
                missing_rows += 1
            else:
                buf.append(f"{unit},{name},{values[noisy_value if is_noisy else truth]}\n")
            rows += 1
        if len(buf) >= 65536:  # write in chunks: 1M small writes are slow
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))
    return {"rows": rows, "missing_rows": missing_rows}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--units", type=int, required=True)
    p.add_argument("--raters", type=int, required=True)
    p.add_argument("--categories", type=int, required=True)
    p.add_argument("--missing", type=float, default=0.0, help="fraction of ratings left empty")
    p.add_argument("--noise", type=float, default=0.2,
                   help="probability that a rater ignores the unit's true category (default 0.2)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True, help="output CSV path ('-' for stdout)")
    a = p.parse_args(argv)
    if a.units < 1 or a.raters < 1 or a.categories < 2:
        p.error("need --units >= 1, --raters >= 1, --categories >= 2")
    if not (0.0 <= a.missing < 1.0 and 0.0 <= a.noise <= 1.0):
        p.error("--missing must be in [0, 1) and --noise in [0, 1]")

    if a.out == "-":
        counts = generate(a.units, a.raters, a.categories, a.missing, a.seed, a.noise, sys.stdout)
    else:
        # Write to a temporary name and rename, so an interrupted run never leaves a
        # truncated file that run.py would then take as already generated.
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        tmp = a.out + ".part"
        with open(tmp, "w", newline="") as f:
            counts = generate(a.units, a.raters, a.categories, a.missing, a.seed, a.noise, f)
        os.replace(tmp, a.out)
        print(f"wrote {a.out}: {counts['rows']} rows, {counts['missing_rows']} missing",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
