#!/usr/bin/python3
"""Reference values for the built-in trainers (tests/SelfLearning.Core.Tests/Training).

Run with Debian's python (scikit-learn 1.2.1):  /usr/bin/python3 generate_training.py
Writes training.json next to this script. Conventions matched by the C# trainers:
- features are standardised with StandardScaler (training mean, population std) and the models fit on that;
- LogisticRegression's C is 1/l2 (our objective: sum of log-losses + l2/2 * ||W||^2, intercept unpenalised);
  solved to tol=1e-10 with newton-cg so the reference is the optimum, not an early stop;
- Ridge(alpha) with fit_intercept=True (intercept unpenalised);
- KMeans from the same initial centers (init=array, n_init=1, lloyd, tol=0 => until no label changes),
  compared on inertia, centers and silhouette_score.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(20260329)


def logistic_case(name, X, y, l2, X_test):
    scaler = StandardScaler().fit(X)
    clf = LogisticRegression(C=1.0 / l2, solver="newton-cg", tol=1e-10, max_iter=10000)
    clf.fit(scaler.transform(X), y)
    return {
        "name": name,
        "x": X.tolist(),
        "y": [str(v) for v in y],
        "l2": l2,
        "x_test": X_test.tolist(),
        "classes": [str(c) for c in clf.classes_],
        "means": scaler.mean_.tolist(),
        "scales": scaler.scale_.tolist(),
        "coefficients": clf.coef_.tolist(),
        "intercepts": clf.intercept_.tolist(),
        "probabilities": clf.predict_proba(scaler.transform(X_test)).tolist(),
    }


def ridge_case(name, X, y, alpha, X_test):
    scaler = StandardScaler().fit(X)
    reg = Ridge(alpha=alpha).fit(scaler.transform(X), y)
    return {
        "name": name,
        "x": X.tolist(),
        "y": y.tolist(),
        "alpha": alpha,
        "x_test": X_test.tolist(),
        "means": scaler.mean_.tolist(),
        "scales": scaler.scale_.tolist(),
        "coefficients": reg.coef_.tolist(),
        "intercept": float(reg.intercept_),
        "predictions": reg.predict(scaler.transform(X_test)).tolist(),
    }


def kmeans_case(name, X, init_rows=None, init=None):
    Z = StandardScaler().fit_transform(X)
    init = Z[init_rows] if init is None else init
    km = KMeans(n_clusters=len(init), init=init, n_init=1, algorithm="lloyd", tol=0.0, max_iter=300).fit(Z)
    return {
        "name": name,
        "z": Z.tolist(),
        "init": init.tolist(),
        "centers": km.cluster_centers_.tolist(),
        "labels": km.labels_.tolist(),
        "inertia": float(km.inertia_),
        "silhouette": float(silhouette_score(Z, km.labels_)),
    }


def binary_data(n, d, weights, bias, positive_share=None):
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 5.0, size=d) + rng.uniform(-3, 3, size=d)
    Zs = (X - X.mean(axis=0)) / X.std(axis=0)
    p = 1 / (1 + np.exp(-(Zs @ weights + bias)))
    y = (rng.uniform(size=n) < p).astype(int)
    return X, np.where(y == 1, "yes", "no")


cases = {"sklearn": sklearn.__version__, "logistic": [], "ridge": [], "kmeans": []}

X, y = binary_data(120, 3, np.array([1.5, -2.0, 0.5]), 0.3)
cases["logistic"].append(logistic_case("binary", X, y, 1.0, X[:10]))

X, y = binary_data(200, 2, np.array([1.0, 1.0]), -2.5)
cases["logistic"].append(logistic_case("imbalanced", X, y, 2.0, X[:10]))

X = rng.normal(size=(60, 2))
y = np.where(X[:, 0] + X[:, 1] > 0, "pos", "neg")
cases["logistic"].append(logistic_case("separable", X, y, 0.5, X[:10]))

X = rng.normal(size=(10, 2))
y = np.array(["a", "b"] * 5)
cases["logistic"].append(logistic_case("tiny", X, y, 1.0, X))

means = np.array([[0, 0, 0, 0], [2, 1, 0, -1], [-1, 2, 1, 1]], dtype=float)
labels = rng.integers(0, 3, size=150)
X = means[labels] + rng.normal(size=(150, 4)) * 1.2
cases["logistic"].append(logistic_case("multinomial", X, np.array(["c0", "c1", "c2"])[labels], 1.0, X[:10]))

X = rng.normal(size=(80, 3)) * np.array([10.0, 1.0, 0.1]) + np.array([50.0, 0.0, 3.0])
y = 200 + 3.0 * X[:, 0] - 20.0 * X[:, 1] + 100.0 * X[:, 2] + rng.normal(size=80) * 5.0
cases["ridge"].append(ridge_case("spending", X, y, 1.0, X[:10]))

base = rng.normal(size=(40, 1))
X = np.hstack([base, base + rng.normal(size=(40, 1)) * 0.01, rng.normal(size=(40, 1))])
y = 2.0 * base[:, 0] + rng.normal(size=40)
cases["ridge"].append(ridge_case("collinear", X, y, 10.0, X[:10]))

centers = np.array([[0.0, 0.0], [5.0, 5.0], [0.0, 6.0]])
labels = np.repeat(np.arange(3), 50)
X = centers[labels] + rng.normal(size=(150, 2))
cases["kmeans"].append(kmeans_case("blobs3", X, [0, 1, 2]))

centers = rng.uniform(-6, 6, size=(4, 3))
labels = rng.integers(0, 4, size=200)
X = centers[labels] + rng.normal(size=(200, 3)) * 1.5
cases["kmeans"].append(kmeans_case("overlapping4", X, [3, 17, 42, 99]))

# Real data sets that scikit-learn ships (issue 19): one per trainer.
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris  # noqa: E402

bc = load_breast_cancer()
cases["logistic"].append(logistic_case("breast-cancer", bc.data, np.where(bc.target == 1, "benign", "malignant"), 1.0, bc.data[::25]))

db = load_diabetes()
cases["ridge"].append(ridge_case("diabetes", db.data, db.target, 1.0, db.data[::20]))

ir = load_iris()
cases["kmeans"].append(kmeans_case("iris", ir.data, [0, 50, 100]))
cases["logistic"].append(logistic_case("iris", ir.data, ir.target_names[ir.target], 1.0, ir.data[::10]))

# An emptied cluster (issue 19): the third initial centre is far from every row, so no row takes it in the first
# assignment and scikit-learn's _relocate_empty_clusters gives it the row farthest from its own centre.
centers = np.array([[0.0, 0.0], [4.0, 4.0]])
X = centers[np.repeat(np.arange(2), 60)] + rng.normal(size=(120, 2))
Z = StandardScaler().fit_transform(X)
cases["kmeans"].append(kmeans_case("empty-cluster", X, init=np.vstack([Z[[0, 60]], [[8.0, -8.0]]])))

# A wide problem (issue 19): 2,000 rows x 500 features, where the trainer uses L-BFGS instead of Newton. The
# features are not stored: both sides draw them from SplitMix64 (seed 19, row by row, 501 values a row: 500 features
# (u - 0.5) * sqrt(12), then the label's uniform), as benchmarks/reference/benchmark_data.py does.
def splitmix64_rows(count, width, seed):
    with np.errstate(over="ignore"):
        k = np.arange(1, count * width + 1, dtype=np.uint64)
        z = np.uint64(seed) + k * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return ((z >> np.uint64(11)).astype(np.float64) * (1.0 / float(1 << 53))).reshape(count, width)


u = splitmix64_rows(2000, 501, 19)
X = (u[:, :500] - 0.5) * np.sqrt(12.0)
m = X @ np.array([((j % 7) - 3) / 20.0 for j in range(500)]) - 0.5
y = np.where(u[:, 500] < 1.0 / (1.0 + np.exp(-m)), "1", "0")
wide = logistic_case("wide", X, y, 1.0, X[:20])
del wide["x"], wide["x_test"]
wide.update({"seed": 19, "rows": 2000, "features": 500, "test_rows": 20})
cases["logistic"].append(wide)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "training.json")
with open(path, "w") as f:
    json.dump(cases, f, indent=1)
print("wrote", path)
