#!/usr/bin/env python3
"""Write the reference values for the "when and under what conditions" computations:

* ``Tests/StatsTests/Fixtures/conditions_reference.json``: logistic regression (plain and L2-penalised), the
  Cochran-Armitage trend test, the binomial change-point likelihood ratio, association measures (mutual information,
  Cramer's V, point-biserial correlation, ROC AUC with the Mann-Whitney test), the regularized incomplete beta and
  Student t survival functions;
* ``Tests/SliceSearchTests/Fixtures/conditions_slices.json``: a generated dump (codes per feature, raw values, time
  buckets, failures) with the joint model, the per-feature associations and the time analysis expected on it.

Usage (from the repository root, Python 3.11):

    pip install numpy scipy statsmodels
    python3 scripts/make_conditions_fixtures.py

Versions used for the committed files are recorded in them (``versions``). The output is deterministic: inputs come
from seeded numpy ``RandomState`` streams (frozen across numpy versions), keys are sorted and floats are written with
Python's shortest round-trip ``repr``.

Sources of the reference values (no scikit-learn):

* Logistic regression: statsmodels ``GLM(family=Binomial())`` (``fit(tol=1e-14)``) for lambda = 0, and statsmodels'
  penalised GLM (``PenalizedMixin`` + ``GLM`` with ``penal=L2(weights=[0, 1, ..., 1])``, ``pen_weight = lambda/2``,
  ``fit(method="newton")``) for lambda > 0. That objective is ``loglike - (lambda/2) * sum(beta[1:]**2)``, exactly
  Faultline's; its ``bse`` are the square roots of the inverse penalised Hessian. Aggregated cells are given as a
  two-column ``[successes, failures]`` endog, which statsmodels treats as binomial counts. An independent numpy
  Newton iteration is run as well and must agree with statsmodels to 1e-9 (asserted here).
* Cochran-Armitage: statsmodels ``Table(table).test_ordinal_association(row_scores, col_scores=[0, 1])`` (the
  linear-by-linear test, conditional variance) and the binomial-variance form of R's ``prop.trend.test`` written out
  below; the two differ by the factor sqrt((N-1)/N), asserted here.
* Change-point G^2: ``scipy.stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")`` on the
  2x2 table (left/right x success/failure); the best split by brute force over the candidate positions.
* Mutual information: the G statistic of ``chi2_contingency(lambda_="log-likelihood")`` divided by 2N (nats).
  Cramer's V: ``scipy.stats.contingency.association(table, method="cramer")``; chi-square p: ``chi2_contingency``
  with ``correction=False``. Point-biserial: ``scipy.stats.pointbiserialr``. AUC: trapezoidal integration of the
  ROC curve built from the distinct thresholds (what sklearn's ``roc_auc_score`` does, written out in numpy);
  Mann-Whitney p: ``scipy.stats.mannwhitneyu(pos, neg, alternative="two-sided", method="asymptotic",
  use_continuity=True)``.
* Incomplete beta / t: ``scipy.special.betainc`` and ``scipy.stats.t.sf``.
"""

from __future__ import annotations

import json
import math
import pathlib

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import special, stats
from statsmodels.base import _penalties as penalties
from statsmodels.base._penalized import PenalizedMixin
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.stats.contingency_tables import Table

ROOT = pathlib.Path(__file__).resolve().parent.parent
STATS_OUTPUT = ROOT / "Tests" / "StatsTests" / "Fixtures" / "conditions_reference.json"
SLICES_OUTPUT = ROOT / "Tests" / "SliceSearchTests" / "Fixtures" / "conditions_slices.json"

SEED = 20260501


class GLMPenalized(PenalizedMixin, GLM):
    """statsmodels' penalised GLM (the class its own test-suite builds the same way)."""


def f(value) -> float:
    return float(value)


def floats(values) -> list[float]:
    return [float(v) for v in values]


def ints(values) -> list[int]:
    return [int(v) for v in values]


# MARK: - Logistic regression


def numpy_newton(x: np.ndarray, successes: np.ndarray, trials: np.ndarray, penalty: float):
    """Newton iteration for the penalised objective; x includes the intercept column."""
    beta = np.zeros(x.shape[1])
    beta[0] = math.log((successes.sum() + 0.5) / (trials.sum() - successes.sum() + 0.5))
    weights = np.full(x.shape[1], penalty)
    weights[0] = 0
    for _ in range(200):
        mu = special.expit(x @ beta)
        hessian = x.T @ (x * (trials * mu * (1 - mu))[:, None]) + np.diag(weights)
        gradient = x.T @ (successes - trials * mu) - weights * beta
        step = np.linalg.solve(hessian, gradient)
        beta = beta + step
        if np.max(np.abs(step)) < 1e-15:
            break
    mu = special.expit(x @ beta)
    hessian = x.T @ (x * (trials * mu * (1 - mu))[:, None]) + np.diag(weights)
    return beta, np.sqrt(np.diag(np.linalg.inv(hessian)))


def fit_reference(x_no_intercept: np.ndarray, successes: np.ndarray, trials: np.ndarray, penalty: float) -> dict:
    x = np.column_stack([np.ones(len(successes)), x_no_intercept])
    endog = np.column_stack([successes, trials - successes])
    if penalty == 0:
        result = sm.GLM(endog, x, family=sm.families.Binomial()).fit(tol=1e-14, maxiter=200)
    else:
        weights = np.ones(x.shape[1])
        weights[0] = 0
        model = GLMPenalized(
            endog, x, family=sm.families.Binomial(), penal=penalties.L2(weights=weights), pen_weight=penalty / 2)
        result = model.fit(method="newton", maxiter=200, tol=1e-14, disp=0)
    params = np.asarray(result.params)
    bse = np.asarray(result.bse)
    own_params, own_bse = numpy_newton(x, successes.astype(float), trials.astype(float), penalty)
    assert np.allclose(own_params, params, rtol=1e-9, atol=1e-11), (own_params, params)
    assert np.allclose(own_bse, bse, rtol=1e-9, atol=1e-11), (own_bse, bse)
    z = stats.norm.ppf(0.975)
    eta = x @ params
    loglike = float(np.sum(successes * eta - trials * np.logaddexp(0, eta)))
    return {
        "penalty": penalty,
        "params": floats(params),
        "bse": floats(bse),
        "or_low": floats(np.exp(params - z * bse)),
        "or_high": floats(np.exp(params + z * bse)),
        "pvalues": floats(2 * stats.norm.sf(np.abs(params / bse))),
        "loglike": loglike,
    }


def logistic_cases(rng: np.random.RandomState) -> list[dict]:
    cases = []
    # 1. Row-level 0/1 data, two continuous covariates and a binary one.
    n = 400
    x = np.column_stack([rng.normal(size=n), rng.uniform(-1, 1, size=n), rng.binomial(1, 0.3, size=n)])
    eta = -0.7 + 0.9 * x[:, 0] - 0.5 * x[:, 1] + 1.1 * x[:, 2]
    y = rng.binomial(1, special.expit(eta))
    for penalty in (0.0, 1.0, 10.0):
        case = {"name": f"rows_lambda_{penalty:g}", "rows": n, "columns": 3, "x": floats(x.ravel()),
                "successes": floats(y), "trials": floats(np.ones(n))}
        case.update(fit_reference(x, y, np.ones(n), penalty))
        cases.append(case)
    # 2. Aggregated one-hot cells (two features, 3 and 2 levels, references dropped) with binomial counts.
    cells = [(a, b) for a in range(3) for b in range(2)]
    design = np.array([[1.0 if a == 1 else 0, 1.0 if a == 2 else 0, 1.0 if b == 1 else 0] for a, b in cells])
    trials = rng.randint(20, 400, size=len(cells))
    probabilities = special.expit(-1.5 + design @ np.array([0.4, 1.2, -0.6]))
    successes = rng.binomial(trials, probabilities)
    for penalty in (0.0, 1.0):
        case = {"name": f"cells_lambda_{penalty:g}", "rows": len(cells), "columns": 3, "x": floats(design.ravel()),
                "successes": floats(successes), "trials": floats(trials)}
        case.update(fit_reference(design, successes, trials, penalty))
        cases.append(case)
    # 3. A cell with no successes (quasi-separation): only the penalised fit exists.
    trials = np.array([150, 120, 90, 60])
    successes = np.array([30, 0, 25, 12])
    design = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    case = {"name": "separated_lambda_1", "rows": 4, "columns": 3, "x": floats(design.ravel()),
            "successes": floats(successes), "trials": floats(trials)}
    case.update(fit_reference(design, successes, trials, 1.0))
    cases.append(case)
    return cases


# MARK: - Trend and change points


def cochran_armitage(successes: np.ndarray, trials: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """R's prop.trend.test, signed: the binomial-variance Cochran-Armitage z."""
    total = trials.sum()
    rate = successes.sum() / total
    mean_score = (trials * scores).sum() / total
    statistic = (successes * (scores - mean_score)).sum()
    variance = rate * (1 - rate) * (trials * (scores - mean_score) ** 2).sum()
    z = statistic / math.sqrt(variance)
    return z, 2 * stats.norm.sf(abs(z))


def trend_cases(rng: np.random.RandomState) -> list[dict]:
    cases = []
    specs = [
        (np.array([12, 15, 22, 30, 41]), np.array([100, 100, 100, 100, 100]), None),
        (np.array([5, 9, 4, 8, 6, 7]), np.array([50, 80, 45, 70, 60, 66]), None),
        (np.array([30, 20, 10]), np.array([200, 210, 190]), np.array([0.0, 1.5, 4.0])),
        (np.array([0, 2, 3, 9]), np.array([10, 25, 12, 30]), np.array([1.0, 2.0, 3.0, 5.0])),
    ]
    for _ in range(3):
        k = rng.randint(3, 12)
        trials = rng.randint(5, 300, size=k)
        successes = rng.binomial(trials, rng.uniform(0.05, 0.5))
        specs.append((successes, trials, None))
    for successes, trials, scores in specs:
        used = np.arange(len(trials), dtype=float) if scores is None else scores
        z, p = cochran_armitage(successes, trials, used)
        table = np.column_stack([successes, trials - successes])
        ordinal = Table(table, shift_zeros=False).test_ordinal_association(row_scores=used, col_scores=np.array([0.0, 1.0]))
        total = trials.sum()
        # statsmodels' statistic counts the *second* column (failures) at score 1, so its z has the opposite sign.
        assert math.isclose(-ordinal.zscore, z * math.sqrt((total - 1) / total), rel_tol=1e-10)
        cases.append({
            "successes": ints(successes), "trials": ints(trials),
            "scores": None if scores is None else floats(scores),
            "z": f(z), "pvalue": f(p), "statsmodels_z": f(-ordinal.zscore), "statsmodels_pvalue": f(ordinal.pvalue),
        })
    return cases


def g_squared(left: tuple[int, int], right: tuple[int, int]) -> float:
    table = np.array([[left[0], left[1] - left[0]], [right[0], right[1] - right[0]]])
    if (table.sum(axis=0) == 0).any():
        return 0.0
    statistic, _, _, _ = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
    return float(statistic)


def best_split(successes: np.ndarray, trials: np.ndarray, minimum: int) -> dict | None:
    total = trials.sum()
    best = None
    candidates = 0
    for index in range(1, len(trials)):
        left = int(trials[:index].sum())
        if trials[index] == 0 or left < minimum or total - left < minimum:
            continue
        candidates += 1
        statistic = g_squared((int(successes[:index].sum()), left),
                              (int(successes[index:].sum()), int(total - left)))
        if best is None or statistic > best[1]:
            best = (index, statistic)
    if best is None:
        return None
    return {"index": best[0], "statistic": best[1], "candidates": candidates,
            "pvalue": min(1.0, candidates * f(stats.chi2.sf(best[1], 1)))}


def change_point_cases(rng: np.random.RandomState) -> list[dict]:
    cases = []
    for shift, k in ((None, 30), (18, 30), (7, 12)):
        trials = rng.randint(0, 120, size=k)
        trials[rng.randint(0, k)] = 0
        rates = np.full(k, 0.1)
        if shift is not None:
            rates[shift:] = 0.25
        successes = rng.binomial(trials, rates)
        split = best_split(successes, trials, 30)
        cases.append({"successes": ints(successes), "trials": ints(trials), "minimum": 30, "best": split,
                      "total_trials": int(trials.sum())})
    return cases


# MARK: - Association


def roc_auc_trapezoid(scores: np.ndarray, labels: np.ndarray) -> float:
    """The ROC curve over distinct thresholds (descending), integrated with the trapezoid rule."""
    order = np.argsort(-scores, kind="mergesort")
    scores, labels = scores[order], labels[order]
    distinct = np.where(np.diff(scores))[0]
    ends = np.r_[distinct, len(scores) - 1]
    tps = np.cumsum(labels)[ends]
    fps = (ends + 1) - tps
    tpr = np.r_[0, tps] / labels.sum()
    fpr = np.r_[0, fps] / (len(labels) - labels.sum())
    return float(np.trapezoid(tpr, fpr))


def association_cases(rng: np.random.RandomState) -> dict:
    tables = []
    specs = [
        (np.array([10, 20, 30]), np.array([100, 100, 100])),
        (np.array([3, 0, 7, 12, 1]), np.array([40, 15, 60, 50, 9])),
        (np.array([200, 150]), np.array([1000, 1200])),
        (np.array([1, 2, 3, 4, 5, 6, 7, 8]), np.array([10, 11, 12, 13, 14, 15, 16, 17])),
    ]
    for successes, trials in specs:
        table = np.column_stack([successes, trials - successes])
        chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
        g, _, _, _ = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
        tables.append({
            "successes": ints(successes), "trials": ints(trials),
            "mutual_information": f(g) / (2 * trials.sum()),
            "cramers_v": f(stats.contingency.association(table, method="cramer", correction=False)),
            "chi2": f(chi2), "dof": int(dof), "pvalue": f(p),
        })
    numeric = []
    for n, kind in ((60, "continuous"), (500, "continuous"), (300, "ties"), (2000, "ties")):
        x = rng.normal(size=n) if kind == "continuous" else rng.randint(0, 6, size=n).astype(float)
        y = rng.binomial(1, special.expit(-0.5 + 0.6 * x))
        r, p = stats.pointbiserialr(y, x)
        positives, negatives = x[y == 1], x[y == 0]
        mw = stats.mannwhitneyu(positives, negatives, alternative="two-sided", method="asymptotic",
                                use_continuity=True)
        numeric.append({
            "values": floats(x), "outcome": ints(y), "r": f(r), "r_pvalue": f(p),
            "auc": roc_auc_trapezoid(x, y), "u": f(mw.statistic), "u_pvalue": f(mw.pvalue),
        })
    return {"tables": tables, "numeric": numeric}


def beta_cases() -> dict:
    incomplete = []
    for a in (0.5, 1.0, 2.5, 10.0, 150.0, 5e4):
        for b in (0.5, 1.0, 3.0, 40.0, 5e4):
            for x in (1e-6, 0.01, 0.2, 0.5, 0.7, 0.99, 0.999999):
                value = f(special.betainc(a, b, x))
                if value > 1e-280:
                    incomplete.append({"a": a, "b": b, "x": x, "value": value})
    t_sf = []
    for nu in (1.0, 2.0, 3.0, 10.0, 57.0, 1000.0, 1e5):
        for t in (-3.0, -0.5, 0.0, 1e-3, 0.5, 1.0, 2.0, 4.0, 10.0, 40.0):
            t_sf.append({"t": t, "df": nu, "value": f(stats.t.sf(t, nu))})
    return {"incomplete_beta": incomplete, "t_sf": t_sf}


# MARK: - SliceSearch dump


def largest_bin(codes: np.ndarray, bins: int) -> int:
    counts = np.bincount(codes, minlength=bins)
    return int(np.argmax(counts))  # the first maximum: ties go to the lowest code


def slice_dump(rng: np.random.RandomState) -> dict:
    n = 4000
    buckets = 20
    # Conditions: a (3 levels), b (4 levels), proxy (agrees with a == 2 in 85% of rows), x numeric.
    a = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    b = rng.choice(4, size=n, p=[0.4, 0.3, 0.2, 0.1])
    agree = rng.uniform(size=n) < 0.85
    proxy = np.where(agree, (a == 2).astype(int), 1 - (a == 2).astype(int))
    x = np.round(rng.normal(size=n) + 0.8 * (a == 2), 3)
    x_bins = np.digitize(x, np.quantile(x, [0.25, 0.5, 0.75]), right=True)
    # Time: bucket per row; the failure rate doubles from bucket 12 on, and b = 3 becomes more common then.
    bucket = np.sort(rng.randint(0, buckets, size=n))
    late = bucket >= 12
    b = np.where(late & (rng.uniform(size=n) < 0.15), 3, b)
    eta = -2.2 + 1.3 * (a == 2) + 0.6 * (b == 1) + 0.8 * late
    failure = rng.binomial(1, special.expit(eta))

    features = {"a": (a, 3), "b": (b, 4), "proxy": (proxy, 2), "x": (x_bins, 4)}
    # Joint model: one-hot of all bins but the largest per feature, in feature order then code order.
    columns = []
    names = []
    for name, (codes, count) in features.items():
        reference = largest_bin(codes, count)
        for code in range(count):
            if code == reference or not (codes == code).any():
                continue
            columns.append((codes == code).astype(float))
            names.append({"feature": name, "code": code})
    design_rows = np.column_stack(columns)
    keys: dict[tuple, list[int]] = {}
    order: list[tuple] = []
    for row in range(n):
        key = tuple(int(features[name][0][row]) for name in features)
        if key not in keys:
            keys[key] = [0, 0]
            order.append(key)
        keys[key][0] += int(failure[row])
        keys[key][1] += 1
    first_row = {}
    for row in range(n):
        key = tuple(int(features[name][0][row]) for name in features)
        first_row.setdefault(key, row)
    cell_x = np.array([design_rows[first_row[key]] for key in order])
    cell_successes = np.array([keys[key][0] for key in order])
    cell_trials = np.array([keys[key][1] for key in order])
    joint = {}
    for penalty in (0.0, 1.0):
        reference = fit_reference(cell_x, cell_successes, cell_trials, penalty)
        joint[f"lambda_{penalty:g}"] = reference
    joint["terms"] = names
    joint["cells"] = len(order)

    associations = []
    for name, (codes, count) in features.items():
        trials = np.bincount(codes, minlength=count)
        successes = np.bincount(codes, weights=failure, minlength=count).astype(int)
        table = np.column_stack([successes, trials - successes])[trials > 0]
        chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
        g, _, _, _ = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
        entry = {"feature": name, "mutual_information": f(g) / (2 * n), "chi2": f(chi2), "pvalue": f(p),
                 "cramers_v": f(stats.contingency.association(table, method="cramer", correction=False))}
        if name == "x":
            r, rp = stats.pointbiserialr(failure, x)
            entry.update({"r": f(r), "r_pvalue": f(rp), "auc": roc_auc_trapezoid(x, failure)})
        associations.append(entry)

    # Time: buckets, homogeneity on merged buckets, trend, best split, decomposition at the best split.
    bucket_trials = np.bincount(bucket, minlength=buckets)
    bucket_failures = np.bincount(bucket, weights=failure, minlength=buckets).astype(int)
    rate = bucket_failures.sum() / bucket_trials.sum()
    groups: list[list[int]] = []
    current = [0, 0]
    for t, s in zip(bucket_trials, bucket_failures):
        if t == 0:
            continue
        current = [current[0] + s, current[1] + t]
        if current[1] * rate >= 5 and current[1] * (1 - rate) >= 5:
            groups.append(current)
            current = [0, 0]
    if current[1] > 0:
        if groups:
            groups[-1] = [groups[-1][0] + current[0], groups[-1][1] + current[1]]
        else:
            groups.append(current)
    merged = np.array(groups)
    chi2, chi2_p, chi2_dof, _ = stats.chi2_contingency(
        np.column_stack([merged[:, 0], merged[:, 1] - merged[:, 0]]), correction=False)
    z, z_p = cochran_armitage(bucket_failures, bucket_trials, np.arange(buckets, dtype=float))
    split = best_split(bucket_failures, bucket_trials, 30)
    before = bucket < split["index"]
    decomposition = []
    for name, (codes, count) in features.items():
        def shares_rates(mask):
            trials = np.bincount(codes[mask], minlength=count).astype(float)
            fails = np.bincount(codes[mask], weights=failure[mask], minlength=count)
            with np.errstate(invalid="ignore", divide="ignore"):
                return trials / trials.sum(), fails / trials
        s1, r1 = shares_rates(before)
        s2, r2 = shares_rates(~before)
        r1 = np.where(np.isnan(r1), r2, r1)
        r2 = np.where(np.isnan(r2), r1, r2)
        mix = (s2 - s1) * (r1 + r2) / 2
        rate_part = (r2 - r1) * (s1 + s2) / 2
        decomposition.append({"feature": name, "mix": f(np.nansum(mix)), "rate": f(np.nansum(rate_part)),
                              "total": f(failure[~before].mean() - failure[before].mean()),
                              "bin_mix": floats(np.nan_to_num(mix)), "bin_rate": floats(np.nan_to_num(rate_part))})
    time = {
        "bucket_trials": ints(bucket_trials), "bucket_failures": ints(bucket_failures),
        "homogeneity": {"chi2": f(chi2), "dof": int(chi2_dof), "pvalue": f(chi2_p), "groups": len(groups)},
        "trend": {"z": f(z), "pvalue": f(z_p)},
        "best_split": split,
        "decomposition": decomposition,
    }
    return {
        "rows": n,
        "features": {name: ints(codes) for name, (codes, _) in features.items()},
        "bins": {name: count for name, (_, count) in features.items()},
        "x": floats(x),
        "bucket": ints(bucket),
        "buckets": buckets,
        "failure": ints(failure),
        "joint": joint,
        "associations": associations,
        "time": time,
    }


def versions() -> dict:
    return {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__}


def main() -> None:
    rng = np.random.RandomState(SEED)
    stats_reference = {
        "generator": "scripts/make_conditions_fixtures.py",
        "versions": versions(),
        "logistic": logistic_cases(rng),
        "trend": trend_cases(rng),
        "change_points": change_point_cases(rng),
        "association": association_cases(rng),
        "beta": beta_cases(),
    }
    slices_reference = {"generator": "scripts/make_conditions_fixtures.py", "versions": versions()}
    slices_reference.update(slice_dump(np.random.RandomState(SEED + 1)))
    for path, content in ((STATS_OUTPUT, stats_reference), (SLICES_OUTPUT, slices_reference)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, sort_keys=True, indent=1, allow_nan=False) + "\n")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
