#!/usr/bin/env python3
"""How long the adjudicate dashboard's drift sparkline takes to follow one new label (issue 19:
"the live dashboard's drift sparkline update < 50 ms per new label").

The project is the store benchmark's template (bench/store_setup.py: 1,000 clips, the
genvideo-quality rubric's four ordinal criteria) with labels from R of its raters submitted over
D days (R × 1,000 × 4 labels; 40,000 by default), so each criterion has D day windows. The
dashboard runs for real in a 120×40 tmux terminal with `--trace`; each round another process
(`concord label import`) changes one rater's answer on one clip — the item moves to today's
window, so two windows are computed again. `--trace` records, per update, the time of
`LiveOverTime.poll()` (reading the new revisions and their rubric versions, moving the item,
computing the touched windows' alpha) and of the lines the screen draws from it:
"overtime/N<TAB>µs" (N revisions applied). The figure is the median and 95th percentile of that
time over the updates that applied one revision.
"""
import argparse, os, random, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import machine_info, write_section  # noqa: E402

BEGIN, END = "<!-- bench:drift -->", "<!-- /bench:drift -->"
CRITERIA = ["prompt-adherence", "temporal-consistency", "artifacts", "realism"]


def tmux(sock, *args):
    return subprocess.run(["tmux", "-L", sock, *args], check=True, capture_output=True, text=True).stdout


def wait_for(sock, text, timeout=120):
    deadline = time.time() + timeout
    while text not in tmux(sock, "capture-pane", "-p", "-t", "t"):
        if time.time() > deadline:
            raise SystemExit(f"bench: the screen never showed {text!r}: " + tmux(sock, "capture-pane", "-p", "-t", "t"))
        time.sleep(0.05)


def labels_csv(path, raters, days, seed):
    """R raters × 1,000 clips × 4 criteria, each clip on one of `days` days (all its labels)."""
    rng = random.Random(seed)
    with open(path, "w") as f:
        f.write("clip,rater,criterion,value,submitted_at\n")
        for i in range(1000):
            day = i * days // 1000
            truth = [rng.randint(1, 5) for _ in CRITERIA]
            for r in range(raters):
                at = f"2026-{10 + day // 28:02d}-{1 + day % 28:02d}T{8 + r % 10:02d}:{i % 60:02d}:00Z"
                for k, crit in enumerate(CRITERIA):
                    v = truth[k] if rng.random() < 0.7 else rng.randint(1, 5)
                    f.write(f"clip{i:04d}.mp4,r{r:03d},{crit},{v},{at}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--raters", type=int, default=10)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--pause", type=float, default=1.0, help="seconds between rounds (the dashboard's slow refresh runs between them)")
    ap.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    a = ap.parse_args()
    concord = os.environ.get("CONCORD_BIN", str(ROOT / ".build/release/concord"))
    template = ROOT / "bench/data/store/template.db"
    if not template.exists():
        subprocess.run([sys.executable, str(ROOT / "bench/store_setup.py")], check=True)
    with tempfile.TemporaryDirectory() as d:
        db = f"{d}/p.db"
        shutil.copy(template, db)
        labels_csv(f"{d}/labels.csv", a.raters, a.days, seed=19)
        subprocess.run([concord, "label", "import", f"{d}/labels.csv", "--project", db], check=True, capture_output=True)
        trace = f"{d}/trace.tsv"
        sock = f"drift-bench-{os.getpid()}"
        tmux(sock, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-s", "t",
             f"{concord} adjudicate --project '{db}' --preview blocks --trace '{trace}'; sleep 60")
        try:
            wait_for(sock, "entry 1 of")
            tmux(sock, "send-keys", "-t", "t", "d")
            wait_for(sock, "α per day (UTC) prompt-adherence")
            time.sleep(1)
            change = Path(d) / "change.csv"
            for r in range(a.rounds):
                # A different clip each round (its item leaves its day for today's window).
                clip, value = f"clip{(r * 37) % 1000:04d}.mp4", 1 + r % 5
                change.write_text(f"clip,rater,criterion,value\n{clip},r000,realism,{value}\n")
                subprocess.run([concord, "label", "import", str(change), "--project", db], check=True, capture_output=True)
                time.sleep(a.pause)
            tmux(sock, "send-keys", "-t", "t", "q")
            wait_for(sock, "entry 1 of")
            tmux(sock, "send-keys", "-t", "t", "q")
            deadline = time.time() + 20
            while time.time() < deadline and not (os.path.exists(trace) and "overtime/" in open(trace).read()):
                time.sleep(0.1)
        finally:
            subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)
        # Updates that applied exactly one label revision (a round's; rounds that met in one poll are left out).
        lines = [line.split("\t") for line in open(trace) if line.startswith("overtime/")]
        ms = sorted(int(us) / 1000 for key, us in lines if key == "overtime/1")
    if len(ms) < 10:
        raise SystemExit(f"bench: only {len(ms)} one-revision updates traced in {a.rounds} rounds: {lines}")
    median, p95 = statistics.median(ms), ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    info = machine_info(Path(sys.executable))
    section = f"""{BEGIN}
## Drift sparkline update per new label (issue 19)

Measured {info['date']} by `python3 bench/run_drift.py --rounds {a.rounds} --raters {a.raters} --days {a.days}` on the
machine described above (concord commit {info.get('commit', '?')}, binary `{os.path.relpath(concord, ROOT)}`).
`concord adjudicate --trace` showing its dashboard in a 120×40 tmux terminal on 1,000 clips × {a.raters} raters ×
4 ordinal criteria ({1000 * a.raters * 4:,} labels over {a.days} days); each round another process commits one
rater's new answer on one clip (it moves to today's window). Time of `LiveOverTime.poll()` and the lines drawn
from it, per update that applied one label revision.

| updates | median | p95 | max | target |
|---|---|---|---|---|
| {len(ms)} | {median:.1f} ms | {p95:.1f} ms | {ms[-1]:.1f} ms | < 50 ms: {'yes' if p95 < 50 else '**no**'} |
{END}
"""
    write_section(Path(a.out), section, BEGIN, END)
    print(f"bench: wrote {a.out}: median {median:.1f} ms, p95 {p95:.1f} ms", file=sys.stderr)


if __name__ == "__main__":
    main()
