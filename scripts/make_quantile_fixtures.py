#!/usr/bin/env python3
"""Write Tests/KernelsTests/Fixtures/qcut_reference.json, the numpy/pandas reference for the Kernels quantile tests.

Usage (from the repository root, Python 3.11 with numpy 2.4 and pandas 3.1):

    python3 scripts/make_quantile_fixtures.py

What the fixture holds, all computed by numpy/pandas themselves (nothing is re-implemented here):

* ``probabilities``: for every bin count, the probabilities ``pandas.qcut(x, bins)`` hands to ``numpy.quantile``
  (``np.linspace(0, 1, bins + 1)`` with the entries where ``bins * p != i`` moved up by ``np.nextafter(p, 1)``),
  copied from ``pandas/core/reshape/tile.py`` (``qcut``) so ``Quantiles.qcutProbabilities`` can be checked directly.
* ``cases``: about 35 seeded arrays (sizes 1 to 4097; normal, lognormal, integers with many ties, zero-inflated,
  constant, rounded to 4 decimals, narrow and huge ranges, some with NaN). Each case has
  - ``values``: the array, NaN written as ``null``;
  - ``quantiles``: ``np.quantile(sorted non-NaN values, q)`` for the fixed ``quantile_q`` list plus a few seeded q's;
  - ``qcut``: for every bin count, ``pd.qcut(x, bins, duplicates="drop", retbins=True)`` edges (``[1]``) and
    ``.codes`` (``-1`` for NaN rows and, when fewer than two edges survive, for every row), and
    ``nudge_changes_edges``: whether plain ``linspace`` probabilities (without pandas' nextafter nudge) would give
    different edges, so a test can prove it notices a missing nudge.
* ``roundtrip``: tricky doubles with their IEEE-754 bit patterns, to check that the JSON decoder is exact.

The output is deterministic: inputs come from seeded ``numpy.random.RandomState`` streams (frozen across numpy
versions), keys are sorted, and floats are written with Python's shortest round-trip ``repr`` (json's default).
Re-running with the same numpy/pandas versions reproduces the file byte for byte. Integer data is cast to float64
before ``qcut`` because Faultline bins every numeric column as Double.
"""

from __future__ import annotations

import json
import math
import pathlib
import struct

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "Tests" / "KernelsTests" / "Fixtures" / "qcut_reference.json"

BINS = [2, 4, 5, 10, 20]
QUANTILE_Q = [
    0.0, 1e-12, 0.001, 0.1, 0.2, 0.25, 0.3, 1 / 3, 0.4, 0.5, 0.6, 2 / 3, 0.7, 0.75, 0.8, 0.9, 0.95, 0.99, 0.999,
    1 - 1e-12, 1.0, 0.1 + 0.2, float(np.nextafter(0.7, 1.0)), float(np.nextafter(0.5, 0.0)),
]
RANDOM_Q_PER_CASE = 6
MAX_BYTES = 1_000_000


def qcut_probabilities(bins: int) -> np.ndarray:
    """The probabilities of pandas 3.1 ``qcut`` for an integer ``q`` (tile.py, verbatim)."""
    quantiles = np.linspace(0, 1, bins + 1)
    np.putmask(quantiles, bins * quantiles != np.arange(bins + 1), np.nextafter(quantiles, 1))
    return quantiles


def floats(array) -> list:
    """Plain Python floats (``None`` for NaN) so json writes them with repr."""
    return [None if math.isnan(v) else float(v) for v in np.asarray(array, dtype=np.float64)]


def with_nans(rs: np.random.RandomState, x: np.ndarray, fraction: float) -> np.ndarray:
    x = x.copy()
    x[rs.random_sample(x.size) < fraction] = np.nan
    return x


def make_inputs() -> list[tuple[str, np.ndarray, int]]:
    """(name, values, seed) for every case; each case draws from its own RandomState."""
    cases: list[tuple[str, np.ndarray, int]] = []

    def add(name: str, seed: int, make) -> None:
        rs = np.random.RandomState(seed)
        cases.append((name, np.asarray(make(rs), dtype=np.float64), seed))

    for index, n in enumerate([1, 2, 3, 10, 11, 101, 1000, 4097]):
        add(f"normal_{n}", 100 + index, lambda rs, n=n: rs.standard_normal(n))
    for index, n in enumerate([11, 101, 1000]):
        add(f"lognormal_{n}", 200 + index, lambda rs, n=n: rs.lognormal(0.0, 1.5, n))
    add("negative_lognormal_1000", 210, lambda rs: -rs.lognormal(2.0, 1.0, 1000))
    for index, n in enumerate([10, 101, 1000, 4097]):
        add(f"integers_ties_0_5_{n}", 300 + index, lambda rs, n=n: rs.randint(0, 6, n))
    add("integers_ties_0_50_1000", 310, lambda rs: rs.randint(0, 51, 1000))
    add("two_values_1000", 311, lambda rs: rs.randint(0, 2, 1000) * 2.5 - 1.0)
    for index, n in enumerate([11, 101, 1000]):
        add(f"zero_inflated_{n}", 400 + index,
            lambda rs, n=n: np.where(rs.random_sample(n) < 0.7, 0.0, rs.exponential(3.0, n)))
    for index, n in enumerate([1, 10, 101]):
        add(f"constant_{n}", 500 + index, lambda rs, n=n: np.full(n, 3.7))
    for index, n in enumerate([101, 1000, 4097]):
        add(f"rounded4_{n}", 600 + index, lambda rs, n=n: np.round(rs.standard_normal(n) * 10.0, 4))
    add("narrow_range_1000", 700, lambda rs: 1.0 + 1e-13 * rs.standard_normal(1000))
    add("huge_magnitude_1000", 701, lambda rs: 1e15 + 1e12 * rs.standard_normal(1000))
    add("uniform_1000", 702, lambda rs: rs.random_sample(1000))
    add("nan_normal_101", 800, lambda rs: with_nans(rs, rs.standard_normal(101), 0.1))
    add("nan_integers_1000", 801, lambda rs: with_nans(rs, rs.randint(0, 8, 1000).astype(np.float64), 0.2))
    add("nan_rounded4_1000", 802, lambda rs: with_nans(rs, np.round(rs.standard_normal(1000), 4), 0.05))
    add("nan_single_value_5", 803, lambda rs: np.array([np.nan, 2.0, np.nan, np.nan, np.nan]))
    return cases


def qcut_entry(x: np.ndarray, bins: int) -> dict:
    categorical, edges = pd.qcut(x, bins, duplicates="drop", retbins=True)
    codes = np.asarray(categorical.codes, dtype=np.int64)
    finite = np.sort(x[~np.isnan(x)])
    plain = np.unique(np.quantile(finite, np.linspace(0, 1, bins + 1)))
    nudged = np.unique(np.quantile(finite, qcut_probabilities(bins)))
    # Sanity: pandas' edges are numpy's quantiles at the nudged probabilities, duplicates dropped.
    assert nudged.tobytes() == np.asarray(edges, dtype=np.float64).tobytes(), (bins, nudged, edges)
    return {
        "bins": bins,
        "edges": floats(edges),
        "codes": [int(c) for c in codes],
        "nudge_changes_edges": bool(plain.shape != nudged.shape or plain.tobytes() != nudged.tobytes()),
    }


def case_entry(name: str, x: np.ndarray, seed: int) -> dict:
    finite = np.sort(x[~np.isnan(x)])
    rs = np.random.RandomState(seed + 10_000)
    qs = QUANTILE_Q + [float(q) for q in rs.random_sample(RANDOM_Q_PER_CASE)]
    quantiles = np.quantile(finite, np.asarray(qs))
    for q, value in zip(qs, quantiles):  # the vectorised call equals the scalar one, bit for bit
        assert np.float64(np.quantile(finite, q)).tobytes() == np.float64(value).tobytes()
    return {
        "name": name,
        "values": floats(x),
        "quantiles": [{"q": q, "value": float(v)} for q, v in zip(qs, quantiles)],
        "qcut": [qcut_entry(x, bins) for bins in BINS],
    }


def roundtrip_entries() -> list[dict]:
    values = [0.1, 1 / 3, 2 / 3, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.30000000000000004,
              float(np.nextafter(0.7, 1.0)), -1.0000000000000002, 123456789.12345679, 1e-300, 9007199254740993.0]
    return [{"value": v, "bits": format(struct.unpack("<Q", struct.pack("<d", v))[0], "016x")} for v in values]


def main() -> None:
    cases = [case_entry(name, x, seed) for name, x, seed in make_inputs()]
    nudged = [c["name"] for c in cases for e in c["qcut"] if e["nudge_changes_edges"] and e["bins"] == 10]
    assert "normal_4097" in nudged or "normal_1000" in nudged, f"no continuous 10-bin case needs the nudge: {nudged}"
    document = {
        "generator": {"numpy": np.__version__, "pandas": pd.__version__, "script": "scripts/make_quantile_fixtures.py"},
        "bins": BINS,
        "probabilities": [{"bins": b, "values": floats(qcut_probabilities(b))} for b in [1, 2, 3, 4, 5, 6, 7, 10,
                                                                                           20, 49, 100]],
        "quantile_q": QUANTILE_Q,
        "cases": cases,
        "roundtrip": roundtrip_entries(),
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), allow_nan=False) + "\n"
    assert len(text.encode()) < MAX_BYTES, f"fixture too large: {len(text)} bytes"
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(cases)} cases, {len(text)} bytes; 10-bin nudge cases: {nudged}")


if __name__ == "__main__":
    main()
