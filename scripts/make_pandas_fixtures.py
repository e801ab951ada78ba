#!/usr/bin/env python3
"""Independent pandas reference for Faultline's one-dimensional slicing.

For each example data file this script computes, with plain pandas and numpy,
what Faultline's 1-D slicing should produce, and writes it as a JSON fixture
that the Swift tests compare against exactly:

  data/adult_predictions.csv               -> Tests/FaultlineTests/Fixtures/adult_qcut10.json
  data/bike_sharing_hourly_predictions.csv -> Tests/FaultlineTests/Fixtures/bike_qcut10.json

What is computed:

* The CSV is read with ``pd.read_csv(path)`` and pandas' defaults, so the
  missing markers are pandas' default NA strings. Adult's ``?`` (unknown
  category) is an ordinary string value, not a missing value.
* Failure. Classification (adult): ``failure = pred != label``; rows where
  label or pred is missing are excluded (``excluded_rows``). Regression (bike,
  columns ``y`` and ``yhat``): ``error = |y - yhat|``,
  ``threshold = numpy.percentile(error, 90)`` (numpy's default linear
  method) and ``failure = error > threshold``; rows where y or yhat is
  missing are excluded.
* Features are all columns except the role columns (adult: label, pred,
  score; bike: y, yhat and the time column datetime). The date column dteday
  is not sliced here and is listed under "skipped".
* A feature is "categorical" if it is non-numeric, or numeric with at most 10
  distinct non-missing values; otherwise it is "numeric".
* Numeric features: ``pd.qcut(x, 10, duplicates="drop")``. The edges are
  recomputed here the way pandas does it and asserted to equal
  ``pd.qcut(..., retbins=True)[1]`` bit for bit. Bin i covers
  (edges[i], edges[i+1]]; bin 0 also contains edges[0]. Every bin is written,
  even an empty one.
* Categorical features: one bin per distinct value, named by how the value is
  written in the CSV (strings as they are; integral numbers without a decimal
  point; other floats as Python's repr). Bins are sorted by that text.
* Numeric and categorical features get an extra ``{"missing": true}`` bin
  when the column has missing values.
* For the classification file the label and pred columns are added as
  categorical features too (values "0" and "1").

Floats are written with Python's repr (json's default), so they round-trip
exactly. The output is the same bytes on every run.

Rerun from anywhere (needs pandas and numpy):

    python3 scripts/make_pandas_fixtures.py
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path("Tests/FaultlineTests/Fixtures")
BINS = 10
MAX_CATEGORICAL_DISTINCT = 10

DATASETS = [
    {
        "source": "data/adult_predictions.csv",
        "output": FIXTURES / "adult_qcut10.json",
        "task": "classification",
        "label": "label",
        "prediction": "pred",
        "score": "score",
        "time": None,
        "skip": [],
        "slice_label_and_prediction": True,
    },
    {
        "source": "data/bike_sharing_hourly_predictions.csv",
        "output": FIXTURES / "bike_qcut10.json",
        "task": "regression",
        "label": "y",
        "prediction": "yhat",
        "score": None,
        "time": "datetime",
        "skip": ["dteday"],
        "slice_label_and_prediction": False,
    },
]


def qcut_edges(x: pd.Series, q: int) -> np.ndarray:
    """Bin edges of ``pd.qcut(x, q, duplicates="drop")``, computed by hand.

    pandas (checked against 3.1.1, pandas/core/reshape/tile.py) takes
    ``np.linspace(0, 1, q + 1)``, moves every probability p with
    ``q * p != i`` up by one ulp (``np.nextafter(p, 1)``; for q = 10 that is
    0.3, 0.6 and 0.7), computes ``np.quantile`` of the non-missing values with
    linear interpolation at those probabilities, and drops repeated edges.
    """
    probs = np.linspace(0, 1, q + 1)
    np.putmask(probs, q * probs != np.arange(q + 1), np.nextafter(probs, 1))
    values = x.dropna().to_numpy()
    edges = np.quantile(values, probs, method="linear").astype(np.float64)
    unique = pd.unique(edges)  # order-preserving; edges are non-decreasing
    if len(unique) < len(edges) and len(edges) != 2:
        edges = unique
    return edges


def value_text(value) -> str:
    """How a non-missing value is written in the CSV."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "True" if value else "False"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return repr(value)


def missing_bin(missing: pd.Series, failure: pd.Series):
    n = int(missing.sum())
    if n == 0:
        return []
    return [{"missing": True, "n": n, "failures": int(failure[missing].sum())}]


def numeric_feature(name: str, x: pd.Series, failure: pd.Series) -> dict:
    codes, pandas_edges = pd.qcut(x, BINS, labels=False, retbins=True, duplicates="drop")
    edges = qcut_edges(x, BINS)
    assert pandas_edges.dtype == np.float64, (name, pandas_edges.dtype)
    assert edges.shape == pandas_edges.shape, (name, edges, pandas_edges)
    assert np.array_equal(edges.view(np.int64), pandas_edges.view(np.int64)), (
        name,
        edges,
        pandas_edges,
    )

    # Bin membership by the rule in the docstring, checked against qcut's codes.
    missing = x.isna()
    values = x.astype(np.float64)
    bins = []
    for i in range(len(edges) - 1):
        lower, upper = edges[i], edges[i + 1]
        inside = (values > lower) & (values <= upper)
        if i == 0:
            inside |= values == lower
        assert inside.equals(codes == i), (name, i)
        bins.append(
            {
                "lower": float(lower),
                "upper": float(upper),
                "lower_inclusive": i == 0,
                "n": int(inside.sum()),
                "failures": int(failure[inside].sum()),
            }
        )
    assert codes.isna().equals(missing), name
    bins += missing_bin(missing, failure)
    assert sum(b["n"] for b in bins) == len(x), name
    return {
        "name": name,
        "kind": "numeric",
        "edges": [float(e) for e in edges],
        "bins": bins,
    }


def categorical_feature(name: str, x: pd.Series, failure: pd.Series) -> dict:
    missing = x.isna()
    present = x[~missing]
    text = present.map(value_text)
    # Distinct values must map to distinct texts.
    assert text.nunique() == present.nunique(), name
    grouped = failure[~missing].groupby(text, sort=False).agg(["size", "sum"])
    bins = [
        {"value": value, "n": int(row["size"]), "failures": int(row["sum"])}
        for value, row in sorted(grouped.iterrows(), key=lambda item: item[0])
    ]
    bins += missing_bin(missing, failure)
    assert sum(b["n"] for b in bins) == len(x), name
    return {"name": name, "kind": "categorical", "bins": bins}


def is_categorical(x: pd.Series) -> bool:
    if not is_numeric_dtype(x.dtype) or x.dtype == bool:
        return True
    return x.nunique(dropna=True) <= MAX_CATEGORICAL_DISTINCT


def build(spec: dict) -> dict:
    frame = pd.read_csv(ROOT / spec["source"])
    label, prediction = spec["label"], spec["prediction"]
    keep = frame[label].notna() & frame[prediction].notna()
    excluded = int((~keep).sum())
    frame = frame[keep].reset_index(drop=True)

    result = {
        "source": spec["source"],
        "generator": "scripts/make_pandas_fixtures.py",
        "pandas_version": pd.__version__,
        "numpy_version": np.__version__,
        "task": spec["task"],
        "rows": len(frame),
        "excluded_rows": excluded,
        "bins": BINS,
    }

    if spec["task"] == "classification":
        failure = frame[prediction] != frame[label]
    else:
        error = (frame[label] - frame[prediction]).abs().to_numpy(dtype=np.float64)
        threshold = float(np.percentile(error, 90))
        failure = pd.Series(error > threshold)
        result["threshold"] = threshold
    result["failures"] = int(failure.sum())

    roles = [c for c in (label, prediction, spec["score"], spec["time"]) if c]
    names = [c for c in frame.columns if c not in roles and c not in spec["skip"]]
    if spec["slice_label_and_prediction"]:
        names += [label, prediction]

    features = []
    for name in names:
        x = frame[name]
        if is_categorical(x):
            features.append(categorical_feature(name, x, failure))
        else:
            features.append(numeric_feature(name, x, failure))
    result["features"] = features
    result["skipped"] = list(spec["skip"])
    return result


def main() -> None:
    for spec in DATASETS:
        result = build(spec)
        path = ROOT / spec["output"]
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            json.dump(result, out, indent=1, sort_keys=True, allow_nan=False)
            out.write("\n")
        kinds = {}
        for feature in result["features"]:
            kinds.setdefault(feature["kind"], []).append(feature["name"])
        print(
            f"{spec['output']}: {result['rows']} rows, {result['failures']} failures"
            f" ({result['failures'] / result['rows']:.2%}); "
            + "; ".join(f"{k}: {', '.join(v)}" for k, v in sorted(kinds.items()))
        )


if __name__ == "__main__":
    main()
