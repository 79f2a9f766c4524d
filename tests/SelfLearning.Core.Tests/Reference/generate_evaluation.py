#!/usr/bin/python3
"""Reference values for SelfLearning.Evaluation, from scikit-learn 1.2.1 and numpy.

    /usr/bin/python3 tests/SelfLearning.Core.Tests/Reference/generate_evaluation.py
writes evaluation.json beside this script. ECE, MCE and the Murphy decomposition have no scikit-learn
function; they are computed here in numpy from the formulas in DESIGN.md.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (accuracy_score, brier_score_loss, confusion_matrix, log_loss, mean_absolute_error,
                             mean_squared_error, precision_recall_fscore_support, r2_score, roc_auc_score)

rng = np.random.default_rng(7)


def ece_equal_width(conf, correct, bins):
    idx = np.minimum(np.floor(conf * bins).astype(int), bins - 1)
    return _binned(conf, correct, idx, bins)


def ece_equal_mass(conf, correct, bins):
    edges = np.percentile(conf, np.linspace(0, 1, bins + 1) * 100)
    idx = np.searchsorted(edges[1:-1], conf)
    return _binned(conf, correct, idx, bins)


def _binned(conf, correct, idx, bins):
    n = len(conf)
    ece, mce = 0.0, 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            gap = abs(correct[mask].mean() - conf[mask].mean())
            ece += mask.sum() / n * gap
            mce = max(mce, gap)
    return ece, mce


def murphy(p, y):
    values, inverse, counts = np.unique(p, return_inverse=True, return_counts=True)
    freq = np.bincount(inverse, weights=y) / counts
    base = y.mean()
    rel = np.sum(counts * (values - freq) ** 2) / len(p)
    res = np.sum(counts * (freq - base) ** 2) / len(p)
    return rel, res, base * (1 - base)


def binary_shapes():
    n = 500
    s = rng.normal(0, 2, n)
    y = rng.random(n) < 1 / (1 + np.exp(-(1.5 * s - 0.3)))
    yield "logistic", 1 / (1 + np.exp(-s)), y
    yield "tiny", np.array([0.1, 0.9, 0.4, 0.65]), np.array([False, True, True, False])
    p = rng.beta(1, 8, 400)
    yield "imbalanced", p, rng.random(400) < p * 0.7
    p = np.round(rng.random(300) * 10) / 10
    yield "tied-discrete", p, rng.random(300) < p
    yield "perfect", np.array([0.0, 0.0, 1.0, 1.0, 0.0, 1.0]), np.array([False, False, True, True, False, True])
    p = rng.random(1000)
    yield "uniform-edges", np.concatenate([p, np.arange(16) / 15, [0.2, 0.4, 0.6, 0.8]]), \
        rng.random(1020) < np.concatenate([p, np.arange(16) / 15, [0.2, 0.4, 0.6, 0.8]])


def binary_cases():
    cases = []
    for shape, p, y in binary_shapes():
        y = np.asarray(y, dtype=bool)
        case = dict(shape=shape, probability=p.tolist(), label=y.tolist(),
                    brier=float(brier_score_loss(y, p)),
                    logLoss=float(log_loss(y, p, eps=1e-15, labels=[False, True])))
        rel, res, unc = murphy(p, y.astype(float))
        case.update(reliability=float(rel), resolution=float(res), uncertainty=float(unc))
        for bins in (5, 10, 15):
            ew, mw = ece_equal_width(p, y.astype(float), bins)
            em, mm = ece_equal_mass(p, y.astype(float), bins)
            case[f"eceWidth{bins}"], case[f"mceWidth{bins}"] = float(ew), float(mw)
            case[f"eceMass{bins}"], case[f"mceMass{bins}"] = float(em), float(mm)
            for strategy, name in (("uniform", "Width"), ("quantile", "Mass")):
                prob_true, prob_pred = calibration_curve(y, p, n_bins=bins, strategy=strategy)
                case[f"curve{name}{bins}"] = dict(observed=prob_true.tolist(), mean=prob_pred.tolist())
        if y.any() and not y.all():
            case["auc"] = float(roc_auc_score(y, p))
            case["aucMargin"] = float(roc_auc_score(y, np.log(np.clip(p, 1e-9, 1)) * 3 - 1))
        cases.append(case)
    return cases


def classification_cases():
    shapes = []
    labels = np.array(["cat", "dog", "bird", "Zebra"])
    actual = labels[rng.integers(0, 4, 200)]
    predicted = np.where(rng.random(200) < 0.6, actual, labels[rng.integers(0, 4, 200)])
    shapes.append(("multiclass", actual, predicted))
    actual = np.array(["no"] * 90 + ["yes"] * 10)
    predicted = np.where(rng.random(100) < 0.9, actual, np.where(actual == "no", "yes", "no"))
    shapes.append(("imbalanced-binary", actual, predicted))
    shapes.append(("predicted-only-label", np.array(["a", "a", "b", "b"]), np.array(["a", "c", "b", "c"])))
    shapes.append(("perfect", np.array(["x", "y", "z"]), np.array(["x", "y", "z"])))
    cases = []
    for shape, a, p in shapes:
        labs = sorted(set(a) | set(p))
        prec, rec, f1, sup = precision_recall_fscore_support(a, p, labels=labs, zero_division=0)
        case = dict(shape=shape, actual=a.tolist(), predicted=p.tolist(), labels=labs,
                    accuracy=float(accuracy_score(a, p)), precision=prec.tolist(), recall=rec.tolist(),
                    f1=f1.tolist(), support=sup.tolist(),
                    confusion=confusion_matrix(a, p, labels=labs).tolist())
        for avg in ("macro", "micro", "weighted"):
            pr, rc, ff, _ = precision_recall_fscore_support(a, p, labels=labs, average=avg, zero_division=0)
            case[avg] = [float(pr), float(rc), float(ff)]
        cases.append(case)
    return cases


def regression_cases():
    cases = []
    y = rng.normal(10, 3, 200)
    shapes = [("noisy", y, y + rng.normal(0, 1, 200)), ("biased", y, y * 0.5 + 4),
              ("tiny", np.array([1.0, 2.0]), np.array([1.5, 1.0])),
              ("constant-actual", np.array([3.0, 3.0, 3.0]), np.array([3.0, 2.0, 4.0]))]
    for shape, a, p in shapes:
        mse = mean_squared_error(a, p)
        cases.append(dict(shape=shape, actual=a.tolist(), predicted=p.tolist(), mse=float(mse),
                          rmse=float(mean_squared_error(a, p, squared=False)),
                          mae=float(mean_absolute_error(a, p)), r2=float(r2_score(a, p))))
    return cases


def classwise_cases():
    cases = []
    for shape, n, k in (("three-class", 300, 3), ("five-class", 500, 5)):
        logits = rng.normal(0, 2, (n, k))
        prob = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        labels = np.array([rng.choice(k, p=row) for row in prob])
        eces = [ece_equal_width(prob[:, c], (labels == c).astype(float), 15)[0] for c in range(k)]
        cases.append(dict(shape=shape, probabilities=prob.tolist(), labels=labels.tolist(),
                          classwiseEce=float(np.mean(eces))))
    return cases


def main():
    out = dict(versions=dict(sklearn=sklearn.__version__, numpy=np.__version__),
               binary=binary_cases(), classification=classification_cases(),
               regression=regression_cases(), classwise=classwise_cases())
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "evaluation.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
