#!/usr/bin/python3
"""Reference values for SelfLearning.Statistics, from SciPy 1.10.1 and statsmodels 0.13.5.

Run with Debian's python from the repository root or anywhere:
    /usr/bin/python3 tests/SelfLearning.Core.Tests/Reference/generate_statistics.py
Writes statistics.json beside this script. The C# tests read that file; CI never runs Python.
"""
import json
import os

import numpy as np
import scipy
import scipy.special
import statsmodels
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportions_ztest

rng = np.random.default_rng(20240517)
ALTERNATIVES = {"TwoSided": ("two-sided", "two-sided"), "Less": ("smaller", "less"), "Greater": ("larger", "greater")}


def z_tests():
    cases = []
    shapes = [(45, 100, 30, 100), (1, 20, 0, 25), (480, 1000, 520, 1000), (9_000, 10_000, 8_700, 10_000),
              (3, 7, 6, 9), (120, 130_000, 220, 130_000), (0, 5, 5, 5)]
    for sa, na, sb, nb in shapes:
        for name, (sm, _) in ALTERNATIVES.items():
            z, p = proportions_ztest([sa, sb], [na, nb], value=0, alternative=sm)
            cases.append(dict(successesA=sa, trialsA=na, successesB=sb, trialsB=nb, alternative=name,
                              statistic=float(z), pValue=float(p)))
    return cases


def welch_tests():
    samples = [
        ("small-normal", rng.normal(0.0, 1.0, 8), rng.normal(0.8, 2.0, 11)),
        ("unequal-sizes", rng.normal(5.0, 0.5, 300), rng.normal(5.1, 3.0, 12)),
        ("heavy-tailed", rng.standard_t(2, 60), rng.standard_t(2, 45) + 0.3),
        ("far-apart", rng.normal(0.0, 1.0, 200), rng.normal(3.0, 1.0, 150)),
        ("integers-with-ties", rng.integers(0, 4, 40).astype(float), rng.integers(1, 4, 35).astype(float)),
    ]
    cases = []
    for label, a, b in samples:
        vn1, vn2 = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (len(a) - 1) + vn2 ** 2 / (len(b) - 1))
        case = dict(shape=label, a=a.tolist(), b=b.tolist(), degreesOfFreedom=float(df),
                    meanA=float(a.mean()), sdA=float(a.std(ddof=1)), meanB=float(b.mean()), sdB=float(b.std(ddof=1)),
                    results=[])
        for name, (_, sp) in ALTERNATIVES.items():
            r = stats.ttest_ind(a, b, equal_var=False, alternative=sp)
            ra = stats.ttest_ind_from_stats(a.mean(), a.std(ddof=1), len(a), b.mean(), b.std(ddof=1), len(b),
                                            equal_var=False, alternative=sp)
            case["results"].append(dict(alternative=name, statistic=float(r.statistic), pValue=float(r.pvalue),
                                        summaryStatistic=float(ra.statistic), summaryPValue=float(ra.pvalue)))
        cases.append(case)
    return cases


def chi_square_tests():
    cases = []
    shapes = [
        ([18, 22, 20, 40], [0.25, 0.25, 0.25, 0.25]),
        ([5, 0], [0.5, 0.5]),
        ([1000, 1200, 800], [0.3, 0.4, 0.3]),
        ([3, 1, 4, 1, 5, 9, 2, 6], [0.125] * 8),
        ([5000, 100], [0.5, 0.5]),
    ]
    counts = rng.multinomial(500, [0.1, 0.2, 0.3, 0.4])
    shapes.append((counts.tolist(), [0.1, 0.2, 0.3, 0.4]))
    for observed, shares in shapes:
        observed = np.asarray(observed)
        shares = np.asarray(shares, dtype=float)
        r = stats.chisquare(observed, shares * observed.sum())
        cases.append(dict(observed=observed.tolist(), shares=shares.tolist(), statistic=float(r.statistic),
                          pValue=float(r.pvalue), degreesOfFreedom=len(observed) - 1))
    return cases


def mcnemar_tests():
    cases = []
    for b, c in [(0, 0), (5, 5), (3, 12), (12, 3), (0, 7), (1, 0), (40, 61), (300, 420), (2000, 2600), (1, 1)]:
        for exact in (True, False):
            if not exact and b + c == 0:
                continue  # statsmodels returns NaN here; the C# tests state the documented (0, 1) directly
            r = mcnemar([[0, b], [c, 0]], exact=exact, correction=True)
            cases.append(dict(b=b, c=c, exact=exact, statistic=float(r.statistic), pValue=float(r.pvalue)))
    return cases


def ks_tests():
    samples = [
        ("same-distribution", rng.normal(0, 1, 105), rng.normal(0, 1, 95)),
        ("shifted", rng.normal(0.5, 1, 400), rng.normal(0, 1, 300)),
        ("tiny", rng.normal(0, 1, 3), rng.normal(1, 1, 4)),
        ("ties", rng.integers(0, 6, 80).astype(float), rng.integers(0, 7, 90).astype(float)),
        ("scale", rng.normal(0, 1, 1200), rng.normal(0, 1.2, 900)),
        ("separated", rng.uniform(0, 1, 60), rng.uniform(2, 3, 70)),
        ("one-vs-many", np.array([0.3]), rng.uniform(0, 1, 50)),
        ("mild", rng.normal(0, 1, 2000), rng.normal(0.05, 1, 2000)),
    ]
    cases = []
    for label, a, b in samples:
        results = []
        for name, (_, sp) in ALTERNATIVES.items():
            r = stats.ks_2samp(a, b, alternative=sp, method="asymp")
            results.append(dict(alternative=name, statistic=float(r.statistic), pValue=float(r.pvalue)))
        cases.append(dict(shape=label, a=a.tolist(), b=b.tolist(), results=results))
    return cases


def kolmogorov_grid():
    """kstwo.sf(d, n) over points covering every region of the Simard-L'Ecuyer method selection
    (Ruben-Gambino ends, Durbin, Pomeranz, Pelz-Good, twice the one-sided tail) and their boundaries."""
    points = []
    for n in (1, 2, 5, 10, 50, 140):
        for d in (0.6 / n, 0.9 / n, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5, 0.7, 1 - 1.5 / n if n > 2 else 0.4):
            points.append((n, d))
    for n in (1, 2, 3, 10, 139, 140):
        for d in np.linspace(0.01, 0.99, 50):
            points.append((n, d))
    for n in (10, 140, 141, 1000, 1001):
        for nxx in (0.754, 0.755, 2.19, 2.21, 3.99, 4.01):
            points.append((n, np.sqrt(nxx / n)))
    for n in (141, 500, 1000, 1001, 5000, 99_999, 100_000, 100_001, 400_000, 1_000_000, 1_500_000, 2_000_000):
        for c in (0.3, 0.5, 0.7, 0.85, 1.0, 1.3, 1.6, 2.0, 3.0, 5.0, 10.0, 19.5):
            points.append((n, c / np.sqrt(n)))
        points.append((n, 0.8 / n))
        points.append((n, 0.6))
    grid = []
    for n, d in points:
        if not 0 < d < 1:
            continue
        grid.append(dict(n=int(n), d=float(d), survival=float(stats.kstwo.sf(d, n))))
    return grid


def smirnov_grid():
    grid = []
    for n in (1, 2, 3, 10, 140, 141, 250, 1012, 1013, 50_000, 999_999, 1_000_000, 1_000_001, 3_000_000):
        for x in (0.001, 0.01, 0.05, 0.2, 0.5, 0.9, 0.999):
            grid.append(dict(n=n, x=x, survival=float(scipy.special.smirnov(n, x))))
    return grid


def psi(expected, actual, bins, epsilon=1e-4):
    """PSI with quantile bins of the expected sample, as DriftStatistics documents it (no library has one)."""
    q = np.arange(1, bins) / bins
    edges = np.unique(np.quantile(expected, q))
    e = np.bincount(np.searchsorted(edges, expected, side="right"), minlength=len(edges) + 1) / len(expected)
    a = np.bincount(np.searchsorted(edges, actual, side="right"), minlength=len(edges) + 1) / len(actual)
    e = np.maximum(e, epsilon)
    a = np.maximum(a, epsilon)
    return float(np.sum((a - e) * np.log(a / e)))


def psi_cases():
    shapes = [
        ("stable", rng.normal(0, 1, 1000), rng.normal(0, 1, 800), 10),
        ("shifted", rng.normal(0, 1, 1000), rng.normal(0.5, 1, 800), 10),
        ("out-of-range", rng.uniform(0, 1, 500), rng.uniform(0.8, 2.0, 300), 5),
        ("ties", rng.integers(0, 3, 400).astype(float), rng.integers(0, 5, 300).astype(float), 10),
        ("exact-edges", np.arange(11, dtype=float), np.array([0.0, 1, 2, 2, 3, 5, 5, 5, 9, 10]), 5),
        ("scores", rng.beta(2, 5, 2000), rng.beta(2.5, 4, 1500), 20),
    ]
    return [dict(shape=s, expected=e.tolist(), actual=a.tolist(), bins=b, psi=psi(e, a, b)) for s, e, a, b in shapes]


def main():
    out = dict(
        versions=dict(scipy=scipy.__version__, statsmodels=statsmodels.__version__, numpy=np.__version__),
        twoProportionZ=z_tests(),
        welch=welch_tests(),
        chiSquare=chi_square_tests(),
        mcnemar=mcnemar_tests(),
        kolmogorovSmirnov=ks_tests(),
        kolmogorov=kolmogorov_grid(),
        smirnov=smirnov_grid(),
        populationStability=psi_cases(),
    )
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "statistics.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
