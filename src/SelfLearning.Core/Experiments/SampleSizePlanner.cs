using MathNet.Numerics.Distributions;
using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// Sample size per arm for a fixed-horizon two-sided test to detect a minimum effect with a given
/// power, by the normal approximation:
/// <c>n = ⌈(z₁₋α/₂ + z₁₋β)² · (σ²_A + σ²_B) / δ²⌉</c>, where for success rates
/// <c>σ²_A = p(1 − p)</c> and <c>σ²_B = (p + δ)(1 − p − δ)</c> (the unpooled variance under the alternative).
/// </summary>
internal static class SampleSizePlanner
{
    /// <summary>The sample size per arm to detect an absolute change of a success rate.</summary>
    /// <param name="baselineRate">The champion's success rate, in (0, 1).</param>
    /// <param name="minimumDetectableEffect">The absolute change to detect (positive or negative); <c>baselineRate + effect</c> must stay in (0, 1).</param>
    /// <param name="alpha">The two-sided false-positive rate, in (0, 1).</param>
    /// <param name="power">The probability of detecting the effect, in (0, 1).</param>
    /// <returns>Units (outcomes) per arm.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range; the message names it.</exception>
    public static long ForSuccessRate(double baselineRate, double minimumDetectableEffect, double alpha = 0.05, double power = 0.8)
    {
        Guard.InOpenRange(baselineRate, 0.0, 1.0);
        Guard.Finite(minimumDetectableEffect);
        double treated = baselineRate + minimumDetectableEffect;
        if (minimumDetectableEffect == 0.0 || !(treated > 0.0 && treated < 1.0))
        {
            throw new ArgumentOutOfRangeException(
                nameof(minimumDetectableEffect),
                minimumDetectableEffect,
                $"'{nameof(minimumDetectableEffect)}' must be non-zero and keep the rate inside (0, 1); the treated rate would be {treated:R}.");
        }

        double variance = (baselineRate * (1.0 - baselineRate)) + (treated * (1.0 - treated));
        return Solve(variance, minimumDetectableEffect, alpha, power);
    }

    /// <summary>The sample size per arm to detect a change of a mean, both arms having the same standard deviation.</summary>
    /// <param name="standardDeviation">The per-outcome standard deviation.</param>
    /// <param name="minimumDetectableEffect">The absolute change of the mean to detect (non-zero).</param>
    /// <param name="alpha">The two-sided false-positive rate, in (0, 1).</param>
    /// <param name="power">The probability of detecting the effect, in (0, 1).</param>
    /// <returns>Units (outcomes) per arm.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range; the message names it.</exception>
    public static long ForMean(double standardDeviation, double minimumDetectableEffect, double alpha = 0.05, double power = 0.8)
    {
        Guard.Positive(standardDeviation);
        Guard.Finite(minimumDetectableEffect);
        if (minimumDetectableEffect == 0.0)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumDetectableEffect), minimumDetectableEffect, $"'{nameof(minimumDetectableEffect)}' must be non-zero.");
        }

        return Solve(2.0 * standardDeviation * standardDeviation, minimumDetectableEffect, alpha, power);
    }

    private static long Solve(double varianceSum, double effect, double alpha, double power)
    {
        Guard.InOpenRange(alpha, 0.0, 1.0);
        Guard.InOpenRange(power, 0.0, 1.0);
        double z = Normal.InvCDF(0.0, 1.0, 1.0 - (alpha / 2.0)) + Normal.InvCDF(0.0, 1.0, power);
        return (long)Math.Ceiling(z * z * varianceSum / (effect * effect));
    }
}
