#!/usr/bin/env python3
"""The peer of `concord mos FILE --method M` in bench/run_mos.py: what a user of Netflix
sureal 0.9.0 would run on the same reliability CSV, end to end.

Reads the CSV (unit,rater,value[,content]; an empty value is a missing rating) with pandas,
lays it out as sureal's dataset (one reference video per content, one distorted video per
unit with its opinion scores per rater, NaN where missing; units and raters in order of first
appearance, as concord), runs the model with its default arguments, and writes the numbers
concord prints as JSON to --out (or stdout):

    {"method", "units": [names], "scores": [...], "raters": [names], "bias": [...],
     "inconsistency": [...], "iterations": N, "read_seconds": t, "model_seconds": t}

(read_seconds: the CSV into sureal's dataset; model_seconds: run_modeling alone.)

Methods: mle = MaximumLikelihoodEstimationModel, mle_co = ...ContentOblivious,
p910 = P910AnnexEModel (MLE_CO_AP2) — docs/mos.md. sureal's per-iteration progress line
(written to stdout with \\r) goes to /dev/null. Runs inside .build-venv.
"""
import argparse
import contextlib
import json
import os
import sys
import time
import types

import numpy as np
import pandas as pd

from sureal import P910AnnexEModel
from sureal.dataset_reader import RawDatasetReader
from sureal.subjective_model import (
    MaximumLikelihoodEstimationModel,
    MaximumLikelihoodEstimationModelContentOblivious,
)

MODELS = {
    "mle": MaximumLikelihoodEstimationModel,
    "mle_co": MaximumLikelihoodEstimationModelContentOblivious,
    "p910": P910AnnexEModel,
}


def dataset_from_csv(path):
    """The reliability CSV as a sureal dataset, plus unit and rater names in first-seen order."""
    df = pd.read_csv(path, dtype={"unit": str, "rater": str, "content": str}, keep_default_na=False,
                     na_values={"value": [""]})
    units, unit_index = pd.factorize(df["unit"])
    raters, rater_index = pd.factorize(df["rater"])
    scores = np.full((len(unit_index), len(rater_index)), np.nan)
    scores[units, raters] = df["value"].to_numpy(dtype=float)
    if "content" in df.columns:
        contents, content_index = pd.factorize(df["content"])
        content_of_unit = np.zeros(len(unit_index), dtype=int)
        content_of_unit[units] = contents
        content_count = len(content_index)
    else:
        content_of_unit = np.arange(len(unit_index))
        content_count = len(unit_index)
    d = types.SimpleNamespace()
    d.dataset_name = "bench"
    d.yuv_fmt = "yuv420p"
    d.width, d.height = 1920, 1080
    d.ref_videos = [{"content_id": c, "content_name": f"c{c}", "path": f"ref{c}"} for c in range(content_count)]
    d.dis_videos = [{"content_id": int(content_of_unit[u]), "asset_id": u, "path": f"dis{u}", "os": list(scores[u])}
                    for u in range(len(unit_index))]
    return d, list(unit_index), list(rater_index)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--method", choices=sorted(MODELS), required=True)
    ap.add_argument("--out")
    a = ap.parse_args()
    started = time.perf_counter()
    dataset, units, raters = dataset_from_csv(a.csv)
    model = MODELS[a.method](RawDatasetReader(dataset))
    read = time.perf_counter()
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        result = model.run_modeling()
    modeled = time.perf_counter()
    out = {
        "method": a.method,
        "units": units,
        "scores": [float(x) for x in result["quality_scores"]],
        "raters": raters,
        "bias": [float(x) for x in result["observer_bias"]],
        "inconsistency": [float(x) for x in result["observer_inconsistency"]],
        "iterations": int(result.get("num_iter", -1)),
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
