#!/usr/bin/env python3
"""scikit-learn's calibration figures for concord's judge calibration tests.

The reference side of JudgeCalibration (docs/release-gate-and-judges.md, "Calibration"):
concord's numbers must equal these. Reads one JSON object per line on stdin:

    {"confidence": [the judge's confidence in each answer, 0..1],
     "correct": [1 when the answer matches the golden set, else 0]}

and writes one JSON object per line:

    {"brier": sklearn.metrics.brier_score_loss(correct, confidence),
     "prob_true", "prob_pred": sklearn.calibration.calibration_curve(correct, confidence,
                                   n_bins=15, strategy="uniform") (non-empty bins only),
     "counts": answers per non-empty bin, binned as calibration_curve bins them,
     "ece": sum over those bins of count / N * |prob_true - prob_pred|}

Never used by concord at run time.
"""
import json
import sys
import warnings

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

warnings.filterwarnings("ignore")

N_BINS = 15

for line in sys.stdin:
    if not line.strip():
        continue
    data = json.loads(line)
    confidence = np.asarray(data["confidence"], dtype=float)
    correct = np.asarray(data["correct"], dtype=int)
    prob_true, prob_pred = calibration_curve(correct, confidence, n_bins=N_BINS, strategy="uniform")
    # calibration_curve's own binning (sklearn 1.7 calibration.py), for the counts it does not return.
    bins = np.linspace(0.0, 1.0, N_BINS + 1)
    binids = np.searchsorted(bins[1:-1], confidence)
    total = np.bincount(binids, minlength=len(bins))
    counts = total[total != 0]
    ece = float(np.sum(counts / len(confidence) * np.abs(prob_true - prob_pred)))
    brier = float(brier_score_loss(correct, confidence, pos_label=1))
    print(json.dumps({"brier": brier, "prob_true": prob_true.tolist(), "prob_pred": prob_pred.tolist(),
                      "counts": counts.tolist(), "ece": ece, "bins": binids.tolist()}))
