#!/usr/bin/env python3
"""`make bench`: measure concord's agreement engine against the Python packages a user
would otherwise reach for, and write the figures to BENCHMARKS.md.

Builds nothing: the Makefile runs `swift build -c release --product concord` and
`--product agreement-bench` first. Binary paths come from $CONCORD_BIN and
$AGREEMENT_BENCH_BIN (default .build/release/concord, .build/release/agreement-bench).

What it does, in order:
  1. makes (or reuses) the venv .build-venv with bench/requirements.txt;
  2. generates the data sets in bench/data/ with bench/generate.py unless already there;
  3. one untimed warm-up round of every command, whose outputs are used to check that
     concord gives the peers' numbers (alpha to 1e-9);
  4. --runs timed rounds; in each, every command runs once, in a shuffled order, so
     concord and the peers share whatever the machine is doing; each figure is the
     median over the rounds;
  5. rewrites its own section of BENCHMARKS.md (between the bench:agreement markers),
     leaving any other section alone.

Stdlib only: it runs on the system python3; the peers run inside the venv.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
DATA = BENCH / "data"
VENV = REPO / ".build-venv"
REQUIREMENTS = BENCH / "requirements.txt"
PACKAGES = ("numpy", "scipy", "pandas", "krippendorff", "irrCAC")

MARK_BEGIN = "<!-- bench:agreement -->"
MARK_END = "<!-- /bench:agreement -->"
FILE_HEADER = """# Benchmarks

Figures measured by `make bench` on the machine each section names. Every section is
written by its own driver between its `<!-- bench:NAME -->` markers and is replaced whole
when that driver runs again; text outside the markers is kept.
"""

# The data sets of the brief. Seeds differ so the two files are not prefixes of each other.
FULL_SETS = {
    "big": dict(units=200_000, raters=5, categories=6, missing=0.0, seed=1),
    "missing": dict(units=100_000, raters=5, categories=6, missing=0.1, seed=2),
}
QUICK_SETS = {
    "quick-big": dict(units=20_000, raters=5, categories=6, missing=0.0, seed=1),
    "quick-missing": dict(units=20_000, raters=5, categories=6, missing=0.1, seed=2),
}

ALPHA_LEVELS = ("nominal", "ordinal", "interval", "ratio")
ALPHA_TOLERANCE = 1e-9      # docs/statistics.md: every statistic to 1e-9
IRRCAC_TOLERANCE = 5e-6 + 1e-9  # irrCAC rounds to 5 digits: half a unit in the last place
PROCESS_TIMEOUT_S = 1800    # a runaway process is killed rather than hanging `make bench`

# Targets of issue 3.
TARGET_E2E_RATIO = 3.0
TARGET_INMEMORY_RATIO = 10.0
TARGET_INCREMENTAL_NS = 10_000
TARGET_BOOTSTRAP_S = 2.0
TARGET_RSS_BYTES = 200 * 1000 * 1000  # 200 MB, decimal megabytes


# ----------------------------------------------------------------------------- processes

@dataclass
class Run:
    cmd: list[str]
    wall_s: float
    maxrss_bytes: int
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        """The JSON object the command printed (the last line that parses, for tools
        that print a banner first)."""
        text = self.stdout.strip()
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            for line in reversed(text.splitlines()):
                try:
                    return json.loads(line)
                except json.JSONDecodeError:
                    continue
        raise RuntimeError(f"no JSON in the output of {show(self.cmd)}:\n{self.stdout[-2000:]}")


def show(cmd: list[str]) -> str:
    return " ".join(shlex.quote(str(c)) for c in cmd)


def run_process(cmd: list[str]) -> Run:
    """Run one command from the repository root, timing it from outside.

    Wall time is time.perf_counter() around the whole child (so process start, dynamic
    loading and interpreter start-up count, as they do for a user). Peak memory is the
    child's ru_maxrss from os.wait4 (KiB on Linux). Output goes to temporary files rather
    than pipes so that waiting with wait4 can never deadlock on a full pipe.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen([str(c) for c in cmd], cwd=REPO, stdin=subprocess.DEVNULL,
                             stdout=out, stderr=err)
        timer = threading.Timer(PROCESS_TIMEOUT_S, p.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        except BaseException:
            p.kill()
            p.wait()
            raise
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Run(cmd=[str(c) for c in cmd], wall_s=wall, maxrss_bytes=usage.ru_maxrss * 1024,
                   code=p.returncode, stdout=out.read().decode(errors="replace"),
                   stderr=err.read().decode(errors="replace"))


def failure(run: Run) -> str | None:
    """Why a run does not count, or None. A command that fails is reported (and then
    left out of the later rounds) rather than stopping the whole benchmark, so that one
    missing feature does not hide every other figure."""
    if run.code == 0:
        return None
    last = (run.stderr.strip().splitlines() or [""])[-1][:200]
    return f"exit status {run.code}" + (f": {last}" if last else "")


def capture(cmd: list[str]) -> str:
    """stdout+stderr of a short informational command, or '' if it cannot run."""
    try:
        r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
        return (r.stdout + r.stderr).strip()
    except (OSError, subprocess.SubprocessError):
        return ""


# ----------------------------------------------------------------------------- set-up

def ensure_venv() -> Path:
    """Create .build-venv with the pinned peers, or reuse it when it already has them.

    A stamp file holding the requirements it was built from tells whether it is current.
    """
    python = VENV / "bin" / "python"
    stamp = VENV / ".bench-requirements.txt"
    wanted = REQUIREMENTS.read_text()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if not python.exists():
        print(f"bench: creating {VENV.relative_to(REPO)}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    print(f"bench: installing {REQUIREMENTS.relative_to(REPO)} into {VENV.relative_to(REPO)}",
          file=sys.stderr)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
                   check=True)
    stamp.write_text(wanted)
    return python


def generator_cmd(path: Path, spec: dict) -> list[str]:
    return ["python3", "bench/generate.py", "--units", str(spec["units"]),
            "--raters", str(spec["raters"]), "--categories", str(spec["categories"]),
            "--missing", str(spec["missing"]), "--seed", str(spec["seed"]),
            "--out", str(path.relative_to(REPO))]


def ensure_data(sets: dict[str, dict]) -> dict[str, Path]:
    """Generate each data set unless it is already there.

    A sidecar FILE.params records the generator command and a hash of generate.py, so a
    file made with other parameters or by an older generator is made again rather than
    silently reused.
    """
    generator_hash = hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:16]
    paths = {}
    for name, spec in sets.items():
        path = DATA / f"{name}.csv"
        cmd = generator_cmd(path, spec)
        params = json.dumps({"cmd": cmd, "generate.py": generator_hash}, sort_keys=True)
        sidecar = path.with_suffix(".params")
        if not (path.exists() and sidecar.exists() and sidecar.read_text() == params):
            cmd = [sys.executable] + cmd[1:]
            subprocess.run(cmd, cwd=REPO, check=True)
            sidecar.write_text(params)
        paths[name] = path
    return paths


def count_rows(path: Path) -> tuple[int, int]:
    """(ratings, missing ratings) of a reliability CSV."""
    rows = missing = 0
    with open(path) as f:
        next(f)
        for line in f:
            rows += 1
            if line.rstrip("\n").endswith(","):
                missing += 1
    return rows, missing


def machine_info(python: Path) -> dict:
    info = {}
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    info["cpu"] = m.group(1).strip() if m else platform.processor() or "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info["cores"] = f"{usable} usable ({os.cpu_count()} online)"
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    m = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    info["memory"] = f"{int(m.group(1)) / 1024 / 1024:.1f} GiB" if m else "unknown"
    os_name = platform.system()
    release = Path("/etc/os-release")
    if release.exists():
        m = re.search(r'^PRETTY_NAME="?([^"\n]+)"?', release.read_text(), re.M)
        if m:
            os_name = m.group(1)
    info["os"] = f"{os_name}, kernel {platform.release()} ({platform.machine()})"
    swift = capture(["swift", "--version"])
    info["swift"] = next((l for l in swift.splitlines() if "Swift version" in l), swift or "not found")
    info["python"] = capture([str(python), "-c", "import platform; print(platform.python_version())"])
    versions = capture([str(python), "-c",
                        "import importlib.metadata as m, json, sys; "
                        f"print(json.dumps({{p: m.version(p) for p in {list(PACKAGES)!r}}}))"])
    try:
        info["packages"] = json.loads(versions)
    except json.JSONDecodeError:
        info["packages"] = {}
    commit = capture(["git", "rev-parse", "--short", "HEAD"])
    if commit and re.fullmatch(r"[0-9a-f]+", commit):
        dirty = capture(["git", "status", "--porcelain"])
        info["commit"] = commit + (" (with uncommitted changes)" if dirty else "")
    info["date"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return info


# ----------------------------------------------------------------------------- the plan

@dataclass
class Case:
    """One command that runs once per round; its figure is read from each Run."""
    key: str
    cmd: list[str]
    runs: list[Run] = field(default_factory=list)
    warmup: Run | None = None
    failed: str | None = None  # why it has no figure (exit status, no JSON, a missing field)

    def median(self, read) -> float | None:
        """Median of `read` over the timed runs, or None (and `failed` says why)."""
        if self.failed is None and not self.runs:
            self.failed = "no timed run"
        if self.failed is not None:
            return None
        try:
            return statistics.median(read(r) for r in self.runs)
        except (RuntimeError, KeyError, TypeError, ValueError) as e:
            self.failed = f"unreadable output: {e}".splitlines()[0][:200]
            return None


def wall(r: Run) -> float:
    return r.wall_s


def rss(r: Run) -> float:
    return float(r.maxrss_bytes)


def field_of(name: str):
    return lambda r: float(r.json()[name])


def build_cases(concord: str, bench_bin: str, python: str, files: dict[str, Path],
                big: str, missing: str, peer_resamples: int) -> dict[str, Case]:
    peers = [python, "bench/peers.py"]
    rel = {name: str(path.relative_to(REPO)) for name, path in files.items()}
    cases = {}

    def add(key, cmd):
        cases[key] = Case(key, cmd)

    for name in (big, missing):
        f = rel[name]
        add(f"e2e/{name}/concord", [concord, "agreement", f, "--format", "json"])
        add(f"e2e/{name}/pandas-krippendorff", peers + ["pandas-krippendorff", f])
        add(f"e2e/{name}/irrcac", peers + ["irrcac", f])
        add(f"inmemory/{name}/concord", [bench_bin, "inmemory", f, "--repeat", "7"])
        add(f"inmemory/{name}/python", peers + ["inmemory", f, "--repeat", "7"])
    add("incremental/concord", [bench_bin, "incremental", rel[big], "--updates", "100000"])
    add("bootstrap/concord-inmemory",
        [bench_bin, "bootstrap", rel[missing], "--resamples", "1000", "--seed", "1"])
    add("bootstrap/concord-e2e", [concord, "agreement", rel[missing], "--bootstrap", "1000",
                                  "--seed", "1", "--format", "json"])
    add("bootstrap/python",
        peers + ["bootstrap", rel[missing], "--resamples", str(peer_resamples), "--seed", "1"])
    return cases


def run_rounds(cases: dict[str, Case], rounds: int) -> None:
    """One untimed warm-up round, then `rounds` timed ones, each in a shuffled order
    (seeded, so a re-run uses the same orders)."""
    keys = list(cases)
    total = len(keys) * (rounds + 1)
    done = 0
    for rnd in range(rounds + 1):
        order = keys[:]
        random.Random(rnd).shuffle(order)
        label = "warm-up" if rnd == 0 else f"round {rnd}/{rounds}"
        for key in order:
            done += 1
            case = cases[key]
            if case.failed:
                continue
            print(f"bench: [{done}/{total}] {label}: {key}", file=sys.stderr, flush=True)
            run = run_process(case.cmd)
            case.failed = failure(run)
            if case.failed:
                print(f"bench: FAILED: {show(run.cmd)}: {case.failed}\n"
                      f"--- stderr (tail) ---\n{run.stderr[-3000:]}", file=sys.stderr)
            elif rnd == 0:
                case.warmup = run
            else:
                case.runs.append(run)


# ----------------------------------------------------------------------------- checks

@dataclass
class Check:
    what: str
    ok: bool
    detail: str


class NotMeasured(Exception):
    pass


def warm_json(case: Case) -> dict:
    """The JSON printed by the warm-up run of a case, the one the checks read."""
    if case.warmup is None:
        raise NotMeasured(f"{case.key} not measured ({case.failed})")
    try:
        return case.warmup.json()
    except RuntimeError as e:
        raise NotMeasured(str(e).splitlines()[0]) from None


def concord_metric(output: dict, name: str):
    metric = output.get("metrics", {}).get(name)
    return metric.get("value") if isinstance(metric, dict) else None


def check_values(cases: dict[str, Case], sets: list[str]) -> list[Check]:
    checks = []
    for name in sets:
        try:
            concord = warm_json(cases[f"e2e/{name}/concord"])
            kripp = warm_json(cases[f"e2e/{name}/pandas-krippendorff"])["metrics"]
            irr = warm_json(cases[f"e2e/{name}/irrcac"])["metrics"]
        except NotMeasured as e:
            checks.append(Check(f"{name}: values vs krippendorff and irrCAC", False, str(e)))
            continue
        for level in ALPHA_LEVELS:
            metric = f"krippendorff_alpha_{level}"
            checks.append(compare(f"{name}: {metric} vs krippendorff",
                                  concord_metric(concord, metric), kripp[metric], ALPHA_TOLERANCE))
        for metric in ("krippendorff_alpha_nominal", "fleiss_kappa", "gwet_ac1", "percent_agreement"):
            checks.append(compare(f"{name}: {metric} vs irrCAC", concord_metric(concord, metric),
                                  irr[metric], IRRCAC_TOLERANCE))
        # agreement-bench may echo the alpha it computed; check it when it does.
        try:
            echoed = warm_json(cases[f"inmemory/{name}/concord"])
        except NotMeasured:
            echoed = {}
        for key in ("krippendorff_alpha_nominal", "value", "alpha"):
            if isinstance(echoed.get(key), (int, float)):
                checks.append(compare(f"{name}: agreement-bench inmemory alpha vs krippendorff",
                                      echoed[key], kripp["krippendorff_alpha_nominal"],
                                      ALPHA_TOLERANCE))
                break

    # Bootstrap: the interval must hold the estimate and be the same on every seeded run.
    boot = cases["bootstrap/concord-e2e"]
    what = "bootstrap: 95% interval of nominal alpha holds the estimate"
    try:
        outputs = [warm_json(boot)] + [r.json() for r in boot.runs]
    except (NotMeasured, RuntimeError) as e:
        return checks + [Check(what, False, str(e).splitlines()[0])]
    intervals = set()
    for output in outputs:
        m = output.get("metrics", {}).get("krippendorff_alpha_nominal") or {}
        intervals.add((m.get("ci95_lower"), m.get("value"), m.get("ci95_upper")))
    lo, value, hi = next(iter(intervals))
    sane = all(isinstance(x, (int, float)) for x in (lo, value, hi)) and lo <= value <= hi
    checks.append(Check(what, sane, f"[{lo}, {hi}] around {value}"))
    checks.append(Check("bootstrap: `--seed 1` gives the same interval on every run",
                        len(intervals) == 1,
                        f"{len(intervals)} distinct result(s) over {len(outputs)} runs"))
    return checks


def compare(what: str, ours, theirs, tolerance: float) -> Check:
    if not isinstance(ours, (int, float)):
        return Check(what, False, f"concord gave {ours!r}, peer {theirs!r}")
    diff = abs(ours - theirs)
    # No '|' in the text: it lands in a markdown table cell.
    return Check(what, diff <= tolerance,
                 f"concord {ours!r}, peer {theirs!r}: difference {diff:.2g} "
                 f"(tolerance {tolerance:.2g})")


# ----------------------------------------------------------------------------- report
# A figure is None when its command failed; every helper below passes that through, so a
# missing figure shows as "not measured" and counts as a target not met.

def none_safe(fmt):
    return lambda x: "not measured" if x is None else fmt(x)


def div(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def times(a: float | None, k: float) -> float | None:
    return None if a is None else a * k


def holds(x: float | None, predicate) -> bool:
    return x is not None and predicate(x)


@none_safe
def fmt_s(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1e3:.0f} ms" if seconds >= 0.1 else f"{seconds * 1e3:.1f} ms"


@none_safe
def fmt_ms(ms: float) -> str:
    return fmt_s(ms / 1e3)


@none_safe
def fmt_ns(ns: float) -> str:
    if ns >= 1e6:
        return fmt_s(ns / 1e9)
    return f"{ns / 1e3:.2f} µs" if ns >= 1e3 else f"{ns:.0f} ns"


@none_safe
def fmt_mb(b: float) -> str:
    return f"{b / 1e6:.0f} MB"


@none_safe
def fmt_ratio(x: float) -> str:
    return f"{x:.1f}×" if x < 100 else f"{x:.0f}×"


def yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render(cases, checks, info, files, sets, big, missing, runs, quick, peer_resamples) -> tuple[str, list[bool]]:
    """The markdown section, and whether each target was met."""
    met: list[bool] = []
    out = [MARK_BEGIN, "## Agreement engine (issue 3)", ""]
    if quick:
        out += ["> **Quick smoke run** (`--quick`: 20,000-unit data, 2 runs): not the figures "
                "of record.", ""]
    out += [f"Measured {info['date']} by `make bench` (`python3 bench/run.py"
            f"{' --quick' if quick else ''}`). Each figure is the **median of {runs} runs**. "
            "One untimed warm-up round came first; then, in every round, each command below ran "
            "once, in a shuffled order, so concord and the Python peers were measured "
            "interleaved in one session. Wall times are taken around the whole process "
            "(`time.perf_counter()` around `subprocess`), so process start, loading and, for "
            "Python, interpreter start and imports are included. Ratios are peer ÷ concord "
            "(how many times faster concord is).", ""]

    rows = [["CPU", info["cpu"]], ["cores", info["cores"]], ["memory", info["memory"]],
            ["OS", info["os"]], ["Swift", info["swift"]], ["Python", info["python"]],
            ["packages", ", ".join(f"{k} {v}" for k, v in info["packages"].items())]]
    if "commit" in info:
        rows.append(["concord commit", info["commit"]])
    out += ["### Machine", "", table(["", ""], rows), ""]

    data_rows = []
    for name in (big, missing):
        spec = sets[name]
        ratings, empty = count_rows(files[name])
        data_rows.append([f"`{name}`", f"{spec['units']:,}", str(spec["raters"]),
                          str(spec["categories"]), f"{spec['missing']:.0%}",
                          f"{ratings:,} ({empty:,} empty)",
                          f"`{show(generator_cmd(files[name], spec))}`"])
    out += ["### Data", "",
            "Integer values 1..6 with skewed prevalence; each rater reports the unit's true "
            "category except with probability 0.2 (nominal alpha ≈ 0.62). Generated once, "
            "deterministically, and reused.", "",
            table(["data set", "units", "raters", "categories", "missing", "rows", "command"],
                  data_rows), ""]

    # Correctness.
    alpha_checks = [c for c in checks if "krippendorff_alpha_nominal vs krippendorff" in c.what]
    all_ok = all(c.ok for c in checks)
    summary = ("concord's `krippendorff_alpha_nominal` **equals** the krippendorff package's to "
               "1e-9 on both data sets" if alpha_checks and all(c.ok for c in alpha_checks)
               else "concord's `krippendorff_alpha_nominal` **does not** equal the krippendorff "
                    "package's to 1e-9")
    out += ["### Correctness", "",
            summary + "; so do the ordinal, interval and ratio alphas"
            + ("" if all(c.ok for c in checks if "vs krippendorff" in c.what) else " (**not all: see below**)")
            + ". Fleiss' kappa, Gwet's AC1, percent agreement and nominal alpha agree with "
              "irrCAC to its printed precision (it rounds to 5 digits). "
            + ("Every check passed." if all_ok else "**Some checks failed.**"), "",
            table(["check", "ok", "detail"], [[c.what, yes(c.ok), c.detail] for c in checks]), ""]

    # 1. End to end.
    rows = []
    for name in (big, missing):
        ours = cases[f"e2e/{name}/concord"].median(wall)
        for peer, label in (("pandas-krippendorff", "pandas + krippendorff (4 alpha levels)"),
                            ("irrcac", "pandas + irrCAC (alpha, Fleiss, AC1)")):
            theirs = cases[f"e2e/{name}/{peer}"].median(wall)
            ok = holds(div(theirs, ours), lambda r: r >= TARGET_E2E_RATIO)
            met.append(ok)
            rows.append([f"`{name}`", label, fmt_s(ours), fmt_s(theirs), fmt_ratio(div(theirs, ours)),
                         f"≥ {TARGET_E2E_RATIO:g}×", yes(ok)])
    out += ["### 1. End to end: CSV in, every metric out", "",
            "`concord agreement FILE --format json` (computes every metric) against a Python "
            "script that reads the CSV with pandas, pivots it and calls the package.", "",
            table(["data set", "peer", "concord", "peer time", "ratio", "target", "met"], rows), ""]

    # 2. In-memory alpha.
    rows = []
    for name in (big, missing):
        ours = cases[f"inmemory/{name}/concord"].median(field_of("median_ms"))
        theirs = cases[f"inmemory/{name}/python"].median(field_of("median_ms"))
        ok = holds(div(theirs, ours), lambda r: r >= TARGET_INMEMORY_RATIO)
        met.append(ok)
        rows.append([f"`{name}`", fmt_ms(ours), fmt_ms(theirs), fmt_ratio(div(theirs, ours)),
                     f"≥ {TARGET_INMEMORY_RATIO:g}×", yes(ok)])
    out += ["### 2. In-memory nominal alpha", "",
            "Data already loaded; each process computes nominal alpha 7 times and reports "
            "the median; the figure is the median of those over the runs. Peer: "
            "`krippendorff.alpha(reliability_data=matrix, level_of_measurement='nominal')` on "
            "the raters × units matrix.", "",
            table(["data set", "concord", "krippendorff", "ratio", "target", "met"], rows), ""]

    # 3. Incremental update.
    inc = cases["incremental/concord"]
    median_ns = inc.median(field_of("median_ns"))
    p99_ns = inc.median(field_of("p99_ns"))
    recompute_ms = cases[f"inmemory/{big}/python"].median(field_of("median_ms"))
    ok = holds(median_ns, lambda ns: ns <= TARGET_INCREMENTAL_NS)
    met.append(ok)
    out += ["### 3. Incremental update", "",
            f"One label revision applied to the accumulators of `{big}` "
            f"({sets[big]['units'] * sets[big]['raters']:,} ratings) and alpha read back; "
            "100,000 updates per run. No peer package updates incrementally: what a user "
            "would do instead is recompute from scratch, so the peer column is "
            "krippendorff's in-memory nominal alpha from figure 2.", "",
            table(["data set", "concord median", "concord p99", "peer (full recompute)", "ratio",
                   "target", "met"],
                  [[f"`{big}`", fmt_ns(median_ns), fmt_ns(p99_ns), fmt_ms(recompute_ms),
                    fmt_ratio(div(times(recompute_ms, 1e6), median_ns)), "≤ 10 µs median", yes(ok)]]), ""]

    # 4. Bootstrap.
    boot_in = cases["bootstrap/concord-inmemory"].median(field_of("seconds"))
    boot_e2e = cases["bootstrap/concord-e2e"].median(wall)
    peer_per = cases["bootstrap/python"].median(field_of("seconds_per_resample"))
    peer_1000 = times(peer_per, 1000)
    ok_in = holds(boot_in, lambda s: s < TARGET_BOOTSTRAP_S)
    ok_e2e = holds(boot_e2e, lambda s: s < TARGET_BOOTSTRAP_S)
    met += [ok_in, ok_e2e]
    out += ["### 4. Bootstrap confidence intervals (1,000 resamples)", "",
            f"Unit-level percentile bootstrap on `{missing}` ({sets[missing]['units']:,} units), "
            "seed 1. Peer: resample the units with numpy and call krippendorff.alpha per "
            f"resample; it is timed over {peer_resamples} resamples per run and scaled to "
            "1,000 (running it in full would take minutes per run). The end-to-end row is "
            "the whole `concord agreement --bootstrap 1000` process, every metric included.", "",
            table(["measurement", "concord", "peer", "ratio", "target", "met"],
                  [["in memory (`agreement-bench bootstrap`)", fmt_s(boot_in),
                    f"{fmt_s(peer_1000)} (scaled)", fmt_ratio(div(peer_1000, boot_in)),
                    f"< {TARGET_BOOTSTRAP_S:g} s", yes(ok_in)],
                   ["end to end (`concord agreement --bootstrap`)", fmt_s(boot_e2e), "—", "—",
                    f"< {TARGET_BOOTSTRAP_S:g} s", yes(ok_e2e)]]), ""]

    # 5. Peak memory.
    rows = []
    for name in (big, missing):
        ours = cases[f"e2e/{name}/concord"].median(rss)
        for peer, label in (("pandas-krippendorff", "pandas + krippendorff"),
                            ("irrcac", "pandas + irrCAC")):
            theirs = cases[f"e2e/{name}/{peer}"].median(rss)
            if name == big and peer == "pandas-krippendorff":
                ok = holds(ours, lambda b: b < TARGET_RSS_BYTES)
                met.append(ok)
                target, verdict = "< 200 MB", yes(ok)
            else:
                target = verdict = "—"
            rows.append([f"`{name}`", label, fmt_mb(ours), fmt_mb(theirs),
                         fmt_ratio(div(theirs, ours)), target, verdict])
    out += ["### 5. Peak memory", "",
            "Maximum resident set size of the end-to-end processes of figure 1 "
            "(`ru_maxrss` from `os.wait4`; 1 MB = 10⁶ bytes). The target is on the "
            f"`{big}` file.", "",
            table(["data set", "peer", "concord", "peer RSS", "ratio (peer ÷ concord)", "target",
                   "met"], rows), ""]

    failed = [c for c in cases.values() if c.failed]
    if failed:
        out += ["### Not measured", "",
                table(["command", "why"], [[f"`{show(c.cmd)}`", c.failed.replace("|", "/")]
                                           for c in failed]), ""]

    # Commands.
    cmds = [show(c.cmd) for c in cases.values()]
    out += ["### Commands", "",
            "Run from the repository root after `swift build -c release --product concord` and "
            "`swift build -c release --product agreement-bench`; the peers run in the venv "
            "made by `python3 -m venv .build-venv && .build-venv/bin/pip install -r "
            "bench/requirements.txt`:", "", "```"] + cmds + ["```", "",
            MARK_END]
    return "\n".join(out) + "\n", met


def write_section(path: Path, section: str, mark_begin: str = MARK_BEGIN, mark_end: str = MARK_END,
                  after: str | None = None) -> None:
    """Replace one driver's section between its markers, or add it; keep everything else.
    Shared by every bench driver (run_store.py, run_preview.py pass their own markers). A new
    section goes right after the marker `after` when the file has it (the PostgreSQL figures
    beside the project file's), else at the end."""
    text = path.read_text() if path.exists() else FILE_HEADER
    begin, end = text.find(mark_begin), text.find(mark_end)
    if begin != -1 and end != -1 and end > begin:
        text = text[:begin] + section.rstrip("\n") + text[end + len(mark_end):]
    elif after and after in text:
        at = text.index(after) + len(after)
        text = text[:at] + "\n\n" + section.rstrip("\n") + text[at:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text if text.endswith("\n") else text + "\n")


# ----------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark concord's agreement engine against "
                                            "krippendorff and irrCAC; write BENCHMARKS.md.")
    p.add_argument("--runs", type=int, default=None,
                   help="timed runs per figure (default 5; 2 with --quick)")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: 20,000-unit data, 2 runs, written to "
                        "bench/data/BENCHMARKS.quick.md unless --out is given")
    p.add_argument("--out", type=Path, default=None,
                   help="markdown file to write (default BENCHMARKS.md at the repository root)")
    a = p.parse_args(argv)
    runs = a.runs if a.runs is not None else (2 if a.quick else 5)
    if runs < 1:
        p.error("--runs must be at least 1")
    if runs < 5 and not a.quick:
        print(f"bench: warning: {runs} runs; the figures of record use at least 5",
              file=sys.stderr)
    out_path = a.out or (DATA / "BENCHMARKS.quick.md" if a.quick else REPO / "BENCHMARKS.md")

    concord = os.environ.get("CONCORD_BIN", ".build/release/concord")
    bench_bin = os.environ.get("AGREEMENT_BENCH_BIN", ".build/release/agreement-bench")
    for label, binary in (("CONCORD_BIN", concord), ("AGREEMENT_BENCH_BIN", bench_bin)):
        resolved = Path(binary) if Path(binary).is_absolute() else REPO / binary
        if not os.access(resolved, os.X_OK):
            sys.exit(f"bench: {binary} not found or not executable ({label}); build it first "
                     "with `swift build -c release --product concord` and "
                     "`swift build -c release --product agreement-bench`")

    python = ensure_venv()
    sets = QUICK_SETS if a.quick else FULL_SETS
    big, missing = list(sets)
    files = ensure_data(sets)
    peer_resamples = 5 if a.quick else 20

    cases = build_cases(concord, bench_bin, str(python.relative_to(REPO)), files, big, missing,
                        peer_resamples)
    run_rounds(cases, runs)

    checks = check_values(cases, [big, missing])
    info = machine_info(python)
    section, met = render(cases, checks, info, files, sets, big, missing, runs, a.quick,
                          peer_resamples)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    write_section(out_path, section)

    # Raw per-run figures, for anyone who wants more than medians (git-ignored).
    raw = {key: {"cmd": show(c.cmd),
                 "runs": [{"wall_s": r.wall_s, "maxrss_bytes": r.maxrss_bytes,
                           "stdout": r.stdout.strip()[-4000:]} for r in c.runs]}
           for key, c in cases.items()}
    (DATA / ("agreement-results.quick.json" if a.quick else "agreement-results.json")).write_text(
        json.dumps({"machine": info, "cases": raw}, indent=1))

    body = section.split("### 1.", 1)[1].split("### Commands", 1)[0]
    print("\n### 1." + body)
    print(f"bench: wrote {out_path}; targets met: {sum(met)}/{len(met)}", file=sys.stderr)
    failed = [c for c in checks if not c.ok]
    for c in failed:
        print(f"bench: CHECK FAILED: {c.what}: {c.detail}", file=sys.stderr)
    for c in cases.values():
        if c.failed:
            print(f"bench: NOT MEASURED: {c.key}: {c.failed}", file=sys.stderr)
    # Unmet targets are reported, not fatal; wrong numbers and failed commands are.
    return 1 if failed or any(c.failed for c in cases.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
