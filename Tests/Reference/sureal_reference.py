#!/usr/bin/env python3
"""Runs Netflix sureal 0.9.0 on opinion-score data sets and prints its results as JSON.

The reference side of concord's OpinionScores tests (docs/mos.md): concord's numbers must
equal these. Reads one JSON object per line on stdin:

    {"method": "mos|bt500|p913|mle|mle_co|p910",
     "scores": [[row of one unit: a number per rater, null when missing], ...],
     "contents": [content index of each unit]   (optional; default: each unit its own)}

and writes one JSON object per line: sureal's model_result fields that concord compares,
lists of numbers (NaN and infinities as null), or {"error": "..."} when sureal raised.
Never used by concord at run time.
"""
import contextlib
import io
import json
import math
import sys
import types
import warnings

import numpy as np

warnings.filterwarnings("ignore")

from sureal.subjective_model import (  # noqa: E402
    MosModel,
    MaximumLikelihoodEstimationModel,
    MaximumLikelihoodEstimationModelContentOblivious,
)
from sureal import BT500Model, P913124Model, P910AnnexEModel  # noqa: E402
from sureal.dataset_reader import RawDatasetReader  # noqa: E402

MODELS = {
    "mos": MosModel,
    "bt500": BT500Model,
    "p913": P913124Model,
    "mle": MaximumLikelihoodEstimationModel,
    "mle_co": MaximumLikelihoodEstimationModelContentOblivious,
    "p910": P910AnnexEModel,
}

FIELDS = [
    "quality_scores", "quality_scores_std", "quality_scores_ci95", "quality_ambiguity",
    "observer_bias", "observer_bias_std", "observer_bias_ci95",
    "observer_inconsistency", "observer_inconsistency_std", "observer_inconsistency_ci95",
    "content_ambiguity", "content_ambiguity_std", "content_ambiguity_ci95",
    "observer_rejected", "observer_rejected_1st_stats", "observer_rejected_2nd_stats",
    "observer_scores_mean", "observer_scores_std",
]


def plain(x):
    """numpy values and nested lists → JSON-safe Python (non-finite → None)."""
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer, int)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        x = float(x)
        return x if math.isfinite(x) else None
    return x


def dataset(scores, contents):
    """A sureal dataset object: one reference per content, one distorted video per unit."""
    if contents is None:
        contents = list(range(len(scores)))
    d = types.SimpleNamespace()
    d.dataset_name = "concord"
    d.yuv_fmt = "yuv420p"
    d.width, d.height = 1920, 1080
    d.ref_videos = [{"content_id": c, "content_name": f"c{c}", "path": f"ref{c}"}
                    for c in range(max(contents) + 1)]
    d.dis_videos = [{"content_id": contents[u], "asset_id": u, "path": f"dis{u}",
                     "os": [float("nan") if v is None else float(v) for v in row]}
                    for u, row in enumerate(scores)]
    return d


def run(obj):
    model = MODELS[obj["method"]](RawDatasetReader(dataset(obj["scores"], obj.get("contents"))))
    # sureal prints its iterations on stdout; keep them out of the JSON lines.
    with contextlib.redirect_stdout(io.StringIO()):
        result = model.run_modeling(**obj.get("kwargs", {}))
    return {k: plain(result[k]) for k in FIELDS if k in result}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = run(json.loads(line))
        except Exception as e:  # sureal's own refusal is a result the tests compare
            out = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
