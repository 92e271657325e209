#!/usr/bin/env bash
# Creates .build-venv with the Python packages the tests (reference implementations) and
# benchmarks (peers) use, from PyPI. concord itself never runs Python.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build-venv
stamp="$venv/.requirements"
want=$(cat Tests/Reference/requirements.txt bench/requirements.txt 2>/dev/null | sort -u)
if [ -x "$venv/bin/python3" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
python3 -m venv "$venv"
"$venv/bin/python3" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
reqs=(-r Tests/Reference/requirements.txt)
[ -f bench/requirements.txt ] && reqs+=(-r bench/requirements.txt)
"$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "${reqs[@]}"
echo "$want" > "$stamp"
