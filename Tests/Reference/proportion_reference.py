#!/usr/bin/env python3
"""Reference side of concord's per-rater proportions (docs/pairwise.md "Per rater"): scipy's
exact binomial test of share 1/2 (two-sided) and its Wilson score interval.

One JSON object per line on stdin: {"k": successes, "n": trials}.
One JSON object per line out: {"p_value", "low", "high"} (scipy.stats.binomtest).
Never used by concord at run time.
"""
import json, sys
from scipy.stats import binomtest

for line in sys.stdin:
    if line.strip():
        q = json.loads(line)
        t = binomtest(q["k"], q["n"], 0.5)
        ci = t.proportion_ci(confidence_level=0.95, method="wilson")
        print(json.dumps({"p_value": float(t.pvalue), "low": float(ci.low), "high": float(ci.high)}), flush=True)
