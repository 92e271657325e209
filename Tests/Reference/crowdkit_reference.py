#!/usr/bin/env python3
"""Runs Toloka crowd-kit 1.4.2's aggregation on label data sets and prints its results as JSON.

The reference side of concord's Aggregation tests (docs/aggregation.md): concord's
posteriors must equal these (ds, one-coin) or match their accuracy (mace, glad). Reads one
JSON object per line on stdin:

    {"method": "mv|ds|one-coin|mace|glad",
     "labels": [[item, rater, label], ...],   item and rater: any JSON scalar (ids);
                                              label: one of "classes"
     "classes": [every option, in the order concord lists them],
     "items": [item ids in the order to report them]     (optional; default: first appearance)
     "raters": [rater ids in the order to report them]   (optional; default: first appearance)
     "seed": integer                          (optional; mace's random_state)
     "start": {"spamming": [[spam, know] per rater], "thetas": [[per class] per rater]}
                                              (optional; mace's start instead of a random one)
     "kwargs": {...}                          (optional; passed to the crowd-kit class)}

and writes one JSON object per line:

    {"posteriors": [[P(class) in "classes" order] per item, null for an item crowd-kit
                    never saw],
     "labels": [index into "classes" of crowd-kit's labels_ per item],
     "priors": [per class] (ds, one-coin),
     "confusion": [per rater: [[P(given | true)] true rows, given columns, 0 where crowd-kit
                   has no (rater, given) row]] (ds, one-coin),
     "skills": [per rater] (one-coin, mv: skills_; mace: the know weight's share of
                spamming_; glad: alphas_),
     "iterations": len(loss_history_), "loss_history": [...]}

or {"error": "..."} when crowd-kit raised. Numbers are full precision (repr), NaN as null.
Never used by concord at run time.
"""
import json
import math
import sys
import warnings

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from crowdkit.aggregation import (  # noqa: E402
    GLAD,
    MACE,
    DawidSkene,
    MajorityVote,
    OneCoinDawidSkene,
)


def plain(x):
    """numpy values and nested lists → JSON-safe Python (non-finite → None)."""
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x) if math.isfinite(x) else None
    return x


class StartedMACE(MACE):
    """crowd-kit's MACE with `_initialize` replaced by a given start (its priors kept)."""

    def _initialize(self, n_workers, n_labels):
        super()._initialize(n_workers, n_labels)
        self.spamming_ = self.start_spamming.copy()
        self.thetas_ = self.start_thetas.copy()


def order(request, key, column, frame):
    if key in request:
        return request[key]
    return list(dict.fromkeys(frame[column].tolist()))


def run(request):
    method = request["method"]
    classes = request["classes"]
    kwargs = request.get("kwargs", {})
    frame = pd.DataFrame(request["labels"], columns=["task", "worker", "label"])
    items = order(request, "items", "task", frame)
    raters = order(request, "raters", "worker", frame)
    out = {}
    if method == "mv":
        model = MajorityVote(**kwargs)
    elif method == "ds":
        model = DawidSkene(**{"n_iter": 100, "tol": 1e-5, **kwargs})
    elif method == "one-coin":
        model = OneCoinDawidSkene(**{"n_iter": 100, "tol": 1e-5, **kwargs})
    elif method == "mace":
        model = MACE(**{"random_state": request.get("seed", 0), **kwargs})
        # crowd-kit's MACE M step reads its per-(worker, label) counts from a groupby, whose
        # rows and columns are sorted, into arrays indexed in pandas.factorize (first
        # appearance) order: unless the two orders agree, one rater's strategy lands on
        # another's. Rows sorted by rater and options renamed to their first-appearance rank
        # make them agree, so the reference is MACE as crowd-kit means it (docs/aggregation.md).
        frame = frame.sort_values("worker", kind="stable").reset_index(drop=True)
        codes, uniques = pd.factorize(frame["label"])
        frame["label"] = codes
        if "start" in request:
            # A given start instead of crowd-kit's random one, so concord's E and M steps can
            # be compared with crowd-kit's number for number: "spamming" is [spam, know] and
            # "thetas" a row over "classes", per rater in "raters" order.
            start = request["start"]
            row_of = {r: k for k, r in enumerate(raters)}
            column_of = {c: k for k, c in enumerate(classes)}
            workers = pd.factorize(frame["worker"])[1]
            model = StartedMACE(**{"n_restarts": 1, **kwargs})
            model.start_spamming = np.array([start["spamming"][row_of[w]] for w in workers], dtype=float)
            model.start_thetas = np.array([[start["thetas"][row_of[w]][column_of[c]] for c in uniques] for w in workers],
                                          dtype=float)
    elif method == "glad":
        model = GLAD(**kwargs)
    else:
        raise ValueError(f"unknown method {method}")
    model.fit(frame)
    if method == "mace":
        model.probas_ = model.probas_.rename(columns=lambda c: uniques[c])
        model.labels_ = model.labels_.map(lambda c: uniques[c])

    probas = model.probas_.reindex(columns=classes, fill_value=0.0)
    seen = set(probas.index)
    out["posteriors"] = [plain(probas.loc[i].to_numpy(dtype=float)) if i in seen else None for i in items]
    index_of = {c: k for k, c in enumerate(classes)}
    labels = model.labels_
    out["labels"] = [index_of.get(labels.loc[i]) if i in labels.index else None for i in items]

    if method in ("ds", "one-coin"):
        priors = model.priors_.reindex(classes, fill_value=0.0)
        out["priors"] = plain(priors.to_numpy(dtype=float))
        errors = model.errors_
        confusion = []
        for r in raters:
            matrix = [[0.0] * len(classes) for _ in classes]
            if r in errors.index.get_level_values("worker"):
                rows = errors.xs(r, level="worker")
                for given, row in rows.iterrows():
                    for true, value in row.items():
                        matrix[index_of[true]][index_of[given]] = float(value)
            confusion.append(matrix)
        out["confusion"] = confusion
        out["iterations"] = len(model.loss_history_)
        out["loss_history"] = plain(model.loss_history_)
    if method in ("one-coin", "mv"):
        out["skills"] = [plain(model.skills_.get(r, float("nan"))) for r in raters]
    if method == "mace":
        # spamming_[w]: the (spam, know) weights, raters in pandas.factorize (first-appearance)
        # order; with method "vb" they do not sum to 1, so the competence is know / (spam + know).
        names = list(pd.factorize(frame["worker"])[1])
        competence = {w: float(model.spamming_[k, 1] / model.spamming_[k].sum()) for k, w in enumerate(names)}
        out["skills"] = [competence.get(r) for r in raters]
    if method == "glad":
        out["skills"] = plain(model.alphas_.reindex(raters).to_numpy(dtype=float))
        out["difficulties"] = plain(model.betas_.reindex(items).to_numpy(dtype=float))
        out["iterations"] = len(model.loss_history_)
    return out


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            result = run(request)
        except Exception as error:  # crowd-kit's refusal is a result to compare with
            result = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
