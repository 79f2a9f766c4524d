#!/usr/bin/python3
"""Times scikit-learn's calibration_curve(n_bins=15) + brier_score_loss on the benchmark data.

    /usr/bin/python3 benchmarks/reference/time_sklearn_metrics.py
The C# side is MetricsBenchmarks.EceAndBrier on the same inputs (benchmark_data.py reproduces
BenchmarkData.Probabilities bit for bit). Prints the median of the timeit repeats, single-threaded.
"""
import os
import sys
import timeit

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sklearn.calibration import calibration_curve  # noqa: E402
from sklearn.metrics import brier_score_loss  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchmark_data import probabilities  # noqa: E402


def main():
    for n in (10_000, 1_000_000):
        p, y = probabilities(n)

        def pair():
            calibration_curve(y, p, n_bins=15)
            return brier_score_loss(y, p)

        number = 200 if n <= 10_000 else 3
        times = timeit.repeat(pair, number=number, repeat=7)
        median = float(np.median(times)) / number
        print(f"n={n:>9,}  calibration_curve + brier_score_loss: median {median * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
