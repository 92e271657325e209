#!/usr/bin/env python3
"""Builds the project-file benchmark data (issue 4), deterministically, under bench/data/store/:

  clips/clip0000.mp4 …   N distinct tiny H.264 clips (one encode, then stream copies with a
                         different metadata title each, so every file has its own SHA-256)
  template.db            a project with the genvideo-quality rubric, the clips in batch
                         'bench', R raters assigned to every item — and no labels
  labels.csv             N clips × R raters × 4 criteria labels (1,000,000 rows by default)

concord itself builds the template (init, rubric add, rater add, clip add, assign), so the
benchmark measures the same code a user runs. Re-run only when absent or parameters change.
"""
import argparse, json, os, random, shutil, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRITERIA = ["prompt-adherence", "temporal-consistency", "artifacts", "realism"]


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--clips", type=int, default=1000)
    p.add_argument("--raters", type=int, default=250)
    p.add_argument("--seed", type=int, default=4)
    p.add_argument("--out", default=os.path.join(ROOT, "bench/data/store"))
    p.add_argument("--concord", default=os.environ.get("CONCORD_BIN", os.path.join(ROOT, ".build/release/concord")))
    a = p.parse_args()
    params = {"clips": a.clips, "raters": a.raters, "seed": a.seed, "version": 4}
    stamp = os.path.join(a.out, "params.json")
    if os.path.exists(stamp) and json.load(open(stamp)) == params:
        return
    shutil.rmtree(a.out, ignore_errors=True)
    os.makedirs(os.path.join(a.out, "clips"))
    base = os.path.join(a.out, "base.mp4")
    run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t", "1",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", base])
    clips = []
    for i in range(a.clips):
        path = os.path.join(a.out, "clips", f"clip{i:04d}.mp4")
        run(["ffmpeg", "-loglevel", "error", "-i", base, "-c", "copy", "-metadata", f"title=bench {i}", path])
        clips.append(path)
    db = os.path.join(a.out, "template.db")
    env = dict(os.environ, CONCORD_PROJECT=db)
    c = a.concord
    run([c, "init", "--name", "bench"], env=env)
    run([c, "rubric", "add", os.path.join(ROOT, "rubrics/genvideo-quality.yaml")], env=env)
    raters = [f"r{j:03d}" for j in range(a.raters)]
    for r in raters:
        run([c, "rater", "add", r, "--role", "rater"], env=env)
    for start in range(0, len(clips), 200):
        run([c, "clip", "add", *clips[start:start + 200], "--batch", "bench", "--rubric", "genvideo-quality"], env=env)
    run([c, "assign", "--batch", "bench", "--raters", ",".join(raters)], env=env)
    # Fold the WAL into the file so a copy of template.db is the whole project.
    run(["python3", "-c", f"import sqlite3; c=sqlite3.connect({db!r}); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()"])
    rng = random.Random(a.seed)
    with open(os.path.join(a.out, "labels.csv"), "w") as f:
        f.write("clip,rater,criterion,value\n")
        for i, clip in enumerate(clips):
            name = os.path.basename(clip)
            truth = [rng.randint(1, 5) for _ in CRITERIA]
            for r in raters:
                for k, crit in enumerate(CRITERIA):
                    v = truth[k] if rng.random() < 0.7 else rng.randint(1, 5)
                    f.write(f"{name},{r},{crit},{v}\n")
    json.dump(params, open(stamp, "w"))


if __name__ == "__main__":
    sys.exit(main())
