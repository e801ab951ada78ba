#!/usr/bin/env bash
# Checks that Faultline needs memory for the columns of a big CSV, not for its text: generates ROWS rows
# (`faultline generate`, 21 columns, about 115 bytes of CSV per row) in a temporary folder, then runs
# `faultline inspect` (the read) and `faultline analyze` (everything) under /usr/bin/time -v, and fails if a peak
# resident set exceeds its bound, with column bytes = rows x columns x 8:
#
#     inspect:  1.2 x column bytes + 128 MiB   (the columns, 8 bytes per cell while they are parsed)
#     analyze:  1.6 x column bytes + 128 MiB   (plus the analysis's bin codes, bitmaps and sorted copies; the text
#               is caught by the inspect bound, and 1.4 x left analyze a 6% margin on this machine)
#
# 128 MiB covers the runtime, the string dictionaries and the report. A reader that keeps the text resident (the
# whole mapped file, or a copy of it) adds about 0.7 x column bytes at this row width and goes over the first bound.
# docs/performance.md, "Big inputs", has the measurements.
#
# Use ROWS >= 9000000: below that, each chunk's column buffer is under glibc's 32 MiB mmap threshold, freed heap
# memory stays resident, and the bounds are too tight (4.5M rows fails, with no text resident).
#
#   scripts/check_bounded_memory.sh ROWS          # 9000000 rows is about 1 GB of CSV
#   SWIFT_BUILD_FLAGS="-j 1" nice -n 19 scripts/check_bounded_memory.sh 9000000
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-}
if ! [[ $rows =~ ^[0-9]+$ ]] || [ "$rows" -lt 1 ]; then
    echo "usage: scripts/check_bounded_memory.sh ROWS" >&2
    exit 64
fi
if [ ! -x /usr/bin/time ]; then
    echo "check_bounded_memory: /usr/bin/time is missing (Debian: apt-get install time)" >&2
    exit 69
fi
swift build -c release --product faultline ${SWIFT_BUILD_FLAGS:-}
bin="$(swift build -c release --show-bin-path ${SWIFT_BUILD_FLAGS:-})/faultline"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/time -f "%e" -o "$work/generate.time" "$bin" generate --rows "$rows" --out "$work/big.csv" --quiet
csv_bytes=$(stat -c %s "$work/big.csv")
columns=$(head -1 "$work/big.csv" | tr ',' '\n' | wc -l)
column_bytes=$((rows * columns * 8))

mib() { echo $(($1 / 1024)); }
echo "bounded memory: $rows rows x $columns columns, CSV $((csv_bytes / 1048576)) MiB (generated in" \
    "$(cat "$work/generate.time") s), column bytes $((column_bytes / 1048576)) MiB"
status=0
# measure NAME TENTHS COMMAND...: runs COMMAND, bound TENTHS/10 x column bytes + 128 MiB.
measure() {
    local name=$1 tenths=$2
    shift 2
    local bound_kb=$(((column_bytes * tenths / 10 + 128 * 1024 * 1024) / 1024))
    /usr/bin/time -v -o "$work/$name.time" "$@" >/dev/null
    local peak_kb wall
    peak_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$work/$name.time")
    echo "bounded memory: $name peak RSS $(mib "$peak_kb") MiB, bound $(mib "$bound_kb") MiB" \
        "($((tenths / 10)).$((tenths % 10)) x column bytes + 128 MiB), wall $wall"
    if [ "$peak_kb" -gt "$bound_kb" ]; then
        echo "bounded memory: FAILED, $name needs more memory than its columns account for" >&2
        status=1
    fi
}
measure inspect 12 "$bin" inspect "$work/big.csv"
measure analyze 16 "$bin" analyze "$work/big.csv" --out "$work/report" --quiet --format json
[ "$status" -eq 0 ] && echo "bounded memory: ok"
exit $status
