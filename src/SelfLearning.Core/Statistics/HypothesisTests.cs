using System.Globalization;
using SelfLearning.Internal;

namespace SelfLearning.Statistics;

/// <summary>
/// Classical frequentist tests, agreeing with statsmodels 0.13.5 and SciPy 1.10.1 to 1e-6 relative.
/// Every test returns the statistic and its p-value; none returns NaN: where the reference would
/// (a statistic of 0/0), the documented behaviour of each method applies instead.
/// </summary>
public static class HypothesisTests
{
    /// <summary>The tolerance with which the expected shares of a goodness-of-fit test must sum to one.</summary>
    public const double ShareSumTolerance = 1e-8;

    // 2²⁵⁰: a magnitude beyond it (or below its reciprocal) is rescaled before squaring.
    private static readonly double ScaleLimit = Math.ScaleB(1.0, 250);

    /// <summary>
    /// Pooled two-proportion z-test, as statsmodels' <c>proportions_ztest([successesA, successesB],
    /// [trialsA, trialsB], value=0)</c>: z = (p̂A − p̂B) / √(p̄(1 − p̄)(1/nA + 1/nB)) with the pooled p̄.
    /// The sign follows statsmodels: z is positive when A's proportion is larger.
    /// </summary>
    /// <param name="successesA">Successes in A.</param>
    /// <param name="trialsA">Trials in A (at least one).</param>
    /// <param name="successesB">Successes in B.</param>
    /// <param name="trialsB">Trials in B (at least one).</param>
    /// <param name="alternative">The alternative hypothesis; <see cref="Alternative.Greater"/> is "A's proportion is larger".</param>
    /// <returns>
    /// z and its normal p-value. When the pooled proportion is 0 or 1 (no successes at all, or only
    /// successes) both samples agree exactly and z is undefined (statsmodels gives NaN); this method
    /// returns z = 0 and p = 1 (or 0.5 for a one-sided alternative, the limit of the normal tail at 0).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A count is negative, trials are zero, successes exceed trials, or <paramref name="alternative"/> is undefined.
    /// Any counts up to <see cref="long.MaxValue"/> are accepted: they are combined in floating point, never in a sum that could overflow.
    /// </exception>
    public static TestResult TwoProportionZTest(
        long successesA,
        long trialsA,
        long successesB,
        long trialsB,
        Alternative alternative = Alternative.TwoSided)
    {
        Guard.NonNegative(successesA);
        Guard.NonNegative(successesB);
        PositiveCount(trialsA);
        PositiveCount(trialsB);
        Guard.AtMost(successesA, trialsA, nameof(trialsA));
        Guard.AtMost(successesB, trialsB, nameof(trialsB));
        Guard.Defined(alternative);

        // Summed in double: the sums of two counts near long.MaxValue overflow a long.
        double pooled = ((double)successesA + successesB) / ((double)trialsA + trialsB);
        double variance = pooled * (1.0 - pooled) * ((1.0 / trialsA) + (1.0 / trialsB));
        if (variance == 0.0)
        {
            return new TestResult(0.0, NormalPValue(0.0, alternative));
        }

        double difference = ((double)successesA / trialsA) - ((double)successesB / trialsB);
        double z = difference / Math.Sqrt(variance);
        return new TestResult(z, NormalPValue(z, alternative));
    }

    /// <summary>
    /// Welch's unequal-variance t-test on two samples, as SciPy's <c>ttest_ind(a, b, equal_var=False)</c>,
    /// with the Welch-Satterthwaite degrees of freedom.
    /// </summary>
    /// <param name="sampleA">The first sample (at least two finite values).</param>
    /// <param name="sampleB">The second sample (at least two finite values).</param>
    /// <param name="alternative">The alternative hypothesis; <see cref="Alternative.Greater"/> is "A's mean is larger".</param>
    /// <returns>t, its p-value and the degrees of freedom.</returns>
    /// <exception cref="ArgumentException">
    /// A sample has fewer than two values or a non-finite value, both samples are constant (t is undefined), or
    /// <paramref name="alternative"/> is undefined. Any finite values are accepted, up to ±<see cref="double.MaxValue"/>.
    /// </exception>
    public static TestResult WelchTTest(ReadOnlySpan<double> sampleA, ReadOnlySpan<double> sampleB, Alternative alternative = Alternative.TwoSided)
    {
        Guard.MinimumLength(sampleA, 2);
        Guard.MinimumLength(sampleB, 2);
        Guard.AllFinite(sampleA);
        Guard.AllFinite(sampleB);
        Guard.Defined(alternative);

        // t and the degrees of freedom do not change when every value is multiplied by the same power of two, so
        // values whose squares would overflow (or underflow) are brought near 1 first; the scaling is exact.
        int exponent = ScaleExponent(Math.Max(MaximumMagnitude(sampleA), MaximumMagnitude(sampleB)));
        var (meanA, varianceA) = MeanAndVariance(sampleA, exponent);
        var (meanB, varianceB) = MeanAndVariance(sampleB, exponent);
        return Welch(meanA, varianceA, sampleA.Length, meanB, varianceB, sampleB.Length, alternative, nameof(sampleA));
    }

    /// <summary>
    /// Welch's t-test from summary statistics, as SciPy's <c>ttest_ind_from_stats(..., equal_var=False)</c>.
    /// </summary>
    /// <param name="meanA">Mean of the first sample.</param>
    /// <param name="standardDeviationA">Sample standard deviation (ddof = 1) of the first sample.</param>
    /// <param name="countA">Size of the first sample (at least two).</param>
    /// <param name="meanB">Mean of the second sample.</param>
    /// <param name="standardDeviationB">Sample standard deviation (ddof = 1) of the second sample.</param>
    /// <param name="countB">Size of the second sample (at least two).</param>
    /// <param name="alternative">The alternative hypothesis; <see cref="Alternative.Greater"/> is "A's mean is larger".</param>
    /// <returns>t, its p-value and the degrees of freedom.</returns>
    /// <exception cref="ArgumentException">
    /// A value is not finite, a deviation is negative, a count is below two, both deviations are zero, or
    /// <paramref name="alternative"/> is undefined.
    /// </exception>
    public static TestResult WelchTTest(
        double meanA,
        double standardDeviationA,
        long countA,
        double meanB,
        double standardDeviationB,
        long countB,
        Alternative alternative = Alternative.TwoSided)
    {
        Guard.Finite(meanA);
        Guard.Finite(meanB);
        Guard.NonNegative(standardDeviationA);
        Guard.NonNegative(standardDeviationB);
        AtLeastTwo(countA);
        AtLeastTwo(countB);
        Guard.Defined(alternative);
        int exponent = ScaleExponent(Math.Max(Math.Max(Math.Abs(meanA), Math.Abs(meanB)), Math.Max(standardDeviationA, standardDeviationB)));
        double scaledA = Math.ScaleB(standardDeviationA, exponent);
        double scaledB = Math.ScaleB(standardDeviationB, exponent);
        return Welch(
            Math.ScaleB(meanA, exponent),
            scaledA * scaledA,
            countA,
            Math.ScaleB(meanB, exponent),
            scaledB * scaledB,
            countB,
            alternative,
            nameof(standardDeviationA));
    }

    /// <summary>
    /// Pearson's χ² goodness-of-fit test, as SciPy's <c>chisquare(observed, expectedShares · Σobserved)</c>,
    /// with k − 1 degrees of freedom.
    /// </summary>
    /// <param name="observed">Observed counts per category (at least two categories, not all zero).</param>
    /// <param name="expectedShares">Expected share of each category: positive, summing to one within <see cref="ShareSumTolerance"/>.</param>
    /// <returns>χ², its p-value and the degrees of freedom.</returns>
    /// <exception cref="ArgumentException">Lengths differ, fewer than two categories, a negative count, all counts zero, or invalid shares.</exception>
    public static TestResult ChiSquareGoodnessOfFit(ReadOnlySpan<long> observed, ReadOnlySpan<double> expectedShares)
    {
        Guard.MinimumLength(observed, 2);
        Guard.SameLength(observed, expectedShares);
        Guard.AllNonNegative(observed);
        double shareSum = 0.0;
        for (int i = 0; i < expectedShares.Length; i++)
        {
            double share = expectedShares[i];
            if (!(share > 0.0) || share > 1.0)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(expectedShares),
                    share,
                    $"'{nameof(expectedShares)}' must hold shares in (0, 1], but element {i} is {share.ToString("R", CultureInfo.InvariantCulture)}.");
            }

            shareSum += share;
        }

        if (Math.Abs(shareSum - 1.0) > ShareSumTolerance)
        {
            throw new ArgumentException(
                $"'{nameof(expectedShares)}' must sum to 1, but sums to {shareSum.ToString("R", CultureInfo.InvariantCulture)}.",
                nameof(expectedShares));
        }

        double total = 0.0;
        foreach (long count in observed)
        {
            total += count;
        }

        if (total == 0.0)
        {
            throw new ArgumentException($"'{nameof(observed)}' holds only zero counts; there is nothing to test.", nameof(observed));
        }

        double statistic = 0.0;
        for (int i = 0; i < observed.Length; i++)
        {
            double expected = expectedShares[i] * total;
            double difference = observed[i] - expected;
            statistic += difference * difference / expected;
        }

        double degrees = observed.Length - 1;
        return new TestResult(statistic, ReferenceDistributions.ChiSquareSurvival(statistic, degrees), degrees);
    }

    /// <summary>
    /// McNemar's test on the discordant pairs of a paired 2×2 table, as statsmodels' <c>mcnemar</c>.
    /// </summary>
    /// <param name="b">Pairs where the first is right and the second wrong (the table's [0, 1] cell).</param>
    /// <param name="c">Pairs where the first is wrong and the second right (the table's [1, 0] cell).</param>
    /// <param name="exact">
    /// <see langword="true"/>: the exact binomial test, statistic min(b, c), p = min(1, 2·P(X ≤ min(b, c))) with
    /// X ~ Binomial(b + c, ½) (statsmodels <c>exact=True</c>). <see langword="false"/>: the continuity-corrected
    /// χ², statistic (|b − c| − 1)² / (b + c) with one degree of freedom (statsmodels <c>exact=False, correction=True</c>).
    /// </param>
    /// <returns>
    /// The statistic and its p-value. With no discordant pairs (b + c = 0) there is no evidence either way:
    /// statistic 0 and p = 1 (statsmodels gives this for the exact test and NaN for the χ² one).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative (any counts up to <see cref="long.MaxValue"/> are accepted).</exception>
    public static TestResult McNemar(long b, long c, bool exact)
    {
        Guard.NonNegative(b);
        Guard.NonNegative(c);

        // Summed in double: b + c overflows a long when both are near long.MaxValue.
        double discordant = (double)b + c;
        if (exact)
        {
            long smaller = Math.Min(b, c);
            double p = Math.Min(1.0, 2.0 * ReferenceDistributions.BinomialHalfCdf(smaller, discordant));
            return new TestResult(smaller, p);
        }

        if (discordant == 0.0)
        {
            return new TestResult(0.0, 1.0, 1.0);
        }

        // b − c cannot overflow for non-negative counts, and is exact as a long where the doubles would round.
        double excess = Math.Abs(b - c) - 1.0;
        double statistic = excess * excess / discordant;
        return new TestResult(statistic, ReferenceDistributions.ChiSquareSurvival(statistic, 1.0), 1.0);
    }

    /// <summary>
    /// Two-sample Kolmogorov-Smirnov test with SciPy's asymptotic p-value, as <c>ks_2samp(a, b, method='asymp')</c>:
    /// two-sided p = <c>kstwo.sf(D, round(m·n/(m + n)))</c>, computed by the exact one-sample Kolmogorov
    /// distribution (see <see cref="KolmogorovDistribution"/>); one-sided p by Hodges' approximation (his eq. 5.3).
    /// </summary>
    /// <param name="sampleA">The first sample (finite values, not empty).</param>
    /// <param name="sampleB">The second sample (finite values, not empty).</param>
    /// <param name="alternative">
    /// Two-sided: D = sup |F_A − F_B|. As in SciPy, <see cref="Alternative.Less"/> (F_A &lt; F_B somewhere) uses
    /// D = sup (F_B − F_A), and <see cref="Alternative.Greater"/> (F_A &gt; F_B somewhere) uses D = sup (F_A − F_B).
    /// </param>
    /// <returns>D and its p-value.</returns>
    /// <exception cref="ArgumentException">
    /// A sample is empty or holds a non-finite value, both samples hold a single value, or <paramref name="alternative"/> is undefined.
    /// </exception>
    public static TestResult KolmogorovSmirnovTwoSample(
        ReadOnlySpan<double> sampleA,
        ReadOnlySpan<double> sampleB,
        Alternative alternative = Alternative.TwoSided)
    {
        Guard.NotEmpty(sampleA);
        Guard.NotEmpty(sampleB);
        Guard.AllFinite(sampleA);
        Guard.AllFinite(sampleB);
        Guard.Defined(alternative);
        if (sampleA.Length == 1 && sampleB.Length == 1)
        {
            throw new ArgumentException(
                "Both samples hold a single value; the Kolmogorov-Smirnov test needs at least two values in one of them.",
                nameof(sampleB));
        }

        double[] a = sampleA.ToArray();
        double[] b = sampleB.ToArray();
        Array.Sort(a);
        Array.Sort(b);
        double nA = a.Length;
        double nB = b.Length;

        // The empirical CDFs evaluated at every pooled value (right-continuous), as SciPy's searchsorted does.
        double maxAboveB = 0.0;
        double maxBelowB = 0.0;
        int i = 0;
        int j = 0;
        while (i < a.Length || j < b.Length)
        {
            double value = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.Length && a[i] <= value)
            {
                i++;
            }

            while (j < b.Length && b[j] <= value)
            {
                j++;
            }

            double difference = (i / nA) - (j / nB);
            maxAboveB = Math.Max(maxAboveB, difference);
            maxBelowB = Math.Max(maxBelowB, -difference);
        }

        double d = alternative switch
        {
            Alternative.Less => maxBelowB,
            Alternative.Greater => maxAboveB,
            _ => maxBelowB > maxAboveB ? maxBelowB : maxAboveB,
        };

        double m = Math.Max(nA, nB);
        double n = Math.Min(nA, nB);
        double en = m * n / (m + n);
        double p;
        if (alternative == Alternative.TwoSided)
        {
            p = KolmogorovDistribution.Survival((int)Math.Round(en, MidpointRounding.ToEven), d);
        }
        else
        {
            double z = Math.Sqrt(en) * d;
            double exponent = (-2.0 * z * z) - (2.0 * z * (m + (2.0 * n)) / Math.Sqrt(m * n * (m + n)) / 3.0);
            p = Math.Exp(exponent);
        }

        return new TestResult(d, Math.Clamp(p, 0.0, 1.0));
    }

    private static TestResult Welch(
        double meanA,
        double varianceA,
        double countA,
        double meanB,
        double varianceB,
        double countB,
        Alternative alternative,
        string constantName)
    {
        double vnA = varianceA / countA;
        double vnB = varianceB / countB;
        double denominatorSquared = vnA + vnB;
        if (denominatorSquared == 0.0)
        {
            throw new ArgumentException(
                "Both samples have zero variance, so Welch's t statistic is undefined.",
                constantName);
        }

        // Welch-Satterthwaite (vnA + vnB)² / (vnA²/(nA − 1) + vnB²/(nB − 1)), written with the shares vn/(vnA + vnB)
        // so no square can overflow.
        double shareA = vnA / denominatorSquared;
        double shareB = vnB / denominatorSquared;
        double degrees = 1.0 / ((shareA * shareA / (countA - 1)) + (shareB * shareB / (countB - 1)));
        double t = (meanA - meanB) / Math.Sqrt(denominatorSquared);
        double p = alternative switch
        {
            Alternative.Greater => ReferenceDistributions.StudentTSurvival(t, degrees),
            Alternative.Less => ReferenceDistributions.StudentTSurvival(-t, degrees),
            _ => Math.Min(1.0, 2.0 * ReferenceDistributions.StudentTSurvival(Math.Abs(t), degrees)),
        };
        return new TestResult(t, p, degrees);
    }

    private static double NormalPValue(double z, Alternative alternative) => alternative switch
    {
        Alternative.Greater => ReferenceDistributions.NormalSurvival(z),
        Alternative.Less => ReferenceDistributions.NormalSurvival(-z),
        _ => Math.Min(1.0, 2.0 * ReferenceDistributions.NormalSurvival(Math.Abs(z))),
    };

    /// <summary>
    /// The power of two that brings <paramref name="magnitude"/> near 1 when its square would overflow or underflow
    /// (outside [2⁻²⁵⁰, 2²⁵⁰]); 0 otherwise, so ordinary inputs are computed exactly as the references compute them.
    /// </summary>
    private static int ScaleExponent(double magnitude) =>
        magnitude > ScaleLimit || (magnitude > 0.0 && magnitude < 1.0 / ScaleLimit) ? -Math.ILogB(magnitude) : 0;

    private static double MaximumMagnitude(ReadOnlySpan<double> values)
    {
        double maximum = 0.0;
        foreach (double v in values)
        {
            maximum = Math.Max(maximum, Math.Abs(v));
        }

        return maximum;
    }

    private static (double Mean, double Variance) MeanAndVariance(ReadOnlySpan<double> values, int exponent)
    {
        double sum = 0.0;
        foreach (double v in values)
        {
            sum += Math.ScaleB(v, exponent);
        }

        double mean = sum / values.Length;
        double squares = 0.0;
        foreach (double v in values)
        {
            double d = Math.ScaleB(v, exponent) - mean;
            squares += d * d;
        }

        return (mean, squares / (values.Length - 1));
    }

    private static void PositiveCount(long value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be at least 1, but is {value}.");
        }
    }

    private static void AtLeastTwo(long value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < 2)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be at least 2, but is {value}.");
        }
    }
}
