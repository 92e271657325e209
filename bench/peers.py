#!/usr/bin/env python3
"""The Python pipelines that concord's agreement engine is measured against.

Each subcommand is what a user would otherwise write, run as its own process by
bench/run.py (so interpreter start and imports count, as they do for `concord`), and
prints one JSON object on stdout:

  pandas-krippendorff FILE   read_csv + pivot (raters x units) + krippendorff.alpha at all
                             four levels (concord computes every metric in one run)
  irrcac FILE                read_csv + pivot (units x raters) + irrCAC.raw.CAC(df) with
                             .krippendorff(), .fleiss(), .gwet()
  inmemory FILE --repeat N   load + pivot once (untimed), then time krippendorff.alpha
                             (nominal) alone N times; prints the median in ms
  bootstrap FILE --resamples B --seed S
                             load + pivot once (untimed), then the unit-level percentile
                             bootstrap of nominal alpha with krippendorff.alpha, as a user
                             would write it; prints the seconds per resample

Runs inside the benchmark venv (bench/requirements.txt). The figures in "phases_s" are for
reading only; run.py times the whole process from outside.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings

T0 = time.perf_counter()

import numpy as np  # noqa: E402  (imports are timed on purpose: a user pays for them)
import pandas as pd  # noqa: E402

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def load_raters_by_units(path: str) -> np.ndarray:
    """The krippendorff package wants raters as rows, units as columns, NaN for missing."""
    df = pd.read_csv(path)
    return df.pivot(index="rater", columns="unit", values="value").to_numpy(dtype=float)


def cmd_pandas_krippendorff(a) -> dict:
    import krippendorff

    t_import = time.perf_counter()
    matrix = load_raters_by_units(a.file)
    t_load = time.perf_counter()
    values = {
        f"krippendorff_alpha_{level}": float(
            krippendorff.alpha(reliability_data=matrix, level_of_measurement=level))
        for level in LEVELS
    }
    t_done = time.perf_counter()
    return {"metrics": values,
            "phases_s": {"import": t_import - T0, "load_pivot": t_load - t_import,
                         "alpha_x4": t_done - t_load}}


def cmd_irrcac(a) -> dict:
    from irrCAC.raw import CAC

    t_import = time.perf_counter()
    df = pd.read_csv(a.file)
    ratings = df.pivot(index="unit", columns="rater", values="value")
    t_load = time.perf_counter()
    with warnings.catch_warnings():
        # irrCAC 0.4.4 does an in-place replace on a dropna() copy; pandas warns about it.
        warnings.simplefilter("ignore")
        cac = CAC(ratings)
        alpha = cac.krippendorff()
        fleiss = cac.fleiss()
        gwet = cac.gwet()
    t_done = time.perf_counter()
    # irrCAC rounds every figure to `digits` (5 by default): run.py compares with that
    # tolerance, not 1e-9.
    return {"metrics": {"krippendorff_alpha_nominal": float(alpha["est"]["coefficient_value"]),
                        "fleiss_kappa": float(fleiss["est"]["coefficient_value"]),
                        "gwet_ac1": float(gwet["est"]["coefficient_value"]),
                        "percent_agreement": float(fleiss["est"]["pa"])},
            "digits": 5,
            "phases_s": {"import": t_import - T0, "load_pivot": t_load - t_import,
                         "cac": t_done - t_load}}


def cmd_inmemory(a) -> dict:
    import krippendorff

    matrix = load_raters_by_units(a.file)
    times_ms = []
    value = None
    for _ in range(a.repeat):
        t = time.perf_counter()
        value = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        times_ms.append((time.perf_counter() - t) * 1e3)
    return {"median_ms": statistics.median(times_ms), "runs_ms": times_ms,
            "krippendorff_alpha_nominal": float(value)}


def cmd_bootstrap(a) -> dict:
    import krippendorff

    matrix = load_raters_by_units(a.file)
    rng = np.random.default_rng(a.seed)
    n_units = matrix.shape[1]
    t = time.perf_counter()
    estimates = []
    for _ in range(a.resamples):
        idx = rng.integers(0, n_units, size=n_units)  # resample units with replacement
        estimates.append(krippendorff.alpha(reliability_data=matrix[:, idx],
                                            level_of_measurement="nominal"))
    seconds = time.perf_counter() - t
    lo, hi = np.percentile(estimates, [2.5, 97.5])
    return {"seconds": seconds, "resamples": a.resamples,
            "seconds_per_resample": seconds / a.resamples,
            "ci95_lower": float(lo), "ci95_upper": float(hi)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Python peer pipelines for bench/run.py")
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("pandas-krippendorff", "irrcac"):
        sub.add_parser(name).add_argument("file")
    s = sub.add_parser("inmemory")
    s.add_argument("file")
    s.add_argument("--repeat", type=int, default=7)
    s = sub.add_parser("bootstrap")
    s.add_argument("file")
    s.add_argument("--resamples", type=int, default=20)
    s.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    handler = {"pandas-krippendorff": cmd_pandas_krippendorff, "irrcac": cmd_irrcac,
               "inmemory": cmd_inmemory, "bootstrap": cmd_bootstrap}[a.cmd]
    json.dump(handler(a), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
