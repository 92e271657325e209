#!/usr/bin/env python3
"""Writes lukas_pc.csv (rater,a,b,winner) from lukas_pc_dataset.py exactly as sureal 0.9.0's
PairedCompDatasetReader reads it: one cell per (item, item, rater), so a pair a rater judged in
both orders counts once, the later entry winning (sureal's opinion_score_3darray). Run with the
reference venv: .build-venv/bin/python3 assets/examples/pairwise/make_lukas_csv.py"""
import csv, importlib.util, os
import numpy as np
from sureal.dataset_reader import PairedCompDatasetReader

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("lukas", os.path.join(here, "lukas_pc_dataset.py"))
d = importlib.util.module_from_spec(spec); spec.loader.exec_module(d)
r = PairedCompDatasetReader(d)
x = r.opinion_score_3darray
names = [v['path'][:-4] for v in d.dis_videos]
raters = r._get_list_observers()
with open(os.path.join(here, "lukas_pc.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["rater", "a", "b", "winner"])
    for s, rater in enumerate(raters):
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                if np.isfinite(x[i, j, s]):
                    w.writerow([rater, names[i], names[j], names[i] if x[i, j, s] == 1 else names[j] if x[i, j, s] == 0 else ""])
