#!/usr/bin/python3
"""Runs both sides of the scikit-learn comparison in one go and prints the benchmarks/README.md table.

    /usr/bin/python3 benchmarks/reference/compare_with_sklearn.py            # C# benchmarks, then scikit-learn
    /usr/bin/python3 benchmarks/reference/compare_with_sklearn.py --skip-dotnet DIR   # reuse a BDN artifacts DIR
    /usr/bin/python3 benchmarks/reference/compare_with_sklearn.py --training [DIR]    # the trainers only (issue 19)

The --training rows: TrainerScaleBenchmarks (1 launch, 1 warm-up, 3 iterations; --affinity 1) against scikit-learn's
fit on the StandardScaler output of the same 1,000,000-row table (benchmark_data.classification/multiclass/regression/clustering),
median of 3 after a warm-up, pinned to the same core. Our side includes standardisation and a 1,000-row validation
split; scikit-learn's does not include StandardScaler.

The C# side is BenchmarkDotNet (CalibrationBenchmarks, MetricsBenchmarks; 1 launch, 3 warm-ups, 10 iterations, pinned to one
core with --affinity 1). The Python side is timed here with timeit, pinned to the same core, single-threaded
BLAS, on the same inputs (benchmark_data.py reproduces BenchmarkData.cs bit for bit). Needs Debian's
python3-sklearn (scikit-learn 1.2.1).
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import timeit

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.calibration import _sigmoid_calibration, _SigmoidCalibration, calibration_curve  # noqa: E402
from sklearn.isotonic import IsotonicRegression  # noqa: E402
from sklearn.metrics import brier_score_loss  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchmark_data  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SIZES = (10_000, 1_000_000)
CORE = 1  # BenchmarkDotNet's --affinity 1 is the mask 0b1: core 0.

# (label, C# class, C# method, scikit-learn operation, target speed-up at 1M or None)
ROWS = [
    ("Platt fit", "CalibrationBenchmarks", "PlattFit", "_sigmoid_calibration(margins, y)", 20),
    ("Isotonic fit", "CalibrationBenchmarks", "IsotonicFit", "IsotonicRegression(out_of_bounds='clip').fit(p, y)", 5),
    ("Batch calibrate, isotonic", "CalibrationBenchmarks", "IsotonicCalibrateBatch", "IsotonicRegression.predict(p)", 20),
    # The batch target is against IsotonicRegression.predict; the Platt row is shown for completeness.
    ("Batch calibrate, Platt", "CalibrationBenchmarks", "PlattCalibrateBatch", "_SigmoidCalibration.predict(margins)", None),
    ("ECE + Brier", "MetricsBenchmarks", "EceAndBrier", "calibration_curve(y, p, n_bins=15) + brier_score_loss(y, p)", 30),
]


# (label, C# method of TrainerScaleBenchmarks, scikit-learn call, target speed-up)
TRAINING_ROWS = [
    ("logistic regression, 1,000,000 × 20, L2 = 1", "LogisticRegression", 'LogisticRegression(solver="lbfgs", C=1)', 2),
    ("softmax regression, 1,000,000 × 20, 4 classes, L2 = 1", "SoftmaxRegression", 'LogisticRegression(solver="lbfgs", C=1)', None),
    ("ridge regression, 1,000,000 × 20, α = 1", "RidgeRegression", "Ridge(alpha=1)", 4),
    ("k-means, k = 8, 1,000,000 × 8, fixed centres, 20 iterations", "KMeans",
     'KMeans(init=z[:8], n_init=1, algorithm="lloyd", max_iter=20, tol=0)', 4),
]


def run_dotnet(artifacts, filters=("*.CalibrationBenchmarks.*", "*.MetricsBenchmarks.*"), warmups=3, iterations=10):
    cmd = ["dotnet", "run", "-c", "Release", "--project", os.path.join(ROOT, "benchmarks", "SelfLearning.Core.Benchmarks"),
           "--", "--filter", *filters, "--launchCount", "1", "--warmupCount", str(warmups), "--iterationCount", str(iterations), "--affinity", str(CORE),
           "--exporters", "json", "--artifacts", artifacts]
    subprocess.run(cmd, check=True, cwd=ROOT)


def read_dotnet(artifacts):
    """{(class, method, n): (mean ns, allocated bytes)} from BenchmarkDotNet's full JSON reports."""
    out = {}
    for path in glob.glob(os.path.join(artifacts, "results", "*-report-full*.json")):
        with open(path) as f:
            report = json.load(f)
        for b in report["Benchmarks"]:
            n = int(b["Parameters"].split("=")[1])
            out[(b["Type"], b["Method"], n)] = (b["Statistics"]["Mean"], b["Memory"]["BytesAllocatedPerOperation"])
    return out


def median_ns(fn, n):
    fn()
    number = 50 if n <= 10_000 else 1
    times = timeit.repeat(fn, number=number, repeat=9)
    return float(np.median(times)) / number * 1e9


def time_sklearn():
    os.sched_setaffinity(0, {CORE - 1})
    out = {}
    for n in SIZES:
        margins, my = benchmark_data.margins(n)
        p, py = benchmark_data.probabilities(n)
        iso = IsotonicRegression(out_of_bounds="clip").fit(p, py)
        a, b = _sigmoid_calibration(margins, my)
        sig = _SigmoidCalibration()
        sig.a_, sig.b_ = a, b
        out[("PlattFit", n)] = median_ns(lambda: _sigmoid_calibration(margins, my), n)
        out[("IsotonicFit", n)] = median_ns(lambda: IsotonicRegression(out_of_bounds="clip").fit(p, py), n)
        out[("IsotonicCalibrateBatch", n)] = median_ns(lambda: iso.predict(p), n)
        out[("PlattCalibrateBatch", n)] = median_ns(lambda: sig.predict(margins), n)
        out[("EceAndBrier", n)] = median_ns(lambda: (calibration_curve(py, p, n_bins=15), brier_score_loss(py, p)), n)
    return out


def time_sklearn_training():
    from sklearn.cluster import KMeans
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.preprocessing import StandardScaler
    os.sched_setaffinity(0, {CORE - 1})
    n = 1_000_000

    def median3(fn):
        fn()
        return float(np.median(timeit.repeat(fn, number=1, repeat=3))) * 1e9

    out = {}
    x, y = benchmark_data.classification(n)
    z = StandardScaler().fit_transform(x)
    out["LogisticRegression"] = median3(lambda: LogisticRegression(solver="lbfgs", C=1).fit(z, y))
    x, y = benchmark_data.multiclass(n)
    z = StandardScaler().fit_transform(x)
    out["SoftmaxRegression"] = median3(lambda: LogisticRegression(solver="lbfgs", C=1).fit(z, y))
    x, t = benchmark_data.regression(n)
    z = StandardScaler().fit_transform(x)
    out["RidgeRegression"] = median3(lambda: Ridge(alpha=1).fit(z, t))
    z = StandardScaler().fit_transform(benchmark_data.clustering(n))
    out["KMeans"] = median3(lambda: KMeans(8, init=z[:8], n_init=1, algorithm="lloyd", max_iter=20, tol=0).fit(z))
    return out


def main_training():
    if len(sys.argv) >= 3:
        artifacts = sys.argv[2]
    else:
        artifacts = tempfile.mkdtemp(prefix="bdn-")
        run_dotnet(artifacts, ("*TrainerScaleBenchmarks*",), warmups=1, iterations=3)
    dotnet = read_dotnet(artifacts)
    sk = time_sklearn_training()
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; both sides pinned to one core; load {os.getloadavg()[0]:.1f}.\n")
    print("| training | SelfLearning.Core | allocated | scikit-learn | scikit-learn call | speed-up | target |")
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: |")
    for label, method, call, target in TRAINING_ROWS:
        mean, alloc = dotnet[("TrainerScaleBenchmarks", method, 1_000_000)]
        ref = sk[method]
        goal = "none set" if target is None else f"≥ {target}×"
        print(f"| {label} | {fmt_time(mean)} | {alloc / 1e6:,.1f} MB | {fmt_time(ref)} | `{call}` | {ref / mean:,.2f}× | {goal} |")


def fmt_time(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:,.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:,.1f} µs"
    return f"{ns:,.1f} ns"


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--training":
        main_training()
        return
    if len(sys.argv) >= 3 and sys.argv[1] == "--skip-dotnet":
        artifacts = sys.argv[2]
    else:
        artifacts = tempfile.mkdtemp(prefix="bdn-")
        run_dotnet(artifacts)
    dotnet = read_dotnet(artifacts)
    sk = time_sklearn()
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; both sides pinned to one core.\n")
    print("| operation | N | SelfLearning.Core | allocated | scikit-learn | scikit-learn call | speed-up | target at 1M |")
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for label, cls, method, call, target in ROWS:
        for n in SIZES:
            mean, alloc = dotnet[(cls, method, n)]
            ref = sk[(method, n)]
            ratio = ref / mean
            goal = f"≥ {target}×" if target and n == 1_000_000 else ""
            print(f"| {label} | {n:,} | {fmt_time(mean)} | {alloc:,} B | {fmt_time(ref)} | `{call}` | {ratio:,.1f}× | {goal} |")


if __name__ == "__main__":
    main()
