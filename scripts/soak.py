#!/usr/bin/env python3
"""Crash soak (issue 9): 8 raters commit whole items through Store's workbench path while
this supervisor SIGKILLs random ones at random moments and restarts them, and a lead reads
like the live dashboard. Afterwards it checks the promise: every acknowledged submission is
in the label history exactly once, no acknowledged answer was overwritten by an older one,
`concord audit verify` passes, and no process ever reported a lock error.

  scripts/soak.py --seconds 600 [--writers 8] [--json]        (make soak: 10 minutes)
  scripts/soak.py --seconds 20 --json                          (the short run in make test)

Prints the figures (submissions/s, labels/s, kills survived, commit latency p50/p99/max) as
JSON with --json, else as a Markdown section for RELIABILITY.md. Exit 0 when every check
passes, 1 when one fails. Standard library only.
"""
import argparse, json, os, random, signal, sqlite3, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = """name: soak
criteria:
  - id: quality
    question: Overall quality?
    scale: ordinal
    options:
      - {value: "1", key: "1", label: bad}
      - {value: "2", key: "2", label: poor}
      - {value: "3", key: "3", label: fair}
      - {value: "4", key: "4", label: good}
      - {value: "5", key: "5", label: excellent}
  - id: note
    question: A note
    scale: text
"""


def run(cmd, env, check=True):
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise SystemExit(f"soak: {' '.join(map(str, cmd))} failed ({p.returncode}): {p.stderr}")
    return p


def percentile(values, p):
    s = sorted(values)
    if not s:
        return 0.0
    k = (len(s) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (k - lo) * (s[hi] - s[lo])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--markdown", help="write the figures as a section of this file (RELIABILITY.md)")
    ap.add_argument("--concord", default=os.environ.get("CONCORD_BIN", str(ROOT / ".build/debug/concord")))
    ap.add_argument("--driver", default=os.environ.get("STORE_BENCH_BIN", str(ROOT / ".build/debug/store-bench")))
    ap.add_argument("--seed", type=int, default=9)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    work = Path(tempfile.mkdtemp(prefix="concord-soak-"))
    db = work / "soak.db"
    env = dict(os.environ, CONCORD_PROJECT=str(db), NO_COLOR="1")
    (work / "soak.yaml").write_text(RUBRIC)
    run([a.concord, "init", "--name", "soak"], env)
    run([a.concord, "rubric", "add", str(work / "soak.yaml")], env)
    raters = [f"w{i}" for i in range(a.writers)]
    for r in raters:
        run([a.concord, "rater", "add", r, "--role", "rater"], env)
    run([a.concord, "rater", "add", "lead", "--role", "lead"], env)
    clips = sorted(str(p) for p in (ROOT / "assets/demo").glob("*.mp4"))
    run([a.concord, "clip", "add", *clips, "--batch", "soak", "--rubric", "soak"], env)
    run([a.concord, "assign", "--batch", "soak", "--raters", ",".join(raters)], env)

    def start(r):
        err = open(work / f"{r}.err", "a")
        return subprocess.Popen([a.driver, "soak", "--project", str(db), "--as", r, "--acks", str(work / f"{r}.acks")],
                                stdout=subprocess.DEVNULL, stderr=err)

    began = time.monotonic()
    procs = {r: start(r) for r in raters}
    reader = subprocess.Popen([a.driver, "read", "--project", str(db), "--as", "lead", "--seconds", str(a.seconds)],
                              stdout=subprocess.PIPE, stderr=open(work / "reader.err", "w"), text=True)
    kills, early_exits = 0, []
    while time.monotonic() - began < a.seconds:
        time.sleep(rng.uniform(0.05, 0.5))
        for r, p in procs.items():   # a writer that stopped by itself is a failure, not a kill
            if p.poll() is not None:
                early_exits.append((r, p.returncode))
                procs[r] = start(r)
        victim = rng.choice(raters)
        procs[victim].send_signal(signal.SIGKILL)
        procs[victim].wait()
        kills += 1
        procs[victim] = start(victim)
    for p in procs.values():
        p.send_signal(signal.SIGKILL)
        p.wait()
    elapsed = time.monotonic() - began
    reader_out, _ = reader.communicate(timeout=120)
    reader_summary = json.loads(reader_out.strip().splitlines()[-1]) if reader_out.strip() else None

    # The acknowledgements: whole lines only (a line is one write(2), but be strict).
    acks = []
    for r in raters:
        path = work / f"{r}.acks"
        if path.exists():
            for line in path.read_text().split("\n"):
                parts = line.split(" ")
                if len(parts) == 6:   # the sixth is the client id
                    acks.append((parts[0], int(parts[1]), parts[2], parts[3], int(parts[4])))
    con = sqlite3.connect(db)
    notes = {}
    for item, rater, value in con.execute(
            "SELECT l.item_id, r.name, l.value FROM label l JOIN rater r ON r.id = l.rater_id WHERE l.criterion = 'note'"):
        notes.setdefault(value, []).append((item, rater))
    labels_written = con.execute("SELECT count(*) FROM label").fetchone()[0]
    current = {(item, rater): value for item, rater, value in con.execute(
        "SELECT c.item_id, r.name, l.value FROM label_current c JOIN label l ON l.id = c.label_id "
        "JOIN rater r ON r.id = c.rater_id WHERE c.criterion = 'note'")}
    con.close()
    missing = [x for x in acks if x[2] not in notes]
    duplicated = [x for x in acks if len(notes.get(x[2], [])) > 1]
    misplaced = [x for x in acks if x[2] in notes and notes[x[2]][0] != (x[1], x[0])]
    # The current note of each (item, rater) is its newest acknowledged one or a later one
    # (committed, then killed before the acknowledgement was written): never an older one.
    def stamp(note):   # rater-pid-seq-µs: wall-clock µs, comparable across restarts
        return int(note.rsplit("-", 1)[1])
    newest = {}
    for rater, item, note, _, _ in acks:   # acks of one rater are in commit order in its file
        newest[(item, rater)] = note
    regressed = []
    for key, note in newest.items():
        now = current.get(key)
        if now is None:
            regressed.append((key, note, None))
        elif now != note and stamp(now) < stamp(note):
            regressed.append((key, note, now))
    verify = run([a.concord, "audit", "verify"], env, check=False)
    errors = ""
    for f in list(work.glob("*.err")):
        errors += f.read_text()
    lock_errors = [l for l in errors.splitlines() if "locked" in l.lower() or "error" in l.lower()]
    retry_lines = [l for l in errors.splitlines() if "busy" in l]
    lat = [x[4] for x in acks]
    result = {
        "seconds": round(elapsed, 1), "writers": a.writers, "kills": kills, "acknowledged": len(acks),
        "labels_written": labels_written, "submissions_per_s": round(len(acks) / elapsed, 1),
        "labels_per_s": round(labels_written / elapsed, 1),
        "commit_us_p50": round(percentile(lat, 0.5)), "commit_us_p99": round(percentile(lat, 0.99)),
        "commit_us_max": max(lat) if lat else 0,
        "missing": len(missing), "duplicated": len(duplicated), "misplaced": len(misplaced), "regressed": len(regressed),
        "audit_verify_exit": verify.returncode, "audit_verify": verify.stdout.strip().splitlines()[:1],
        "lock_errors": lock_errors[:5], "retry_log_lines": len(retry_lines), "early_exits": early_exits,
        "reader": reader_summary,
    }
    ok = (not missing and not duplicated and not misplaced and not regressed and verify.returncode == 0
          and not lock_errors and not early_exits and kills > 0 and len(acks) > 0 and reader_summary is not None)
    result["ok"] = ok
    if a.json:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=1))
    if a.markdown:
        write_markdown(Path(a.markdown), result, a)
    if ok:
        subprocess.run(["rm", "-rf", str(work)])
    else:
        print(f"soak: FAILED; files kept in {work}", file=sys.stderr)
    sys.exit(0 if ok else 1)


def write_markdown(path, r, a):
    sys.path.insert(0, str(ROOT / "bench"))
    from run import machine_info, write_section   # the same machine table as BENCHMARKS.md
    info = machine_info(Path(sys.executable))
    yes = lambda ok: "yes" if ok else "**no**"
    section = f"""<!-- reliability:soak -->
## Crash soak and concurrency

Measured {info['date']} by `make soak` (`scripts/soak.py --seconds {a.seconds:.0f} --markdown RELIABILITY.md`,
release build) on {info['cpu']}, {info['cores']}, {info['memory']}; concord commit {info.get('commit', '?')}.
{r['writers']} writer processes (`store-bench soak`: whole items through `ProjectSession.submitItem`, the
workbench's commit path, back to back) on one project file, while the supervisor SIGKILLed a random
writer every 0.05–0.5 s and restarted it, and a lead process read the batch's labels whenever
`PRAGMA data_version` moved (`store-bench read`, the live dashboard's reads). Acknowledged = the
commit returned and the writer then appended one line to its acknowledgement file.

| figure | measured | target | met |
|---|---|---|---|
| duration / SIGKILLs survived | {r['seconds']:.0f} s / {r['kills']:,} | | |
| submissions acknowledged (labels written) | {r['acknowledged']:,} ({r['labels_written']:,}) | | |
| throughput held | {r['submissions_per_s']:,.0f} submissions/s, {r['labels_per_s']:,.0f} labels/s | | |
| commit latency p50 / p99 / max (8 writers, saturated) | {r['commit_us_p50'] / 1000:.2f} / {r['commit_us_p99'] / 1000:.2f} / {r['commit_us_max'] / 1000:.1f} ms | | |
| acknowledged submissions missing / duplicated / on the wrong item / overwritten by an older one | {r['missing']} / {r['duplicated']} / {r['misplaced']} / {r['regressed']} | 0 | {yes(r['missing'] + r['duplicated'] + r['misplaced'] + r['regressed'] == 0)} |
| `concord audit verify` afterwards | exit {r['audit_verify_exit']}: {' '.join(r['audit_verify'])} | exit 0 | {yes(r['audit_verify_exit'] == 0)} |
| lock errors printed by any process | {len(r['lock_errors'])} | 0 | {yes(not r['lock_errors'])} |
| bounded-retry / long-wait log lines | {r['retry_log_lines']} | logged when they happen | |
| dashboard reads during the run (slowest) | {r['reader']['reads'] if r['reader'] else 0:,} ({(r['reader'] or {}).get('slowest_read_ms', 0):.1f} ms) | no error | {yes(r['reader'] is not None)} |

No wait reached the 1 s at which Store logs it; `BusyWaitTests` holds the lock for 2.5 s from
another process and checks that concord waits, logs the wait and succeeds. The short version
of this run (20 s, debug build) is part of `make test` (`SoakTests`).
<!-- /reliability:soak -->
"""
    write_section(path, section, "<!-- reliability:soak -->", "<!-- /reliability:soak -->")


if __name__ == "__main__":
    main()
