#!/usr/bin/env python3
"""How fast the lead's live dashboard shows a label committed by another process on a
PostgreSQL project (issue 16: "the dashboard follows new labels with LISTEN/NOTIFY (< 500 ms
from commit to screen)"); bench/run_dashboard.py's measurement, on the other store.

A private PostgreSQL 15 cluster (bench/run_store_pg.py's `Cluster`: initdb as concord-pg, a
Unix socket in a temporary directory, no TCP) gets the demo project (`concord demo`, then
`concord migrate` into an empty database owned by a login role named after the OS user, who
is the demo's admin, as docs/server.md's DBA would set it up). `concord adjudicate` shows its
dashboard in a 120×40 tmux terminal; each round `concord label import` (another process,
another connection) changes one answer; from that process's exit (COMMIT done, NOTIFY sent)
the screen is polled every ~10 ms until the dashboard's alpha for `present` equals what
`concord agreement --batch demo` printed for that answer (asked once per answer beforehand, so
the time is the dashboard's alone).

  python3 bench/run_dashboard_pg.py [--rounds 30] [--out BENCHMARKS.md]
"""
import argparse, getpass, json, os, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import machine_info, write_section  # noqa: E402
from run_dashboard import changer, expected_alphas, measure, summary  # noqa: E402
from run_store_pg import Cluster  # noqa: E402

BEGIN, END = "<!-- bench:dashboard-pg -->", "<!-- /bench:dashboard-pg -->"
DATABASE = "dash"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    a = ap.parse_args()
    concord = os.environ.get("CONCORD_BIN", str(ROOT / ".build/release/concord"))
    login = getpass.getuser()
    cluster = Cluster()
    try:
        cluster.psql(f'CREATE ROLE "{login}" LOGIN CREATEROLE')
        cluster.psql(f'CREATE DATABASE {DATABASE} OWNER "{login}"')
        uri = cluster.uri(user=login, database=DATABASE)
        version = cluster.psql("SHOW server_version").strip()
        with tempfile.TemporaryDirectory() as d:
            subprocess.run([concord, "demo", "--dir", d, "--no-rate"], check=True, capture_output=True, cwd=ROOT)
            subprocess.run([concord, "migrate", "--from", f"{d}/concord.db", "--to", uri], check=True, capture_output=True)
            change = changer(concord, uri, d)
            latencies = measure(concord, uri, a.rounds, change, expected_alphas(concord, uri, change))
    finally:
        cluster.stop()
    ms, median, p95 = summary(latencies)
    info = machine_info(Path(sys.executable))
    section = f"""{BEGIN}
## Live dashboard update on PostgreSQL (issue 16)

Measured {info['date']} by `python3 bench/run_dashboard_pg.py --rounds {a.rounds}` on the machine described above
(concord commit {info.get('commit', '?')}, `{Path(concord).parent.name}` build, PostgreSQL {version} on a local socket).
The demo project migrated into PostgreSQL; `concord adjudicate` showing its dashboard in a 120×40 tmux terminal;
each round another process (`concord label import`) changes one answer, and the screen is polled until the
dashboard's alpha for `present` equals `concord agreement --batch`'s (asked once per value beforehand).
Time from the importing process's exit (committed) to the new value on screen, tmux's capture included
(run_dashboard.py's SQLite figure also includes a `concord agreement` run per round).

| rounds | median | p95 | max | target |
|---|---|---|---|---|
| {len(ms)} | {median:.0f} ms | {p95:.0f} ms | {ms[-1]:.0f} ms | < 500 ms: {'yes' if ms[-1] < 500 else '**no**'} |

Every write function notifies channel `concord` at COMMIT; the dashboard's second connection
LISTENs, and every 100 ms the dashboard drains what arrived and, when something did, reads only
the label revisions after the last one it applied.
{END}
"""
    path = Path(a.out)
    write_section(path, section, BEGIN, END, after="<!-- /bench:dashboard -->")   # beside the project-file dashboard's figure
    print(f"bench: wrote {a.out}", file=sys.stderr)
    print(json.dumps({"rounds": len(ms), "median_ms": median, "p95_ms": p95, "max_ms": ms[-1]}))


if __name__ == "__main__":
    main()
