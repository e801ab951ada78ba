#!/usr/bin/env bash
# Faultline's counting kernels side by side with the C reference kernels, in one run on one machine.
#
#   scripts/bench/kernels.sh                 # 10M rows, C and Faultline alternately, once each
#   REPS=3 scripts/bench/kernels.sh          # three rounds (each program reports best and median of 7 itself)
#
# The C reference is `limit/membw.c` of the shared benchmark kit (run from where it is, never copied): 1-D counts
# (rows and failures per value of 16 one-byte-coded features) and 2-D counts (all 120 pairs) on 10M rows, plus the
# machine's streaming and histogram rates. Faultline's side is the `KernelLimits` executable of the nested
# Benchmarks package: `GroupBy` and `PairCounts` on the same codes from the same generator. The table gives the
# medians and Faultline's time over C's (below 1: Faultline is faster).
#
# Environment:
#   MEMBW_SOURCE (<repo>/../shared/bench/limit/membw.c)  REPS (1)  ROWS (10000000, Faultline's side only; the C
#   program's row count is fixed at 10M)  OUT (/tmp/faultline-kernels)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MEMBW_SOURCE="${MEMBW_SOURCE:-$ROOT/../shared/bench/limit/membw.c}"
REPS="${REPS:-1}"
ROWS="${ROWS:-10000000}"
OUT="${OUT:-/tmp/faultline-kernels}"

[[ -f "$MEMBW_SOURCE" ]] || { echo "kernels.sh: no C reference at $MEMBW_SOURCE (set MEMBW_SOURCE)" >&2; exit 1; }
mkdir -p "$OUT"
echo "== C reference: gcc -O3 -march=native -fopenmp $MEMBW_SOURCE" >&2
gcc -O3 -march=native -fopenmp "$MEMBW_SOURCE" -o "$OUT/membw"
echo "== Faultline: swift build -c release --product KernelLimits (Benchmarks/)" >&2
(cd "$ROOT/Benchmarks" && swift build -c release --product KernelLimits >&2)
LIMITS="$ROOT/Benchmarks/.build/release/KernelLimits"

rm -f "$OUT"/c-*.json "$OUT"/faultline-*.json
for round in $(seq 1 "$REPS"); do
    echo "== round $round of $REPS: C" >&2
    OMP_NUM_THREADS=2 "$OUT/membw" >"$OUT/c-$round.json"
    echo "== round $round of $REPS: Faultline" >&2
    "$LIMITS" "$ROWS" >"$OUT/faultline-$round.json"
done

python3 - "$OUT" <<'EOF'
import glob, json, statistics, sys
out = sys.argv[1]

def medians(prefix):
    runs = {}
    for path in sorted(glob.glob(f"{out}/{prefix}-*.json")):
        for result in json.load(open(path))["results"]:
            runs.setdefault((result["test"], result["threads"]), []).append(result["median_s"])
    return {key: statistics.median(values) for key, values in runs.items()}

c, fl = medians("c"), medians("faultline")
print("| kernel | threads | C reference, s | Faultline, s | Faultline / C |")
print("|---|---|---|---|---|")
for key in sorted(fl):
    if key in c:
        print(f"| {key[0]} | {key[1]} | {c[key]:.3f} | {fl[key]:.3f} | {fl[key] / c[key]:.2f} |")
print()
print("The machine, by the C program (medians): " + ", ".join(
    f"{test} {threads} thread{'s' if threads > 1 else ''} {value:.3f} s"
    for (test, threads), value in sorted(c.items()) if not test.startswith("slice")))
EOF
