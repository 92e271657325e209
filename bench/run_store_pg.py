#!/usr/bin/env python3
"""PostgreSQL store benchmarks (issue 16), written to BENCHMARKS.md between
<!-- bench:store-pg --> and <!-- /bench:store-pg -->, beside the project-file figures.

A private PostgreSQL 15 cluster (initdb as the OS user concord-pg into a temporary directory,
its Unix socket there, no TCP) holds the same data set as bench/store_setup.py — 1,000 clips ×
250 raters, built with concord itself — and each run measures, in a fresh copy of that project:

  1. `concord label import` of the 1,000,000-row labels CSV (COPY into a temporary table, then
     the database's import function);
  2. `concord agreement --batch` and `concord report` (HTML) over the 1,000,000 labels;
  3. one label commit through the workbench's path (store-bench commit: `submitItem`, one call
     of concord.submit_item, acknowledged after COMMIT) with 1, 8 and 64 writers at once, each
     its own process, login role and connection, opened as `concord rate` opens (the session,
     the queue, then `warmUpCommits`) before the common start;
  4. the peer: pgbench running the same INSERTs a submission makes (label, label_current,
     submission, audit_event) as bare statements in one transaction, same concurrency.

Medians over --runs runs (default 3); commit latencies over all commits of all runs.
"""
import argparse, json, os, pwd, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import machine_info, write_section  # noqa: E402
from run_store import DATA, disk_flush, percentile  # noqa: E402

BEGIN, END = "<!-- bench:store-pg -->", "<!-- /bench:store-pg -->"
PG = Path("/usr/lib/postgresql/15/bin")
OS_USER = "concord-pg"
SUPERUSER = "postgres"
ADMIN = "benchadmin"
DATABASE = "bench"
TEMPLATE = "bench_template"
RATERS = [f"r{j:03d}" for j in range(250)]
# What a real server would set instead of initdb's defaults (fsync and synchronous_commit stay
# on, as by default): memory sized for a 23 GB machine running little else, and WAL big enough
# that a million-row import does not force checkpoints every few seconds.
SETTINGS = {
    "shared_buffers": "2GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "15min",
    "max_connections": "200",
    "listen_addresses": "''",
}
WRITERS = (1, 8, 64)
# Writers commit at random (a Poisson process) this many ms apart on average each: 50 commits/s
# in all at every concurrency, i.e. 500 raters each finishing an item every 10 s. Writes are
# serialised (one audit chain: concord.write_lock, held until COMMIT has reached the disk), so
# an offered load above one commit's time × rate queues; SATURATED measures that limit.
INTERVAL_MS = {1: 20, 8: 160, 64: 1280}
COMMITS = {1: 500, 8: 63, 64: 8}
SATURATED = (8, 150)   # writers, commits each, back to back


class Cluster:
    """initdb + pg_ctl as concord-pg (postgres refuses root); stopped and removed on exit.
    Trust authentication is as safe as the 0700 directory holding the socket: only concord-pg
    and root reach it, and root names the role in each URI (as the tests' PostgresCluster)."""

    def __init__(self):
        if os.geteuid() != 0:
            raise SystemExit(f"bench: run_store_pg.py needs root, to run PostgreSQL as the OS user {OS_USER} (postgres refuses root)")
        try:
            account = pwd.getpwnam(OS_USER)
        except KeyError:   # as the tests' PostgresCluster makes it: a system account, no home, no shell
            subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                            "--shell", "/usr/sbin/nologin", OS_USER], check=True)
            account = pwd.getpwnam(OS_USER)
        self.dir = Path(tempfile.mkdtemp(prefix="concord-bench-pg-"))
        os.chown(self.dir, account.pw_uid, account.pw_gid)
        os.chmod(self.dir, 0o700)
        self.data = self.dir / "data"
        self.as_pg("initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust", "--locale=C.UTF-8", "--encoding=UTF8")
        options = f"-k {self.dir} " + " ".join(f"-c {k}={v}" for k, v in SETTINGS.items())
        self.as_pg("pg_ctl", "-D", self.data, "-l", self.dir / "server.log", "-w", "-t", "120", "-o", options, "start")

    def as_pg(self, program, *args):
        subprocess.run(["runuser", "-u", OS_USER, "--", str(PG / program), *map(str, args)], check=True,
                       stdout=subprocess.DEVNULL, cwd=self.dir, close_fds=True)

    def uri(self, user=ADMIN, database=DATABASE):
        return f"postgresql://{user}@/{database}?host={self.dir}"

    def psql(self, sql, database="postgres", user=SUPERUSER):
        p = subprocess.run([str(PG / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", self.uri(user, database)],
                           input=sql, capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"bench: psql failed: {p.stderr}")
        return p.stdout

    def stop(self):
        try:
            self.as_pg("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def run(cmd, env=None):
    t = time.perf_counter()
    p = subprocess.run(list(map(str, cmd)), capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed: {p.stderr}")
    return elapsed, p.stdout


def build_template(cluster, concord):
    """The project without labels, made by concord on PostgreSQL, then renamed to the
    template each run copies (the project's roles are named after database `bench`, so
    every copy is made under that name again)."""
    logins = "".join(f"CREATE ROLE {r} LOGIN;\n" for r in RATERS)
    cluster.psql(f"CREATE ROLE {ADMIN} LOGIN CREATEROLE;\n{logins}")
    cluster.psql(f"CREATE DATABASE {DATABASE} OWNER {ADMIN}")
    uri = cluster.uri()
    run([concord, "init", "--project", uri])
    run([concord, "rubric", "add", ROOT / "rubrics/genvideo-quality.yaml", "--project", uri])
    for r in RATERS:
        run([concord, "rater", "add", r, "--role", "rater", "--project", uri])
    clips = sorted((DATA / "clips").glob("clip*.mp4"))
    for start in range(0, len(clips), 200):
        run([concord, "clip", "add", *clips[start:start + 200], "--batch", "bench", "--rubric", "genvideo-quality",
             "--project", uri])
    run([concord, "assign", "--batch", "bench", "--raters", ",".join(RATERS), "--project", uri])
    cluster.psql(f"ALTER DATABASE {DATABASE} RENAME TO {TEMPLATE}")


def fresh_project(cluster):
    cluster.psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    cluster.psql(f"CREATE DATABASE {DATABASE} TEMPLATE {TEMPLATE} OWNER {ADMIN}")
    quiesce(cluster)


def quiesce(cluster, limit=120):
    """Lets the server finish what the steps before left it (the template's build, the last
    run's writers and pgbench, the copy of the template): waits for autovacuum workers to end,
    then CHECKPOINT, so their writes are not flushed during the next timed step. Returns the
    seconds waited for autovacuum."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'").strip() == "0":
            break
        time.sleep(0.5)
    waited = time.perf_counter() - start
    cluster.psql("CHECKPOINT")
    return waited


def writers(cluster, store_bench, n, count, interval_ms):
    """n store-bench processes, raters r001…, starting at one wall-clock instant."""
    start_at = str(int((time.time() + 2 + n * 0.05) * 1000))
    pacing = ["--interval-ms", str(interval_ms)] if interval_ms else []
    procs = [subprocess.Popen([store_bench, "commit", "--project", cluster.uri(user=r), "--as", r,
                               "--count", str(count), "--start-at", start_at] + pacing,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for r in RATERS[1:n + 1]]
    latencies, firsts, spans = [], [], []
    for p in procs:
        out, err = p.communicate()
        if p.returncode != 0:
            raise SystemExit(f"bench: writer failed: {err}")
        result = json.loads(out)
        latencies += result["latencies_us"]
        firsts.append(result["latencies_us"][0])   # in commit order: the session's first
        spans.append((result["began"], result["ended"]))
    return latencies, firsts, spans


# The peer: what concord.submit_item stores for one changed answer, as bare INSERTs. Ids come
# from the tables' identities (as concord's), the audit event's seq from a sequence made for
# the peer (concord computes it under its write lock).
PGBENCH_SCRIPT = r"""
\set item random(1, 1000)
\set value random(1, 5)
BEGIN;
INSERT INTO concord.label (item_id, criterion, rater_id, value, rubric_version_id, frame, pts, dwell_ms, submitted_at, recorded_at, revision, source)
  VALUES (:item, 'prompt-adherence', :rater, :value, 1, 0, 0, 1000, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 2, 'workbench')
  RETURNING id AS label \gset
INSERT INTO concord.label_current (item_id, rater_id, criterion, label_id) VALUES (:item, :rater, 'prompt-adherence', :label)
  ON CONFLICT (item_id, rater_id, criterion) DO UPDATE SET label_id = excluded.label_id;
INSERT INTO concord.submission (item_id, rater_id, first_label_id, last_label_id, frame, pts, dwell_ms, watched_share, created_at)
  VALUES (:item, :rater, :label, :label, 0, 0, 1000, 1, '2026-01-01T00:00:00.000Z');
INSERT INTO concord.audit_event (seq, at, actor, action, payload, prev_hash, hash)
  VALUES (nextval('bench_peer.seq'), '2026-01-01T00:00:00.000Z', 'r001', 'submit',
          '{"item":' || :item || ',"rows":[]}', repeat('0', 64), md5(:label::text) || md5(:item::text));
COMMIT;
"""


# What the round trip alone costs, paced as the writers are: a statement that does nothing,
# no transaction, no WAL. The rest of a commit's time is the transaction's work in a backend
# that has sat idle since its last commit.
ROUND_TRIP_SCRIPT = "SELECT 1;\n"


def pgbench(cluster, n, seconds, paced=True, round_trip=False):
    """pgbench -c n for `seconds`, each client one rater (ids as concord gave them), paced like
    the writers (--rate) or back to back, returning per-transaction latencies in µs from its
    log and the transactions per second. `round_trip`: `SELECT 1` instead of the INSERTs."""
    rater_ids = cluster.psql(f"SELECT id FROM concord.rater WHERE name IN ({','.join(repr(r) for r in RATERS[1:n + 1])}) ORDER BY name",
                             database=DATABASE).split()
    with tempfile.TemporaryDirectory(dir=cluster.dir) as d:
        os.chmod(d, 0o777)
        script = Path(d) / "submit.sql"
        # One script per client is not possible; the rater is chosen from the client id.
        cases = "\n".join(f"  WHEN {k} THEN {rid}" for k, rid in enumerate(rater_ids))
        script.write_text(ROUND_TRIP_SCRIPT if round_trip else f"SELECT CASE :client_id\n{cases}\nEND AS rater \\gset\n" + PGBENCH_SCRIPT)
        rate = ["-R", str(n * 1000 / INTERVAL_MS[n])] if paced else []
        p = subprocess.run([str(PG / "pgbench"), "-n", "-f", script, "-c", str(n), "-j", str(min(n, 2)), "-T", str(int(seconds)),
                            "-l", "--log-prefix", str(Path(d) / "log"), "-d", cluster.uri(SUPERUSER)] + rate,
                           capture_output=True, text=True, cwd=d)
        if p.returncode != 0:
            raise SystemExit(f"bench: pgbench failed: {p.stderr}")
        tps = float(next(line for line in p.stdout.splitlines() if line.startswith("tps = ")).split()[2])
        latencies = []
        for log in Path(d).glob("log*"):
            for line in log.read_text().split("\n"):
                fields = line.split()
                if len(fields) >= 6:
                    # With --rate: µs from the scheduled start, less the wait for it (BEGIN…COMMIT, as
                    # store-bench times a commit).
                    latencies.append(float(fields[2]) - (float(fields[6]) if paced and len(fields) >= 7 else 0))
        return latencies, tps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    a = ap.parse_args()
    concord = os.environ.get("CONCORD_BIN", str(ROOT / ".build/release/concord"))
    store_bench = os.environ.get("STORE_BENCH_BIN", str(ROOT / ".build/release/store-bench"))
    subprocess.run([sys.executable, str(ROOT / "bench/store_setup.py")], check=True, env=dict(os.environ, CONCORD_BIN=concord))
    labels = DATA / "labels.csv"
    rows = sum(1 for _ in open(labels)) - 1

    load = os.getloadavg()[0]   # other work on the machine shows in every figure below
    cluster = Cluster()
    try:
        t0 = time.perf_counter()
        build_template(cluster, concord)
        print(f"bench: template built in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        imports, agreements, reports = [], [], []
        commits = {n: [] for n in WRITERS}
        firsts = {n: [] for n in WRITERS}
        peer = {n: [] for n in WRITERS}
        floor = {n: [] for n in WRITERS}
        saturated, saturated_rates, peer_rates = [], [], []
        flushes, flushes_back = [], []
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(a.runs):
                fresh_project(cluster)
                uri = cluster.uri()
                t, out = run([concord, "label", "import", labels, "--project", uri])
                assert "imported 1000000 new labels" in out, out
                imports.append(t)
                t, _ = run([concord, "agreement", "--batch", "bench", "--project", uri, "--format", "json"])
                agreements.append(t)
                t, _ = run([concord, "report", "--format", "html", "--out", Path(tmp) / "report.html", "--project", uri])
                reports.append(t)
                print(f"bench: run {r + 1}: import {imports[-1]:.2f} s, agreement {agreements[-1]:.2f} s, "
                      f"report {reports[-1]:.2f} s", file=sys.stderr)
                for n in WRITERS:
                    latencies, first, _ = writers(cluster, store_bench, n, COMMITS[n], INTERVAL_MS[n])
                    commits[n] += latencies
                    firsts[n] += first
                    print(f"bench: run {r + 1}: {n} writers: p50 {percentile(latencies, 0.5) / 1000:.2f} ms, "
                          f"p99 {percentile(latencies, 0.99) / 1000:.2f} ms", file=sys.stderr)
                n, count = SATURATED
                latencies, _, spans = writers(cluster, store_bench, n, count, 0)
                saturated += latencies
                saturated_rates.append(n * count / (max(e for _, e in spans) - min(b for b, _ in spans)))
                print(f"bench: run {r + 1}: {n} writers back to back: {saturated_rates[-1]:.0f} commits/s", file=sys.stderr)
                _, out = run([concord, "audit", "verify", "--project", uri])
                # The peer writes rows concord did not (no audit chain for them): after verify.
                cluster.psql("CREATE SCHEMA bench_peer; CREATE SEQUENCE bench_peer.seq START 100000000", database=DATABASE)
                for n in WRITERS:
                    latencies, _ = pgbench(cluster, n, seconds=max(10, COMMITS[n] * INTERVAL_MS[n] / 1000))
                    peer[n] += latencies
                    print(f"bench: run {r + 1}: pgbench -c {n}: p50 {percentile(latencies, 0.5) / 1000:.2f} ms", file=sys.stderr)
                    latencies, _ = pgbench(cluster, n, seconds=10, round_trip=True)
                    floor[n] += latencies
                    print(f"bench: run {r + 1}: pgbench -c {n} SELECT 1: p50 {percentile(latencies, 0.5) / 1000:.3f} ms", file=sys.stderr)
                paced, back = disk_flush(cluster.dir, INTERVAL_MS[1], COMMITS[1])
                flushes += paced
                flushes_back += back
                print(f"bench: run {r + 1}: 8 kB fdatasync paced p50 {percentile(paced, 0.5) / 1000:.2f} ms, "
                      f"back to back {percentile(back, 0.5) / 1000:.3f} ms", file=sys.stderr)
                _, tps = pgbench(cluster, SATURATED[0], seconds=10, paced=False)
                peer_rates.append(tps)
                print(f"bench: run {r + 1}: pgbench -c {SATURATED[0]} back to back: {tps:.0f} commits/s", file=sys.stderr)
        version = cluster.psql("SHOW server_version").strip()
        load_after = os.getloadavg()[0]
    finally:
        cluster.stop()

    info = machine_info(Path(sys.executable))
    med = lambda v: statistics.median(v)
    yes = lambda ok: "yes" if ok else "**no**"
    lines = []
    for n in WRITERS:
        c, p = commits[n], peer[n]
        p50, p99, q50, q99 = (percentile(c, 0.5), percentile(c, 0.99), percentile(p, 0.5), percentile(p, 0.99))
        lines.append(f"| one label commit, {n} writer{'s' if n > 1 else ''} (each every {INTERVAL_MS[n]} ms on average): "
                     f"p50 / p99 (max) | {p50 / 1000:.2f} ms / {p99 / 1000:.2f} ms ({max(c) / 1000:.1f} ms) | < 2 ms / < 10 ms "
                     f"| {yes(p50 < 2000 and p99 < 10000)} |")
        # Every commit but each session's first: the first still plans what the warm-up's dry
        # run could not reach (the write lock's call, the foreign-key checks of a real row).
        warm = list(c)
        for f in firsts[n]:
            warm.remove(f)
        f = sorted(firsts[n])
        lines.append(f"| the same without each writer's first commit (warm sessions): p50 / p99 (max); each session's first commit: "
                     f"median (max) | {percentile(warm, 0.5) / 1000:.2f} ms / {percentile(warm, 0.99) / 1000:.2f} ms "
                     f"({max(warm) / 1000:.1f} ms); first: {statistics.median(f) / 1000:.1f} ms ({f[-1] / 1000:.1f} ms) | "
                     f"< 2 ms / < 10 ms | {yes(percentile(warm, 0.5) < 2000 and percentile(warm, 0.99) < 10000)} |")
        lines.append(f"| the same by pgbench, bare INSERTs: p50 / p99; concord ÷ pgbench at p50 | {q50 / 1000:.2f} ms / "
                     f"{q99 / 1000:.2f} ms; {p50 / q50:.2f}× | ≤ 2× | {yes(p50 / q50 <= 2)} |")
        lines.append(f"| one round trip of `SELECT 1` by pgbench, paced the same (the round trip alone, no transaction): p50 / p99 "
                     f"| {percentile(floor[n], 0.5) / 1000:.3f} ms / {percentile(floor[n], 0.99) / 1000:.3f} ms | | |")
    lines.append(f"| the disk alone: one 8 kB write + `fdatasync` in the cluster's directory, paced as 1 writer (every "
                 f"{INTERVAL_MS[1]} ms on average): p50 / p99; back to back p50 | {percentile(flushes, 0.5) / 1000:.2f} ms / "
                 f"{percentile(flushes, 0.99) / 1000:.2f} ms; {percentile(flushes_back, 0.5) / 1000:.3f} ms | | |")
    n, count = SATURATED
    rate, peer_rate = med(saturated_rates), med(peer_rates)
    lines.append(f"| {n} writers back to back ({count} commits each): commits/s in all, concord / pgbench; pgbench ÷ concord "
                 f"| {rate:,.0f} / {peer_rate:,.0f}; {peer_rate / rate:.2f}× (concord p50 {percentile(saturated, 0.5) / 1000:.2f} ms, "
                 f"p99 {percentile(saturated, 0.99) / 1000:.2f} ms) | ≤ 2× | {yes(peer_rate / rate <= 2)} |")
    table = "\n".join(lines)
    settings = ", ".join(f"`{k}={v}`" for k, v in SETTINGS.items() if k != "listen_addresses")
    section = f"""{BEGIN}
## PostgreSQL store (issue 16)

Measured {info['date']} by `make bench` (`python3 bench/run_store_pg.py --runs {a.runs}`) on the machine
described above ({info['cpu']}, {info['cores']}, {info['memory']}; concord commit {info.get('commit', '?')}),
PostgreSQL {version} (Debian's), a private cluster: `initdb --locale=C.UTF-8` as the OS user concord-pg
into a temporary directory, reached over its Unix socket in that directory (`listen_addresses=''`).
Defaults (`fsync` and `synchronous_commit` on) except what a real server would set: {settings}.
Data: the project-file figures' data set built with concord on PostgreSQL (`concord init`, `rubric
add`, 250 × `rater add`, `clip add`, `assign`; 1,000 clips × 250 raters, each with a login role),
copied fresh for each run (`CREATE DATABASE … TEMPLATE`), then the {rows:,}-row labels CSV imported once the
server is quiet (no autovacuum worker running, then `CHECKPOINT`: the steps before leave writes that would
otherwise be flushed during the import).
Load average (1 min) when the runs began and when they ended: {load:.1f} and {load_after:.1f} on {info['cores']}
(other work on the machine shows in every figure).
Latencies are over all commits of all runs ({', '.join(f'{n} writer{"s" if n > 1 else ""}: {len(commits[n]):,}' for n in WRITERS)}).

| figure | measured | target | met |
|---|---|---|---|
| `concord label import` of {rows:,} rows (COPY, then the database's checks and writes, audit digest included), median of {a.runs} | {med(imports):.2f} s (runs: {', '.join(f'{t:.2f}' for t in imports)}) | < 5 s | {yes(med(imports) < 5)} |
| `concord agreement --batch` over {rows:,} labels, median of {a.runs} | {med(agreements):.2f} s (runs: {', '.join(f'{t:.2f}' for t in agreements)}) | < 1 s | {yes(med(agreements) < 1)} |
| `concord report` HTML over {rows:,} labels, median of {a.runs} | {med(reports):.2f} s (runs: {', '.join(f'{t:.2f}' for t in reports)}) | < 3 s | {yes(med(reports) < 3)} |
{table}

A commit is what Enter on an item does in `concord rate`: `store-bench commit --project URI --as RATER
--interval-ms M` (each writer its own process, login role and connection, all starting at one
instant) calls `submitItem`, i.e. one `SELECT concord.submit_item(…)`: the write lock, the actor from
`session_user`, the checks, one label, label_current, one submission, the idempotency row and the
audit event with its row digests, acknowledged after COMMIT. Paced writers commit at random (a
Poisson process), 50 commits/s in all at each concurrency — 500 raters each finishing an item
every 10 s. The peer is `pgbench -c N -R RATE` (the same offered rate; its latency less its
schedule lag) running, as the superuser, the four INSERTs of those rows (label, label_current as
an upsert, submission, audit_event) between BEGIN and COMMIT with nothing else: no checks, no
lock, no digest; back to back, `pgbench -c {n} -T 10`. concord's writes take one lock until their
COMMIT is on disk (one audit chain with one head, as SQLite's one writer), so back to back they
queue where pgbench's overlap in group commit. Each writer opens the project as `concord rate`
does before the common start: the session, the queue, then `warmUpCommits`, a dry run of the
commit (`concord.warm_up`: nothing written, no lock taken) that compiles and plans the PL/pgSQL
write functions for the connection, which a session's first commit would otherwise do (tens of
ms, partly under the write lock). With 8 commits per writer at 64 writers a first commit is one
in eight, so the warm rows still give them apart. Every run ended with `concord audit verify`
intact before the peer wrote. The disk line is what every durable commit (concord's and pgbench's)
waits for before it is acknowledged, timed alone on the cluster's file system with the same pacing:
a virtual disk that has idled since the last flush answers much later than in a steady stream.
{END}
"""
    path = Path(a.out)
    write_section(path, section, BEGIN, END, after="<!-- /bench:store -->")   # beside the project-file figures
    print(f"bench: wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
