#!/bin/sh
# Builds the libFuzzer harnesses of this directory into OUT (default .build-fuzz/libfuzzer):
# swiftc -sanitize=fuzzer directly on the harness plus the source files it tests, because
# `swift build -Xswiftc -sanitize=fuzzer` would instrument (and rebuild) the whole package
# and its dependencies. Only pure-Swift inputs are here: the rubric loader (libyaml in C
# under Yams) and clip opening (FFmpeg) are fuzzed by Tests/FuzzTests instead.
set -eu
cd "$(dirname "$0")/../.."
OUT=${1:-.build-fuzz/libfuzzer}
SWIFTC=${SWIFTC:-swiftc}
mkdir -p "$OUT"
FLAGS="-sanitize=fuzzer,address -O -g -parse-as-library"
# Agreement (ReliabilityCSV's one dependency) as a static library, uninstrumented but
# address-checked, so coverage feedback stays on the parser.
$SWIFTC -O -parse-as-library -sanitize=address -emit-library -static -module-name Agreement -emit-module \
    -emit-module-path "$OUT/Agreement.swiftmodule" Sources/Agreement/*.swift -o "$OUT/libAgreement.a"
$SWIFTC $FLAGS -I "$OUT" -L "$OUT" -lAgreement -module-name FuzzReliabilityCSV \
    fuzz/libfuzzer/reliability-csv.swift Sources/concord/CSVTokenizer.swift Sources/concord/ReliabilityCSV.swift \
    Sources/concord/ByteInterner.swift Sources/concord/InputError.swift -o "$OUT/fuzz-reliability-csv"
$SWIFTC $FLAGS -module-name FuzzEncoders fuzz/libfuzzer/encoders.swift Sources/TerminalGraphics/*.swift \
    -o "$OUT/fuzz-encoders"
echo "built $OUT/fuzz-reliability-csv $OUT/fuzz-encoders"
