#!/usr/bin/env python3
"""The 1-D failure-slicing workload in pandas, Polars and DuckDB, timed per phase.

Usage: peers.py {pandas,polars,duckdb} FILE.csv|FILE.arrow [--reps N]

Each run prints one JSON line:
  {"peer", "format", "rows", "load_s", "prep_s", "d1_s", "total_s", "slices"}

Workload (the same in every peer):
  failure      pred != label
  num_0..num_7 10 quantile bins: edges e1..e9 = numpy 'linear' quantiles at q = 0.1..0.9 of the
               non-null values; bin(x) = number of edges < x (0..9); a null is its own slice
  cat_0..cat_7 the string as-is
  also         day of ts (UTC date), batch_id, label
  per slice    n (rows) and failures

Each run_* function returns (rows, number of slices, the engine's own result objects).

Phases: load = file into the engine's in-memory table; prep = quantile edges, bins, failure flag,
day; d1 = the 19 one-dimensional group-bys, results materialized. total = load + prep + d1.
"""
import argparse
import json
import sys
import time

NUMERIC = [f"num_{i}" for i in range(8)]
TEXT = [f"cat_{i}" for i in range(8)]
QUANTILES = [i / 10 for i in range(1, 10)]
KEYS = NUMERIC + TEXT + ["day", "batch_id", "label"]


def file_format(path):
    lower = path.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith((".arrow", ".feather", ".ipc")):
        return "arrow"
    raise SystemExit(f"peers.py: {path}: expected .csv or .arrow")


class Phases:
    """Wall-clock seconds per phase, in the order they ran."""

    def __init__(self):
        self.seconds = {}
        self._name = None
        self._start = 0.0

    def start(self, name):
        self.stop()
        self._name, self._start = name, time.perf_counter()

    def stop(self):
        if self._name is not None:
            self.seconds[self._name] = time.perf_counter() - self._start
            self._name = None


# ----------------------------------------------------------------------------------------- pandas

def pandas_load(path):
    """The dump as a pandas DataFrame (also used by check_counts.py)."""
    import pandas as pd

    if file_format(path) == "csv":
        return pd.read_csv(path, parse_dates=["ts"])
    import pyarrow.feather as feather

    return feather.read_table(path, memory_map=True).to_pandas()


def pandas_day(ts):
    """UTC calendar day of a timestamp Series (naive timestamps are taken as UTC)."""
    if ts.dt.tz is not None:
        ts = ts.dt.tz_convert("UTC").dt.tz_localize(None)
    return ts.dt.floor("D")


def run_pandas(path, phases):
    import numpy as np
    import pandas as pd
    import pyarrow.feather  # noqa: F401  (imported before the clock starts, like the peers' modules)

    phases.start("load")
    df = pandas_load(path)

    phases.start("prep")
    work = pd.DataFrame({"failed": (df["pred"] != df["label"]).to_numpy(np.int64)})
    for name in NUMERIC:
        column = df[name]
        edges = column.quantile(QUANTILES).to_numpy()  # pandas skips NaN; 'linear' as numpy
        values = column.to_numpy()
        codes = np.searchsorted(edges, values, side="left")  # = number of edges < x
        work[name] = np.where(np.isnan(values), -1, codes).astype(np.int8)  # -1: null slice
    for name in TEXT:
        work[name] = df[name].astype("category")
    work["day"] = pandas_day(df["ts"])
    work["batch_id"] = df["batch_id"]
    work["label"] = df["label"]

    phases.start("d1")
    results = {key: work.groupby(key, sort=False, observed=True, dropna=False)["failed"].agg(["size", "sum"])
               for key in KEYS}
    phases.stop()
    return len(df), sum(len(r) for r in results.values()), results


# ----------------------------------------------------------------------------------------- polars

def run_polars(path, phases):
    import inspect

    import polars as pl

    phases.start("load")
    if file_format(path) == "csv":
        df = pl.read_csv(path, try_parse_dates=True)
    else:
        # polars 1.x is asked to memory-map the file; polars 2 has no memory_map argument any more
        extra = {"memory_map": True} if "memory_map" in inspect.signature(pl.read_ipc).parameters else {}
        df = pl.read_ipc(path, **extra)

    phases.start("prep")
    # one expression per column with all nine quantiles (72 scalar quantile expressions are ~8x slower)
    edge_row = df.select([pl.col(name).quantile(QUANTILES, interpolation="linear") for name in NUMERIC]).row(0)
    edges = {name: pl.Series(list(edge_row[k]), dtype=pl.Float64) for k, name in enumerate(NUMERIC)}
    ts = pl.col("ts")
    if df.schema["ts"] == pl.String:
        ts = ts.str.to_datetime()
    work = df.select(
        (pl.col("pred") != pl.col("label")).cast(pl.Int64).alias("failed"),
        *[pl.when(pl.col(name).is_null()).then(None)
          .otherwise(pl.lit(edges[name]).search_sorted(pl.col(name), side="left"))  # number of edges < x
          .cast(pl.Int8).alias(name) for name in NUMERIC],
        *[pl.col(name).cast(pl.Categorical) for name in TEXT],
        ts.dt.date().alias("day"),
        pl.col("batch_id"),
        pl.col("label"),
    )

    phases.start("d1")
    frame = work.lazy()
    queries = [frame.group_by(key).agg(pl.len().alias("n"), pl.col("failed").sum().alias("failures"))
               for key in KEYS]
    results = pl.collect_all(queries)
    phases.stop()
    return df.height, sum(r.height for r in results), dict(zip(KEYS, results))


# ----------------------------------------------------------------------------------------- duckdb

def run_duckdb(path, phases):
    import duckdb
    import pyarrow.feather as feather

    con = duckdb.connect()
    phases.start("load")
    if file_format(path) == "csv":
        con.execute("CREATE TABLE dump AS SELECT * FROM read_csv(?)", [path])
    else:  # DuckDB reads Arrow IPC files through pyarrow
        arrow_table = feather.read_table(path, memory_map=True)
        con.register("arrow_dump", arrow_table)
        con.execute("CREATE TABLE dump AS SELECT * FROM arrow_dump")
        con.unregister("arrow_dump")
    rows = con.execute("SELECT count(*) FROM dump").fetchone()[0]

    phases.start("prep")
    quantiles = ", ".join(repr(q) for q in QUANTILES)
    con.execute("CREATE TABLE edges AS SELECT "
                + ", ".join(f"quantile_cont({name}, [{quantiles}]) AS {name}" for name in NUMERIC)
                + " FROM dump")
    # number of edges < x, NULL for a null x; the edges come from a one-row table (no float literals)
    bins = ", ".join(
        "(" + " + ".join(f"(d.{name} > e.{name}[{i}])::TINYINT" for i in range(1, 10)) + f") AS {name}"
        for name in NUMERIC)
    ts_type = con.execute("SELECT typeof(ts) FROM dump LIMIT 1").fetchone()[0]
    day = "CAST(timezone('UTC', ts) AS DATE)" if "TIME ZONE" in ts_type else "CAST(ts AS DATE)"
    con.execute(f"CREATE TABLE work AS SELECT (pred <> label)::INTEGER AS failed, {bins}, "
                f"{', '.join(TEXT)}, {day} AS day, batch_id, label FROM dump d, edges e")

    phases.start("d1")
    sets = ", ".join(f"({key})" for key in KEYS)
    result = con.sql(f"SELECT GROUPING({', '.join(KEYS)}) AS set_id, {', '.join(KEYS)}, count(*) AS n, "
                         f"sum(failed)::BIGINT AS failures FROM work GROUP BY GROUPING SETS ({sets})").to_arrow_table()
    phases.stop()
    return rows, result.num_rows, result


PEERS = {"pandas": run_pandas, "polars": run_polars, "duckdb": run_duckdb}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("peer", choices=sorted(PEERS))
    parser.add_argument("path")
    parser.add_argument("--reps", type=int, default=1, help="runs in this process (default 1)")
    args = parser.parse_args()
    for _ in range(args.reps):
        phases = Phases()
        rows, slices, _ = PEERS[args.peer](args.path, phases)
        s = phases.seconds
        record = {"peer": args.peer, "format": file_format(args.path), "rows": rows,
                  "load_s": round(s["load"], 4), "prep_s": round(s["prep"], 4), "d1_s": round(s["d1"], 4),
                  "total_s": round(s["load"] + s["prep"] + s["d1"], 4), "slices": slices}
        print(json.dumps(record), flush=True)


if __name__ == "__main__":
    sys.exit(main())
