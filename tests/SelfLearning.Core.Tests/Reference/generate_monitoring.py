#!/usr/bin/python3
"""Reference values for SelfLearning.Monitoring, from statsmodels 0.13.5.

Run with Debian's python from anywhere:
    /usr/bin/python3 tests/SelfLearning.Core.Tests/Reference/generate_monitoring.py
Writes monitoring.json beside this script. The C# tests read that file; CI never runs Python.

rollbackTests: the one-sided Wald test of AutoRollbackPolicy, H0: p_live - p_holdout >= -margin, as
statsmodels' test_proportions_2indep(live, n_live, holdout, n_holdout, value=-margin, method='wald',
compare='diff', alternative='smaller').
"""
import json
import os

import numpy as np
import statsmodels
from statsmodels.stats.proportion import test_proportions_2indep

rng = np.random.default_rng(20240601)


def rollback_tests():
    shapes = [
        # (live correct, live n, holdout correct, holdout n, margin)
        (170, 200, 900, 1000, 0.02),   # 85% live vs 90% holdout, small live sample
        (850, 1000, 900, 1000, 0.02),  # same shortfall, larger sample
        (880, 1000, 900, 1000, 0.02),  # exactly on the margin
        (895, 1000, 900, 1000, 0.02),  # within the margin
        (180, 200, 45, 50, 0.02),      # tiny holdout
        (1990, 2000, 990, 1000, 0.02), # near-perfect model
        (120, 200, 160, 200, 0.05),    # other margin
        (700, 1000, 800, 1000, 0.0),   # no margin
    ]
    for _ in range(6):
        n_live = int(rng.integers(200, 5000))
        n_hold = int(rng.integers(100, 3000))
        p_hold = float(rng.uniform(0.6, 0.98))
        p_live = p_hold - float(rng.uniform(-0.02, 0.08))
        shapes.append((int(rng.binomial(n_live, min(p_live, 1.0))), n_live, int(rng.binomial(n_hold, p_hold)), n_hold, 0.02))
    cases = []
    for live, n_live, hold, n_hold, margin in shapes:
        result = test_proportions_2indep(live, n_live, hold, n_hold, value=-margin, method='wald',
                                         compare='diff', alternative='smaller')
        cases.append(dict(liveCorrect=live, liveTotal=n_live, holdoutCorrect=hold, holdoutTotal=n_hold, margin=margin,
                          statistic=float(result.statistic), pValue=float(result.pvalue)))
    return cases


reference = dict(
    generator=os.path.basename(__file__),
    statsmodels=statsmodels.__version__,
    numpy=np.__version__,
    rollbackTests=rollback_tests(),
)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "monitoring.json"), "w") as f:
    json.dump(reference, f, indent=1)
    f.write("\n")
