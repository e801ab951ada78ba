#!/usr/bin/env python3
"""Cross-check Faultline's 1-D bins against counts that pandas computes on the same file.

Usage: check_counts.py DATA_FILE ANALYSIS_JSON [--max-categories 50] [--categorical-threshold 10]

For every feature in analysis.json that is a column of the dump (num_*, cat_*, ts, batch_id, label,
pred), pandas recomputes n and failures per bin with Faultline's documented binning rules
(docs/analysis-json.md), so the comparison is exact:
  - numeric with <= categorical-threshold distinct values, or an integer role column (label, pred,
    batch_id): one bin per value, named by the number's shortest form;
  - other numeric: pandas.qcut(x, 10, duplicates="drop") (its edges must equal Faultline's `edges`);
  - text: one bin per string; beyond max-categories the rarest (ties by text) form `(other)`;
  - timestamp: UTC calendar days (the bucket Faultline picks for a 90-day span);
  - a null is the `missing` bin.
Empty bins (n = 0) are ignored on both sides. Prints one line per feature and a final OK or MISMATCH
(exit status 0 or 1).
"""
import argparse
import json
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers import pandas_day, pandas_load  # noqa: E402


def shortest(x):
    """A number the way analysis.json names a value bin: integral values without a fraction."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def faultline_key(b):
    if b.get("missing"):
        return "(missing)"
    if b.get("other"):
        return "(other)"
    if "start" in b:
        return b["start"][:10]
    if "lower" in b:
        return ("interval", b["lower"], b["upper"])
    return b["value"]


def reference(df, failed, column, feature, args):
    """{bin key: (n, failures)} computed by pandas for one analysis.json feature entry."""
    s = df[column]
    groups = None
    if pd.api.types.is_datetime64_any_dtype(s):
        groups = pandas_day(s).dt.strftime("%Y-%m-%d")
    elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        present = s.dropna()
        distinct = present.unique()
        integer_role = pd.api.types.is_integer_dtype(s) and feature["kind"] in ("label", "prediction", "batch")
        if len(distinct) <= args.categorical_threshold or integer_role:
            names = {v: shortest(v) for v in distinct}
            groups = s.map(names)
        else:
            codes, edges = pd.qcut(s, 10, labels=False, retbins=True, duplicates="drop")
            expected = feature.get("edges", [])
            if len(expected) != len(edges) or any(a != b for a, b in zip(expected, edges)):
                return None, f"edges differ: faultline {expected} vs pandas.qcut {[float(e) for e in edges]}"
            intervals = {i: ("interval", float(edges[i]), float(edges[i + 1])) for i in range(len(edges) - 1)}
            groups = pd.Series(codes, index=s.index).map(intervals)
    else:
        text = s.astype("string")
        counts = text.value_counts(dropna=True)
        if len(counts) > args.max_categories:
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            kept = {k for k, _ in ranked[:args.max_categories]}
            text = text.where(text.isin(kept) | text.isna(), "(other)")
        groups = text
    table = pd.DataFrame({"key": groups.astype(object), "failed": failed})
    table["key"] = table["key"].where(table["key"].notna(), "(missing)")
    agg = table.groupby("key", sort=False)["failed"].agg(["size", "sum"])
    return {k: (int(r["size"]), int(r["sum"])) for k, r in agg.iterrows()}, None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data")
    parser.add_argument("analysis")
    parser.add_argument("--max-categories", type=int, default=None)
    parser.add_argument("--categorical-threshold", type=int, default=None)
    args = parser.parse_args()
    with open(args.analysis) as f:
        analysis = json.load(f)
    settings = analysis.get("settings", {})
    if args.max_categories is None:
        args.max_categories = settings.get("max_categories", 50)
    if args.categorical_threshold is None:
        args.categorical_threshold = settings.get("categorical_threshold", 10)

    df = pandas_load(args.data)
    failed = (df["pred"] != df["label"]).to_numpy(np.int64)
    problems = []
    if analysis["rows"] != len(df):
        problems.append(f"rows: faultline {analysis['rows']} vs pandas {len(df)}")
    if analysis["failures"] != int(failed.sum()):
        problems.append(f"failures: faultline {analysis['failures']} vs pandas {int(failed.sum())}")
    checked = 0
    for feature in analysis["features"]:
        name = feature["name"]
        if name not in df.columns:
            continue
        ours = {faultline_key(b): (b["n"], b["failures"]) for b in feature["bins"] if b["n"] > 0}
        theirs, error = reference(df, failed, name, feature, args)
        if error:
            problems.append(f"{name}: {error}")
            print(f"  {name:10} MISMATCH {error}")
            continue
        diff = sorted(set(ours) ^ set(theirs), key=str) + sorted(
            (k for k in set(ours) & set(theirs) if ours[k] != theirs[k]), key=str)
        checked += 1
        status = "ok" if not diff else "MISMATCH"
        print(f"  {name:10} {status:8} {len(ours)} bins ({feature['kind']})")
        for k in diff[:5]:
            problems.append(f"{name} {k}: faultline {ours.get(k)} vs pandas {theirs.get(k)}")
            print(f"      {k}: faultline {ours.get(k)} vs pandas {theirs.get(k)}")
    if checked == 0:
        problems.append("no feature of analysis.json is a column of the data file")
    if problems:
        print(f"MISMATCH: {len(problems)} difference(s) between faultline and pandas")
        return 1
    print(f"OK: {checked} features, every non-empty bin's n and failures equal pandas' counts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
