using System.Buffers;
using System.Runtime.InteropServices;
using SelfLearning.Internal;

namespace SelfLearning.Evaluation;

/// <summary>
/// Per-bin sums behind ECE, MCE and reliability curves: how many cases fall in each bin, their summed
/// confidence and their summed outcome. Written by hand: this is a single pass over spans that must not
/// allocate, which no library here offers.
/// </summary>
internal static class CalibrationBins
{
    /// <summary>Bins up to this count keep their sums on the stack; more come from the shared array pool.</summary>
    public const int StackBinLimit = 128;

    /// <summary>Equal-width bin of the DESIGN's ECE: min(⌊p·M⌋, M − 1), so p = 1 falls in the top bin.</summary>
    public static int EqualWidthIndex(double probability, int bins) => Math.Min((int)(probability * bins), bins - 1);

    /// <summary>
    /// Accumulates equal-width bins in one pass, checking each confidence as it goes (the check shares the
    /// pass over memory, which is what bounds the speed) and throwing, naming <paramref name="confidenceName"/>
    /// and the index, on one outside [0, 1].
    /// </summary>
    public static void AccumulateEqualWidth(
        ReadOnlySpan<double> confidence,
        ReadOnlySpan<bool> correct,
        Span<double> count,
        Span<double> confidenceSum,
        Span<double> correctSum,
        string confidenceName)
    {
        int bins = count.Length;
        // Outcomes are read as bytes (0 or 1) so the loop has no data-dependent branch.
        ReadOnlySpan<byte> outcome = MemoryMarshal.AsBytes(correct[..confidence.Length]);
        for (int i = 0; i < confidence.Length; i++)
        {
            double p = confidence[i];
            if (!(p >= 0.0 && p <= 1.0))
            {
                Guard.AllProbabilities(confidence, confidenceName);
            }

            int b = Math.Min((int)(p * bins), bins - 1);
            count[b] += 1.0;
            confidenceSum[b] += p;
            correctSum[b] += outcome[i];
        }
    }

    /// <summary>
    /// Accumulates into bins separated by <paramref name="interiorEdges"/>, a value going to the number of
    /// edges strictly below it (numpy's <c>searchsorted(edges, p)</c>, as scikit-learn's <c>calibration_curve</c>).
    /// </summary>
    public static void AccumulateByEdges(
        ReadOnlySpan<double> confidence,
        ReadOnlySpan<bool> correct,
        ReadOnlySpan<double> interiorEdges,
        Span<double> count,
        Span<double> confidenceSum,
        Span<double> correctSum)
    {
        for (int i = 0; i < confidence.Length; i++)
        {
            double p = confidence[i];
            int lo = 0;
            int hi = interiorEdges.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (interiorEdges[mid] < p)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            count[lo] += 1.0;
            confidenceSum[lo] += p;
            if (correct[i])
            {
                correctSum[lo] += 1.0;
            }
        }
    }

    /// <summary>Interior edges i/M (i = 1 … M − 1) exactly as <c>np.linspace(0, 1, M + 1)[1:-1]</c>.</summary>
    public static void UniformEdges(Span<double> interiorEdges, int bins)
    {
        double step = 1.0 / bins;
        for (int i = 1; i < bins; i++)
        {
            interiorEdges[i - 1] = i * step;
        }
    }

    /// <summary>
    /// Interior edges at the i/M quantiles of the confidences, as scikit-learn 1.2.1's
    /// <c>np.percentile(y_prob, np.linspace(0, 1, M + 1) * 100)[1:-1]</c> (linear interpolation).
    /// Sorts a pooled copy of the confidences.
    /// </summary>
    public static void QuantileEdges(ReadOnlySpan<double> confidence, Span<double> interiorEdges, int bins)
    {
        double[] sorted = ArrayPool<double>.Shared.Rent(confidence.Length);
        try
        {
            Span<double> values = sorted.AsSpan(0, confidence.Length);
            confidence.CopyTo(values);
            values.Sort();
            double step = 1.0 / bins;
            int last = values.Length - 1;
            for (int i = 1; i < bins; i++)
            {
                double q = i * step * 100.0 / 100.0;
                double position = last * q;
                int below = (int)Math.Floor(position);
                double t = position - below;
                if (below >= last)
                {
                    interiorEdges[i - 1] = values[last];
                    continue;
                }

                double a = values[below];
                double b = values[below + 1];
                double difference = b - a;
                interiorEdges[i - 1] = t >= 0.5 ? b - (difference * (1.0 - t)) : a + (difference * t);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sorted);
        }
    }

    /// <summary>Σ (nᵦ/N)·|accᵦ − confᵦ| over non-empty bins.</summary>
    public static double ExpectedError(ReadOnlySpan<double> count, ReadOnlySpan<double> confidenceSum, ReadOnlySpan<double> correctSum, int total)
    {
        double error = 0.0;
        for (int b = 0; b < count.Length; b++)
        {
            if (count[b] > 0.0)
            {
                error += Math.Abs(correctSum[b] - confidenceSum[b]) / total;
            }
        }

        return error;
    }

    /// <summary>max |accᵦ − confᵦ| over non-empty bins.</summary>
    public static double MaximumError(ReadOnlySpan<double> count, ReadOnlySpan<double> confidenceSum, ReadOnlySpan<double> correctSum)
    {
        double error = 0.0;
        for (int b = 0; b < count.Length; b++)
        {
            if (count[b] > 0.0)
            {
                error = Math.Max(error, Math.Abs((correctSum[b] / count[b]) - (confidenceSum[b] / count[b])));
            }
        }

        return error;
    }
}
