#!/usr/bin/env bash
# Builds the tests with AddressSanitizer or ThreadSanitizer (each in its own build folder) and runs the test targets
# where the unsafe and the concurrent code is. Exits 1 on a failed test or on any sanitizer report, in the test
# process or in a `faultline` it runs (every process writes its reports to one folder, checked at the end, so a
# report in a child counts even when the test only looked at its exit status).
#
#   scripts/sanitizers.sh address|thread
#   SWIFT_BUILD_FLAGS="-j 1" nice -n 19 scripts/sanitizers.sh thread     # on a shared machine
#   SANITIZER_FILTER=InterruptTests scripts/sanitizers.sh thread          # other tests (a --filter regex)
#
# Targets (docs/exit-codes.md, "Tests under the sanitizers"):
#   address: ColumnStoreTests IngestTests KernelsTests StatsTests CLITests but DeterminismTests (run under TSan) and
#            SQLPushdownEngineTests (SQL engines in subprocesses, no unsafe code of ours)
#   thread:  ColumnStoreTests IngestTests KernelsTests and, of CLITests, DeterminismTests and InterruptTests
# SliceSearch holds no unsafe code, and its parallel loops run through Kernels' Parallel, which KernelsTests and the
# TSan-built faultline of DeterminismTests (--threads 1/2/8 on both demos) exercise.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-}
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
case $kind in
address)
    filter='ColumnStoreTests|IngestTests|KernelsTests|StatsTests|CLITests'
    skip=(--skip 'DeterminismTests|SQLPushdownEngineTests')
    # LeakSanitizer is off: it reports leaks inside XCTest and Foundation (Process.run, Data(contentsOf:)), not ours.
    export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:log_path=$reports/report"
    ;;
thread)
    filter='ColumnStoreTests|IngestTests|KernelsTests|DeterminismTests|InterruptTests'
    skip=()
    # exitcode: TSan's default 66 is also faultline's "input missing", which a test may expect.
    export TSAN_OPTIONS="halt_on_error=1:exitcode=86:log_path=$reports/report"
    ;;
*)
    echo "usage: scripts/sanitizers.sh address|thread" >&2
    exit 64
    ;;
esac
# The Swift runtime's crash backtracer trips AddressSanitizer (see scripts/fuzz.sh); the sanitizers print stacks.
export SWIFT_BACKTRACE=enable=no
build_path=.build-${kind:0:1}san
# Optimized (-O): the unoptimized tests ran 15 minutes under each sanitizer, optimized under 4 (docs/exit-codes.md).
# `make test` runs them unoptimized, with their asserts.
flags=(--build-path "$build_path" -Xswiftc "-sanitize=$kind" -Xswiftc -O ${SWIFT_BUILD_FLAGS:-})
swift build --build-tests "${flags[@]}"
status=0
swift test --skip-build "${flags[@]}" --filter "${SANITIZER_FILTER:-$filter}" "${skip[@]}" || status=$?
if compgen -G "$reports/report*" >/dev/null; then
    echo "== $kind sanitizer reports:" >&2
    cat "$reports"/report* >&2
    status=1
fi
if [ "$status" -ne 0 ]; then
    echo "sanitizer tests ($kind): FAILED" >&2
    exit 1
fi
echo "sanitizer tests ($kind): no report, tests passed"
