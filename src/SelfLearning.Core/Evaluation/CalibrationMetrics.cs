using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SelfLearning.Internal;

namespace SelfLearning.Evaluation;

/// <summary>
/// How well predicted probabilities match observed frequencies: ECE and MCE, the Brier score and its
/// Murphy decomposition, log loss, reliability curves and classwise ECE. Results agree with
/// scikit-learn 1.2.1 where it defines them. ECE (equal-width), MCE, Brier and log loss make one pass
/// and allocate nothing (bin sums live on the stack for up to 128 bins, in pooled arrays beyond).
/// </summary>
public static class CalibrationMetrics
{
    /// <summary>The default number of bins of <see cref="ExpectedCalibrationError"/> and <see cref="MaximumCalibrationError"/>.</summary>
    public const int DefaultBins = 15;

    /// <summary>The default number of bins of <see cref="ReliabilityCurve"/> (scikit-learn's <c>n_bins=5</c>).</summary>
    public const int DefaultCurveBins = 5;

    /// <summary>
    /// The most bins any binned metric accepts (ECE, MCE, classwise ECE, reliability curves): a larger count is
    /// refused before anything is allocated, since the bin sums take 32 bytes per bin.
    /// </summary>
    public const int MaximumBins = 1_000_000;

    /// <summary>Probabilities are clipped to [ε, 1 − ε] before the logarithm of <see cref="LogLoss"/>.</summary>
    public const double LogLossEpsilon = 1e-15;

    /// <summary>
    /// Expected calibration error: Σᵦ (nᵦ / N)·|accᵦ − confᵦ| over the non-empty bins, where accᵦ is the
    /// share of correct cases in bin b and confᵦ their mean confidence.
    /// </summary>
    /// <remarks>
    /// <see cref="BinningStrategy.EqualWidth"/>: bin index min(⌊p·M⌋, M − 1), so a confidence on an inner edge
    /// goes to the bin above; allocates nothing. <see cref="BinningStrategy.EqualMass"/>: the bins of
    /// <see cref="ReliabilityCurve"/> with quantile edges (ties share a bin, so bins may be unequal or merged);
    /// sorts a copy of the confidences in a pooled array.
    /// </remarks>
    /// <param name="confidence">The model's confidence in each prediction, in [0, 1].</param>
    /// <param name="correct">Whether each prediction was correct.</param>
    /// <param name="bins">The number of bins M (at least 1).</param>
    /// <param name="strategy">How the bins are laid out.</param>
    /// <returns>The ECE, in [0, 1].</returns>
    /// <exception cref="ArgumentException">Empty input, lengths differ, a confidence outside [0, 1] or NaN, <paramref name="bins"/> outside [1, <see cref="MaximumBins"/>], or an undefined <paramref name="strategy"/>.</exception>
    public static double ExpectedCalibrationError(
        ReadOnlySpan<double> confidence,
        ReadOnlySpan<bool> correct,
        int bins = DefaultBins,
        BinningStrategy strategy = BinningStrategy.EqualWidth)
    {
        ValidateShape(confidence, correct, nameof(confidence), nameof(correct));
        Guard.InRange(bins, 1, MaximumBins);
        Guard.Defined(strategy);
        return BinnedError(confidence, correct, bins, strategy, maximum: false, nameof(confidence));
    }

    /// <summary>
    /// Maximum calibration error: maxᵦ |accᵦ − confᵦ| over the non-empty bins, with the bins of
    /// <see cref="ExpectedCalibrationError"/>.
    /// </summary>
    /// <param name="confidence">The model's confidence in each prediction, in [0, 1].</param>
    /// <param name="correct">Whether each prediction was correct.</param>
    /// <param name="bins">The number of bins M (at least 1).</param>
    /// <param name="strategy">How the bins are laid out.</param>
    /// <returns>The MCE, in [0, 1].</returns>
    /// <exception cref="ArgumentException">Empty input, lengths differ, a confidence outside [0, 1] or NaN, <paramref name="bins"/> outside [1, <see cref="MaximumBins"/>], or an undefined <paramref name="strategy"/>.</exception>
    public static double MaximumCalibrationError(
        ReadOnlySpan<double> confidence,
        ReadOnlySpan<bool> correct,
        int bins = DefaultBins,
        BinningStrategy strategy = BinningStrategy.EqualWidth)
    {
        ValidateShape(confidence, correct, nameof(confidence), nameof(correct));
        Guard.InRange(bins, 1, MaximumBins);
        Guard.Defined(strategy);
        return BinnedError(confidence, correct, bins, strategy, maximum: true, nameof(confidence));
    }

    /// <summary>The Brier score, mean (pᵢ − yᵢ)², as scikit-learn's <c>brier_score_loss</c>. Allocates nothing.</summary>
    /// <param name="probability">The predicted probability of the positive class, in [0, 1].</param>
    /// <param name="label">Whether each case was positive.</param>
    /// <returns>The score, in [0, 1]; lower is better.</returns>
    /// <exception cref="ArgumentException">Empty input, lengths differ, or a probability outside [0, 1] or NaN.</exception>
    public static double BrierScore(ReadOnlySpan<double> probability, ReadOnlySpan<bool> label)
    {
        ValidateShape(probability, label, nameof(probability), nameof(label));
        return BrierScoreCore(probability, label, nameof(probability));
    }

    /// <summary>
    /// Murphy's decomposition of the Brier score into reliability, resolution and uncertainty, grouping the
    /// cases by distinct forecast value. With that grouping BS = REL − RES + UNC is an algebraic identity
    /// (it holds to rounding for any forecasts, and is the textbook decomposition for discrete ones);
    /// for continuous forecasts every case is its own group and REL, RES mostly measure noise, so bin
    /// forecasts first if a smoothed decomposition is wanted. Sorts a pooled copy of the inputs.
    /// </summary>
    /// <param name="probability">The predicted probability of the positive class, in [0, 1].</param>
    /// <param name="label">Whether each case was positive.</param>
    /// <returns>The score and its three components.</returns>
    /// <exception cref="ArgumentException">Empty input, lengths differ, or a probability outside [0, 1] or NaN.</exception>
    public static BrierScoreDecomposition BrierDecomposition(ReadOnlySpan<double> probability, ReadOnlySpan<bool> label)
    {
        ValidateBinary(probability, label, nameof(probability), nameof(label));
        int n = probability.Length;
        double[] forecasts = ArrayPool<double>.Shared.Rent(n);
        double[] outcomes = ArrayPool<double>.Shared.Rent(n);
        try
        {
            double positives = 0.0;
            for (int i = 0; i < n; i++)
            {
                forecasts[i] = probability[i];
                outcomes[i] = label[i] ? 1.0 : 0.0;
                positives += outcomes[i];
            }

            Array.Sort(forecasts, outcomes, 0, n);
            double baseRate = positives / n;
            double reliability = 0.0;
            double resolution = 0.0;
            int start = 0;
            while (start < n)
            {
                int end = start;
                double hits = 0.0;
                while (end < n && forecasts[end] == forecasts[start])
                {
                    hits += outcomes[end];
                    end++;
                }

                double count = end - start;
                double frequency = hits / count;
                double calibrationGap = forecasts[start] - frequency;
                double spread = frequency - baseRate;
                reliability += count * calibrationGap * calibrationGap;
                resolution += count * spread * spread;
                start = end;
            }

            return new BrierScoreDecomposition(
                BrierScoreCore(probability, label, nameof(probability)),
                reliability / n,
                resolution / n,
                baseRate * (1.0 - baseRate));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(forecasts);
            ArrayPool<double>.Shared.Return(outcomes);
        }
    }

    /// <summary>
    /// Binary log loss (cross-entropy), mean −[y·ln p + (1 − y)·ln(1 − p)] with p clipped to
    /// [<see cref="LogLossEpsilon"/>, 1 − <see cref="LogLossEpsilon"/>], as scikit-learn's
    /// <c>log_loss(y, p, eps=1e-15)</c>. Allocates nothing.
    /// </summary>
    /// <param name="probability">The predicted probability of the positive class, in [0, 1].</param>
    /// <param name="label">Whether each case was positive.</param>
    /// <returns>The loss, zero or more; lower is better.</returns>
    /// <exception cref="ArgumentException">Empty input, lengths differ, or a probability outside [0, 1] or NaN.</exception>
    public static double LogLoss(ReadOnlySpan<double> probability, ReadOnlySpan<bool> label)
    {
        ValidateShape(probability, label, nameof(probability), nameof(label));
        return LogLossCore(probability, label, nameof(probability));
    }

    /// <summary>
    /// The reliability curve (calibration curve) exactly as scikit-learn 1.2.1's <c>calibration_curve</c>:
    /// inner bin edges at i/M (<see cref="BinningStrategy.EqualWidth"/>, <c>'uniform'</c>) or at the i/M quantiles of
    /// the probabilities (<see cref="BinningStrategy.EqualMass"/>, <c>'quantile'</c>); a probability goes to the number
    /// of inner edges strictly below it (so one on an edge goes to the bin below); empty bins are dropped.
    /// </summary>
    /// <param name="probability">The predicted probability of the positive class, in [0, 1].</param>
    /// <param name="label">Whether each case was positive.</param>
    /// <param name="bins">The number of bins M (at least 1).</param>
    /// <param name="strategy">How the bins are laid out.</param>
    /// <returns>The non-empty bins in increasing order of probability.</returns>
    /// <exception cref="ArgumentException">Empty input, lengths differ, a probability outside [0, 1] or NaN, <paramref name="bins"/> outside [1, <see cref="MaximumBins"/>], or an undefined <paramref name="strategy"/>.</exception>
    public static IReadOnlyList<ReliabilityBin> ReliabilityCurve(
        ReadOnlySpan<double> probability,
        ReadOnlySpan<bool> label,
        int bins = DefaultCurveBins,
        BinningStrategy strategy = BinningStrategy.EqualWidth)
    {
        ValidateBinary(probability, label, nameof(probability), nameof(label));
        Guard.InRange(bins, 1, MaximumBins);
        Guard.Defined(strategy);
        var count = new double[bins];
        var confidenceSum = new double[bins];
        var correctSum = new double[bins];
        var edges = new double[bins - 1];
        if (strategy == BinningStrategy.EqualMass)
        {
            CalibrationBins.QuantileEdges(probability, edges, bins);
        }
        else
        {
            CalibrationBins.UniformEdges(edges, bins);
        }

        CalibrationBins.AccumulateByEdges(probability, label, edges, count, confidenceSum, correctSum);
        var curve = new List<ReliabilityBin>(bins);
        for (int b = 0; b < bins; b++)
        {
            if (count[b] > 0.0)
            {
                curve.Add(new ReliabilityBin(confidenceSum[b] / count[b], correctSum[b] / count[b], (int)count[b]));
            }
        }

        return curve.AsReadOnly();
    }

    /// <summary>
    /// Classwise ECE for a multiclass model (Kull et al. 2019): the mean over classes k of the ECE of the
    /// one-vs-rest problem "is the label k?" scored by the probability of class k.
    /// </summary>
    /// <param name="probabilities">Row i holds case i's predicted probability for each class, each in [0, 1].</param>
    /// <param name="labels">The true class of each case, in [0, number of classes).</param>
    /// <param name="bins">The number of bins per class (at least 1).</param>
    /// <param name="strategy">How the bins are laid out.</param>
    /// <returns>The classwise ECE, in [0, 1].</returns>
    /// <exception cref="ArgumentException">
    /// No cases, fewer than two classes, row count differing from the label count, a probability outside [0, 1]
    /// or NaN, a label out of range, <paramref name="bins"/> outside [1, <see cref="MaximumBins"/>], or an undefined <paramref name="strategy"/>.
    /// </exception>
    public static double ClasswiseExpectedCalibrationError(
        double[,] probabilities,
        ReadOnlySpan<int> labels,
        int bins = DefaultBins,
        BinningStrategy strategy = BinningStrategy.EqualWidth)
    {
        Guard.NotNull(probabilities);
        Guard.InRange(bins, 1, MaximumBins);
        Guard.Defined(strategy);
        int n = probabilities.GetLength(0);
        int classes = probabilities.GetLength(1);
        Guard.NotEmpty(labels);
        if (n != labels.Length)
        {
            throw new ArgumentException(
                $"'{nameof(labels)}' has {labels.Length} elements but '{nameof(probabilities)}' has {n} rows; they must match.",
                nameof(labels));
        }

        if (classes < 2)
        {
            throw new ArgumentException($"'{nameof(probabilities)}' has {classes} column(s); at least two classes are needed.", nameof(probabilities));
        }

        for (int i = 0; i < n; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels),
                    labels[i],
                    $"'{nameof(labels)}' must hold classes in [0, {classes}), but element {i} is {labels[i]}.");
            }

            for (int k = 0; k < classes; k++)
            {
                double p = probabilities[i, k];
                if (!(p >= 0.0 && p <= 1.0))
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(probabilities),
                        p,
                        $"'{nameof(probabilities)}' must hold probabilities in [0, 1], but element [{i}, {k}] is {p.ToString("R", CultureInfo.InvariantCulture)}.");
                }
            }
        }

        var column = new double[n];
        var isClass = new bool[n];
        double sum = 0.0;
        for (int k = 0; k < classes; k++)
        {
            for (int i = 0; i < n; i++)
            {
                column[i] = probabilities[i, k];
                isClass[i] = labels[i] == k;
            }

            sum += BinnedError(column, isClass, bins, strategy, maximum: false, nameof(probabilities));
        }

        return sum / classes;
    }

    // One pass that checks each probability as it reads it (throwing with the index) and accumulates.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double BrierScoreCore(ReadOnlySpan<double> probability, ReadOnlySpan<bool> label, string probabilityName)
    {
        // Labels are read as their bytes (0 or 1 for every bool safe code makes), keeping the loop free of
        // data-dependent branches; random labels would otherwise mispredict half the time.
        ReadOnlySpan<byte> outcome = MemoryMarshal.AsBytes(label[..probability.Length]);
        int i = 0;
        double sum = 0.0;
        if (Avx2.IsSupported)
        {
            i = BrierSumAvx2(probability, outcome, probabilityName, out sum);
        }

        for (; i < probability.Length; i++)
        {
            double p = probability[i];
            if (!(p >= 0.0 && p <= 1.0))
            {
                Guard.AllProbabilities(probability, probabilityName);
            }

            double d = p - outcome[i];
            sum += d * d;
        }

        return sum / probability.Length;
    }

    // Σ (pᵢ − yᵢ)² eight cases at a time in two independent accumulators; each group of four labels widens from
    // bytes to 64-bit lanes (vpmovzxbq) and becomes 0.0 or 1.0 by masking 1.0's bits with −y. Returns where the
    // scalar tail starts. The sum is regrouped, so it differs from the sequential one by rounding alone.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int BrierSumAvx2(ReadOnlySpan<double> probability, ReadOnlySpan<byte> outcome, string probabilityName, out double sum)
    {
        ref double p0 = ref MemoryMarshal.GetReference(probability);
        ref byte y0 = ref MemoryMarshal.GetReference(outcome);
        var one = Vector256<double>.One;
        Vector256<double> sum0 = default, sum1 = default, valid = Vector256<double>.AllBitsSet;
        int n = probability.Length;
        int i = 0;
        for (; i <= n - 8; i += 8)
        {
            var p = Vector256.LoadUnsafe(ref p0, (nuint)i);
            var q = Vector256.LoadUnsafe(ref p0, (nuint)(i + 4));
            valid &= Vector256.GreaterThanOrEqual(p, Vector256<double>.Zero) & Vector256.LessThanOrEqual(p, one)
                & Vector256.GreaterThanOrEqual(q, Vector256<double>.Zero) & Vector256.LessThanOrEqual(q, one);
            var y = Avx2.ConvertToVector256Int64(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref y0, i))).AsByte());
            var z = Avx2.ConvertToVector256Int64(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref y0, i + 4))).AsByte());
            var dp = p - (one & (Vector256<long>.Zero - y).AsDouble());
            var dq = q - (one & (Vector256<long>.Zero - z).AsDouble());
            sum0 += dp * dp;
            sum1 += dq * dq;
        }

        if (valid.AsUInt64() != Vector256<ulong>.AllBitsSet)
        {
            // The sums are thrown away: the check throws, naming the first bad index.
            Guard.AllProbabilities(probability, probabilityName);
        }

        sum = Vector256.Sum(sum0 + sum1);
        return i;
    }

    // One pass that checks each probability as it reads it (throwing with the index) and accumulates.
    internal static double LogLossCore(ReadOnlySpan<double> probability, ReadOnlySpan<bool> label, string probabilityName)
    {
        double sum = 0.0;
        label = label[..probability.Length];
        for (int i = 0; i < probability.Length; i++)
        {
            double p = probability[i];
            if (!(p >= 0.0 && p <= 1.0))
            {
                Guard.AllProbabilities(probability, probabilityName);
            }

            p = Math.Clamp(p, LogLossEpsilon, 1.0 - LogLossEpsilon);
            sum -= Math.Log(label[i] ? p : 1.0 - p);
        }

        return sum / probability.Length;
    }

    internal static double BinnedError(
        ReadOnlySpan<double> confidence,
        ReadOnlySpan<bool> correct,
        int bins,
        BinningStrategy strategy,
        bool maximum,
        string confidenceName)
    {
        int length = 4 * bins;
        double[]? rented = null;
        Span<double> buffer = bins <= CalibrationBins.StackBinLimit
            ? stackalloc double[4 * CalibrationBins.StackBinLimit]
            : (rented = ArrayPool<double>.Shared.Rent(length));
        try
        {
            buffer = buffer[..length];
            buffer.Clear();
            Span<double> count = buffer[..bins];
            Span<double> confidenceSum = buffer.Slice(bins, bins);
            Span<double> correctSum = buffer.Slice(2 * bins, bins);
            if (strategy == BinningStrategy.EqualMass)
            {
                Guard.AllProbabilities(confidence, confidenceName);
                Span<double> edges = buffer.Slice(3 * bins, bins - 1);
                CalibrationBins.QuantileEdges(confidence, edges, bins);
                CalibrationBins.AccumulateByEdges(confidence, correct, edges, count, confidenceSum, correctSum);
            }
            else
            {
                CalibrationBins.AccumulateEqualWidth(confidence, correct, count, confidenceSum, correctSum, confidenceName);
            }

            return maximum
                ? CalibrationBins.MaximumError(count, confidenceSum, correctSum)
                : CalibrationBins.ExpectedError(count, confidenceSum, correctSum, confidence.Length);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    internal static void ValidateBinary(ReadOnlySpan<double> probability, ReadOnlySpan<bool> label, string probabilityName, string labelName)
    {
        ValidateShape(probability, label, probabilityName, labelName);
        Guard.AllProbabilities(probability, probabilityName);
    }

    // Non-empty and equal lengths; the hot-path metrics check the values during their single pass.
    private static void ValidateShape(ReadOnlySpan<double> probability, ReadOnlySpan<bool> label, string probabilityName, string labelName)
    {
        Guard.NotEmpty(probability, probabilityName);
        Guard.SameLength(probability, label, probabilityName, labelName);
    }
}
