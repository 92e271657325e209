#!/usr/bin/env python3
"""Aggregation benchmark (issue 19), written to BENCHMARKS.md (or --out) between
<!-- bench:aggregate --> and <!-- /bench:aggregate -->.

`concord aggregate FILE --method ds --format json` on a reliability CSV of 1,000,000 labels
(100,000 items × 10 labels, 200 raters, 5 options; each item labelled by 10 raters drawn at
random, so most (item, rater) pairs are missing), against crowd-kit 1.4.2's
`DawidSkene(n_iter=100, tol=1e-5)` on the same file (bench/crowdkit_peer.py: pandas reads
the CSV, then the fit). Both end to end: process start to exit, reading the file and
writing the posteriors included. One untimed warm-up round checks that both give the same
posteriors (max |difference| over every item and option) and the same number of
iterations; then --runs rounds (default 3), concord and crowd-kit alternating, each figure
the median. Peak memory is the child's maximum resident set size (os.wait4). Beside the
end-to-end figure (the target, ≥ 20×), the fit alone: crowd-kit's as the peer times it,
and concord's time minus that of `concord aggregate FILE --method mv` (start, reading,
output: the floor every method shares).

Builds nothing: `make bench` builds `concord` in release mode first ($CONCORD_BIN, default
.build/release/concord). The data file is generated once into bench/data/aggregate/ (seeded).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import machine_info, write_section  # noqa: E402

BEGIN, END = "<!-- bench:aggregate -->", "<!-- /bench:aggregate -->"
DATA = ROOT / "bench/data/aggregate"
ITEMS, PER_ITEM, RATERS, SEED = 100_000, 10, 200, 19
OPTIONS = ["none", "minor", "moderate", "major", "severe"]


def generate(path: Path):
    """Each item a true option (skewed towards the mild ones); 80% of raters good (right with
    probability 0.55–0.95, erring mostly to a neighbouring option), 10% spammers (uniform),
    5% adversarial (the next option), 5% biased (say "none" half the time)."""
    rng = random.Random(SEED)
    k = len(OPTIONS)
    weights = [0.35, 0.25, 0.2, 0.12, 0.08]
    kinds = []
    for r in range(RATERS):
        x = rng.random()
        kinds.append(("good", rng.uniform(0.55, 0.95)) if x < 0.8 else ("spam", 0) if x < 0.9
                     else ("adversary", 0) if x < 0.95 else ("biased", 0))
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as f:
        f.write("unit,rater,value\n")
        for i in range(ITEMS):
            t = rng.choices(range(k), weights)[0]
            for r in sorted(rng.sample(range(RATERS), PER_ITEM)):
                kind, accuracy = kinds[r]
                if kind == "good":
                    g = t if rng.random() < accuracy else min(k - 1, max(0, t + rng.choice((-1, 1))))
                elif kind == "spam":
                    g = rng.randrange(k)
                elif kind == "adversary":
                    g = (t + 1) % k
                else:
                    g = 0 if rng.random() < 0.5 else t
                f.write(f"item{i},rater{r},{OPTIONS[g]}\n")
    tmp.rename(path)


def run_measured(cmd, stdout_path):
    """(seconds, peak RSS in MiB) of one child, process start to exit."""
    with open(stdout_path, "w") as out:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - t
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed: {err}")
    return elapsed, usage.ru_maxrss / 1024


def max_difference(concord_path, peer_path):
    """max |P_concord − P_crowd-kit| over every item and option, and both iteration counts."""
    doc = json.loads(Path(concord_path).read_text())
    ours = {u["unit"]: u["posterior"] for u in doc["units"]}
    peer = json.loads(Path(peer_path).read_text())
    worst = 0.0
    for unit, row in zip(peer["units"], peer["posteriors"]):
        p = ours[unit]
        for option, value in zip(peer["classes"], row):
            worst = max(worst, abs(p[option] - value))
    if len(ours) != len(peer["units"]):
        raise SystemExit(f"bench: concord has {len(ours)} units, crowd-kit {len(peer['units'])}")
    return worst, doc.get("iterations"), peer["iterations"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    a = ap.parse_args()
    concord = os.environ.get("CONCORD_BIN", str(ROOT / ".build/release/concord"))
    python = ROOT / ".build-venv/bin/python3"
    DATA.mkdir(parents=True, exist_ok=True)
    csv = DATA / "labels_1m.csv"
    if not csv.exists():
        generate(csv)
    rows = sum(1 for _ in open(csv)) - 1
    with tempfile.TemporaryDirectory() as tmp:
        ours = [concord, "aggregate", str(csv), "--method", "ds", "--format", "json"]
        base = [concord, "aggregate", str(csv), "--method", "mv", "--format", "json"]
        peer = [str(python), str(ROOT / "bench/crowdkit_peer.py"), str(csv), "--method", "ds"]
        co, po, bo = Path(tmp) / "concord.json", Path(tmp) / "crowdkit.json", Path(tmp) / "mv.json"
        run_measured(ours, co)
        run_measured(peer, po)
        run_measured(base, bo)
        diff, our_iterations, peer_iterations = max_difference(co, po)
        times = {"concord": [], "crowd-kit": []}
        memory = {"concord": 0.0, "crowd-kit": 0.0}
        fit, floor = [], []
        for r in range(a.runs):
            for who, cmd, path in (("concord", ours, co), ("crowd-kit", peer, po)):
                t, rss = run_measured(cmd, path)
                times[who].append(t)
                memory[who] = max(memory[who], rss)
                print(f"bench: aggregate ds {who} run {r + 1}: {t:.2f} s, {rss:.0f} MiB", file=sys.stderr)
            fit.append(json.loads(po.read_text())["model_seconds"])
            floor.append(run_measured(base, bo)[0])
    c, s = statistics.median(times["concord"]), statistics.median(times["crowd-kit"])
    shared, peer_fit = statistics.median(floor), statistics.median(fit)
    info = machine_info(python)
    lines = [BEGIN, "## Consensus labels: Dawid–Skene (issue 19)", "",
             f"Measured {info['date']} by `make bench` (`python3 bench/run_aggregate.py --runs {a.runs}`) on the machine",
             f"described above ({info['cpu']}, {info['cores']}, {info['memory']}; concord commit {info.get('commit', '?')}).",
             f"Data: a reliability CSV of {rows:,} labels (unit,rater,value: {ITEMS:,} items × {PER_ITEM} labels from",
             f"{RATERS} raters drawn at random per item, {len(OPTIONS)} options; good raters, spammers, adversarial and biased",
             "ones; seeded). Each figure: process start to exit, median of the rounds; concord is `concord aggregate",
             "FILE --method ds --format json`, crowd-kit 1.4.2 is bench/crowdkit_peer.py (pandas reads the CSV, then",
             "`DawidSkene(n_iter=100, tol=1e-5)`, posteriors written as JSON). Posteriors: max |difference| over every",
             "item and option. Memory: peak resident set size of the process.", "",
             "| method | concord | crowd-kit | speed-up (target ≥ 20×) | met | max \\|difference\\| | iterations (concord / crowd-kit) | peak memory concord / crowd-kit |",
             "|---|---|---|---|---|---|---|---|",
             f"| ds | {c:.2f} s | {s:.2f} s | {s / c:.1f}× | {'yes' if s / c >= 20 else '**no**'} | {diff:.1e} | "
             f"{our_iterations} / {peer_iterations} | {memory['concord']:.0f} MiB / {memory['crowd-kit']:.0f} MiB |",
             "", f"The fit alone: concord's end-to-end time minus {shared * 1000:.0f} ms, the median of `concord aggregate",
             "FILE --method mv --format json` (process start, reading the CSV, writing JSON); crowd-kit's `fit` as the",
             "peer times it.", "",
             "| method | concord fit | crowd-kit fit | ratio |", "|---|---|---|---|",
             f"| ds | {max(c - shared, 0.001) * 1000:.0f} ms | {peer_fit:.2f} s | {peer_fit / max(c - shared, 0.001):.0f}× |",
             END]
    write_section(Path(a.out), "\n".join(lines) + "\n", BEGIN, END)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
