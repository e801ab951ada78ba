#!/usr/bin/env python3
"""Reference fixtures for Faultline's SliceLine search, from the `sliceline` Python package.

Writes Tests/SliceSearchTests/Fixtures/sliceline_reference.json with, for each case, the coded input, the
parameters and what `sliceline.Slicefinder` returns (its top slices and their statistics):

* ``systemds_1`` .. ``systemds_3``: the custom inputs of Apache SystemDS' BuiltinSliceLineTest
  (testSlicefinderCustomInputs1..3: 20 or 40 rows, 10 features, continuous errors), run with
  alpha=0.95, k=10, max_l=10, min_sup=4, together with the top-10 the SystemDS test expects
  (score, error sum, max error, size, rounded to 3 decimals).
* ``basic`` and ``experiment_1`` .. ``experiment_16``: the `sliceline` package's own test fixtures
  (tests/conftest.py: basic_test_data and the end-to-end experiments), data regenerated here with
  numpy's legacy seeded generator exactly as there, with the top slices the package's tests expect.
* ``random_*``: small seeded random datasets (numpy default_rng) where the package's two known quirks
  (pruning against a top-K that is not yet full; an upper bound over one-hot columns instead of rows)
  can change the result; the Swift search in reference-compatible mode must reproduce them exactly.
* ``adult``: data/adult_predictions.csv binned exactly as Faultline bins it (numeric columns with more
  than 10 distinct values: pandas.qcut(x, 10, duplicates="drop"); others one bin per value, sorted by
  text; missing values in a last bin), error = (pred != label), alpha=0.95, k=10, max_l=3,
  min_sup=489 (Faultline's default support: 1% of 48,842 rows, rounded up). Per-feature bin counts are
  stored so the Swift test can check that its bins are the same. The package's fit time is recorded
  (best of 3 runs) for docs/performance.md.

Codes: every feature's values are coded 0..d-1 in the package's one-hot order (sorted values), written
as a string of fixed-width base-36 digits per feature. A slice is a list of [feature, code] pairs.

Usage (needs `pip install sliceline==0.3.0 numba pandas`; numba is optional for the package but is
what the timing uses):

    python3 scripts/make_sliceline_fixtures.py            # (re)write the fixture
    python3 scripts/make_sliceline_fixtures.py --check    # recompute and compare with the committed file

`--check` exits 1 when the installed package no longer reproduces the committed results (timings are
not compared). The output is deterministic apart from the recorded timing and versions.
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "Tests/SliceSearchTests/Fixtures/sliceline_reference.json"
ADULT = ROOT / "data/adult_predictions.csv"
sys.path.insert(0, str(ROOT / "scripts"))
from make_pandas_fixtures import qcut_edges, value_text  # noqa: E402  (Faultline's pandas binning reference)

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def encode_column(codes, domain):
    width = 1
    while 36**width < max(domain, 1):
        width += 1
    out = []
    for code in codes:
        text = ""
        value = int(code)
        for _ in range(width):
            text = DIGITS[value % 36] + text
            value //= 36
        out.append(text)
    return {"width": width, "domain": int(domain), "codes": "".join(out)}


def code_matrix(X):
    """Codes 0..d-1 per column in sorted order of the observed values (OneHotEncoder's order)."""
    X = np.asarray(X, dtype=object)
    columns, labels = [], []
    for j in range(X.shape[1]):
        values = list(X[:, j])
        categories = sorted(set(values), key=lambda v: (str(type(v)), v))
        index = {v: i for i, v in enumerate(categories)}
        columns.append(encode_column([index[v] for v in values], len(categories)))
        labels.append([v if isinstance(v, str) else float(v) for v in categories])
    return columns, labels


def run_package(X, errors, alpha, k, max_l, min_sup, timing_runs=0):
    from sliceline.slicefinder import Slicefinder

    X = np.asarray(X, dtype=object) if np.asarray(X).dtype == object else np.asarray(X)
    model = Slicefinder(alpha=alpha, k=k, max_l=max_l, min_sup=min_sup, verbose=False)
    model.fit(X, errors)
    seconds = None
    if timing_runs:
        times = []
        for _ in range(timing_runs):
            start = time.perf_counter()
            Slicefinder(alpha=alpha, k=k, max_l=max_l, min_sup=min_sup, verbose=False).fit(X, errors)
            times.append(time.perf_counter() - start)
        seconds = sorted(times)[len(times) // 2]
    categories = model._one_hot_encoder.categories_
    slices = []
    for row, stats in zip(model._top_slices_enc.toarray(), model.top_slices_statistics_):
        predicates = []
        offset = 0
        for feature, values in enumerate(categories):
            block = row[offset : offset + len(values)]
            hits = np.flatnonzero(block)
            if len(hits) == 1:
                predicates.append([feature, int(hits[0])])
            offset += len(values)
        slices.append(
            {
                "predicates": predicates,
                "score": float(stats["slice_score"]),
                "error_sum": float(stats["sum_slice_error"]),
                "error_max": float(stats["max_slice_error"]),
                "size": int(stats["slice_size"]),
            }
        )
    return slices, float(model.average_error_), seconds


def case(name, X, errors, alpha, k, max_l, min_sup, extra=None, timing_runs=0):
    columns, labels = code_matrix(X)
    errors = np.asarray(errors, dtype=np.float64)
    slices, average, seconds = run_package(X, errors, alpha, k, max_l, min_sup, timing_runs)
    result = {
        "name": name,
        "alpha": alpha,
        "k": k,
        "max_l": max_l,
        "min_sup": min_sup,
        "rows": int(len(errors)),
        "columns": columns,
        "values": labels,
        "errors": [float(e) for e in errors],
        "average_error": average,
        "top": slices,
    }
    if extra:
        result.update(extra)
    if seconds is not None:
        result["package_fit_seconds_median_of_3"] = seconds
    return result


# --- SystemDS BuiltinSliceLineTest custom inputs (Apache License 2.0) --------------------------------

SYSTEMDS_X1 = [
    [2, 1, 1, 2, 3, 2, 3, 3, 1, 2], [2, 2, 2, 3, 4, 1, 2, 1, 3, 2], [2, 1, 3, 3, 2, 2, 3, 1, 1, 4],
    [1, 2, 2, 1, 3, 2, 3, 2, 2, 3], [3, 2, 3, 4, 3, 3, 4, 1, 1, 3], [4, 3, 2, 3, 4, 4, 3, 4, 1, 1],
    [2, 2, 2, 4, 3, 3, 2, 2, 1, 2], [1, 1, 2, 2, 3, 3, 2, 1, 1, 2], [4, 3, 2, 1, 3, 2, 4, 2, 4, 3],
    [1, 3, 1, 4, 1, 3, 3, 2, 3, 2], [2, 4, 3, 1, 2, 4, 1, 3, 2, 4], [3, 2, 4, 3, 1, 4, 2, 3, 4, 1],
    [4, 1, 2, 4, 3, 1, 4, 2, 1, 3], [1, 3, 4, 2, 4, 3, 1, 4, 2, 3], [2, 4, 1, 3, 2, 4, 3, 1, 4, 2],
    [3, 2, 4, 1, 3, 4, 2, 3, 1, 4], [4, 1, 3, 2, 4, 1, 4, 2, 3, 1], [1, 3, 2, 4, 1, 3, 4, 2, 4, 3],
    [2, 4, 1, 3, 2, 4, 3, 1, 2, 4], [2, 3, 3, 2, 1, 4, 2, 3, 2, 3],
]
SYSTEMDS_E1 = [0.159, 0.588, 0.414, 0.305, 0.193, 0.195, 0.878, 0.149, 0.835, 0.344,
               0.123, 0.456, 0.789, 0.987, 0.654, 0.321, 0.246, 0.135, 0.579, 0.802]
SYSTEMDS_X2 = [
    [2, 1, 1, 1, 3, 4, 2, 2, 1, 2], [3, 3, 3, 2, 1, 2, 3, 1, 4, 2], [3, 2, 3, 1, 1, 1, 4, 3, 4, 2],
    [1, 3, 2, 3, 2, 3, 2, 1, 2, 1], [4, 3, 1, 1, 1, 1, 1, 1, 3, 2], [2, 2, 3, 3, 2, 2, 2, 3, 4, 1],
    [3, 2, 2, 2, 4, 4, 2, 4, 1, 1], [1, 3, 3, 2, 1, 3, 1, 2, 4, 4], [2, 1, 2, 2, 3, 1, 2, 3, 2, 1],
    [4, 1, 3, 4, 1, 4, 2, 3, 4, 4], [4, 2, 4, 4, 2, 1, 2, 1, 1, 4], [4, 1, 1, 4, 1, 4, 3, 2, 4, 2],
    [2, 1, 2, 2, 3, 1, 4, 3, 3, 4], [4, 1, 3, 1, 3, 1, 2, 1, 3, 3], [2, 1, 3, 1, 1, 3, 1, 2, 1, 2],
    [1, 3, 4, 3, 1, 2, 2, 2, 1, 1], [2, 4, 4, 3, 4, 1, 2, 1, 2, 4], [3, 3, 3, 3, 3, 1, 2, 3, 4, 4],
    [3, 2, 2, 2, 4, 1, 4, 2, 3, 1], [1, 2, 3, 2, 4, 3, 2, 3, 2, 3],
]
SYSTEMDS_E2 = [0.591, 0.858, 0.144, 0.350, 0.931, 0.951, 0.788, 0.491, 0.358, 0.443,
               0.231, 0.564, 0.897, 0.879, 0.546, 0.132, 0.462, 0.153, 0.759, 0.028]
SYSTEMDS_EXPECTED = {
    "systemds_1": [[0.307, 2.807, 0.878, 4], [0.307, 2.807, 0.878, 4], [0.282, 2.759, 0.987, 4],
                   [0.157, 4.046, 0.987, 7], [0.127, 2.956, 0.878, 5], [0.122, 2.942, 0.878, 5],
                   [0.074, 3.298, 0.987, 6], [0.064, 4.197, 0.878, 8], [0.061, 2.796, 0.987, 5],
                   [0.038, 3.194, 0.878, 6]],
    "systemds_2": [[0.410, 3.466, 0.931, 4], [0.410, 3.466, 0.931, 4], [0.111, 2.802, 0.897, 4],
                   [0.075, 3.805, 0.951, 6], [0.057, 4.278, 0.897, 7], [0.047, 3.711, 0.931, 6],
                   [0.035, 3.152, 0.897, 5], [0.032, 4.179, 0.897, 7], [0.023, 3.634, 0.931, 6],
                   [0.013, 3.091, 0.931, 5]],
    "systemds_3": [[0.149, 4.300, 0.931, 6], [0.113, 3.138, 0.987, 4], [0.093, 4.644, 0.931, 7],
                   [0.090, 4.630, 0.951, 7], [0.059, 8.002, 0.951, 14], [0.024, 2.954, 0.951, 4],
                   [0.017, 3.415, 0.897, 5], [0.010, 3.398, 0.878, 5], [0.009, 2.923, 0.897, 4],
                   [0.008, 3.391, 0.897, 5]],
}


def systemds_cases():
    inputs = {
        "systemds_1": (SYSTEMDS_X1, SYSTEMDS_E1),
        "systemds_2": (SYSTEMDS_X2, SYSTEMDS_E2),
        "systemds_3": (SYSTEMDS_X1 + SYSTEMDS_X2, SYSTEMDS_E1 + SYSTEMDS_E2),
    }
    return [
        case(name, np.array(X), np.array(e), 0.95, 10, 10, 4, {"systemds_expected": SYSTEMDS_EXPECTED[name]})
        for name, (X, e) in inputs.items()
    ]


# --- the sliceline package's own fixtures (tests/conftest.py), regenerated ---------------------------

def package_cases():
    cases = []
    X = np.array([[1, 1, 1, 1, 1, 1, 2, 2], [1, 1, 1, 1, 2, 2, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8],
                  [3, 3, 3, 1, 3, 1, 2, 1]]).T
    cases.append(case("basic", X, np.array([1, 1, 1, 1, 0, 0, 0, 0]), 0.95, 2, 2, 1))

    n_small = 10
    np.random.seed(1)
    X1 = np.array([[1] * n_small + [2] * (n_small // 2) + [1] * (n_small // 2),
                   [1] * n_small + [1] * (n_small // 2) + [2] * (n_small // 2),
                   np.random.randint(1, 4, size=2 * n_small)]).T
    e1 = np.array([1] * n_small + [0] * n_small)
    np.random.seed(2)
    X2 = np.array([np.random.randint(1, 4, size=2 * n_small),
                   [1] * n_small + [1] * (n_small // 2) + [2] * (n_small // 2),
                   np.random.randint(1, 5, size=2 * n_small), np.random.randint(1, 7, size=2 * n_small),
                   [1] * n_small + [2] * (n_small // 2) + [1] * (n_small // 2), np.arange(2 * n_small) + 1]).T
    np.random.seed(3)
    n = 100
    X3 = np.array([[1] * n + [2] * (n // 2) + [1] * (n // 2), [1] * n + [1] * (n // 2) + [2] * (n // 2),
                   np.random.randint(1, 4, size=2 * n)]).T
    e3 = np.array([1] * n + [0] * n)
    np.random.seed(4)
    X4 = np.array([[1] * n + [2] * (n // 2) + [1] * (n // 2), [1] * n + [1] * (n // 2) + [2] * (n // 2),
                   np.random.randint(1, 4, size=2 * n), np.random.randint(1, 5, size=2 * n),
                   np.random.randint(1, 7, size=2 * n), np.arange(2 * n) + 1]).T
    np.random.seed(9)
    e9 = np.concatenate([np.random.randint(1, 61, n_small), np.random.randint(41, 101, n_small)]) / 100
    np.random.seed(10)
    n10 = 10000
    X10 = np.array([[1] * n10 + [2] * (n10 // 2) + [1] * (n10 // 2),
                    [1] * n10 + [1] * (n10 // 2) + [2] * (n10 // 2),
                    np.random.randint(1, 4, size=2 * n10), np.random.randint(1, 5, size=2 * n10),
                    np.random.randint(1, 7, size=2 * n10),
                    np.concatenate([np.arange(1, 1 + 2 * n10 // 40)] * 40)]).T
    X11 = np.array([[1] * 6 + [2] * 2 + [1] * 4, [1] * 8 + [2] * 2 + [1] * 2, [1] * 10 + [2] * 2,
                    list(range(1, 13))]).T
    X12 = np.array([[1] * 8 + [2] * 2 + [1] * 6, [1] * 10 + [2] * 2 + [1] * 4, [1] * 12 + [2] * 2 + [1] * 2,
                    [1] * 14 + [2] * 2, list(range(1, 17))]).T
    X13 = np.array([[1, 1, 1, 1, 1, 1, 2, 2], ["a", "a", "a", "a", "b", "b", "a", "a"], [1, 2, 3, 4, 5, 6, 7, 8],
                    [3, 3, 3, 1, 3, 1, 2, 1]], dtype=object).T
    X16 = np.array([list("gggggg" + "aaaaaaaaa"), list("b" * 12 + "fff"), list("hhhhcccc" + "h" * 7),
                    list("d" * 12 + "eee")], dtype=object).T
    # (name, X, errors, alpha, k, max_l, min_sup); the package's Experiment defaults are
    # alpha=0.95, k=2, max_l=2, min_sup=1.
    experiments = [
        ("experiment_1", X1, e1, 0.95, 2, 2, 1),
        ("experiment_2", X2, e1, 0.95, 2, 2, 1),
        ("experiment_3", X3, e3, 0.95, 2, 2, 1),
        ("experiment_4", X4, e3, 0.95, 2, 2, 1),
        ("experiment_5", X4, e3, 0.95, 2, 2, 50),
        ("experiment_6", X4, e3, 0.95, 2, 1, 1),
        ("experiment_7", X4, e3, 0.7, 2, 2, 1),
        ("experiment_8", X4, e3, 0.95, 3, 2, 1),
        ("experiment_9", X1, e9, 0.95, 2, 2, 1),
        ("experiment_10", X10, np.array([1] * n10 + [0] * n10), 0.95, 2, 2, 1),
        ("experiment_11", X11, np.array([1] * 6 + [0] * 6), 0.95, 2, 3, 1),
        ("experiment_12", X12, np.array([1] * 8 + [0] * 8), 0.95, 2, 4, 1),
        ("experiment_13", X13, np.array([1, 1, 1, 1, 0, 0, 0, 0]), 0.95, 2, 2, 1),
        ("experiment_14", X4, e3, 0.95, 2, 2, 10),
        ("experiment_15", X4, e3, 0.5, 2, 2, 1),
        ("experiment_16", X16, np.array([0] * 6 + [1] * 6 + [0] * 3), 0.01, 2, 3, 7),
    ]
    for name, X, errors, alpha, k, max_l, min_sup in experiments:
        cases.append(case(name, X, errors, alpha, k, max_l, min_sup))
    return cases


# --- seeded random datasets where the quirks show -------------------------------------------------

def random_cases(count=60):
    cases = []
    for seed in range(count):
        rng = np.random.default_rng(1000 + seed)
        rows = int(rng.integers(8, 60))
        features = int(rng.integers(3, 7))
        X = np.stack([rng.integers(0, int(rng.integers(1, 7)), rows) for _ in range(features)], axis=1)
        if seed % 2 == 0:
            errors = (rng.random(rows) < rng.uniform(0.1, 0.6)).astype(np.float64)
        else:
            errors = np.round(rng.random(rows) * (rng.random(rows) < 0.6) * 8) / 8  # dyadic: exact sums
        alpha = float(rng.choice([0.5, 0.8, 0.9, 0.95, 0.99]))
        k = int(rng.choice([1, 3, 5, 10, 20]))
        max_l = int(rng.integers(1, features + 1))
        min_sup = int(rng.integers(1, max(2, rows // 4)))
        cases.append(case(f"random_{seed}", X, errors, alpha, k, max_l, min_sup))
    return cases


# --- Adult with Faultline's bins --------------------------------------------------------------------

def adult_case(timing_runs):
    frame = pd.read_csv(ADULT)
    errors = (frame["pred"] != frame["label"]).astype(np.float64).to_numpy()
    features = [c for c in frame.columns if c not in ("label", "pred", "score")]
    X = np.zeros((len(frame), len(features)), dtype=np.int64)
    bins = []
    for j, name in enumerate(features):
        x = frame[name]
        missing = x.isna().to_numpy()
        numeric = pd.api.types.is_numeric_dtype(x)
        if numeric and x.dropna().nunique() > 10:
            edges = qcut_edges(x, 10)
            inner = edges[1:-1]
            codes = np.searchsorted(inner, x.to_numpy(dtype=np.float64), side="left")
            domain = len(edges) - 1
            labels = [f"({edges[i]!r}, {edges[i + 1]!r}]" for i in range(domain)]
        else:
            texts = [value_text(v) for v in x.dropna()]
            categories = sorted(set(texts))
            index = {t: i for i, t in enumerate(categories)}
            codes = np.array([index[value_text(v)] if not m else 0 for v, m in zip(x, missing)])
            domain = len(categories)
            labels = categories
        if missing.any():
            codes = np.where(missing, domain, codes)
            labels = labels + ["(missing)"]
            domain += 1
        X[:, j] = codes
        counts = np.bincount(codes, minlength=domain)
        bins.append({"feature": name, "labels": labels, "counts": [int(c) for c in counts]})
    min_sup = math.ceil(len(frame) * 0.01)
    result = case("adult", X, errors, 0.95, 10, 3, min_sup, {"bins": bins}, timing_runs)
    # Codes of a feature with empty bins are not contiguous in the package's one-hot order; map back to
    # Faultline's codes (the bin index) so the Swift test can compare predicates directly.
    for sl in result["top"]:
        sl["predicates"] = [[f, int(sorted(set(X[:, f]))[c])] for f, c in sl["predicates"]]
    del result["columns"], result["values"], result["errors"]  # the Swift test bins the CSV itself
    return result


def build(timing_runs):
    import sliceline

    try:
        import numba

        numba_version = numba.__version__
    except ImportError:
        numba_version = None
    return {
        "generator": "scripts/make_sliceline_fixtures.py",
        "sliceline_version": getattr(sliceline, "__version__", "unknown"),
        "numba_version": numba_version,
        "numpy_version": np.__version__,
        "cases": systemds_cases() + package_cases() + random_cases() + [adult_case(timing_runs)],
    }


def comparable(document):
    """The document without what may differ between runs (timings, versions)."""
    clean = json.loads(json.dumps(document))
    for key in ("sliceline_version", "numba_version", "numpy_version"):
        clean.pop(key, None)
    for item in clean["cases"]:
        item.pop("package_fit_seconds_median_of_3", None)
    return clean


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed fixture, write nothing")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write (default: the fixture)")
    parser.add_argument("--timing-runs", type=int, default=3, help="timed fits of the Adult case (0: none)")
    args = parser.parse_args()
    document = build(timing_runs=0 if args.check else args.timing_runs)
    if args.check:
        committed = json.loads(args.output.read_text())
        if comparable(committed) != comparable(document):
            for old, new in zip(comparable(committed)["cases"], comparable(document)["cases"]):
                if old != new:
                    print(f"sliceline reference changed: case {old['name']}", file=sys.stderr)
            sys.exit(1)
        print(f"{len(document['cases'])} sliceline reference cases reproduced")
        return
    args.output.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    print(f"wrote {args.output}: {len(document['cases'])} cases")


if __name__ == "__main__":
    main()
