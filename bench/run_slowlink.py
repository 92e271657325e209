#!/usr/bin/env python3
"""Playback over a slow link (issue 17), written to BENCHMARKS.md between
<!-- bench:slowlink --> and <!-- /bench:slowlink -->.

`concord rate --trace` (release build) plays a 5 s clip (640×360, 25 fps: a demo clip, and
testsrc2 with moving noise, whose pictures are several times larger) in a 120×40 pty
(scripts/slowlink.py: the pty's window size carries the cell's pixels, so the picture is
sized without a probe answer) for --play seconds, per preview mode and picture size,
unthrottled and with the pty's output through `pv -L 2m` (copied into pv as it comes, a
blocking copy, so when pv is behind the pty fills and concord's writes wait). Figures: bytes a second and pictures shown a second at the
reader, frames written and dropped (the trace), and how far behind the clock a shown
picture was: when its last byte arrived at the reader less when its frame was due on the
player's clock (both CLOCK_MONOTONIC), for the pictures drawn while playing. Target: never
more than 200 ms. While playing over a link too slow for a picture, kitty and sixel pictures
are drawn smaller (the trace's last column: the size sent); the paused picture before play
is full size, and its time to arrive is reported on its own (a still frame is not on a clock).
"""
import argparse, collections, json, os, statistics, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import machine_info, write_section  # noqa: E402

BEGIN, END = "<!-- bench:slowlink -->", "<!-- /bench:slowlink -->"
DATA = ROOT / "bench/data/slowlink"
CLIPS = {"demo": ROOT / "assets/demo/cutin-left-close.mp4", "noise": DATA / "noise.mp4"}
# The 16:9 clip in rate's 71×36-cell pane at 120×40: 5×6 px cells give 355×200 (the
# nearest to 320×180 whole pixels allow), 9×11 px cells 639×359.
CASES = [("demo", "kitty", "5x6", "355×200"), ("demo", "kitty", "9x11", "639×359"), ("demo", "sixel", "5x6", "355×200"),
         ("demo", "sixel", "9x11", "639×359"), ("demo", "blocks", "9x11", "71×20 cells"), ("demo", "ascii", "9x11", "71×20 cells"),
         ("noise", "kitty", "5x6", "355×200"), ("noise", "kitty", "9x11", "639×359"), ("noise", "sixel", "5x6", "355×200"),
         ("noise", "sixel", "9x11", "639×359"), ("noise", "blocks", "9x11", "71×20 cells")]


def summarize(out, trace):
    """Figures of one run from the harness's JSON and concord's trace."""
    rows = [line.split("\t") for line in Path(trace).read_text().splitlines() if line]
    frames = [r for r in rows if r[0] == "frame"]
    skipped = sum(1 for r in rows if r[0] == "skip")
    arrivals = out["arrivals"]
    # Each picture ends with DECRC: the i-th received is the i-th written. Lag counts the
    # pictures drawn while playing; the first, drawn paused before the play key, on its own.
    pairs = range(min(len(frames), len(arrivals)))
    lags = [arrivals[i] - int(frames[i][2]) / 1e6 for i in pairs if int(frames[i][3]) / 1e6 >= out["play_at"]]
    first = arrivals[0] - int(frames[0][2]) / 1e6 if frames and arrivals else float("nan")
    shown = sum(1 for t in arrivals if t >= out["play_at"])
    played = [r for r in frames if int(r[3]) / 1e6 >= out["play_at"]]
    sizes = collections.Counter(r[6] for r in played if len(r) > 6)
    return {
        "first_ms": first * 1000,
        "playing_size": sizes.most_common(1)[0][0].replace("x", "×") if sizes else "?",
        "bytes_per_s": out["bytes"] / out["seconds"],
        "shown_per_s": shown / out["seconds"],
        "written": len(played), "skipped": skipped,
        "frame_kb": statistics.mean(int(r[5]) for r in played) / 1000 if played else 0,
        "worst_lag_ms": max(lags) * 1000 if lags else float("nan"),
        "median_lag_ms": statistics.median(lags) * 1000 if lags else float("nan"),
        "quit_ms": (out["quit_seconds"] or 0) * 1000,
    }


def selected(case, only):
    """Whether a row of CASES matches `--only` CLIP[/MODE[/PICTURE]]: each part a prefix
    of the row's clip, mode and picture (noise/kitty/639 is the 639×359 kitty row)."""
    clip, mode, _, size = case
    return all(field.startswith(part) for field, part in zip((clip, mode, size), only.split("/")))


def run_once(concord, db, mode, cell, throttled, play, keep=None):
    """One run's figures; `keep`: a path prefix to keep its trace (.tsv) and the harness's
    JSON (.json) at, to look into a row's worst lag (which frame, when written, how big)."""
    with tempfile.TemporaryDirectory() as d:
        trace = Path(d) / "trace.tsv"
        rate = f"{concord} rate --project {db} --preview {mode} --trace {trace}"
        through = ["--through", "pv -q -L 2m"] if throttled else []
        p = subprocess.run([sys.executable, str(ROOT / "scripts/slowlink.py"), "--cell", cell, "--play", str(play), *through,
                            "--", "sh", "-c", f"exec {rate}"],
                           capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            raise SystemExit(f"bench: slowlink {mode} {cell} failed: {p.stderr[-500:]}")
        if keep:
            Path(f"{keep}.tsv").write_bytes(trace.read_bytes())
            Path(f"{keep}.json").write_text(p.stdout)
        return summarize(json.loads(p.stdout), trace)


def project(concord, d, clip):
    db = Path(d) / f"{clip.stem}.db"
    for args in (["init"], ["rubric", "add", str(ROOT / "rubrics/av-cut-in.yaml")],
                 ["clip", "add", str(clip), "--batch", "b1", "--rubric", "av-cut-in"],
                 ["assign", "--batch", "b1", "--raters", os.environ.get("USER") or subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()]):
        subprocess.run([concord, *args, "--project", str(db)], check=True, capture_output=True)
    return db


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--play", type=float, default=4.0)
    ap.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    ap.add_argument("--only", action="append", default=[], metavar="CLIP/MODE/PICTURE",
                    help="run only the rows matching, e.g. noise/kitty/639 or noise/sixel (repeatable); "
                         "for iterating: the section written then has those rows alone")
    ap.add_argument("--link", choices=["both", "unthrottled", "pv"], default="both")
    ap.add_argument("--keep", metavar="DIR", help="keep each run's trace and the harness's JSON in DIR")
    a = ap.parse_args()
    concord = os.environ.get("CONCORD_BIN", str(ROOT / ".build/release/concord"))
    DATA.mkdir(parents=True, exist_ok=True)
    if not CLIPS["noise"].exists():
        subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25,noise=alls=20:allf=t",
                        "-t", "5", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", str(CLIPS["noise"])], check=True)
    results = {}
    with tempfile.TemporaryDirectory() as d:
        dbs = {name: project(concord, d, clip) for name, clip in CLIPS.items()}
        cases = [c for c in CASES if not a.only or any(selected(c, only) for only in a.only)]
        links = {"both": (False, True), "unthrottled": (False,), "pv": (True,)}[a.link]
        for r in range(a.runs):
            for clip, mode, cell, size in cases:
                for throttled in links:
                    keep = None
                    if a.keep:
                        Path(a.keep).mkdir(parents=True, exist_ok=True)
                        keep = f"{a.keep}/{clip}-{mode}-{cell}-{'pv' if throttled else 'unthrottled'}-{r}"
                    results.setdefault((clip, mode, size, throttled), []).append(
                        run_once(concord, dbs[clip], mode, cell, throttled, a.play, keep))
    lines, worst = [], 0.0
    for (clip, mode, size, throttled), runs in results.items():
        med = {k: statistics.median(run[k] for run in runs) for k in runs[0] if k != "playing_size"}
        playing = collections.Counter(run["playing_size"] for run in runs).most_common(1)[0][0]
        lag = max(run["worst_lag_ms"] for run in runs)
        worst = max(worst, lag) if throttled else worst
        lines.append(f"| {clip} | {mode} | {size} | {'pv -L 2m' if throttled else 'unthrottled'} | {playing} | {med['bytes_per_s'] / 1e6:.2f} | "
                     f"{med['shown_per_s']:.1f} | {med['frame_kb']:.1f} | {med['written']:.0f} / {med['skipped']:.0f} | "
                     f"{med['median_lag_ms']:.0f} | {lag:.0f} | {'yes' if lag <= 200 else '**no**'} | {med['first_ms']:.0f} |")
        print(lines[-1], file=sys.stderr)
    info = machine_info(Path(sys.executable))
    table = "\n".join(lines)
    section = f"""{BEGIN}
## Playback over a slow link (issue 17)

Measured {info['date']} by `python3 bench/run_slowlink.py --runs {a.runs}` on the machine described above
(concord commit {info.get('commit', '?')}). `concord rate --trace` plays a 5 s clip, 640×360 at 25 fps (demo:
`{CLIPS['demo'].name}`; noise: testsrc2 with moving noise, `noise=alls=20:allf=t`), for {a.play:.0f} s in a 120×40 pty
(`scripts/slowlink.py`), unthrottled or with the pty's output through `pv -L 2m`;
medians of {a.runs} runs, worst lag over all runs. Bytes and pictures a second as the reader received them;
frames written / dropped while playing from the trace (a frame is dropped when the bytes still on their
way, and how late it already is, would show it more than 100 ms behind its time); picture while playing: the size most pictures were sent at
(kitty and sixel are drawn smaller while playing when the link's measured rate cannot carry a picture in
80 ms; kitty's is scaled back up into the same cells; until the link is measured, or has taken more than
a 2.2 MB/s relay could have let through since the program started plus 512 kB, the first pictures of a
play are sized for 2 MB/s); lag: when a picture drawn while playing had its
last byte at the reader less when its frame was due on the player's clock; paused ms: the same for the
full-size picture drawn before the play key (its bytes' own time on the link).

| clip | mode | picture | link | picture while playing | MB/s | shown/s | kB a frame | written / dropped | median lag ms | worst lag ms | ≤ 200 ms | paused ms |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
{table}

Half-blocks and ASCII write only the cells that changed since the frame on screen; kitty and sixel
frames are whole pictures. A picture cannot show sooner than its own bytes take to cross the link
(at 2 MB/s, 100 kB is 50 ms), and the buffers on the way (the pty, the copy into pv, pv) add their
drain time to the first byte.
{END}
"""
    write_section(Path(a.out), section, BEGIN, END)
    print(f"bench: wrote {a.out}; worst lag through pv {worst:.0f} ms", file=sys.stderr)


if __name__ == "__main__":
    main()
