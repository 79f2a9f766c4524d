#!/usr/bin/python3
"""Reference values for the Experiments tests (run with Debian's /usr/bin/python3, SciPy 1.10.1).

Writes experiments.json beside this script:
- hash_non_ascii: GrowthBook's hash() for strings outside ASCII. GrowthBook's JavaScript hashes UTF-16 code
  units (charCodeAt); the port below walks the UTF-16LE encoding two bytes at a time, a path independent of
  the C# implementation's char loop. (Cross-checked once against the JavaScript source run in node.)
- bayes: chance that the challenger's Beta posterior beats the champion's, and the expected losses, by
  scipy.integrate.quad, checked against Evan Miller's closed form for integer parameters.
- sample_size: fixed-horizon per-arm sample sizes from scipy.stats.norm quantiles.

Usage: /usr/bin/python3 tests/SelfLearning.Core.Tests/Reference/generate_experiments.py
"""
import json
import math
import os

import scipy
from scipy import integrate, special, stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "experiments.json")


def fnv1a32_utf16(text):
    # GrowthBook: hval ^= str.charCodeAt(i); hval *= 16777619 (as shifts), mod 2^32.
    h = 0x811C9DC5
    data = text.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def gb_hash(seed, value, version):
    if version == 2:
        return (fnv1a32_utf16(str(fnv1a32_utf16(seed + value))) % 10000) / 10000
    if version == 1:
        return (fnv1a32_utf16(value + seed) % 1000) / 1000
    return None


HASH_CASES = [
    ("exp", "Zoë", 1), ("exp", "Zoë", 2), ("épreuve", "patient-Ωμέγα", 2),
    ("seed", "\U0001F600", 1), ("seed", "\U0001F600", 2), ("种子", "用户42", 2),
    ("", "\u00ff\u0100", 1), ("naïve", "café", 2),
]


def beta_support(a, b):
    mean = a / (a + b)
    sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    return max(0.0, mean - 40 * sd), min(1.0, mean + 40 * sd)


def quad(f, lo, hi):
    value, _ = integrate.quad(f, lo, hi, epsabs=1e-14, epsrel=1e-12, limit=500)
    return value


def bayes_case(sa, na, sb, nb, prior_a=1.0, prior_b=1.0):
    aa, ba = sa + prior_a, na - sa + prior_b
    ab, bb = sb + prior_a, nb - sb + prior_b
    lo = min(beta_support(aa, ba)[0], beta_support(ab, bb)[0])
    hi = max(beta_support(aa, ba)[1], beta_support(ab, bb)[1])
    A, B = stats.beta(aa, ba), stats.beta(ab, bb)
    chance = quad(lambda x: B.pdf(x) * A.cdf(x), lo, hi)
    # E[max(A - B, 0)]: loss of choosing the challenger B; E[max(B - A, 0)]: loss of keeping A.
    loss_b = quad(lambda a: A.pdf(a) * (a * B.cdf(a) - B.mean() * stats.beta(ab + 1, bb).cdf(a)), lo, hi)
    loss_a = quad(lambda b: B.pdf(b) * (b * A.cdf(b) - A.mean() * stats.beta(aa + 1, ba).cdf(b)), lo, hi)
    if float(ab).is_integer() and ab < 5000:
        # Evan Miller: P(pB > pA) = sum_{i<alphaB} B(aA+i, bA+bB) / ((bB+i) B(1+i, bB) B(aA, bA))
        total = sum(math.exp(special.betaln(aa + i, ba + bb) - math.log(bb + i) - special.betaln(1 + i, bb) - special.betaln(aa, ba))
                    for i in range(int(ab)))
        assert abs(total - chance) < 1e-8, (total, chance)
    return {"successesA": sa, "trialsA": na, "successesB": sb, "trialsB": nb, "priorAlpha": prior_a, "priorBeta": prior_b,
            "chanceToBeat": chance, "expectedLossChallenger": loss_b, "expectedLossChampion": loss_a}


BAYES_CASES = [(0, 0, 0, 0), (3, 10, 7, 10), (120, 1000, 140, 1000), (45, 1000, 45, 1000),
               (9500, 100000, 9700, 100000), (2, 500, 1, 40), (800, 1000, 790, 1000), (50, 200, 30, 100, 0.5, 0.5)]


def sample_size(var_sum, effect, alpha, power):
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return math.ceil(z * z * var_sum / effect ** 2)


def main():
    doc = {
        "generator": "generate_experiments.py", "scipy": scipy.__version__,
        "hash_non_ascii": [[s, v, ver, gb_hash(s, v, ver)] for s, v, ver in HASH_CASES],
        "bayes": [bayes_case(*c) for c in BAYES_CASES],
        "sample_size_rate": [
            {"baseline": p, "effect": d, "alpha": a, "power": w,
             "n": sample_size(p * (1 - p) + (p + d) * (1 - p - d), d, a, w)}
            for p, d, a, w in [(0.1, 0.02, 0.05, 0.8), (0.5, -0.05, 0.01, 0.9), (0.9, 0.01, 0.05, 0.8), (0.3, 0.1, 0.1, 0.5)]
        ],
        "sample_size_mean": [
            {"sd": s, "effect": d, "alpha": a, "power": w, "n": sample_size(2 * s * s, d, a, w)}
            for s, d, a, w in [(10.0, 1.0, 0.05, 0.8), (1.0, -0.2, 0.01, 0.95)]
        ],
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
