#!/usr/bin/env python3
"""Preview benchmarks (issue 5), written to BENCHMARKS.md between <!-- bench:preview -->
and <!-- /bench:preview -->. Peers run in the same session, interleaved; medians of --runs.

  1. cold sixel preview of a frame of a 720p H.264 clip (process start included) vs
     `ffmpeg -ss T -i CLIP -frames:v 1 -f image2pipe -c:v png - | img2sixel`, same pixel size;
     the floor is concord's own decode time (keyframe → frame), from `--info`;
  2. warm stepping in one process (preview-bench step): next, previous, ±1 s, random;
  3. sixel encoding of a 640×360 frame: concord vs img2sixel and chafa (time, bytes, PSNR);
     the same with Floyd–Steinberg dithering; box scaling of the 1280×720 frame to 640×360;
  4. playback (`concord preview --frames`) fps at 320×180 and 640×360 vs `mpv --vo=sixel`;
  5. a half-block frame at 120×40 cells;
  6. kitty graphics (issue 17) of the same 640×360 frame: encode time and bytes (zlib level 1,
     as the workbench; level 6 for comparison), decoded back (base64, zlib) and compared with
     the source frame byte for byte.
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import machine_info, write_section  # noqa: E402

BEGIN, END = "<!-- bench:preview -->", "<!-- /bench:preview -->"
DATA = ROOT / "bench/data/preview"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def timed(cmd, shell=False):
    t = time.perf_counter()
    p = subprocess.run(cmd, shell=shell, capture_output=True)
    if p.returncode != 0:
        raise SystemExit(f"bench: {cmd} failed: {p.stderr.decode()[:300]}")
    return time.perf_counter() - t, p


def read_ppm(path):
    data = Path(path).read_bytes()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():m.end() + w * h * 3]


def png_to_rgb(png, w, h):
    # ffmpeg decodes the PNG (sixel2png pads the height to whole bands: crop to h).
    out = sh(["ffmpeg", "-loglevel", "error", "-i", png, "-vf", f"crop={w}:{h}:0:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]).stdout
    return out


def psnr(a, b):
    import math
    n = min(len(a), len(b))
    mse = sum((x - y) ** 2 for x, y in zip(a[:n], b[:n])) / n
    return float("inf") if mse == 0 else 10 * math.log10(255 ** 2 / mse)


def kitty_pixels(path):
    """The RGB of the first image in a file of kitty graphics escape sequences (chunks joined,
    base64 and zlib undone), with its width and height."""
    import base64, zlib
    data, payload, keys, i = Path(path).read_bytes(), b"", None, 0
    while True:
        i = data.find(b"\x1b_G", i)
        end = data.find(b"\x1b\\", i)
        control, _, chunk = data[i + 3:end].partition(b";")
        k = dict(kv.split("=", 1) for kv in control.decode().split(","))
        keys = keys or k
        payload += chunk
        i = end + 2
        if k.get("m") != "1":
            break
    raw = base64.b64decode(payload)
    if keys.get("o") == "z":
        raw = zlib.decompress(raw)
    return int(keys["s"]), int(keys["v"]), raw


def open_first_frame(concord, runs):
    """Issue 17: opening costs the same for a long clip as for a short one. Cold
    `concord preview --frame 0` (process start, open, index, first frame, sixel) of a
    3-minute 1080p MP4 (testsrc2, x264 ultrafast with 3 B-frames) and of its first 4 s, and the
    `ffmpeg | img2sixel` pipeline on the long clip, interleaved. Returns table rows."""
    long_clip, short_clip = DATA / "testsrc2-1080p-180s.mp4", DATA / "testsrc2-1080p-4s.mp4"
    if not long_clip.exists():
        sh(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-t", "180",
            "-c:v", "libx264", "-preset", "ultrafast", "-bf", "3", "-g", "60", "-pix_fmt", "yuv420p", str(long_clip)])
    if not short_clip.exists():
        sh(["ffmpeg", "-loglevel", "error", "-y", "-i", str(long_clip), "-t", "4", "-c", "copy", str(short_clip)])
    args = ["--frame", "0", "--mode", "sixel", "--width", "64", "--height", "18"]
    longs, shorts, pipes = [], [], []
    for _ in range(runs * 3):
        longs.append(timed([concord, "preview", str(long_clip)] + args)[0])
        shorts.append(timed([concord, "preview", str(short_clip)] + args)[0])
        pipes.append(timed(f"ffmpeg -loglevel error -i {long_clip} -frames:v 1 -vf scale=640:360 -f image2pipe -c:v png - | img2sixel",
                           shell=True)[0])
    index = timed([concord, "preview", str(long_clip)] + args + ["--info"])[1].stderr.decode()
    how = next((l for l in index.splitlines() if "index:" in l), "index: (not printed)")
    lo, sh_, pi = statistics.median(longs), statistics.median(shorts), statistics.median(pipes)
    yes = lambda ok: "yes" if ok else "**no**"
    return (f"| open + first frame (sixel 640×360, cold process), 3-min 1080p MP4 vs its first 4 s, {runs * 3}× each; "
            f"{how[how.index('index:'):] if 'index:' in how else how} | {lo * 1000:.1f} ms | {sh_ * 1000:.1f} ms (first 4 s) | "
            f"{lo / sh_:.2f}× | ≤ 1.3× + 20 ms | {yes(lo <= 1.3 * sh_ + 0.020)} |\n"
            f"| the same vs `ffmpeg \\| img2sixel` on the 3-min clip | {lo * 1000:.1f} ms | {pi * 1000:.1f} ms | "
            f"{pi / lo:.2f}× | ≥ 1.3× | {yes(pi / lo >= 1.3)} |")


def one_hour_clip():
    """A 1-hour 1080p H.264 MP4 (25 fps, 90,000 frames, 3 B-frames, a keyframe every 2 s) made in
    seconds: a 10 s testsrc2 segment encoded once (1 Mb/s, so the hour is ~450 MB, not the 6 GB
    ultrafast's default quality would give), then repeated 360 times by the concat demuxer with
    `-c copy` into one MP4 whose moov holds every sample (no fragments). Cached under DATA;
    also its own first 4 s, cut with `-c copy`. Returns (hour, first 4 s)."""
    hour, first = DATA / "testsrc2-1080p25-1h.mp4", DATA / "testsrc2-1080p25-1h-first4s.mp4"
    DATA.mkdir(parents=True, exist_ok=True)
    if not hour.exists():
        segment, listing = DATA / "testsrc2-1080p25-10s.mp4", DATA / "testsrc2-1080p25-1h.txt"
        sh(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25", "-t", "10",
            "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "1M", "-bf", "3", "-g", "50", "-pix_fmt", "yuv420p", str(segment)])
        listing.write_text(f"file '{segment.name}'\n" * 360)
        partial = hour.with_suffix(".part.mp4")
        sh(["ffmpeg", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(partial)])
        partial.rename(hour)
    if not first.exists():
        sh(["ffmpeg", "-loglevel", "error", "-y", "-i", str(hour), "-t", "4", "-c", "copy", str(first)])
    frames = sh(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=nb_frames", "-of", "csv=p=0",
                 str(hour)]).stdout.decode().strip()
    if frames != "90000":
        raise SystemExit(f"bench: {hour} has {frames} frames in its sample table, not 90000; delete it to remake it")
    return hour, first


def open_one_hour(concord, runs):
    """Issue 17, "a 1 h clip opens as fast as a 4 s clip": cold `concord preview --frame 0`
    (process start, open, index, first frame, sixel) of the 1-hour MP4 against its own first
    4 s, and libavformat alone on the same two files (`ffmpeg -i … -frames:v 1 -f null -`:
    open, moov parse, stream info, one frame decoded) as the floor of what a longer sample
    table costs. All four interleaved. Returns table rows."""
    hour, first = one_hour_clip()
    args = ["--frame", "0", "--mode", "sixel", "--width", "64", "--height", "18"]
    floor = lambda clip: f"ffmpeg -loglevel error -i {clip} -frames:v 1 -f null -"
    ours_h, ours_f, floor_h, floor_f = [], [], [], []
    for _ in range(runs * 3):
        ours_h.append(timed([concord, "preview", str(hour)] + args)[0])
        ours_f.append(timed([concord, "preview", str(first)] + args)[0])
        floor_h.append(timed(floor(hour), shell=True)[0])
        floor_f.append(timed(floor(first), shell=True)[0])
    info = timed([concord, "preview", str(hour)] + args + ["--info"])[1].stderr.decode()
    how = next((l[l.index("index:"):] for l in info.splitlines() if "index:" in l), "index: (not printed)")
    h, f, fh, ff = (statistics.median(x) for x in (ours_h, ours_f, floor_h, floor_f))
    yes = lambda ok: "yes" if ok else "**no**"
    return (f"| open + first frame (sixel 640×360, cold process), 1-hour 1080p MP4 (90,000 frames) vs its first 4 s, {runs * 3}× each; "
            f"{how} | {h * 1000:.1f} ms | {f * 1000:.1f} ms (first 4 s) | {h / f:.2f}× ({(h - f) * 1000:+.1f} ms) | ≤ 1.3× + 20 ms | "
            f"{yes(h <= 1.3 * f + 0.020)} |\n"
            f"| the floor on the same two files: libavformat alone (`ffmpeg -i … -frames:v 1 -f null -`), 1 hour vs first 4 s | "
            f"{fh * 1000:.1f} ms | {ff * 1000:.1f} ms (first 4 s) | {fh / ff:.2f}× ({(fh - ff) * 1000:+.1f} ms) | | |")


def far_from_keyframe(concord, runs):
    """Issue 17: a frame 240 frames after its keyframe, cold (`concord preview --frame 240`:
    process start, open, decode from the keyframe, sixel) against `ffmpeg -ss 8 | img2sixel`
    at the same size, on a 720p testsrc2 clip with a keyframe every 300 frames: once with
    every frame a reference (`-bf 0`; decoding all 240 is the floor for both), once with 3
    B-frames (which concord leaves undecoded on the way). Interleaved. Returns table rows."""
    rows = []
    for label, bframes in (("every frame a reference", "0"), ("3 B-frames", "3")):
        clip = DATA / f"testsrc2-720p-g300-bf{bframes}.mp4"
        if not clip.exists():
            sh(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-t", "12",
                "-c:v", "libx264", "-g", "300", "-bf", bframes, "-pix_fmt", "yuv420p", str(clip)])
        ours, theirs = [], []
        for _ in range(runs * 3):
            ours.append(timed([concord, "preview", str(clip), "--frame", "240", "--mode", "sixel", "--width", "64", "--height", "18"])[0])
            theirs.append(timed(f"ffmpeg -loglevel error -ss 8 -i {clip} -frames:v 1 -vf scale=640:360 -f image2pipe -c:v png - | img2sixel",
                                shell=True)[0])
        o, t = statistics.median(ours), statistics.median(theirs)
        rows.append(f"| a frame 240 frames past its keyframe, 720p ({label}), cold sixel 640×360, {runs * 3}× | "
                    f"{o * 1000:.1f} ms | {t * 1000:.1f} ms (`ffmpeg -ss 8 … \\| img2sixel`) | {t / o:.2f}× | ≥ 1.0× | "
                    f"{'yes' if t / o >= 1.0 else '**no**'} |")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    a = ap.parse_args()
    concord = os.environ.get("CONCORD_BIN", str(ROOT / ".build/release/concord"))
    pbench = os.environ.get("PREVIEW_BENCH_BIN", str(ROOT / ".build/release/preview-bench"))
    DATA.mkdir(parents=True, exist_ok=True)
    clip = DATA / "mandelbrot-720p.mp4"
    if not clip.exists():
        sh(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "mandelbrot=size=1280x720:rate=30", "-t", "10",
            "-c:v", "libx264", "-g", "60", "-pix_fmt", "yuv420p", str(clip)])
    times = [1.3, 3.7, 5.45, 7.3, 9.2]

    # 1. Cold, interleaved.
    ours, theirs, floors, decoded = [], [], [], []
    for r in range(a.runs):
        for t in times:
            d, p = timed([concord, "preview", str(clip), "--at", str(t), "--mode", "sixel", "--width", "64", "--height", "18", "--info"])
            ours.append(d)
            m = re.search(rb"decode ([0-9.]+) ms \(([0-9]+) frames?\)", p.stderr)
            floors.append(float(m.group(1)) / 1000)
            decoded.append(int(m.group(2)))
            d, _ = timed(f"ffmpeg -loglevel error -ss {t} -i {clip} -frames:v 1 -vf scale=640:360 -f image2pipe -c:v png - | img2sixel", shell=True)
            theirs.append(d)
    cold_ours, cold_theirs, floor = statistics.median(ours), statistics.median(theirs), statistics.median(floors)

    # 2. Warm stepping.
    steps = [json.loads(sh([pbench, "step", str(clip), "--width", "640", "--height", "360", "--count", "20"]).stdout) for _ in range(a.runs)]
    step = {k: statistics.median(s[k] for s in steps) for k in steps[0] if k.endswith("_ms")}

    # 3. Encoding one 640×360 frame: ours in process; the peers as processes on a PNG of the same frame.
    with tempfile.TemporaryDirectory() as d:
        enc = json.loads(sh([pbench, "encode", str(clip), "--frame", "150", "--width", "640", "--height", "360", "--out", f"{d}/f"]).stdout)
        w, h, src = read_ppm(f"{d}/f.ppm")
        sh(["ffmpeg", "-loglevel", "error", "-y", "-i", f"{d}/f.ppm", f"{d}/f.png"])
        sh(["sixel2png", "-i", f"{d}/f.six", "-o", f"{d}/ours.png"])
        ours_psnr = psnr(src, png_to_rgb(f"{d}/ours.png", w, h))
        peers = {}
        for name, cmd in (("img2sixel", f"img2sixel {d}/f.png > {d}/p.six"),
                          ("chafa", f"chafa -f sixel --font-ratio 1 --size {w // 8}x{h // 8} {d}/f.png > {d}/p.six")):
            runs = [timed(cmd, shell=True)[0] for _ in range(a.runs)]
            size = os.path.getsize(f"{d}/p.six")
            sh(["sixel2png", "-i", f"{d}/p.six", "-o", f"{d}/p.png"])
            info = sh(["ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", f"{d}/p.png"]).stdout.decode().strip()
            pw, ph = map(int, info.split(","))
            peer_psnr = psnr(src, png_to_rgb(f"{d}/p.png", w, h)) if (pw, ph) >= (w, h) else None
            peers[name] = (statistics.median(runs), size, peer_psnr, f"{pw}×{ph}")
        dithered = json.loads(sh([pbench, "encode", str(clip), "--frame", "150", "--width", "640", "--height", "360",
                                  "--dither", "--repeat", "5"]).stdout)
    box = [json.loads(sh([pbench, "scale", str(clip), "--frame", "150", "--width", "640", "--height", "360"]).stdout)
           for _ in range(a.runs)]
    # 6. Kitty graphics of the same frame: level 1 (the workbench's) and 6, decoded back.
    with tempfile.TemporaryDirectory() as d:
        kitty = [json.loads(sh([pbench, "kitty", str(clip), "--frame", "150", "--width", "640", "--height", "360",
                                "--out", f"{d}/k"]).stdout) for _ in range(a.runs)]
        kw, kh, kraw = kitty_pixels(f"{d}/k.kitty")
        sw, sh_, ksrc = read_ppm(f"{d}/k.ppm")
        kitty_exact = (kw, kh) == (sw, sh_) and kraw == ksrc
    kitty6 = [json.loads(sh([pbench, "kitty", str(clip), "--frame", "150", "--width", "640", "--height", "360",
                             "--level", "6", "--repeat", "5"]).stdout) for _ in range(a.runs)]
    kitty_ms = statistics.median(k["median_ms"] for k in kitty)
    kitty6_ms = statistics.median(k["median_ms"] for k in kitty6)
    # 4. Playback fps.
    fps = {}
    for label, cols, rows, pw, ph in (("320×180", 32, 9, 320, 180), ("640×360", 64, 18, 640, 360)):
        c = [150 / timed(f"{concord} preview {clip} --frames 0-149 --mode sixel --width {cols} --height {rows} > /dev/null", shell=True)[0] for _ in range(a.runs)]
        m = [150 / timed(f"mpv --vo=sixel --no-audio --really-quiet --no-terminal --untimed --frames=150 --vo-sixel-width={pw} --vo-sixel-height={ph} {clip} > /dev/null", shell=True)[0] for _ in range(a.runs)]
        # Kitty graphics (issue 17): the same frames in 24-bit colour; bytes per frame from one run.
        k = [150 / timed(f"{concord} preview {clip} --frames 0-149 --mode kitty --width {cols} --height {rows} > /dev/null", shell=True)[0] for _ in range(a.runs)]
        kb = len(sh([concord, "preview", str(clip), "--frames", "0-149", "--mode", "kitty", "--width", str(cols), "--height", str(rows)]).stdout) / 150
        fps[label] = (statistics.median(c), statistics.median(m), statistics.median(k), kb)
    # 5. Half-block.
    hb = [json.loads(sh([pbench, "halfblock", str(clip), "--frame", "150", "--columns", "120", "--rows", "40"]).stdout)["median_ms"] for _ in range(a.runs)]
    # 6. Open + first frame, long clip vs short.
    open_rows = open_first_frame(concord, a.runs) + "\n" + open_one_hour(concord, a.runs)
    far_rows = far_from_keyframe(concord, a.runs)

    info = machine_info(Path(sys.executable))
    yes = lambda ok: "yes" if ok else "**no**"
    f = lambda s: f"{s * 1000:.1f} ms"
    i2s, chafa = peers["img2sixel"], peers["chafa"]
    psnr_txt = lambda v: "—" if v is None else f"{v:.1f} dB"
    section = f"""{BEGIN}
## Previews (issue 5)

Measured {info['date']} by `python3 bench/run_preview.py --runs {a.runs}` on the machine described above
(concord commit {info.get('commit', '?')}). Clip: `mandelbrot` 1280×720, 30 fps, 10 s, H.264 with a keyframe
every 60 frames (`bench/data/preview/`). Medians; peers interleaved with concord.

| figure | concord | peer | ratio | target | met |
|---|---|---|---|---|---|
| cold sixel preview at 640×360, 5 times × {a.runs} (process start included) | {f(cold_ours)} | {f(cold_theirs)} (`ffmpeg -ss … \\| img2sixel`) | {cold_theirs / cold_ours:.2f}× | ≥ 1.3× | {yes(cold_theirs / cold_ours >= 1.3)} |
| floor: concord's decode from the keyframe to the frame (median {statistics.median(decoded):.0f} frames decoded; frames nothing refers to are left out) | {f(floor)} | | | | |
| warm: next frame (decode + scale + sixel) | {step['next_ms']:.1f} ms | | {cold_theirs * 1000 / step['next_ms']:.0f}× vs the pipeline | < 10 ms, ≥ 20× | {yes(step['next_ms'] < 10 and cold_theirs * 1000 / step['next_ms'] >= 20)} |
| warm: previous frame | {step['previous_ms']:.1f} ms | | {cold_theirs * 1000 / step['previous_ms']:.1f}× | < 10 ms | {yes(step['previous_ms'] < 10)} |
| warm: +1 s / −1 s / random jump | {step['plus_1s_ms']:.1f} / {step['minus_1s_ms']:.1f} / {step['random_ms']:.1f} ms | | {cold_theirs * 1000 / step['random_ms']:.1f}× (random) | ≥ 20× | {yes(cold_theirs * 1000 / step['random_ms'] >= 20)} |
| sixel encode, 640×360 frame: time · bytes · PSNR | {enc['median_ms']:.1f} ms · {enc['bytes']:,} B · {ours_psnr:.1f} dB | img2sixel {i2s[0] * 1000:.1f} ms · {i2s[1]:,} B · {psnr_txt(i2s[2])}; chafa {chafa[0] * 1000:.1f} ms · {chafa[1]:,} B · {psnr_txt(chafa[2])} ({chafa[3]}) | | faster than both at ≥ PSNR | {yes(enc['median_ms'] / 1000 < min(i2s[0], chafa[0]) and ours_psnr >= max(v for v in (i2s[2], chafa[2]) if v is not None))} |
| sixel encode, 640×360 frame, Floyd–Steinberg dithering (off in the workbench): time · bytes | {dithered['median_ms']:.1f} ms · {dithered['bytes']:,} B | | | | |
| box scaling of the frame, {box[0]['from']} → 640×360 (half-block and ASCII fitting) | {statistics.median(b['median_ms'] for b in box):.1f} ms | | | | |
| playback fps, 320×180 | {fps['320×180'][0]:.0f} fps | mpv --vo=sixel {fps['320×180'][1]:.0f} fps | {fps['320×180'][0] / fps['320×180'][1]:.2f}× | ≥ mpv, ≥ 60 | {yes(fps['320×180'][0] >= max(60, fps['320×180'][1]))} |
| playback fps, 640×360 | {fps['640×360'][0]:.0f} fps | mpv --vo=sixel {fps['640×360'][1]:.0f} fps | {fps['640×360'][0] / fps['640×360'][1]:.2f}× | ≥ mpv, ≥ 25 | {yes(fps['640×360'][0] >= max(25, fps['640×360'][1]))} |
| playback fps, kitty graphics, 320×180 · 640×360 (bytes a frame; no kitty peer: mpv 0.35 has no --vo=kitty) | {fps['320×180'][2]:.0f} fps ({fps['320×180'][3] / 1000:.0f} kB) · {fps['640×360'][2]:.0f} fps ({fps['640×360'][3] / 1000:.0f} kB) | | | ≥ 25 at 640×360 | {yes(fps['640×360'][2] >= 25)} |
| half-block frame, 120×40 cells (24-bit) | {statistics.median(hb):.2f} ms | | | < 2 ms | {yes(statistics.median(hb) < 2)} |
| kitty graphics encode, 640×360 frame (24-bit, zlib level 1 as the workbench): time · bytes · decoded back | {kitty_ms:.1f} ms · {kitty[0]['bytes']:,} B ({kitty[0]['bytes'] / kitty[0]['raw_bytes']:.2f}× the raw RGB) · {"identical" if kitty_exact else "**differs**"} | sixel above: {enc['median_ms']:.1f} ms · {enc['bytes']:,} B | | exact colours | {yes(kitty_exact)} |
| the same at zlib level 6 | {kitty6_ms:.1f} ms · {kitty6[0]['bytes']:,} B | | | | |
{open_rows}
{far_rows}

Caveats: the peers' encode times are whole processes (start and PNG decoding included), ours is
in-process, so that row favours concord; PSNR compares each decoded sixel (sixel2png) with the
source frame. mpv writes its sixel frames to /dev/null with `--untimed`, as concord's playback
does. Warm stepping goes through `FrameSource` (as the workbench will): every frame decoded on the
way to a target is kept (256 MB; the 10 s clip at 640×360 is about 200 MB), so a step back, and a
jump into a stretch of the clip decoded before, is a cache hit plus the sixel encode; the first
visit to a group of pictures still costs the decode from its keyframe (the floor above).
Each run does 20 next, 20 previous, 20 +1 s, 20 −1 s and 20 random moves, in that order.
{END}
"""
    path = Path(a.out)
    write_section(path, section, BEGIN, END)
    print(f"bench: wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
