#!/usr/bin/env bash
# Builds the libFuzzer targets of the nested Fuzz/ package (the CSV reader, the Arrow reader, the --failure spec
# parser) with AddressSanitizer and runs each for SECONDS (default 30), starting from the committed seeds in
# Fuzz/Corpus/<kind>/. New inputs go to a temporary folder, so the seeds stay as committed. Exits 1 if a target
# crashes (a trap, an ASan report, an input taking over 10 s, or more than 2 GB): the input is kept as
# Fuzz/crashes/<Target>-crash-<sha1>; add it to the regression corpus and fix the bug.
#
#   scripts/fuzz.sh [SECONDS]
#   SWIFT_BUILD_FLAGS="-j 1" nice -n 19 scripts/fuzz.sh 30     # on a shared machine
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
build=(swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library ${SWIFT_BUILD_FLAGS:-})
(cd Fuzz && "${build[@]}")
bin=$(cd Fuzz && "${build[@]}" --show-bin-path)
# The Swift runtime's own crash backtracer trips AddressSanitizer (a bogus stack-buffer-underflow in
# CrashHandlerLinux); libFuzzer and ASan print the stack of a crash themselves.
export SWIFT_BACKTRACE=enable=no
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p Fuzz/crashes
status=0
for pair in FuzzCSV:csv FuzzArrow:arrow FuzzFailureSpec:spec; do
    target=${pair%%:*}
    kind=${pair##*:}
    mkdir -p "$work/$kind"
    echo "== $target: ${seconds}s from Fuzz/Corpus/$kind"
    if ! "$bin/$target" "$work/$kind" "Fuzz/Corpus/$kind" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="Fuzz/crashes/$target-" -print_final_stats=1 2>"$work/$target.log"; then
        status=1
        grep -E "ERROR|SUMMARY|Fatal error|Precondition failed|Test unit written|deadly signal" "$work/$target.log" >&2 || true
        echo "$target: CRASH (input kept in Fuzz/crashes/)" >&2
    else
        grep -E "stat::number_of_executed_units|cov:" "$work/$target.log" | tail -2
        echo "$target: no crash"
    fi
done
exit $status
