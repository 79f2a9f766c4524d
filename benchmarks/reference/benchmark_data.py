"""The benchmark inputs, bit for bit as benchmarks/SelfLearning.Core.Benchmarks/BenchmarkData.cs makes them."""
import numpy as np

SEED = 42
_M = np.uint64(0xFFFFFFFFFFFFFFFF)


def _splitmix64_doubles(count: int, seed: int = SEED) -> np.ndarray:
    """2*count doubles in [0, 1) from SplitMix64, vectorised with wrapping uint64 arithmetic."""
    with np.errstate(over="ignore"):
        k = np.arange(1, 2 * count + 1, dtype=np.uint64)
        z = np.uint64(seed) + k * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (1.0 / float(1 << 53))


def margins(count: int):
    u = _splitmix64_doubles(count)
    s = 8.0 * u[0::2] - 4.0
    labels = u[1::2] < 1.0 / (1.0 + np.exp(-(1.5 * s - 0.3)))
    return s, labels


def probabilities(count: int):
    s, labels = margins(count)
    return 1.0 / (1.0 + np.exp(-s)), labels


# The training benchmarks' tables (TrainingBenchmarks.cs builds the same ones with TrainingBenchmarkData.cs).
TRAINING_SEED = 7


def _uniform_rows(count: int, width: int, seed: int = TRAINING_SEED) -> np.ndarray:
    """count x width doubles in [0, 1), row by row from one SplitMix64 stream."""
    u = _splitmix64_doubles((count * width + 1) // 2, seed)
    return u[: count * width].reshape(count, width)


def logistic_weights(d: int) -> np.ndarray:
    return np.array([((j % 7) - 3) / 4.0 for j in range(d)])


def classification(count: int, d: int = 20):
    """Features uniform with mean 0 and variance 1; label 1 with probability sigmoid(x.w - 0.5)."""
    u = _uniform_rows(count, d + 1)
    x = (u[:, :d] - 0.5) * np.sqrt(12.0)
    w = logistic_weights(d)
    m = np.full(count, -0.5)
    for j in range(d):
        m = m + w[j] * x[:, j]
    return x, (u[:, d] < 1.0 / (1.0 + np.exp(-m))).astype(np.int64)


def multiclass(count: int, d: int = 20, classes: int = 4):
    """Features as classification(); the class with the largest margin x.w_k, w_k(j) = (((j + 3k) mod 7) - 3) / 4
    (lowest k on a tie), except that a row whose extra uniform u is below 0.25 takes class floor(16u) mod K."""
    u = _uniform_rows(count, d + 1)
    x = (u[:, :d] - 0.5) * np.sqrt(12.0)
    margins = np.empty((count, classes))
    for k in range(classes):
        m = np.zeros(count)
        for j in range(d):
            m = m + ((((j + 3 * k) % 7) - 3) / 4.0) * x[:, j]
        margins[:, k] = m
    label = np.argmax(margins, axis=1)
    noisy = u[:, d] < 0.25
    label[noisy] = (16.0 * u[noisy, d]).astype(np.int64) % classes
    return x, label


def regression(count: int, d: int = 20):
    """Features as classification(); target x.w + 0.5 + uniform noise in [-0.5, 0.5)."""
    u = _uniform_rows(count, d + 1)
    x = (u[:, :d] - 0.5) * np.sqrt(12.0)
    w = logistic_weights(d)
    t = np.full(count, 0.5)
    for j in range(d):
        t = t + w[j] * x[:, j]
    return x, t + (u[:, d] - 0.5)


def clustering(count: int, d: int = 8, k: int = 8):
    """k blobs: row i is around centre i mod k (coordinates ((3c + 5j) mod 7) - 3) with uniform noise of variance 0.64."""
    u = _uniform_rows(count, d)
    centres = np.array([[((3 * c + 5 * j) % 7) - 3.0 for j in range(d)] for c in range(k)])
    return centres[np.arange(count) % k] + (u - 0.5) * (np.sqrt(12.0) * 0.8)
