#!/usr/bin/env python3
"""Writes the Arrow IPC fixtures of the Ingest and Faultline tests with pyarrow (pip install pyarrow pandas).

  python3 scripts/make_arrow_fixtures.py

Into Tests/IngestTests/Fixtures/arrow/: small files covering every type Faultline reads, nulls, NaN,
dictionaries (several index types, deltas, replacements), several record batches, sliced arrays, LZ4 and ZSTD
buffers, the file and the stream formats, plus files Faultline must reject (uint64 above Int64.max, a list
column). Each readable fixture NAME has NAME.json: the values Faultline must read, from
`arrow_roundtrip.normalize` (documented there). Into Tests/FaultlineTests/Fixtures/: the Adult demo dump as
pandas reads it, written by pyarrow as Feather v2 (ZSTD, three batches, some columns as categoricals), for the
test that the analysis of an Arrow file is the analysis of the CSV.

Deterministic: the same pyarrow version writes the same bytes.
"""
import json
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.ipc as ipc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from arrow_roundtrip import normalize, read_any  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "IngestTests", "Fixtures", "arrow")


def types_table():
    """One column per type, five rows, a null in each column (and extremes, NaN, unicode)."""
    n = None
    i64 = [-(2**63), 2**63 - 1, n, 0, -1]
    return pa.table({
        "b": pa.array([True, False, n, True, False]),
        "i8": pa.array([-128, 127, n, 0, -1], pa.int8()),
        "i16": pa.array([-32768, 32767, n, 0, -1], pa.int16()),
        "i32": pa.array([-(2**31), 2**31 - 1, n, 0, -1], pa.int32()),
        "i64": pa.array(i64, pa.int64()),
        "u8": pa.array([0, 255, n, 1, 2], pa.uint8()),
        "u16": pa.array([0, 65535, n, 1, 2], pa.uint16()),
        "u32": pa.array([0, 2**32 - 1, n, 1, 2], pa.uint32()),
        "u64": pa.array([0, 2**63 - 1, n, 1, 2], pa.uint64()),
        "f16": pa.array(np.array([1.5, -2.25, 0, 65504, np.nan], dtype=np.float16), mask=np.array([False, False, True, False, False])),
        "f32": pa.array([1.5, float("inf"), n, -0.0, 0.1], pa.float32()),
        "f64": pa.array([0.1, float("nan"), n, -float("inf"), 5e-324], pa.float64()),
        "s": pa.array(["naïve", "", n, "日本語", "comma,\"quote\""], pa.string()),
        "ls": pa.array(["x", "y", n, "x", ""], pa.large_string()),
        "d": pa.DictionaryArray.from_arrays(pa.array([1, 0, n, 2, 1], pa.int32()), ["zeta", "alpha", "mu"]),
        "d8": pa.DictionaryArray.from_arrays(pa.array([0, 0, 1, n, 1], pa.int8()), ["p", "q"]),
        "date32": pa.array([0, 19000, n, -1, 2932896], pa.int32()).cast(pa.date32()),
        "date64": pa.array([0, 86400000 * 19000, n, -86400000, 86400000], pa.int64()).cast(pa.date64()),
        "ts_s": pa.array([0, 1_700_000_000, n, -1, 253402300799], pa.timestamp("s")),
        "ts_ms": pa.array([0, 1_700_000_000_123, n, -1, 1], pa.timestamp("ms")),
        "ts_us": pa.array([0, 1_700_000_000_123_456, n, -1, 1], pa.timestamp("us")),
        "ts_ns": pa.array([0, 1_700_000_000_123_456_000, n, -1000, 1000], pa.timestamp("ns")),
        "ts_ns_fine": pa.array([0, 1_700_000_000_123_456_789, n, -1, 1], pa.timestamp("ns")),
        "ts_utc": pa.array([0, 1_700_000_000_000_000, n, 1, 2], pa.timestamp("us", tz="UTC")),
        "ts_ny": pa.array([0, 1_700_000_000_000_000_000, n, 1000, 2000], pa.timestamp("ns", tz="America/New_York")),
        "nothing": pa.nulls(5),
    })


def batches_table():
    """Several batches of uneven lengths (70, 1, 130 rows): validity words that do not start on a word."""
    rng = np.random.default_rng(3)
    n = 201
    mask = rng.random(n) < 0.2
    words = ["red", "green", "blue", "cyan"]
    strings = [words[int(i)] for i in rng.integers(0, 4, n)]
    table = pa.table({
        "x": pa.array(rng.normal(0, 1, n), mask=mask),
        "k": pa.array(rng.integers(-5, 5, n), mask=rng.random(n) < 0.1),
        "s": pa.array(strings, mask=rng.random(n) < 0.1),
        "d": pa.array(strings).dictionary_encode(),
        "flag": pa.array(rng.random(n) < 0.5, mask=rng.random(n) < 0.3),
        "ts": pa.array(np.arange(n, dtype=np.int64) * 3_600_000_000, pa.timestamp("us")),
    })
    return table, [table.slice(0, 70), table.slice(70, 1), table.slice(71, 130)]


def write_file(name, table, batches=None, compression=None):
    path = os.path.join(OUT, name)
    options = ipc.IpcWriteOptions(compression=compression)
    with ipc.new_file(path, table.schema, options=options) as writer:
        for batch in batches if batches is not None else table.to_batches():
            writer.write(batch)
    return path


def write_stream(name, schema, batches, **options):
    path = os.path.join(OUT, name)
    with ipc.new_stream(path, schema, options=ipc.IpcWriteOptions(**options)) as writer:
        for batch in batches:
            writer.write(batch)
    return path


def expect(path):
    """NAME.json next to the fixture: what Faultline must read."""
    with open(path + ".json", "w") as f:
        json.dump(normalize(read_any(path)), f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    types = types_table()
    expect(write_file("types.arrow", types))
    path = os.path.join(OUT, "types.feather")
    feather.write_feather(types, path, chunksize=2)  # LZ4_FRAME (pyarrow's default), 3 batches
    expect(path)
    expect(write_file("types_zstd.arrow", types, batches=types.to_batches(max_chunksize=3), compression="zstd"))
    expect(write_stream("types.arrows", types.schema, types.to_batches(max_chunksize=2)))

    table, pieces = batches_table()
    expect(write_file("batches.arrow", table, batches=[piece.to_batches()[0] for piece in pieces]))

    # Sliced arrays: a table sliced at a row that is not a multiple of 8, so bitmaps, bools and offsets start
    # mid-buffer in pyarrow's memory (the writer must cut them).
    wide = pa.concat_tables([types] * 30)
    expect(write_file("sliced.arrow", wide.slice(13, 101), batches=wide.slice(13, 101).to_batches()))

    # Dictionary deltas and replacements (the stream format only).
    schema = pa.schema([("d", pa.dictionary(pa.int16(), pa.string())), ("v", pa.int64())])
    def batch(values, dictionary, numbers):
        indices = pa.array(values, pa.int16())
        return pa.record_batch(
            [pa.DictionaryArray.from_arrays(indices, dictionary), pa.array(numbers, pa.int64())], schema=schema)
    grow = [batch([0, 1], ["a", "b"], [1, 2]), batch([2, None, 0], ["a", "b", "c"], [3, 4, 5]),
            batch([3, 1], ["a", "b", "c", "d"], [6, 7])]
    expect(write_stream("dictionary_delta.arrows", schema, grow, emit_dictionary_deltas=True))
    replace = [batch([0, 1, 1], ["x", "y"], [1, 2, 3]), batch([0, 0], ["q"], [4, 5]),
               batch([1, 0], ["y", "x"], [6, 7])]
    expect(write_stream("dictionary_replacement.arrows", schema, replace))

    expect(write_file("empty.arrow", types.slice(0, 0), batches=[]))
    expect(write_file("dictionary_null_values.arrow", dictionary_null_values()))

    # Files Faultline must reject.
    write_file("uint64_overflow.arrow", pa.table({"id": pa.array([1, 2**63, 3], pa.uint64())}))
    write_file("list.arrow", pa.table({"ok": [1, 2], "embedding": pa.array([[1.0, 2.0], [3.0]])}))

    adult()
    print("wrote", sorted(os.listdir(OUT)))


def dictionary_null_values():
    """One batch of 70 rows (past a 64-row word) whose dictionaries hold a null value that rows point at: such a row
    is missing, as a null row is. "d" has null rows too (its validity bitmap is then changed), "e" none."""
    indices = [i % 4 for i in range(70)]
    d = pa.DictionaryArray.from_arrays(
        pa.array([None if i % 9 == 5 else v for i, v in enumerate(indices)], pa.int32()),
        pa.array(["a", None, "c", "d"]))
    e = pa.DictionaryArray.from_arrays(pa.array(indices[::-1], pa.int8()), pa.array([None, "x", "y", "z"]))
    return pa.table({"d": d, "e": e, "n": pa.array(range(70), pa.int64())})


def adult():
    """data/adult_predictions.csv as pandas reads it, as Feather v2: ZSTD, 3 batches, a few categoricals."""
    import pandas as pd
    frame = pd.read_csv(os.path.join(ROOT, "data", "adult_predictions.csv"))
    for name in ["workclass", "education", "race", "sex"]:
        frame[name] = frame[name].astype("category")
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    path = os.path.join(ROOT, "Tests", "FaultlineTests", "Fixtures", "adult_predictions.feather")
    feather.write_feather(table, path, compression="zstd", chunksize=16384)


if __name__ == "__main__":
    main()
