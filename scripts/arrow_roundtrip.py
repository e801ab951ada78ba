#!/usr/bin/env python3
"""Arrow IPC round trips between pyarrow (and Polars, DuckDB when installed) and Faultline.

  python3 scripts/arrow_roundtrip.py generate --out DIR [--seed 7] [--count 40]
      pyarrow writes random seeded tables DIR/tNN.{arrow,arrows,feather} (every type Faultline reads, nulls,
      NaN, several batches, slices, dictionaries, LZ4/ZSTD, file and stream formats) and DIR/tNN.json, the
      values Faultline must read (see `normalize`).
  python3 scripts/arrow_roundtrip.py verify --dir DIR
      for every DIR/tNN.faultline.arrow (written by Faultline from tNN.*), checks that pyarrow reads it back
      equal to the original (after Faultline's documented type mapping), and Polars and DuckDB too when they
      are importable. Prints one JSON line per reader; exits 1 on any difference.

The Swift test Tests/IngestTests/ArrowRoundTripTests.swift runs both steps around Faultline's reader and
writer (it fails when FAULTLINE_REQUIRE_PYARROW=1 and pyarrow is missing). Needs: pyarrow (pip), optional
polars and duckdb.
"""
import argparse
import glob
import json
import math
import os
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather as feather
import pyarrow.ipc as ipc

NS_PER = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}
UNIT_NAMES = {"s": "second", "ms": "millisecond", "us": "microsecond", "ns": "nanosecond"}
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _value_type(t):
    return t.value_type if pa.types.is_dictionary(t) else t


def _instants(col, t):
    """Nanoseconds since the epoch per row (None for nulls) and the unit Faultline stores them in."""
    if pa.types.is_date32(t):
        raw, per = col.cast(pa.int32()).to_pylist(), 86400 * 10**9
        unit = "us"  # days * 86400e6 fits for every date32 pyarrow accepts in our fixtures
    elif pa.types.is_date64(t):
        raw, per = col.cast(pa.int64()).to_pylist(), 10**6
        unit = "us"
    else:
        raw, per = col.cast(pa.int64()).to_pylist(), NS_PER[t.unit]
        unit = t.unit
        if unit in ("s", "ms"):
            scale = {"s": 10**6, "ms": 10**3}[unit]
            unit = "us" if all(v is None or INT64_MIN <= v * scale <= INT64_MAX for v in raw) else unit
        elif unit == "ns":
            unit = "us" if all(v is None or v % 1000 == 0 for v in raw) else "ns"
    return [None if v is None else v * per for v in raw], unit


def normalize(table):
    """The columns as Faultline reads them: {name, type (Column.type.description), values}.

    int8..uint64 -> int64, float16/32/64 -> float64 (NaN is missing), strings and dictionaries -> string,
    date32/date64/timestamp -> timestamp (instants in ns; Faultline's unit: microsecond when exact, else the
    file's), null -> float64 all missing. Values: ints as decimal strings, floats as float.hex(), timestamps as
    decimal strings of ns, None for missing.
    """
    columns = []
    for name, col in zip(table.column_names, table.columns):
        t = col.type
        vt = _value_type(t)
        if pa.types.is_null(t):
            columns.append({"name": name, "type": "float64", "values": [None] * len(col)})
        elif pa.types.is_boolean(t):
            columns.append({"name": name, "type": "bool", "values": col.to_pylist()})
        elif pa.types.is_integer(t):
            columns.append({"name": name, "type": "int64",
                            "values": [None if v is None else str(v) for v in col.to_pylist()]})
        elif pa.types.is_floating(t):
            values = []
            for v in col.to_pylist():
                values.append(None if v is None or math.isnan(v) else float(v).hex())
            columns.append({"name": name, "type": "float64", "values": values})
        elif pa.types.is_string(vt) or pa.types.is_large_string(vt):
            values = col.to_pylist()
            columns.append({"name": name, "type": "string", "values": values})
        elif pa.types.is_date(t) or pa.types.is_timestamp(t):
            instants, unit = _instants(col, t)
            columns.append({"name": name, "type": f"timestamp[{UNIT_NAMES[unit]}]",
                            "values": [None if v is None else str(v) for v in instants]})
        else:
            raise ValueError(f"column {name}: type {t} is not one Faultline reads")
    return {"rows": table.num_rows, "columns": columns}


def read_any(path):
    """A pyarrow table from an Arrow IPC file or stream."""
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic == b"ARROW1":
        return ipc.open_file(path).read_all()
    return ipc.open_stream(path).read_all()


# ---------------------------------------------------------------------------------------------- generate

def random_column(rng, kind, n, null_rate):
    import numpy as np
    mask = rng.random(n) < null_rate if null_rate > 0 else None
    if kind == "bool":
        return pa.array(rng.random(n) < 0.5, mask=mask)
    if kind.startswith("int") or kind.startswith("uint"):
        t = getattr(pa, kind)()
        info = np.iinfo(t.to_pandas_dtype())
        low, high = int(info.min), int(info.max)
        if kind == "uint64":
            high = INT64_MAX  # Faultline rejects uint64 above Int64.max (tested separately)
        values = rng.integers(low, high, n, dtype=t.to_pandas_dtype(), endpoint=True)
        return pa.array(values, type=t, mask=mask)
    if kind in ("float16", "float32", "float64"):
        dtype = {"float16": np.float16, "float32": np.float32, "float64": np.float64}[kind]
        values = (rng.normal(0, 1e3, n)).astype(dtype)
        specials = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0], dtype=dtype)
        pick = rng.random(n) < 0.05
        values[pick] = rng.choice(specials, int(pick.sum()))
        return pa.array(values, mask=mask)
    if kind in ("string", "large_string", "dictionary"):
        pool = ["", "a", "b", "longer text value", "naïve café", "日本語", "comma,quote\"", "x" * 40]
        pool += [f"v{i}" for i in range(int(rng.integers(1, 60)))]
        values = [pool[int(i)] for i in rng.integers(0, len(pool), n)]
        arr = pa.array(values, type=pa.large_string() if kind == "large_string" else pa.string(), mask=mask)
        if kind == "dictionary":
            index = [pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32()]
            arr = arr.dictionary_encode()
            index_type = index[int(rng.integers(0, len(index)))]
            if len(arr.dictionary) < 120 or index_type not in (pa.int8(),):
                arr = arr.cast(pa.dictionary(index_type, pa.string()))
        return arr
    if kind == "date32":
        return pa.array(rng.integers(-20000, 40000, n).astype("int32"), type=pa.int32(), mask=mask).cast(pa.date32())
    if kind == "date64":
        days = rng.integers(-20000, 40000, n).astype("int64") * 86400000
        return pa.array(days, type=pa.int64(), mask=mask).cast(pa.date64())
    if kind.startswith("timestamp"):
        _, unit, tz = kind.split(":")
        span = {"s": 10**9, "ms": 10**12, "us": 10**15, "ns": 10**18}[unit]
        values = rng.integers(-span, span, n)
        if unit == "ns" and rng.random() < 0.5:
            values = values // 1000 * 1000  # exact in microseconds: Faultline stores them as us
        return pa.array(values, type=pa.int64(), mask=mask).cast(pa.timestamp(unit, tz=tz or None))
    if kind == "null":
        return pa.nulls(n)
    raise ValueError(kind)


KINDS = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32",
         "float64", "string", "large_string", "dictionary", "date32", "date64", "timestamp:s:", "timestamp:ms:",
         "timestamp:us:", "timestamp:ns:", "timestamp:us:UTC", "timestamp:ns:Europe/Paris", "null"]


def random_table(rng, index):
    n = int(rng.choice([0, 1, 7, 63, 64, 65, 200, 1000, 2049]))
    kinds = list(rng.choice(KINDS, int(rng.integers(1, 9)), replace=True))
    if index < len(KINDS):
        kinds.append(KINDS[index])  # every kind at least once
    columns, names = [], []
    for position, kind in enumerate(kinds):
        null_rate = float(rng.choice([0.0, 0.0, 0.1, 0.5, 1.0]))
        columns.append(random_column(rng, kind, n, null_rate))
        names.append(f"c{position}_{kind.replace(':', '_').replace('/', '_')}")
    table = pa.table(columns, names=names)
    if n > 10 and rng.random() < 0.3:  # a slice: arrays with offsets
        start = int(rng.integers(1, n // 2))
        table = table.slice(start, int(rng.integers(0, n - start)))
    return table


def write_random(table, path, rng):
    """Writes with a random batch size, format and compression; returns the path written."""
    chunk = int(rng.choice([1, 5, 64, 100, 1 << 20]))
    compression = rng.choice(["none", "none", "lz4", "zstd"])
    options = ipc.IpcWriteOptions(compression=None if compression == "none" else str(compression))
    batches = table.to_batches(max_chunksize=chunk) if table.num_rows else []
    if rng.random() < 0.25:
        path += ".arrows"
        with ipc.new_stream(path, table.schema, options=options) as writer:
            for batch in batches:
                writer.write_batch(batch)
    elif rng.random() < 0.3:
        path += ".feather"
        feather.write_feather(table, path, chunksize=chunk)  # LZ4 by default
    else:
        path += ".arrow"
        with ipc.new_file(path, table.schema, options=options) as writer:
            for batch in batches:
                writer.write_batch(batch)
    return path


def generate(out, seed, count):
    import numpy as np
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(seed)
    written = []
    for index in range(count):
        table = random_table(rng, index)
        path = write_random(table, os.path.join(out, f"t{index:02d}"), rng)
        with open(os.path.join(out, f"t{index:02d}.json"), "w") as f:
            json.dump(normalize(read_any(path)), f)
        written.append(os.path.basename(path))
    print(json.dumps({"generated": written}))


# ---------------------------------------------------------------------------------------------- verify

def verify(directory):
    failures = 0
    results = {"pyarrow": [0, 0], "polars": None, "duckdb": None}
    try:
        import polars as pl
        results["polars"] = [0, 0]
    except ImportError:
        pl = None
    try:
        import duckdb
        results["duckdb"] = [0, 0]
    except ImportError:
        duckdb = None
    for written in sorted(glob.glob(os.path.join(directory, "t*.faultline.arrow"))):
        stem = written[: -len(".faultline.arrow")]
        original = [p for p in glob.glob(stem + ".*") if not p.endswith((".json", ".faultline.arrow"))]
        expected = normalize(read_any(original[0]))
        readers = [("pyarrow", lambda: feather.read_table(written))]
        if pl is not None:
            readers.append(("polars", lambda: pl.read_ipc(written).to_arrow()))
        if duckdb is not None:
            readers.append(("duckdb", lambda: read_duckdb(duckdb, written)))
        for name, read in readers:
            try:
                got = normalize(read())
                same = got == expected
                detail = None if same else first_difference(expected, got)
            except Exception as error:  # a reader that cannot read the file is a failure too
                same, detail = False, f"{type(error).__name__}: {error}"
            results[name][0 if same else 1] += 1
            if not same:
                failures += 1
                print(json.dumps({"file": os.path.basename(written), "reader": name, "difference": detail}))
    summary = {k: (None if v is None else {"equal": v[0], "different": v[1]}) for k, v in results.items()}
    print(json.dumps({"summary": summary}))
    return 1 if failures or results["pyarrow"] == [0, 0] else 0


def read_duckdb(duckdb, path):
    """DuckDB has no built-in Arrow IPC file reader: it scans the record batches of pyarrow's file reader
    through the Arrow C stream interface (dictionaries, validity, timestamps), and hands the result back."""
    reader = ipc.open_file(path)
    batches = pa.RecordBatchReader.from_batches(
        reader.schema, (reader.get_batch(i) for i in range(reader.num_record_batches)))
    relation = duckdb.sql("select * from batches")
    return relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.fetch_arrow_table()


def first_difference(expected, got):
    if expected["rows"] != got["rows"]:
        return f"rows {expected['rows']} != {got['rows']}"
    for a, b in zip(expected["columns"], got["columns"]):
        if a != b:
            for key in ("name", "type"):
                if a[key] != b[key]:
                    return f"column {a['name']}: {key} {a[key]} != {b[key]}"
            for row, (x, y) in enumerate(zip(a["values"], b["values"])):
                if x != y:
                    return f"column {a['name']} row {row}: {x!r} != {y!r}"
    return f"columns {[c['name'] for c in expected['columns']]} != {[c['name'] for c in got['columns']]}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--out", required=True)
    g.add_argument("--seed", type=int, default=7)
    g.add_argument("--count", type=int, default=40)
    v = sub.add_parser("verify")
    v.add_argument("--dir", required=True)
    a = ap.parse_args()
    if a.command == "generate":
        generate(a.out, a.seed, a.count)
        return 0
    return verify(a.dir)


if __name__ == "__main__":
    sys.exit(main())
