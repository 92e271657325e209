#!/usr/bin/env python3
"""Bradley–Terry on N comparisons among M items: `concord pairwise` (end to end: CSV read,
fit, per-rater figures, JSON written) against choix 0.4.1 `ilsr_pairwise` and sureal 0.9.0
`BT_MLE` (resolve_model on the win matrix) on the same seeded data; the same scores (max |diff|
after centring), medians of --runs. sureal works on dense M×M matrices and a (M+1)² pinv, so it
is measured at --sureal-items/--sureal-comparisons when M is too large for it.

    .build-venv/bin/python3 bench/run_pairwise.py --concord .build/release/concord --runs 3 --out /tmp/pw-bench.md
"""
import argparse, contextlib, io, json, os, statistics, subprocess, sys, tempfile, time
import numpy as np
import choix
from pathlib import Path
from sureal.pc_subjective_model import BradleyTerryMlePairedCompSubjectiveModel as BT

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import write_section  # noqa: E402

BEGIN, END = "<!-- bench:pairwise -->", "<!-- /bench:pairwise -->"


def data(items, n, seed):
    rng = np.random.default_rng(seed)
    s = rng.normal(0, 1, items)
    a = rng.integers(0, items, n); b = rng.integers(0, items - 1, n); b = b + (b >= a)
    win_a = rng.random(n) < 1 / (1 + np.exp(s[b] - s[a]))
    rater = rng.integers(0, 50, n)
    return a, b, win_a, rater


def concord(binary, a, b, win_a, rater, runs):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("rater,a,b,winner\n")
        for x, y, w, r in zip(a, b, win_a, rater):
            f.write(f"r{r},i{x},i{y},i{x if w else y}\n")
        path = f.name
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run([binary, "pairwise", path, "--format", "json", "--ties", "half-win"], check=True, capture_output=True).stdout
        times.append(time.perf_counter() - t)
    os.unlink(path)
    scores = {it["item"]: it["score"] for it in json.loads(out)["items"]}
    return statistics.median(times), scores


def timed(f, runs):
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter(); out = f(); times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--concord", default=".build/release/concord")
    p.add_argument("--items", type=int, default=10_000); p.add_argument("--comparisons", type=int, default=1_000_000)
    p.add_argument("--sureal-items", type=int, default=1_000); p.add_argument("--sureal-comparisons", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3); p.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    o = p.parse_args()
    lines = [BEGIN, "## Bradley–Terry (issue 20)", "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `python3 bench/run_pairwise.py --runs {o.runs}` on the machine described above.",
             "`concord pairwise FILE --format json --ties half-win` end to end (CSV read, fit, intervals for groups up to 1,000 items,",
             "per-rater figures, JSON) against choix 0.4.1 `ilsr_pairwise` (tol 1e-10) and sureal 0.9.0 `BT_MLE` on the same seeded",
             f"comparisons; medians of {o.runs} runs; max |diff| of the scores after centring. sureal builds dense M×M matrices and",
             "an (M+1)² pseudo-inverse, so it runs at the smaller size only.", ""]

    def row(label, items, n, with_sureal):
        a, b, w, r = data(items, n, 1)
        tc, sc = concord(o.concord, a, b, w, r, o.runs)
        c = np.array([sc[f"i{k}"] for k in range(items)])
        pairs = [(x, y) if ww else (y, x) for x, y, ww in zip(a, b, w)]
        th, ch = timed(lambda: choix.ilsr_pairwise(items, pairs, tol=1e-10, max_iter=10_000), o.runs)
        ch = ch - ch.mean()
        out = [f"| {label} | {items:,} | {n:,} | concord {tc:.2f} s | choix ilsr {th:.2f} s ({th / tc:.1f}×), max |diff| {np.abs(c - ch).max():.1e} |"]
        if with_sureal:
            alpha = np.zeros((items, items)); np.add.at(alpha, (np.where(w, a, b), np.where(w, b, a)), 1)
            with contextlib.redirect_stdout(io.StringIO()):
                ts, sv = timed(lambda: BT.resolve_model(alpha, display=False)[0], o.runs)
            sv = np.array(sv); sv -= sv.mean()
            out[0] += f" sureal BT_MLE {ts:.2f} s ({ts / tc:.1f}×), max |diff| {np.abs(c - sv).max():.1e} |"
        else:
            out[0] += " sureal BT_MLE: not run (dense 10,000² matrices and a 10,001² pinv) |"
        return out

    lines += ["| size | items | comparisons | concord | choix | sureal |", "|---|---|---|---|---|---|"]
    lines += row("full", o.items, o.comparisons, False)
    lines += row("sureal's size", o.sureal_items, o.sureal_comparisons, True)
    lines.append(END)
    text = "\n".join(lines)
    print(text)
    write_section(Path(o.out), text, BEGIN, END)


if __name__ == "__main__":
    main()
