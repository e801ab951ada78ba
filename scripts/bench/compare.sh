#!/usr/bin/env bash
# Faultline side by side with pandas, Polars and DuckDB on the same generated dump, in one run.
#
#   scripts/bench/compare.sh                      # 1M rows, 3 repetitions
#   ROWS=200000 REPS=1 scripts/bench/compare.sh   # a quick run
#
# Steps: a virtual environment with the peers (.venv-bench/ in the repository, pinned in
# requirements.txt next to this script); a release build of faultline; the dump from
# `faultline generate`; an uncompressed Arrow copy (`faultline convert` if it exists, else pyarrow);
# then, REPS times and interleaved, `faultline analyze`, `faultline inspect` (CSV only: ingest) and
# each peer on the CSV and on the Arrow file; a check that Faultline's 1-D counts equal pandas';
# and a table of medians with ratios (see summarize.py). Each run of this invocation is recorded in
# $DATA/results/runs.jsonl.
#
# Environment:
#   ROWS (1000000)  REPS (3)  DATA (/tmp/faultline-bench)  PEERS ("pandas polars duckdb")
#   FORMATS ("csv arrow")  VENV (<repo>/.venv-bench)  SCRATCH (<repo>/.build-bench: swift build dir)
#   FAULTLINE (a faultline binary to use instead of building one)  PYTHON (python3, to create the venv)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROWS="${ROWS:-1000000}"
REPS="${REPS:-3}"
DATA="${DATA:-/tmp/faultline-bench}"
PEERS="${PEERS:-pandas polars duckdb}"
FORMATS="${FORMATS:-csv arrow}"
VENV="${VENV:-$ROOT/.venv-bench}"
SCRATCH="${SCRATCH:-$ROOT/.build-bench}"
PYTHON="${PYTHON:-python3}"

say() { printf '\n== %s\n' "$*" >&2; }

# --- peers ------------------------------------------------------------------------------------
say "peers: virtual environment $VENV"
stamp="$VENV/.requirements"
if [[ ! -x "$VENV/bin/python" ]] || ! cmp -s "$HERE/requirements.txt" "$stamp"; then
    [[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
    cp "$HERE/requirements.txt" "$stamp"
fi
PY="$VENV/bin/python"
"$PY" -c 'import sys, numpy, pandas, polars, duckdb, pyarrow
print(f"python {sys.version.split()[0]}, numpy {numpy.__version__}, pandas {pandas.__version__}, "
      f"polars {polars.__version__}, duckdb {duckdb.__version__}, pyarrow {pyarrow.__version__}")' >&2

# --- faultline --------------------------------------------------------------------------------
if [[ -n "${FAULTLINE:-}" ]]; then
    FL="$FAULTLINE"
else
    say "faultline: release build in $SCRATCH"
    (cd "$ROOT" && swift build -c release --product faultline --scratch-path "$SCRATCH" >&2)
    FL="$SCRATCH/release/faultline"
fi
[[ -x "$FL" ]] || { echo "compare.sh: no faultline binary at $FL" >&2; exit 1; }
# (help texts are captured first: with pipefail, `cmd | grep -q` fails when grep exits before cmd is done)
fl_help="$("$FL" --help 2>&1 || true)"
analyze_help="$("$FL" analyze --help 2>&1 || true)"
analyze_flags=(--quiet --format json)
if grep -q -- '--max-level' <<<"$analyze_help"; then
    analyze_flags+=(--max-level 1)
fi
# `faultline convert --help` alone is no test: without that subcommand it prints analyze's help, exit 0
if grep -Eq '^[[:space:]]+convert([[:space:]]|$)' <<<"$fl_help"; then converter=faultline; else converter=pyarrow; fi
echo "faultline: $FL ($("$FL" --version 2>/dev/null || echo 'version unknown')); analyze ${analyze_flags[*]}; Arrow by $converter" >&2

# --- data -------------------------------------------------------------------------------------
mkdir -p "$DATA"
CSV="$DATA/pred.csv"
ARROW="$DATA/pred.arrow"
if [[ ! -s "$CSV" || "$(cat "$DATA/rows" 2>/dev/null)" != "$ROWS" ]]; then
    say "data: faultline generate --rows $ROWS"
    rm -f "$CSV" "$ARROW" "$DATA/rows"
    "$FL" generate --rows "$ROWS" --out "$CSV" --quiet
    echo "$ROWS" >"$DATA/rows"
fi
if [[ " $FORMATS " == *" arrow "* && ( ! -s "$ARROW" || "$ARROW" -ot "$CSV" \
        || "$(cat "$DATA/arrow-by" 2>/dev/null)" != "$converter" ) ]]; then
    rm -f "$ARROW" "$DATA/arrow-by"
    if [[ "$converter" == faultline ]]; then
        say "data: faultline convert (uncompressed Arrow IPC)"
        "$FL" convert "$CSV" "$ARROW" --quiet
    else
        say "data: pyarrow (faultline convert is not available)"
        "$PY" - "$CSV" "$ARROW" <<'EOF'
import sys
import pyarrow.csv as csv
import pyarrow.feather as feather
feather.write_feather(csv.read_csv(sys.argv[1]), sys.argv[2], compression="uncompressed")
EOF
    fi
    echo "$converter" >"$DATA/arrow-by"
fi
ls -l "$DATA" >&2

# --- which tool reads which format ------------------------------------------------------------
path_of() { if [[ "$1" == csv ]]; then echo "$CSV"; else echo "$ARROW"; fi; }
faultline_formats=()
for format in $FORMATS; do
    if "$FL" analyze "$(path_of "$format")" --out "$DATA/out-$format" "${analyze_flags[@]}" 2>"$DATA/probe-$format.err"; then
        faultline_formats+=("$format")
    else
        echo "faultline analyze cannot read the $format file, skipped: $(head -c 300 "$DATA/probe-$format.err")" >&2
    fi
done

# --- correctness: faultline's 1-D counts against pandas on the same file ----------------------
say "check: faultline analysis.json 1-D bins vs pandas"
check_status=0
for format in "${faultline_formats[@]}"; do
    echo "[$format] $(path_of "$format")" >&2
    "$PY" "$HERE/check_counts.py" "$(path_of "$format")" "$DATA/out-$format/analysis.json" >&2 || check_status=1
done

# --- timed runs -------------------------------------------------------------------------------
RESULTS="$DATA/results"
mkdir -p "$RESULTS"
RUNS="$RESULTS/runs.jsonl"
: >"$RUNS"
# warm the page cache
cat "$CSV" >/dev/null
[[ -s "$ARROW" ]] && cat "$ARROW" >/dev/null

say "timed runs: $REPS repetition(s) of faultline and $PEERS on: $FORMATS"
for rep in $(seq 1 "$REPS"); do
    for format in $FORMATS; do
        file="$(path_of "$format")"
        [[ -s "$file" ]] || continue
        if [[ " ${faultline_formats[*]} " == *" $format "* ]]; then
            "$PY" "$HERE/timed.py" --out "$RUNS" --tool "faultline analyze" --format "$format" --rep "$rep" -- \
                "$FL" analyze "$file" --out "$DATA/out-$format" "${analyze_flags[@]}"
            if [[ "$format" == csv ]]; then
                "$PY" "$HERE/timed.py" --out "$RUNS" --tool "faultline inspect" --format "$format" --rep "$rep" -- \
                    "$FL" inspect "$file"
            fi
        fi
        for peer in $PEERS; do
            "$PY" "$HERE/timed.py" --out "$RUNS" --tool "$peer" --format "$format" --rep "$rep" -- \
                "$PY" "$HERE/peers.py" "$peer" "$file"
        done
        echo "rep $rep $format done" >&2
    done
done

"$PY" "$HERE/summarize.py" "$RUNS"
echo
echo "Correctness (faultline 1-D counts vs pandas): $([[ $check_status == 0 ]] && echo OK || echo MISMATCH)"
echo "Records: $RUNS"
exit "$check_status"
