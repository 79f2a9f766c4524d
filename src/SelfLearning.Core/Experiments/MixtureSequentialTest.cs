using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// The always-valid mixture sequential probability ratio test (mSPRT) for a difference in means or
/// proportions under the normal approximation (Johari, Pekelis and Walsh, "Always Valid Inference",
/// 2017; the form GrowthBook and Optimizely use). The results can be looked at after every outcome
/// without inflating the false-positive rate.
/// </summary>
/// <remarks>
/// <para>
/// With an estimate θ̂ of the difference, its variance V (for two arms <c>V = s²_A/n_A + s²_B/n_B</c>)
/// and a normal mixing distribution N(0, τ²) over the true difference, the mixture likelihood ratio
/// against θ = 0 is
/// <c>Λ = √(V / (V + τ²)) · exp(θ̂² τ² / (2 V (V + τ²)))</c>.
/// Ville's inequality bounds P(sup Λ ≥ 1/α) ≤ α under the null, so the always-valid p-value is the
/// running minimum of <c>min(1, 1/Λ)</c>, and the always-valid (1 − α) interval is
/// <c>θ̂ ± √(V (V + τ²) / τ² · (ln((V + τ²) / V) − 2 ln α))</c>.
/// </para>
/// <para>
/// τ² is tuned so the interval is tightest at the planned sample size N (per arm): with the per-unit
/// variance σ² (for two arms <c>s²_A + s²_B</c>), <c>τ² = ρ² σ²</c> and
/// <c>ρ² = (−2 ln α + ln(1 − 2 ln α)) / N</c> (Howard et al., 2021, as used by GrowthBook's
/// sequential testing).
/// </para>
/// </remarks>
internal static class MixtureSequentialTest
{
    /// <summary>The mixing scale ρ² tuned for <paramref name="plannedSampleSize"/>: <c>(−2 ln α + ln(1 − 2 ln α)) / N</c>.</summary>
    /// <param name="plannedSampleSize">The planned sample size N per arm (at least 1).</param>
    /// <param name="alpha">The false-positive rate, in (0, 1).</param>
    /// <returns>ρ².</returns>
    public static double MixingScale(long plannedSampleSize, double alpha)
    {
        if (plannedSampleSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(plannedSampleSize), plannedSampleSize, $"'{nameof(plannedSampleSize)}' must be positive, but is {plannedSampleSize}.");
        }

        Guard.InOpenRange(alpha, 0.0, 1.0);
        double twoLogAlpha = -2.0 * Math.Log(alpha);
        return (twoLogAlpha + Math.Log(1.0 + twoLogAlpha)) / plannedSampleSize;
    }

    /// <summary>Evaluates one look.</summary>
    /// <param name="estimate">θ̂, the estimated difference.</param>
    /// <param name="variance">V, the variance of θ̂ (0 when the data do not yet vary, giving Λ = 1).</param>
    /// <param name="unitVariance">σ², the variance of one unit's contribution (V·n for n units per arm).</param>
    /// <param name="plannedSampleSize">The planned sample size per arm the mixture is tuned for.</param>
    /// <param name="alpha">The false-positive rate, in (0, 1).</param>
    /// <param name="previousPValue">The always-valid p-value of the previous look (1 at the first look).</param>
    /// <returns>The test at this look.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is not finite or outside its range.</exception>
    public static SequentialTestResult Evaluate(
        double estimate,
        double variance,
        double unitVariance,
        long plannedSampleSize,
        double alpha,
        double previousPValue = 1.0)
    {
        Guard.Finite(estimate);
        Guard.NonNegative(variance);
        Guard.NonNegative(unitVariance);
        Guard.Probability(previousPValue);
        double tau2 = MixingScale(plannedSampleSize, alpha) * unitVariance;
        if (variance == 0.0 || tau2 == 0.0)
        {
            // No variation yet: no evidence either way, and an interval cannot be formed.
            return new SequentialTestResult(estimate, variance, tau2, 1.0, previousPValue, double.NegativeInfinity, double.PositiveInfinity);
        }

        double total = variance + tau2;
        double logLambda = (0.5 * Math.Log(variance / total)) + (estimate * estimate * tau2 / (2.0 * variance * total));
        double lambda = Math.Exp(logLambda);
        double pValue = Math.Min(previousPValue, Math.Min(1.0, Math.Exp(-logLambda)));
        double halfWidth = Math.Sqrt(variance * total / tau2 * (Math.Log(total / variance) - (2.0 * Math.Log(alpha))));
        return new SequentialTestResult(estimate, variance, tau2, lambda, pValue, estimate - halfWidth, estimate + halfWidth);
    }
}
