#!/usr/bin/python3
"""Reference values for the Calibration tests (scikit-learn 1.2.1, SciPy 1.10.1, NumPy 1.24).

Run with Debian's python from the repository root:
    /usr/bin/python3 tests/SelfLearning.Core.Tests/Reference/generate_calibration.py
It writes calibration.json next to this script. The data come from a seeded generator; no value
in the tests is chosen by hand.

Objectives (the C# code minimises the same ones):
  platt:       sum_i -[t_i log p_i + (1 - t_i) log(1 - p_i)], p_i = 1/(1 + exp(A s_i + B)),
               t_i = (N+ + 1)/(N+ + 2) for positives and 1/(N- + 2) for negatives (Platt 1999;
               sklearn.calibration._sigmoid_calibration minimises it with BFGS to a loose
               tolerance, recorded for information as sklearn_a/sklearn_b).
  temperature: sum_i [logsumexp(z_i / T) - z_i,y_i / T] over T in [1e-3, 1e3].
  beta:        sum_i logloss(sigmoid(c + a ln s_i - b ln(1 - s_i))) + (a^2 + b^2) / (2 C),
               C = 99999999999, s clipped to [eps, 1 - eps] with eps = 2**-52; a negative a (else b)
               is refitted with that feature dropped (betacal's _beta_calibration); sklearn's
               LogisticRegression(C=99999999999) on the same features is recorded for information.
  isotonic:    sklearn.isotonic.IsotonicRegression(out_of_bounds="clip") itself.
  histogram:   numpy bin means, bin = min(floor(p M), M - 1), empty bins at their midpoint.
"""
import json
import os

import numpy as np
from scipy.optimize import minimize, minimize_scalar
from scipy.special import expit, logsumexp
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(20240611)
EPS = np.finfo(np.float64).eps
BETA_C = 99999999999.0


def log1pexp(z):
    return np.logaddexp(0.0, z)


def logistic_fit(features, targets, l2, weights_start):
    """Exact minimiser of sum log(1+e^z) - t z + l2/2 |w|^2, z = c + X w (trust-region Newton)."""
    n, d = features.shape
    X = np.hstack([np.ones((n, 1)), features])
    pen = np.r_[0.0, np.full(d, l2)]

    def f(theta):
        z = X @ theta
        return np.sum(log1pexp(z) - targets * z) + 0.5 * np.sum(pen * theta * theta)

    def g(theta):
        return X.T @ (expit(X @ theta) - targets) + pen * theta

    def h(theta):
        p = expit(X @ theta)
        return (X * (p * (1 - p))[:, None]).T @ X + np.diag(pen)

    res = minimize(f, weights_start, jac=g, hess=h, method="trust-exact", options={"gtol": 1e-10, "maxiter": 1000})
    # Polish with plain Newton steps: trust-exact stops on an absolute gradient norm.
    theta = res.x
    for _ in range(5):
        theta = theta - np.linalg.solve(h(theta), g(theta))
    # The optimum's check: the Newton decrement g' H^-1 g relative to the loss (0 at the optimum).
    decrement = float(g(theta) @ np.linalg.solve(h(theta), g(theta)) / max(1.0, f(theta)))
    return theta, decrement


def platt_reference(s, y):
    n_pos = float(np.sum(y))
    n_neg = len(y) - n_pos
    t = np.where(y, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    theta, ok = logistic_fit(s.reshape(-1, 1), t, 0.0, np.array([-np.log((n_neg + 1) / (n_pos + 1)), 0.0]))
    a, b = -theta[1], -theta[0]
    sk_a, sk_b = _sigmoid_calibration(s, y)
    return {"a": a, "b": b, "newton_decrement": ok, "sklearn_a": float(sk_a), "sklearn_b": float(sk_b)}


def isotonic_reference(s, y, w, probe):
    ir = IsotonicRegression(out_of_bounds="clip").fit(s, y, sample_weight=w)
    return {
        "thresholds": ir.X_thresholds_.tolist(),
        "values": ir.y_thresholds_.tolist(),
        "train_predictions": ir.predict(s).tolist(),
        "probe_predictions": ir.predict(probe).tolist(),
    }


def temperature_reference(logits, labels):
    def nll(T):
        z = logits / T
        return np.sum(logsumexp(z, axis=1) - z[np.arange(len(labels)), labels])

    res = minimize_scalar(nll, bounds=(1e-3, 1e3), method="bounded", options={"xatol": 1e-12, "maxiter": 10000})
    return float(res.x)


def beta_reference(p, y):
    s = np.clip(p, EPS, 1 - EPS)
    f = np.column_stack([np.log(s), -np.log(1 - s)])
    t = y.astype(float)
    prior = np.log(t.sum() / (len(t) - t.sum()))
    l2 = 1.0 / BETA_C
    theta, ok = logistic_fit(f, t, l2, np.array([prior, 0.0, 0.0]))
    branch = "both"
    if theta[1] < 0:
        th, ok = logistic_fit(f[:, 1:], t, l2, np.array([prior, 0.0]))
        a, b, c, branch = 0.0, th[1], th[0], "b_only"
    elif theta[2] < 0:
        th, ok = logistic_fit(f[:, :1], t, l2, np.array([prior, 0.0]))
        a, b, c, branch = th[1], 0.0, th[0], "a_only"
    else:
        a, b, c = theta[1], theta[2], theta[0]
    lr = LogisticRegression(C=BETA_C, max_iter=10000).fit(f, y)
    return {"a": a, "b": b, "c": c, "branch": branch, "newton_decrement": ok,
            "sklearn_full_coef": lr.coef_[0].tolist(), "sklearn_full_intercept": float(lr.intercept_[0])}


def histogram_reference(p, y, bins, probe):
    idx = np.minimum(np.floor(p * bins).astype(int), bins - 1)
    values = []
    for b in range(bins):
        m = idx == b
        values.append(float(y[m].mean()) if m.any() else (b + 0.5) / bins)
    values = np.array(values)
    pidx = np.minimum(np.floor(probe * bins).astype(int), bins - 1)
    return {"bins": bins, "values": values.tolist(), "probe_predictions": values[pidx].tolist()}


def labels_from(s, slope, offset):
    y = rng.random(len(s)) < expit(slope * s + offset)
    if y.all() or not y.any():  # both classes are required; flip one deterministic case
        y[0] = not y[0]
    return y


def binary_shapes():
    shapes = {}
    s = rng.normal(0, 1, 8)
    shapes["tiny"] = (s, labels_from(s, 2.0, 0.0))
    s = rng.normal(0, 1.5, 400)
    shapes["imbalanced"] = (s, labels_from(s, 1.2, -3.5))
    s = np.round(rng.normal(0, 1, 300), 1)
    shapes["tied"] = (s, labels_from(s, 1.7, 0.2))
    s = rng.uniform(-50, 50, 500)
    shapes["raw_margins"] = (s, labels_from(s, 0.08, 0.5))
    s = np.sort(rng.normal(0, 1, 60))
    shapes["separable"] = (s, s > np.median(s))
    s = rng.uniform(-4, 4, 2000)
    shapes["medium"] = (s, labels_from(s, 1.5, -0.3))
    return shapes


def main():
    out = {"generator": "generate_calibration.py", "sklearn": "1.2.1", "platt": [], "isotonic": [],
           "temperature": [], "beta": [], "histogram": []}
    for name, (s, y) in binary_shapes().items():
        lo, hi = s.min(), s.max()
        probe = np.concatenate([rng.uniform(lo - 0.5 * (hi - lo), hi + 0.5 * (hi - lo), 40), [lo, hi, lo - 1, hi + 1]])
        entry = {"name": name, "scores": s.tolist(), "labels": y.astype(bool).tolist()}
        out["platt"].append({**entry, **platt_reference(s, y), "probe": probe.tolist()})
        iso = {**entry, "weights": None, "targets": None, "probe": probe.tolist()}
        iso.update(isotonic_reference(s, y.astype(float), None, probe))
        out["isotonic"].append(iso)
        # Weighted, with some zero weights.
        w = rng.uniform(0, 3, len(s))
        w[rng.random(len(s)) < 0.1] = 0.0
        w[0] = 1.0
        iso = {**entry, "name": name + "_weighted", "weights": w.tolist(), "targets": None, "probe": probe.tolist()}
        iso.update(isotonic_reference(s, y.astype(float), w, probe))
        out["isotonic"].append(iso)
        # Binary temperature: logits [0, s].
        logits = np.column_stack([np.zeros_like(s), s])
        out["temperature"].append({"name": name + "_binary", "binary_scores": s.tolist(), "logits": None,
                                   "labels": y.astype(int).tolist(), "temperature": temperature_reference(logits, y.astype(int))})

    # Soft targets for isotonic, and near-duplicate x values (within 1e-15) to exercise the tie merge.
    s = rng.normal(0, 1, 200)
    s[50:60] = s[40] + np.arange(10) * 3e-16
    t = rng.random(200)
    probe = rng.uniform(-4, 4, 30)
    iso = {"name": "soft_targets", "scores": s.tolist(), "labels": None, "weights": np.ones(200).tolist(),
           "targets": t.tolist(), "probe": probe.tolist()}
    iso.update(isotonic_reference(s, t, None, probe))
    out["isotonic"].append(iso)

    # Multiclass temperature: a miscalibrated linear model's logits.
    for name, (n, k, scale) in {"multiclass_overconfident": (300, 4, 3.0), "multiclass_underconfident": (500, 3, 0.4),
                                "multiclass_tiny": (5, 3, 1.0)}.items():
        centres = rng.normal(0, 1, (k, k))
        labels = rng.integers(0, k, n)
        logits = scale * (centres[labels] + rng.normal(0, 1.2, (n, k)))
        out["temperature"].append({"name": name, "binary_scores": None, "logits": logits.tolist(),
                                   "labels": labels.tolist(), "temperature": temperature_reference(logits, labels)})

    # Probabilities for beta and histogram binning.
    prob_shapes = {
        "beta_overconfident": (lambda m: expit(3.0 * m), 600, (1.0, 0.0)),
        "beta_underconfident": (lambda m: expit(0.4 * m), 600, (1.0, 0.3)),
        "beta_skewed": (lambda m: expit(m) ** 3, 800, (1.2, -0.5)),
        "beta_imbalanced": (lambda m: expit(m - 2.0), 500, (1.0, -2.5)),
        "beta_tiny": (lambda m: expit(m), 10, (1.0, 0.0)),
        "beta_decreasing_low": (lambda m: expit(m), 600, "low"),
        "beta_decreasing_high": (lambda m: expit(m), 600, "high"),
    }
    for name, (link, n, coef) in prob_shapes.items():
        m = rng.normal(0, 1.5, n)
        p = link(m)
        if coef == "low":
            # Positive rate falls then rises with p: drives the unconstrained a below zero.
            y = rng.random(n) < np.where(p < 0.5, 0.6 - p, p)
        elif coef == "high":
            # Positive rate rises then falls with p: drives the unconstrained b below zero.
            y = rng.random(n) < np.where(p > 0.5, 1.4 - p, p)
        else:
            y = labels_from(m, *coef)
        out["beta"].append({"name": name, "scores": p.tolist(), "labels": y.astype(bool).tolist(),
                            **beta_reference(p, y), "probe": np.concatenate([rng.uniform(0, 1, 30), [0.0, 1.0, 1e-300]]).tolist()})
        for bins in (1, 10, 37):
            probe = np.concatenate([rng.uniform(0, 1, 30), [0.0, 1.0, 0.5]])
            out["histogram"].append({"name": f"{name}_{bins}", "scores": p.tolist(), "labels": y.astype(bool).tolist(),
                                     **histogram_reference(p, y, bins, probe), "probe": probe.tolist()})

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "calibration.json")
    with open(path, "w") as fh:
        json.dump(out, fh, allow_nan=False)
    for kind in ("platt", "beta"):
        for e in out[kind]:
            print(kind, e["name"], e.get("branch", ""), e["newton_decrement"], e["a"], e["b"])
    for e in out["temperature"]:
        print("temperature", e["name"], e["temperature"])


if __name__ == "__main__":
    main()
