#!/usr/bin/python3
"""Times scikit-learn 1.2.1's calibration on the inputs CalibrationBenchmarks uses.

Run from the repository root:  /usr/bin/python3 benchmarks/reference/time_sklearn_calibration.py
Prints a JSON object and a GitHub-markdown table: the median of several timeit repeats, in ms.
"""
import json
import os
import sys
import timeit

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchmark_data  # noqa: E402
from sklearn.calibration import _sigmoid_calibration  # noqa: E402
from sklearn.isotonic import IsotonicRegression  # noqa: E402

REPEATS = {10_000: 15, 1_000_000: 5}


def median_ms(fn, repeats):
    fn()  # warm-up
    return float(np.median(timeit.repeat(fn, number=1, repeat=repeats))) * 1e3


def main():
    results = {}
    for n, repeats in REPEATS.items():
        margins, margin_labels = benchmark_data.margins(n)
        probabilities, probability_labels = benchmark_data.probabilities(n)
        iso = IsotonicRegression(out_of_bounds="clip").fit(probabilities, probability_labels)
        results[n] = {
            "sigmoid_calibration_ms": median_ms(lambda: _sigmoid_calibration(margins, margin_labels), repeats),
            "isotonic_fit_ms": median_ms(
                lambda: IsotonicRegression(out_of_bounds="clip").fit(probabilities, probability_labels), repeats),
            "isotonic_predict_ms": median_ms(lambda: iso.predict(probabilities), repeats),
        }
    print(json.dumps(results, indent=2))
    print()
    print("| operation | N | scikit-learn 1.2.1 median (ms) |")
    print("| --- | ---: | ---: |")
    for n, r in results.items():
        for key, value in r.items():
            print(f"| {key[:-3]} | {n:,} | {value:.3f} |")


if __name__ == "__main__":
    main()
