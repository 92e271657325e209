#!/bin/sh
# `make fuzz`: the long fuzzing run. Writes fuzz/RESULTS.md.
#
#  1. Tests/FuzzTests with CONCORD_FUZZ_ITERATIONS=$FUZZ_ITERATIONS (default 200000: that
#     many inputs for each CSV parser, a fixed share of it for the slower kinds), from the
#     seeds in fuzz/corpus/KIND. Inputs that fail are written to fuzz/crashes/.
#  2. The libFuzzer harnesses of fuzz/libfuzzer (coverage-guided, AddressSanitizer) for
#     $FUZZ_SECONDS seconds each (default 120), from the same corpus; what they learn goes to
#     $LIBFUZZER_OUT/work-*, not into the repository; crashes go to fuzz/crashes/.
#
# Environment: SWIFT, SWIFT_FLAGS (as for make test, e.g. --scratch-path DIR), FUZZ_ITERATIONS,
# FUZZ_SECONDS, LIBFUZZER_OUT (default libfuzzer/ in the build directory), NO_LIBFUZZER=1 to skip step 2.
set -u
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SWIFT_FLAGS=${SWIFT_FLAGS:-}
ITERATIONS=${FUZZ_ITERATIONS:-200000}
SECONDS_EACH=${FUZZ_SECONDS:-120}
scratch=$(echo "$SWIFT_FLAGS" | sed -n 's/.*--scratch-path[ =]\([^ ]*\).*/\1/p')
OUT=${LIBFUZZER_OUT:-${scratch:-.build}/libfuzzer}
CRASHES=$PWD/fuzz/crashes
mkdir -p "$CRASHES"
work=$(mktemp -d /tmp/concord-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
results=$work/results.tsv
: > "$results"
status=0

echo "== FuzzTests, CONCORD_FUZZ_ITERATIONS=$ITERATIONS"
# shellcheck disable=SC2086
$SWIFT build $SWIFT_FLAGS --build-tests || exit 2
start=$(date +%s)
# shellcheck disable=SC2086
NO_COLOR=1 TMPDIR=$work CONCORD_FUZZ_ITERATIONS=$ITERATIONS CONCORD_FUZZ_RESULTS=$results CONCORD_FUZZ_CRASH_DIR=$CRASHES \
    $SWIFT test $SWIFT_FLAGS --skip-build --filter FuzzTests > "$work/fuzztests.log" 2>&1
tests_status=$?
tests_seconds=$(( $(date +%s) - start ))
grep -E '✘|Test run' "$work/fuzztests.log" | head -40
[ $tests_status -eq 0 ] || status=1

libfuzzer_rows=""
if [ "${NO_LIBFUZZER:-0}" != 1 ]; then
    echo "== libFuzzer harnesses, ${SECONDS_EACH} s each"
    if fuzz/libfuzzer/build.sh "$OUT" > "$work/libfuzzer-build.log" 2>&1; then
        for pair in reliability-csv:"fuzz/corpus/reliability-csv fuzz/corpus/labels-csv" encoders:fuzz/corpus/image; do
            name=${pair%%:*}; seeds=${pair#*:}
            mkdir -p "$OUT/work-$name"
            # shellcheck disable=SC2086
            "$OUT/fuzz-$name" -max_total_time="$SECONDS_EACH" -max_len=8192 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
                -artifact_prefix="$CRASHES/libfuzzer-$name-" "$OUT/work-$name" $seeds > "$work/lf-$name.log" 2>&1
            lf=$?
            runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/lf-$name.log")
            crashes=0; [ $lf -eq 0 ] || { crashes=1; status=1; tail -30 "$work/lf-$name.log"; }
            libfuzzer_rows="$libfuzzer_rows| $name | libFuzzer + ASan | ${runs:-?} | $SECONDS_EACH | $crashes | coverage-guided; corpus grew to $(ls "$OUT/work-$name" | wc -l) inputs |
"
            echo "$name: ${runs:-?} runs, exit $lf"
        done
    else
        echo "libFuzzer harnesses did not build (see below); FuzzTests results only"
        tail -20 "$work/libfuzzer-build.log"
        libfuzzer_rows="| (libFuzzer) | did not build on this toolchain | | | | |
"
    fi
fi

{
    echo "## Fuzzing"
    echo
    echo "\`make fuzz\` on $(date -u +%Y-%m-%d), $(nproc) cores, $($SWIFT --version 2>/dev/null | head -1)."
    echo "Property/mutation fuzzers (Tests/FuzzTests, debug build, CONCORD_FUZZ_ITERATIONS=$ITERATIONS, ${tests_seconds} s"
    echo "wall clock, suites in parallel) from the seeds in fuzz/corpus, then the libFuzzer harnesses of"
    echo "fuzz/libfuzzer. Failures: inputs that crashed, hung, broke a checked property or gave an"
    echo "unclear error (none may remain; each fixed one is kept as fuzz/corpus/KIND/regress-*)."
    echo
    echo "| input | engine | executions | seconds | failures | notes |"
    echo "|---|---|---:|---:|---:|---|"
    awk -F'\t' '{ printf "| %s | FuzzTests | %s | %s | %s | slowest input %s ms%s |\n", $1, $2, $3, $4, $5, ($6 == "" ? "" : "; " $6) }' "$results"
    printf '%s' "$libfuzzer_rows"
    echo
    if [ $tests_status -ne 0 ] && [ ! -s "$results" ]; then echo "FuzzTests did not finish: see the failures above."; fi
    [ ! -f fuzz/FINDINGS.md ] || cat fuzz/FINDINGS.md
} > fuzz/RESULTS.md
cat fuzz/RESULTS.md
# The same section in RELIABILITY.md, between its fuzzing markers.
python3 - <<'PY'
from pathlib import Path
path, results = Path("RELIABILITY.md"), Path("fuzz/RESULTS.md").read_text().rstrip("\n")
begin, end = "<!-- reliability:fuzz -->", "<!-- /reliability:fuzz -->"
text = path.read_text() if path.exists() else "# Reliability\n"
section = f"{begin}\n{results}\n{end}"
b, e = text.find(begin), text.find(end)
text = text[:b] + section + text[e + len(end):] if b != -1 and e > b else text.rstrip("\n") + "\n\n" + section + "\n"
path.write_text(text)
PY
rmdir "$CRASHES" 2>/dev/null   # only when nothing failed
exit $status
