#!/usr/bin/env bash
# Installs the Debian packages concord needs to build, test and benchmark, when they are
# missing. As root it runs apt-get itself; otherwise it prints the exact command and exits 2.
# Usage: scripts/deps.sh [build|test|bench]   (each level includes the ones before it)
set -euo pipefail
level=${1:-build}

# Build: the system libraries of the CCurses, CFFmpeg and CLibPQ modules (and SQLite for Store).
packages=(pkg-config libncursesw5-dev libsqlite3-dev libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libpq-dev)
# Test: tmux for the TUI tests, the ffmpeg CLI to make test clips, sixel2png to decode sixel,
# the sqlite3 CLI to tamper with a project behind concord's back, headless Chromium to
# render the HTML report, a real sixel terminal (xterm -ti vt340 under Xvfb) that the
# sixel pictures are sized for and decoded back from, PostgreSQL 15's server, which
# the PostgresClient tests start in a private temporary cluster of their own, and mpv, the
# external player `o` in the workbench opens (tested under Xvfb).
if [ "$level" = test ] || [ "$level" = bench ]; then
  packages+=(tmux ffmpeg libsixel-bin sqlite3 chromium xvfb xterm postgresql mpv)
fi
# Bench: hyperfine to time whole commands; the peers named by the issues; pv, the 2 MB/s link
# of the slow-link benchmark (bench/run_slowlink.py).
if [ "$level" = bench ]; then
  packages+=(hyperfine chafa pv)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done
# Python 3 with venv runs the reference implementations in tests and the peers in benchmarks.
if [ "$level" != build ] && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=(python3 python3-venv python3-pip)
fi

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ]; then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "deps: missing Debian packages: ${missing[*]}" >&2
  echo "deps: run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 2
fi
