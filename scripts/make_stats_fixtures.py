#!/usr/bin/env python3
"""Write Tests/StatsTests/Fixtures/scipy_reference.json, the reference values for the Stats module's tests.

Usage (from the repository root, Python 3.11 with scipy and numpy):

    python3 scripts/make_stats_fixtures.py

The output is deterministic: every input is listed below or drawn from a seeded numpy ``RandomState`` (whose stream
is frozen across numpy versions), keys are sorted, and floats are written with Python's shortest round-trip ``repr``.
Re-running with the same scipy/numpy versions reproduces the file byte for byte.

Sources of the reference values:

* ``scipy.special.gammaln``, ``scipy.special.gammainc`` / ``gammaincc``, ``scipy.stats.norm`` (``cdf``, ``sf``,
  ``ppf``), ``scipy.stats.chi2.sf``, ``scipy.stats.hypergeom.logpmf``, ``scipy.stats.fisher_exact``
  (``alternative="two-sided"``) and ``scipy.stats.chi2_contingency`` (``correction=False``).
* ``log n!`` and ``log C(n, k)`` come from Python's exact integers (``math.factorial``, ``math.comb``), rounded once
  by ``math.log``; the hypergeometric cases also carry an ``exact`` log-probability from exact integers, because
  scipy's betaln-based ``hypergeom.logpmf`` is only good to ~1e-10 absolute for large populations.
* statsmodels is NOT installed here and is not relied upon. Three of its formulas are re-implemented in a few lines
  below, following statsmodels' source (``stats/proportion.py``, ``stats/multitest.py``):
  - ``proportion_confint(method="wilson")`` -> ``wilson()``;
  - ``proportions_ztest`` for two samples with the pooled variance (``value=0``, ``prop_var=False``) -> ``ztest()``;
  - ``multipletests(method="fdr_bh")[1]`` -> ``benjamini_hochberg()`` (NaN-free inputs only).
* The slice-versus-complement comparison (``compare``) applies the documented rule of thumb: Fisher's exact test when
  any expected cell count of the 2x2 table is below 5, otherwise the pooled z-test.
"""

from __future__ import annotations

import json
import math
import pathlib

import numpy as np
import scipy
from scipy import special, stats

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "Tests" / "StatsTests" / "Fixtures" / "scipy_reference.json"

SEED = 20240601
EXPECTED_COUNT_THRESHOLD = 5.0


def f(value) -> float:
    """A plain Python float (numpy scalars are not JSON-serialisable)."""
    return float(value)


# MARK: - Special functions


def gammaln_cases() -> list[dict]:
    xs = [1e-300, 1e-10, 1e-5, 0.01, 0.1, 0.25, 0.4999, 0.5, 0.75, 0.9, 0.99, 0.9999, 1.0, 1.0001, 1.01, 1.1,
          1.25, 1.4616321449683622, 1.5, 1.75, 1.99, 1.9999, 2.0, 2.0001, 2.01, 2.25, 2.5, 3.0, 3.5, 4.75, 7.5,
          9.99, 10.0, 10.01, 12.5, 20.0, 33.3, 50.25, 100.0, 170.5, 1000.0, 12345.678, 1e6, 1e10, 1e15, 1e300]
    return [{"x": x, "value": f(special.gammaln(x))} for x in xs]


def log_factorial_cases() -> list[dict]:
    ns = [0, 1, 2, 3, 5, 10, 15, 16, 20, 50, 100, 170, 171, 1000, 10000, 48842, 100000]
    return [{"n": n, "value": math.log(math.factorial(n))} for n in ns]


def log_choose_cases() -> list[dict]:
    pairs = [(0, 0), (5, 0), (5, 5), (5, 2), (10, 3), (16, 8), (50, 25), (100, 1), (100, 50), (1000, 3),
             (1000, 999), (6100, 600), (48842, 6100), (48842, 24421), (1000000, 1), (1000000, 500000)]
    return [{"n": n, "k": k, "value": math.log(math.comb(n, k))} for n, k in pairs]


NORMAL_ZS = [-38.0, -37.5, -30.0, -20.0, -10.0, -8.2924, -8.0, -5.657, -5.0, -3.0, -1.96, -1.0, -0.6744897,
             -0.5, -1e-10, 0.0, 1e-10, 0.5, 0.67, 0.7, 1.0, 1.96, 2.5, 3.0, 5.0, 5.66, 6.0, 8.0, 8.3, 10.0, 20.0,
             30.0, 37.0, 38.0]

NORMAL_PS = [1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-10, 1.3e-11, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.075, 0.1,
             0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.925, 0.95, 0.975, 0.99, 0.999, 0.99999, 1 - 1e-10, 1 - 1e-15]


def normal_cases() -> dict:
    return {
        "normal_cdf": [{"z": z, "value": f(stats.norm.cdf(z))} for z in NORMAL_ZS],
        "normal_sf": [{"z": z, "value": f(stats.norm.sf(z))} for z in NORMAL_ZS],
        "normal_ppf": [{"p": p, "value": f(stats.norm.ppf(p))} for p in NORMAL_PS],
    }


def gammainc_cases() -> list[dict]:
    cases = []
    for a in [0.01, 0.1, 0.5, 1.0, 1.5, 2.0, 5.0, 10.0, 50.25, 100.0, 1000.0, 100000.0]:
        for factor in [0.01, 0.5, 0.9, 1.0, 1.1, 2.0, 5.0, 10.0]:
            cases.append((a, a * factor))
        cases.append((a, a + 1.0))
    cases += [(0.5, 30.0), (1.0, 700.0), (3.0, 1e-3), (20.0, 0.5)]
    return [{"a": a, "x": x, "p": f(special.gammainc(a, x)), "q": f(special.gammaincc(a, x))} for a, x in cases]


def chi2_sf_cases() -> list[dict]:
    cases = []
    for dof in [1.0, 2.0, 3.0, 10.0, 100.5, 1000.0]:
        for x in [0.001, 0.1, 1.0, 3.841458820694124, 10.0, 50.0, 100.0, 500.0, 1000.0, 1400.0]:
            cases.append({"x": x, "dof": dof, "value": f(stats.chi2.sf(x, dof))})
    return cases


def hypergeom_cases() -> list[dict]:
    # (k, population, successes, draws), scipy's hypergeom(M=population, n=successes, N=draws).
    params = [(0, 10, 5, 3), (1, 10, 5, 3), (3, 10, 5, 3), (2, 20, 7, 12), (0, 1, 0, 0), (0, 5, 0, 3),
              (3, 5, 5, 3), (5, 30, 10, 10), (10, 30, 10, 10), (600, 48842, 6100, 6200), (770, 48842, 6100, 6200),
              (0, 48842, 6100, 6200), (1200, 48842, 6100, 6200), (37, 1000, 80, 500), (1, 100000, 3, 20000)]
    return [{"k": k, "population": m, "successes": n, "draws": d, "value": f(stats.hypergeom.logpmf(k, m, n, d)),
             "exact": exact_log_hypergeom(k, m, n, d)} for k, m, n, d in params]


def exact_log_hypergeom(k: int, population: int, successes: int, draws: int) -> float:
    """log P(K = k) from exact integers: C(n, k) C(M-n, N-k) / C(M, N), scaled by 2**shift into ~61 bits before one
    rounding, so the only errors are math.log's and shift*log(2)'s (~1 ulp of the result)."""
    numerator = math.comb(successes, k) * math.comb(population - successes, draws - k)
    denominator = math.comb(population, draws)
    shift = 61 - (numerator.bit_length() - denominator.bit_length())
    if shift >= 0:
        scaled = (numerator << shift) // denominator
    else:
        scaled = numerator // (denominator << -shift)
    return math.log(scaled) - shift * math.log(2)


# MARK: - Two-sample tests


def fisher_tables(rng: np.random.RandomState) -> list[list[list[int]]]:
    tables = [
        [[8, 2], [1, 5]], [[6, 2], [1, 4]], [[1, 9], [11, 3]], [[3, 5], [5, 3]], [[10, 10], [10, 10]],
        [[0, 0], [5, 5]], [[0, 5], [0, 5]], [[0, 5], [5, 0]], [[5, 0], [0, 5]], [[0, 10], [3, 7]],
        [[1, 0], [0, 1]], [[1, 1], [1, 1]], [[2, 7], [8, 2]], [[0, 1], [1, 0]], [[12, 5], [2, 20]],
        [[1, 99], [10, 90]], [[0, 100], [20, 80]], [[50, 1], [1, 50]], [[3, 1], [1, 3]], [[4, 0], [0, 4]],
        [[600, 5500], [5600, 37142]], [[1, 6099], [6100, 36642]], [[40, 6060], [2000, 40742]],
        [[5, 45], [1800, 46992]], [[0, 50], [1800, 46992]], [[12, 38], [1800, 46992]],
        [[200, 100], [300, 150]], [[1000, 1000], [1000, 1000]], [[7, 2000], [9, 3000]],
    ]
    while len(tables) < 40:
        n1 = int(rng.randint(1, 300))
        n2 = int(rng.randint(1, 3000))
        p1 = float(rng.uniform(0.0, 0.3))
        p2 = float(rng.uniform(0.0, 0.3))
        a = int(rng.binomial(n1, p1))
        c = int(rng.binomial(n2, p2))
        tables.append([[a, n1 - a], [c, n2 - c]])
    return tables


def fisher_cases(rng: np.random.RandomState) -> list[dict]:
    cases = []
    for table in fisher_tables(rng):
        result = stats.fisher_exact(table, alternative="two-sided")
        odds = f(result.statistic)
        cases.append({"table": table, "pvalue": f(result.pvalue), "odds_ratio": odds if math.isfinite(odds) else None})
    return cases


def ztest(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """statsmodels.stats.proportion.proportions_ztest([x1, x2], [n1, n2]) (pooled variance, value=0)."""
    count = np.asarray([x1, x2], dtype=float)
    nobs = np.asarray([n1, n2], dtype=float)
    prop = count / nobs
    diff = prop[0] - prop[1]
    p_pooled = np.sum(count) * 1.0 / np.sum(nobs)
    nobs_fact = np.sum(1.0 / nobs)
    var_ = p_pooled * (1 - p_pooled) * nobs_fact
    zstat = diff / np.sqrt(var_)
    return f(zstat), f(2 * stats.norm.sf(np.abs(zstat)))


ZTEST_INPUTS = [(10, 100, 20, 100), (20, 100, 10, 100), (50, 100, 50, 100), (1, 10, 9, 10), (600, 6100, 5600, 42742),
                (123, 4567, 890, 12345), (5, 50, 40, 60), (30, 31, 2, 40), (499, 1000, 501, 1000),
                (1000, 2000, 1100, 2000), (7, 20, 60, 90), (2500, 5000, 2400, 5000)]


def ztest_cases() -> list[dict]:
    cases = []
    for x1, n1, x2, n2 in ZTEST_INPUTS:
        z, p = ztest(x1, n1, x2, n2)
        cases.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "z": z, "pvalue": p})
    return cases


def compare_cases() -> list[dict]:
    inputs = [(1, 10, 30, 100), (5, 10, 50, 100), (0, 3, 400, 1000), (2, 60, 100, 48782), (40, 6100, 2000, 42742),
              (600, 6100, 5600, 42742), (10, 100, 20, 100), (3, 7, 4, 8), (45, 50, 49, 50), (50, 50, 50, 50),
              (0, 50, 0, 70), (12, 50, 1800, 48792), (100, 200, 95, 210)]
    cases = []
    for x1, n1, x2, n2 in inputs:
        total = n1 + n2
        successes = x1 + x2
        failures = total - successes
        expected = [n1 * successes / total, n1 * failures / total, n2 * successes / total, n2 * failures / total]
        if min(expected) < EXPECTED_COUNT_THRESHOLD:
            result = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]], alternative="two-sided")
            cases.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "method": "fisher", "pvalue": f(result.pvalue)})
        else:
            _, p = ztest(x1, n1, x2, n2)
            cases.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "method": "z", "pvalue": p})
    return cases


def chi2_homogeneity_cases(rng: np.random.RandomState) -> list[dict]:
    inputs = [
        ([10, 20, 30], [100, 100, 100]),
        ([5, 5], [50, 50]),
        ([1, 2, 3, 40], [10, 20, 30, 50]),
        ([0, 7, 3], [0, 20, 30]),               # the 0-trial row is dropped
        ([600, 5600], [6100, 42742]),
        ([12, 0, 9, 30, 2], [100, 40, 60, 120, 10]),
    ]
    for _ in range(4):
        k = int(rng.randint(2, 12))
        trials = [int(t) for t in rng.randint(1, 2000, size=k)]
        successes = [int(rng.binomial(t, 0.2)) for t in trials]
        inputs.append((successes, trials))
    cases = []
    for successes, trials in inputs:
        rows = [[s, t - s] for s, t in zip(successes, trials) if t > 0]
        statistic, pvalue, dof, _ = stats.chi2_contingency(np.asarray(rows), correction=False)
        cases.append({"successes": successes, "trials": trials, "statistic": f(statistic), "dof": int(dof),
                      "pvalue": f(pvalue)})
    return cases


# MARK: - Intervals and multiple testing


def wilson(count: int, nobs: int, alpha: float) -> tuple[float, float]:
    """statsmodels.stats.proportion.proportion_confint(count, nobs, alpha, method="wilson")."""
    crit = stats.norm.isf(alpha / 2.0)
    q_ = count * 1.0 / nobs
    crit2 = crit**2
    denom = 1 + crit2 / nobs
    center = (q_ + crit2 / (2 * nobs)) / denom
    dist = crit * np.sqrt(q_ * (1.0 - q_) / nobs + crit2 / (4.0 * nobs**2))
    dist /= denom
    return f(center - dist), f(center + dist)


def wilson_cases() -> list[dict]:
    inputs = [(0, 10), (10, 10), (1, 10), (5, 10), (0, 1), (1, 1), (37, 1000), (600, 6100), (12, 48842),
              (24421, 48842), (3, 7), (999, 1000)]
    cases = []
    for confidence in [0.9, 0.95, 0.99, 0.999]:
        for x, n in inputs:
            low, high = wilson(x, n, 1.0 - confidence)
            cases.append({"successes": x, "trials": n, "confidence": confidence, "low": low, "high": high})
    return cases


def benjamini_hochberg(pvals: list[float]) -> list[float]:
    """statsmodels.stats.multitest.multipletests(pvals, method="fdr_bh")[1]."""
    pvals = np.asarray(pvals, dtype=float)
    sortind = np.argsort(pvals)
    pvals_sorted = np.take(pvals, sortind)
    nobs = len(pvals_sorted)
    ecdffactor = np.arange(1, nobs + 1) / float(nobs)
    corrected_raw = pvals_sorted / ecdffactor
    corrected = np.minimum.accumulate(corrected_raw[::-1])[::-1]
    corrected[corrected > 1] = 1
    result = np.empty_like(corrected)
    result[sortind] = corrected
    return [f(q) for q in result]


def bh_cases(rng: np.random.RandomState) -> list[dict]:
    vectors = [
        [0.01],
        [0.01, 0.02, 0.03, 0.04, 0.05],
        [0.05, 0.04, 0.03, 0.02, 0.01],
        [0.01, 0.01, 0.01, 0.5, 0.5],                     # ties
        [0.2, 0.001, 0.2, 0.04, 0.04, 0.9, 1.0, 0.0],     # ties, 0 and 1
        [0.9, 0.95, 0.99, 0.999],                         # everything capped near 1
        [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251, 0.269, 0.275,
         0.34, 0.341, 0.384, 0.569, 0.594, 0.696, 0.762, 0.94, 0.942, 0.975, 0.986],
    ]
    for size in [10, 100, 1000]:
        draws = rng.uniform(0.0, 1.0, size=size) ** 3     # skew toward small p-values
        vectors.append([f(v) for v in draws])
    return [{"pvalues": v, "qvalues": benjamini_hochberg(v)} for v in vectors]


def main() -> None:
    rng = np.random.RandomState(SEED)
    fixture = {
        "generator": "scripts/make_stats_fixtures.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
        "gammaln": gammaln_cases(),
        "log_factorial": log_factorial_cases(),
        "log_choose": log_choose_cases(),
        **normal_cases(),
        "gammainc": gammainc_cases(),
        "chi2_sf": chi2_sf_cases(),
        "hypergeom_logpmf": hypergeom_cases(),
        "fisher_exact": fisher_cases(rng),
        "ztest": ztest_cases(),
        "compare": compare_cases(),
        "chi2_homogeneity": chi2_homogeneity_cases(rng),
        "wilson": wilson_cases(),
        "benjamini_hochberg": bh_cases(rng),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(fixture, sort_keys=True, indent=1, allow_nan=False) + "\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
