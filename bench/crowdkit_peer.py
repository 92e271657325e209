#!/usr/bin/env python3
"""The peer of `concord aggregate FILE --method ds` in bench/run_aggregate.py: what a user of
Toloka crowd-kit 1.4.2 would run on the same reliability CSV, end to end.

Reads the CSV (unit,rater,value; an empty value is a missing label, dropped) with pandas,
renames the columns to crowd-kit's task, worker, label, fits `DawidSkene(n_iter=100,
tol=1e-5)` (or `OneCoinDawidSkene`, `--method one-coin`), and writes the numbers concord
prints as JSON to --out (or stdout):

    {"method", "classes": [option names in crowd-kit's column order],
     "units": [names], "posteriors": [[P per option] per unit], "labels": [...],
     "iterations": N, "read_seconds": t, "model_seconds": t}

(read_seconds: the CSV into a DataFrame; model_seconds: fit alone). Values are read as
text (`dtype=str`), so options are sorted by code point, as concord sorts non-numeric
values (docs/aggregation.md). Runs inside .build-venv.
"""
import argparse
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")

import pandas as pd  # noqa: E402
from crowdkit.aggregation import DawidSkene, OneCoinDawidSkene  # noqa: E402

MODELS = {"ds": DawidSkene, "one-coin": OneCoinDawidSkene}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--method", choices=sorted(MODELS), default="ds")
    ap.add_argument("--out")
    a = ap.parse_args()
    started = time.perf_counter()
    df = pd.read_csv(a.csv, dtype=str, keep_default_na=False, na_values={"value": [""]})
    df = df.dropna(subset=["value"]).rename(columns={"unit": "task", "rater": "worker", "value": "label"})
    read = time.perf_counter()
    model = MODELS[a.method](n_iter=100, tol=1e-5)
    model.fit(df[["task", "worker", "label"]])
    modeled = time.perf_counter()
    probas = model.probas_
    out = {
        "method": a.method,
        "classes": [str(c) for c in probas.columns],
        "units": [str(u) for u in probas.index],
        "posteriors": probas.to_numpy(dtype=float).tolist(),
        "labels": [str(x) for x in model.labels_.reindex(probas.index)],
        "iterations": len(model.loss_history_),
        "read_seconds": read - started,
        "model_seconds": modeled - read,
    }
    text = json.dumps(out)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
