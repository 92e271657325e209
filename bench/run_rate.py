#!/usr/bin/env python3
"""Keypress-to-screen latency of `concord rate` on a 100,000-item project (issue 6).

The workbench runs for real in a 120×40 tmux terminal and writes `--trace FILE`: for each
key, the time from reading it to the updated screen written out (text through ncurses and
the picture). A rater's session is played into it with `tmux send-keys`: answering items
(option keys, a number, Enter to submit, which commits and opens the next clip), stepping
frames, jumping by seconds, moving between criteria, play/pause. Several sessions per
preview mode; the figures are percentiles over every key of every session.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench/data/rate"
sys.path.insert(0, str(ROOT / "bench"))
from run import machine_info, write_section  # noqa: E402

BEGIN, END = "<!-- bench:rate -->", "<!-- /bench:rate -->"

# One item: yes, severity, ego response, ttc 2.5, submit; with frame stepping between.
ITEM = ["Right", "Right", "Right", "Left", "l", "h", "1", "3", "4", "2", ".", "5", "Enter", "j", "k", "Enter"]
CLASSES = {
    "answer (option key, digit)": {"1", "2", "3", "4", "5", "."},
    "submit (commit + open next clip)": None,   # the second enter of each item, found by position
    "frame step ← →": {"left", "right"},
    "±1 s (h, l)": {"h", "l"},
    "move between criteria (j, k)": {"j", "k"},
}


def tmux(sock, *args):
    return subprocess.run(["tmux", "-L", sock, *args], check=True, capture_output=True, text=True).stdout


def pct(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    f = int(k)
    return values[f] + (values[min(f + 1, len(values) - 1)] - values[f]) * (k - f)


def session(concord, db, mode, items, trace):
    sock = f"rate-bench-{os.getpid()}"
    started = time.monotonic()
    tmux(sock, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-s", "t",
         f"{concord} rate --project {db} --preview {mode} --trace {trace}; sleep 60")
    try:
        while "item " not in tmux(sock, "capture-pane", "-p", "-t", "t"):
            if time.monotonic() - started > 60:
                raise SystemExit("concord rate did not start")
            time.sleep(0.01)
        first_screen = time.monotonic() - started
        for _ in range(items):
            for key in ITEM:
                tmux(sock, "send-keys", "-t", "t", key)
                time.sleep(0.03)   # a fast rater: ~30 keys a second at most
            time.sleep(0.1)
        tmux(sock, "send-keys", "-t", "t", "q")
        deadline = time.time() + 30
        while time.time() < deadline and (not os.path.exists(trace) or os.path.getsize(trace) == 0):
            time.sleep(0.05)
        time.sleep(0.3)
        return first_screen
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--items-per-run", type=int, default=12)
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    a = ap.parse_args()
    concord = os.environ.get("CONCORD_BIN", str(ROOT / ".build/release/concord"))
    setup = os.environ.get("WORKBENCH_BENCH_BIN", str(ROOT / ".build/release/workbench-bench"))
    DATA.mkdir(parents=True, exist_ok=True)
    template = DATA / f"template-{a.items}-v2.db"
    if not template.exists():
        out = subprocess.run([setup, "setup", "--project", str(template), "--clips", ",".join(str(p) for p in sorted((ROOT / "assets/demo").glob("*.mp4"))),
                              "--rubric", str(ROOT / "rubrics/av-cut-in.yaml"), "--items", str(a.items)],
                             check=True, capture_output=True, text=True).stdout
        print("setup:", out.strip(), file=sys.stderr)
    labels = int(subprocess.run(["sqlite3", str(template), "SELECT count(*) FROM label"], capture_output=True, text=True).stdout)
    results = {}
    for mode in ("blocks", "sixel"):
        per_key, starts = [], []
        for r in range(a.runs):
            with tempfile.TemporaryDirectory() as d:
                db = Path(d) / "p.db"
                shutil.copy(template, db)
                trace = Path(d) / "trace.tsv"
                starts.append(session(concord, db, mode, a.items_per_run, trace))
                rows = [line.split("\t") for line in trace.read_text().splitlines() if line]
                per_key += [(r[0], int(r[1]) / 1000) for r in rows if r[0] not in ("frame", "skip")]   # frame lines: run_slowlink.py
        results[mode] = (per_key, statistics.median(starts))

    info = machine_info(Path(sys.executable))
    lines = []
    for mode, (keys, start) in results.items():
        all_ms = [ms for _, ms in keys]
        lines.append(f"| {mode}: every key ({len(all_ms)}) | {pct(all_ms, 50):.2f} | {pct(all_ms, 95):.2f} | {pct(all_ms, 99):.2f} | {max(all_ms):.2f} | {'yes' if pct(all_ms, 95) < 16 else '**no**'} |")
        enters = [ms for k, ms in keys if k == "enter"]
        submits = enters[1::2]   # each item: enter answers the number, the next one submits
        for name, members in CLASSES.items():
            vals = submits if members is None else [ms for k, ms in keys if k in members]
            if vals:
                lines.append(f"| {mode}: {name} ({len(vals)}) | {pct(vals, 50):.2f} | {pct(vals, 95):.2f} | {pct(vals, 99):.2f} | {max(vals):.2f} | |")
        lines.append(f"| {mode}: start to first screen (queue of {a.items:,} items loaded) | {start * 1000:.0f} ms | | | | |")
    table = "\n".join(lines)
    section = f"""{BEGIN}
## Workbench keypress latency (issue 6)

Measured {info['date']} by `python3 bench/run_rate.py --runs {a.runs}` on the machine described above
(concord commit {info.get('commit', '?')}). `concord rate` (release build) in a real 120×40 tmux terminal on a
project of {a.items:,} items and {labels:,} labels (`workbench-bench setup`: three raters, the current one
half done, so the queue resumes at item {a.items // 2 + 1:,}; the items cycle through the six demo clips, 640×360,
5 s at 25 fps, so each submit opens a different clip); {a.runs} sessions per preview mode, each rating
{a.items_per_run} items by keys (`{' '.join(ITEM)}` per item, 30 ms apart). Milliseconds from reading a key to the
updated screen written out, from `--trace`; percentiles over all keys of all sessions.

| keys | p50 ms | p95 ms | p99 ms | max ms | p95 < 16 ms |
|---|---|---|---|---|---|
{table}

Submitting commits the item (one SQLite transaction, `synchronous=FULL`) and then opens the next
clip (demuxer index read; its first frame was rendered ahead on the worker thread) before the key
counts as done. Frame steps, ±1 s and the next item's first frame are rendered ahead by
`RenderAhead` (decode, scale, encode on its own thread while the rater reads), so a key usually
finds its picture ready; a miss renders on the spot. Sixel frames
are 710×399 px (the 16:9 clip fitted into the 71×36-cell pane at the default 10×20 px cell); tmux discards them, but concord encodes and writes
every byte, so the time is all there. What the terminal itself takes to paint is not included.
{END}
"""
    write_section(Path(a.out), section, BEGIN, END)
    print(f"bench: wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
