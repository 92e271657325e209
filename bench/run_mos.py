#!/usr/bin/env python3
"""Opinion-score benchmark (issue 18), written to BENCHMARKS.md (or --out) between
<!-- bench:mos --> and <!-- /bench:mos -->.

`concord mos FILE --method M --format json` for M = mle and p910 on 1,000,000 rows of a
reliability CSV (10,000 clips × 100 raters, 10% of the values empty = missing; 1,000
contents of 10 clips each, in a content column), against sureal 0.9.0 on the same file
(bench/sureal_peer.py: pandas reads the CSV, sureal's MaximumLikelihoodEstimationModel /
P910AnnexEModel with default arguments). Both end to end: process start to exit, reading
the file included. One untimed warm-up round checks that both give the same numbers (max
|difference| of scores, biases, inconsistencies); then --runs rounds (default 3), concord
and sureal alternating, each figure the median. Peak memory is the child's maximum resident
set size (os.wait4), the largest over the rounds. Beside the end-to-end figure (the target),
the model alone: sureal's run_modeling time (the peer times it), and concord's time minus
that of `concord mos FILE --method mos` on the same file (start, reading, output: the floor
every method shares), timed in the same rounds.

Builds nothing: `make bench` builds `concord` in release mode first ($CONCORD_BIN, default
.build/release/concord). The data file is generated once into bench/data/mos/ (seeded).
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

BEGIN, END = "<!-- bench:mos -->", "<!-- /bench:mos -->"
DATA = ROOT / "bench/data/mos"
UNITS, RATERS, PER_CONTENT, MISSING, SEED = 10_000, 100, 10, 0.10, 18
METHODS = ["mle", "p910"]


def generate(path: Path):
    """A subjective test on a 1–5 scale: each clip a true quality, each content an ambiguity,
    each rater a bias and a noise level; ratings rounded and clipped; 10% of values empty."""
    rng = random.Random(SEED)
    truth = [rng.uniform(1, 5) for _ in range(UNITS)]
    ambiguity = [rng.uniform(0.2, 0.6) for _ in range(UNITS // PER_CONTENT)]
    bias = [rng.gauss(0, 0.3) for _ in range(RATERS)]
    noise = [rng.uniform(0.4, 1.2) for _ in range(RATERS)]
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as f:
        f.write("unit,rater,value,content\n")
        for u in range(UNITS):
            c = u // PER_CONTENT
            for r in range(RATERS):
                if rng.random() < MISSING:
                    f.write(f"clip{u},rater{r},,src{c}\n")
                    continue
                v = truth[u] + bias[r] + rng.gauss(0, noise[r]) + rng.gauss(0, ambiguity[c])
                f.write(f"clip{u},rater{r},{min(5, max(1, round(v)))},src{c}\n")
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


def concord_numbers(path):
    """Scores, biases, inconsistencies by name from `concord mos --format json`."""
    doc = json.loads(Path(path).read_text())
    units = {u["unit"]: u["score"] for u in doc["units"]}
    raters = {r["rater"]: (r.get("bias"), r.get("inconsistency")) for r in doc["raters"]}
    return units, raters, doc.get("iterations")


def model_seconds(sureal_path):
    return json.loads(Path(sureal_path).read_text())["model_seconds"]


def max_difference(concord_path, sureal_path):
    units, raters, _ = concord_numbers(concord_path)
    s = json.loads(Path(sureal_path).read_text())
    worst = 0.0
    for name, score in zip(s["units"], s["scores"]):
        worst = max(worst, abs(units[name] - score))
    for name, b, v in zip(s["raters"], s["bias"], s["inconsistency"]):
        worst = max(worst, abs(raters[name][0] - b), abs(raters[name][1] - v))
    return worst, s["iterations"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    a = ap.parse_args()
    concord = os.environ.get("CONCORD_BIN", str(ROOT / ".build/release/concord"))
    python = ROOT / ".build-venv/bin/python3"
    DATA.mkdir(parents=True, exist_ok=True)
    csv = DATA / "ratings_1m.csv"
    if not csv.exists():
        generate(csv)
    rows = sum(1 for _ in open(csv)) - 1
    figures = {}
    floor = []
    with tempfile.TemporaryDirectory() as tmp:
        base = [concord, "mos", str(csv), "--method", "mos", "--format", "json"]
        run_measured(base, Path(tmp) / "concord-mos.json")
        for m in METHODS:
            ours = [concord, "mos", str(csv), "--method", m, "--format", "json"]
            peer = [str(python), str(ROOT / "bench/sureal_peer.py"), str(csv), "--method", m]
            co, so = Path(tmp) / f"concord-{m}.json", Path(tmp) / f"sureal-{m}.json"
            run_measured(ours, co)
            run_measured(peer, so)
            diff, sureal_iterations = max_difference(co, so)
            times = {"concord": [], "sureal": []}
            memory = {"concord": 0.0, "sureal": 0.0}
            sureal_model = []
            for r in range(a.runs):
                for who, cmd, path in (("concord", ours, co), ("sureal", peer, so)):
                    t, rss = run_measured(cmd, path)
                    times[who].append(t)
                    memory[who] = max(memory[who], rss)
                    print(f"bench: mos {m} {who} run {r + 1}: {t:.2f} s, {rss:.0f} MiB", file=sys.stderr)
                sureal_model.append(model_seconds(so))
                floor.append(run_measured(base, Path(tmp) / "concord-mos.json")[0])
            figures[m] = dict(times={k: statistics.median(v) for k, v in times.items()}, memory=memory,
                              diff=diff, iterations=(concord_numbers(co)[2], sureal_iterations),
                              sureal_model=statistics.median(sureal_model))
    info = machine_info(python)
    lines = [BEGIN, "## Opinion scores (issue 18)", "",
             f"Measured {info['date']} by `make bench` (`python3 bench/run_mos.py --runs {a.runs}`) on the machine",
             f"described above ({info['cpu']}, {info['cores']}, {info['memory']}; concord commit {info.get('commit', '?')}).",
             f"Data: a reliability CSV of {rows:,} rows (unit,rater,value,content: {UNITS:,} clips × {RATERS} raters,",
             f"{MISSING:.0%} of the values empty = missing, {UNITS // PER_CONTENT:,} contents of {PER_CONTENT} clips; 1–5 scale, seeded).",
             "Each figure: process start to exit, median of the rounds; concord is `concord mos FILE --method M",
             "--format json`, sureal 0.9.0 is bench/sureal_peer.py (pandas reads the CSV, then the model with its",
             "default arguments). Numbers: max |difference| over every score, bias and inconsistency. Memory:",
             "peak resident set size of the process.", "",
             "| method | concord | sureal | speed-up (target ≥ 20×) | met | max \\|difference\\| | iterations (concord / sureal) | peak memory concord / sureal |",
             "|---|---|---|---|---|---|---|---|"]
    for m, f in figures.items():
        c, s = f["times"]["concord"], f["times"]["sureal"]
        lines.append(f"| {m} | {c:.2f} s | {s:.2f} s | {s / c:.1f}× | {'yes' if s / c >= 20 else '**no**'} | "
                     f"{f['diff']:.1e} | {f['iterations'][0]} / {f['iterations'][1]} | "
                     f"{f['memory']['concord']:.0f} MiB / {f['memory']['sureal']:.0f} MiB |")
    shared = statistics.median(floor)
    lines += ["", f"The model alone: concord's end-to-end time minus {shared * 1000:.0f} ms, the median of "
              "`concord mos FILE --method mos --format json` (process start, reading the CSV, writing JSON);",
              "sureal's `run_modeling` as the peer times it.", "",
              "| method | concord model | sureal model | ratio |", "|---|---|---|---|"]
    for m, f in figures.items():
        ours = max(f["times"]["concord"] - shared, 0.001)
        lines.append(f"| {m} | {ours * 1000:.0f} ms | {f['sureal_model']:.2f} s | {f['sureal_model'] / ours:.0f}× |")
    lines.append(END)
    write_section(Path(a.out), "\n".join(lines) + "\n", BEGIN, END)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
