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
