#!/usr/bin/env python3
"""Bradley–Terry on N comparisons among M items: `concord pairwise` (end to end: CSV read,
fit, intervals for every item, per-rater figures, JSON written) against choix 0.4.1
`ilsr_pairwise` and sureal 0.9.0 `BT_MLE` (resolve_model on the win matrix) on the same seeded
data; the same scores (max |diff| after centring), medians of --runs (choix at the full size:
--choix-runs, one by default: it takes minutes). concord's peak memory is read from
/usr/bin/time -v.

sureal works on dense M×M matrices and an (M+1)² pinv. At the full size it runs once only
with --sureal-full (unfinished after 47 minutes and 7.7 GB here); otherwise its time there is extrapolated
from --sureal-sizes (the same comparisons per item) by the power law through the two largest,
and the table says so.

    .build-venv/bin/python3 bench/run_pairwise.py --concord .build/release/concord --runs 3 --out /tmp/pw-bench.md
"""
import argparse, contextlib, io, json, math, os, re, statistics, subprocess, sys, tempfile, time
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
    """Median seconds, scores by item name, the peak resident set (MB) of the last run, and
    how many intervals were approximate."""
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("rater,a,b,winner\n")
        for x, y, w, r in zip(a, b, win_a, rater):
            f.write(f"r{r},i{x},i{y},i{x if w else y}\n")
        path = f.name
    times, out, peak = [], None, None
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-v", binary, "pairwise", path, "--format", "json", "--ties", "half-win"],
                           check=True, capture_output=True)
        times.append(time.perf_counter() - t)
        out = p.stdout
        m = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
        peak = int(m.group(1)) / 1024 if m else None
    os.unlink(path)
    items = json.loads(out)["items"]
    scores = {it["item"]: it["score"] for it in items}
    without = sum(1 for it in items if it["ci95"] is None)
    return statistics.median(times), scores, peak, without


def timed(f, runs):
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter(); out = f(); times.append(time.perf_counter() - t)
    return statistics.median(times), out


def sureal_fit(items, a, b, w):
    alpha = np.zeros((items, items)); np.add.at(alpha, (np.where(w, a, b), np.where(w, b, a)), 1)
    with contextlib.redirect_stdout(io.StringIO()):
        v = np.array(BT.resolve_model(alpha, display=False)[0])
    return v - v.mean()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--concord", default=".build/release/concord")
    p.add_argument("--items", type=int, default=10_000); p.add_argument("--comparisons", type=int, default=1_000_000)
    p.add_argument("--sureal-sizes", default="1000,2000,4000", help="items at which sureal runs (comparisons per item as at the full size)")
    p.add_argument("--sureal-full", action="store_true", help="also run sureal once at the full size (more than 47 minutes)")
    p.add_argument("--runs", type=int, default=3); p.add_argument("--choix-runs", type=int, default=1)
    p.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    o = p.parse_args()
    per_item = o.comparisons / o.items
    lines = [BEGIN, "## Bradley–Terry (issue 20)", "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `python3 bench/run_pairwise.py --runs {o.runs}` on the machine described above.",
             "`concord pairwise FILE --format json --ties half-win` end to end (CSV read, Newton fit, a 95% interval for every item —",
             "exact up to 1,000 items per group, the series approximation beyond —, per-rater figures, JSON) against choix 0.4.1",
             "`ilsr_pairwise` (tol 1e-10) and sureal 0.9.0 `BT_MLE` on the same seeded comparisons; concord medians of "
             f"{o.runs} runs, choix of {o.choix_runs} at the full size and {o.runs} below; max |diff| of the scores after centring;",
             "peak memory of concord from `/usr/bin/time -v`. sureal builds dense M×M matrices and an (M+1)² pseudo-inverse.", "",
             "| items | comparisons | concord | peak memory | choix ilsr | sureal BT_MLE |", "|---|---|---|---|---|---|"]

    def row(items, n, choix_runs, sureal_note):
        a, b, w, r = data(items, n, 1)
        tc, sc, peak, without = concord(o.concord, a, b, w, r, o.runs)
        c = np.array([sc[f"i{k}"] for k in range(items)])
        pairs = [(x, y) if ww else (y, x) for x, y, ww in zip(a, b, w)]
        th, ch = timed(lambda: choix.ilsr_pairwise(items, pairs, tol=1e-10, max_iter=10_000), choix_runs)
        ch = ch - ch.mean()
        cells = [f"{items:,}", f"{n:,}", f"{tc:.2f} s" + (f" ({without} without interval)" if without else ""),
                 f"{peak:.0f} MB" if peak else "—",
                 f"{th:.2f} s ({th / tc:.1f}×), max \\|diff\\| {np.abs(c - ch).max():.1e}"]
        if sureal_note is None:
            ts, sv = timed(lambda: sureal_fit(items, a, b, w), 1 if items > 2000 else o.runs)
            cells.append(f"{ts:.2f} s ({ts / tc:.1f}×), max \\|diff\\| {np.abs(c - sv).max():.1e}")
            sureal_times[items] = ts
        else:
            cells.append(sureal_note(tc))
        lines.append("| " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)

    sureal_times = {}
    for items in sorted(int(x) for x in o.sureal_sizes.split(",") if x):
        row(items, int(items * per_item), o.runs, None)

    def extrapolated(tc):
        if len(sureal_times) < 2:
            return "not run"
        (m1, t1), (m2, t2) = sorted(sureal_times.items())[-2:]
        k = math.log(t2 / t1) / math.log(m2 / m1)
        est = t2 * (o.items / m2) ** k
        return f"not run: ≈ {est:,.0f} s extrapolated (time ∝ M^{k:.2f} from {m1:,} and {m2:,} items) ({est / tc:.0f}×)"

    row(o.items, o.comparisons, o.choix_runs, None if o.sureal_full else extrapolated)
    lines.append(END)
    text = "\n".join(lines)
    print(text)
    write_section(Path(o.out), text, BEGIN, END)


if __name__ == "__main__":
    main()
