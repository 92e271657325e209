#!/usr/bin/env python3
"""A terminal behind a slow link, for the slow-link test and benchmark (issue 17).

Runs a command (`concord rate … --trace T`) on a pty of COLUMNS×ROWS cells (with the
cell's pixel size in the window size, so the probe needs no answer) and reads the pty's
master no faster than --rate bytes a second (a token bucket, as `pv -L` does; 0: as fast
as it comes). Once the screen shows --ready, it sends a space (play), waits --play
seconds (with --pause, sends a space again and waits that long, paused), sends `q` and
reads until the command has ended.

Prints one JSON object: bytes received while playing, the play window in seconds, the
monotonic time (CLOCK_MONOTONIC, the clock of concord's trace) at which each picture's
end arrived, from the start until q — every picture is written inside DECSC … DECRC, so each `ESC 8` ends one —
the seconds from `q` to the command's exit, and its exit status.
"""
import argparse, fcntl, json, os, select, struct, subprocess, sys, termios, threading, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=0, help="bytes a second the reader takes (0: unthrottled)")
    ap.add_argument("--columns", type=int, default=120)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--cell", default="10x20", help="cell size in pixels, WxH")
    ap.add_argument("--ready", default="item ", help="text on screen before playing")
    ap.add_argument("--play", type=float, default=4.0, help="seconds to play before q")
    ap.add_argument("--before-play", default="", help="keys sent once the screen is ready, before the play key (`]` for 2× speed)")
    ap.add_argument("--pause", type=float, default=0.0, help="seconds to stay paused (a second space) before q")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--dump", help="write every byte received to this file")
    ap.add_argument("--through", help="a shell command the pty's output passes through (`pv -q -L 2m`): "
                                      "copied into its standard input as it comes, read back from its output")
    ap.add_argument("--pipe", action="store_true",
                    help="the command's standard output is a pipe read at --rate (keys still come from the pty), "
                         "as with `concord rate | pv -L 2m`; LINES and COLUMNS give curses the size")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    cw, ch = (int(v) for v in a.cell.split("x"))

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", a.rows, a.columns, a.columns * cw, a.rows * ch))
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
    env.pop("TMUX", None)
    out_read, out_write = os.pipe() if a.pipe else (master, slave)
    if a.pipe:
        env.update(LINES=str(a.rows), COLUMNS=str(a.columns))

    def controlling():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    dump = open(a.dump, "wb") if a.dump else None
    relay = None
    if a.through:
        # The pty's output is copied into the relay on a thread of its own (a blocking copy:
        # when the relay is full the pty fills, and concord's writes wait, as over ssh);
        # the relay's output is what the reader receives.
        relay = subprocess.Popen(["sh", "-c", a.through], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

        def copy(source=master, sink=relay.stdin):
            while True:
                try:
                    chunk = os.read(source, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    sink.close()
                    return
                sink.write(chunk)
                sink.flush()

        threading.Thread(target=copy, daemon=True).start()
        out_read = relay.stdout.fileno()
    proc = subprocess.Popen(command, stdin=slave, stdout=out_write, stderr=slave, env=env, preexec_fn=controlling, close_fds=True)
    os.close(slave)
    if a.pipe:
        os.close(out_write)

    started = time.monotonic()
    taken = 0                 # bytes read so far, for the token bucket
    bucket_start = started
    text = b""                # the stream before playing (to find --ready)
    play_at = pause_at = quit_at = exited_at = None
    arrivals, played_bytes, tail = [], 0, b""
    while True:
        now = time.monotonic()
        if now - started > a.timeout:
            proc.kill()
            raise SystemExit(f"slowlink: no exit within {a.timeout} s")
        if play_at is None and a.ready.encode() in text:
            if a.before_play:
                os.write(master, a.before_play.encode())
                time.sleep(0.2)
            os.write(master, b" ")
            play_at = time.monotonic()
            bucket_start, taken = play_at, 0
        elif a.pause > 0 and play_at is not None and pause_at is None and now - play_at >= a.play:
            os.write(master, b" ")
            pause_at = time.monotonic()
        elif play_at is not None and quit_at is None and now - play_at >= a.play + a.pause:
            os.write(master, b"q")
            quit_at = time.monotonic()
        if exited_at is None and proc.poll() is not None:
            exited_at = time.monotonic()
        want = 65536
        if a.rate > 0:
            want = int(a.rate * (now - bucket_start)) - taken
            if want <= 0:
                time.sleep(min(0.002, -want / a.rate + 0.0005))
                continue
            want = min(want, 16384)
        ready, _, _ = select.select([out_read, master] if a.pipe else [out_read], [], [], 0.01)
        if a.pipe and master in ready:   # the terminal side of a piped command: taken as it comes
            try:
                side = os.read(master, 65536)
                if play_at is None:
                    text += side
            except OSError:
                pass
            ready.remove(master)
        if not ready:
            if exited_at is not None and not a.through:   # a relay is read to its end
                break
            continue
        try:
            chunk = os.read(out_read, want)
        except OSError:   # EIO: the command and every holder of the pty are gone
            break
        if not chunk:
            break
        arrived = time.monotonic()
        taken += len(chunk)
        if dump:
            dump.write(chunk)
        if play_at is None:
            text += chunk
        elif quit_at is None:
            played_bytes += len(chunk)
        if quit_at is None:
            joined = tail + chunk
            start = 0
            while (i := joined.find(b"\x1b8", start)) >= 0:
                arrivals.append(arrived)
                start = i + 2
            tail = joined[-1:]
    status = proc.wait()
    if relay:
        relay.wait()
    exited_at = exited_at or time.monotonic()
    json.dump({
        "bytes": played_bytes,
        "seconds": (quit_at or exited_at) - (play_at or started),
        "arrivals": arrivals,
        "play_at": play_at,
        "pause_at": pause_at,
        "quit_seconds": exited_at - quit_at if quit_at else None,
        "status": status,
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
