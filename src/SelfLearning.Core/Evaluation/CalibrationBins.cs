using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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

    /// <summary>How many copies of the histogram the vectorised equal-width pass keeps (one per case of a group of four).</summary>
    private const int InterleavedCopies = 4;

    /// <summary>Equal-width bin of the DESIGN's ECE: min(⌊p·M⌋, M − 1), so p = 1 falls in the top bin.</summary>
    public static int EqualWidthIndex(double probability, int bins) => Math.Min((int)(probability * bins), bins - 1);

    /// <summary>
    /// Accumulates equal-width bins in one pass, checking each confidence as it goes (the check shares the
    /// pass over memory) and throwing, naming <paramref name="confidenceName"/> and the index, on one outside [0, 1].
    /// </summary>
    /// <remarks>
    /// Neighbouring cases often share a bin, so a single histogram makes each case's read-modify-write wait
    /// for the previous case's store. With AVX2 the cases are taken four at a time: one vector check, one
    /// vector bin index, and case k of the four goes to its own copy k of the histogram; the copies are
    /// merged at the end. Each copy keeps the count and the number correct in one 64-bit tally
    /// (count·2³² + correct), one read-modify-write instead of two. Only the order of the additions
    /// within a bin changes, which moves the result by rounding alone.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateEqualWidth(
        ReadOnlySpan<double> confidence,
        ReadOnlySpan<bool> correct,
        Span<double> count,
        Span<double> confidenceSum,
        Span<double> correctSum,
        string confidenceName)
    {
        int bins = count.Length;
        int n = confidence.Length;
        // Outcomes are read as bytes (0 or 1) so the loop has no data-dependent branch.
        ReadOnlySpan<byte> outcome = MemoryMarshal.AsBytes(correct[..n]);
        int i = 0;
        if (Avx2.IsSupported && bins <= StackBinLimit && n >= InterleavedCopies)
        {
            Span<long> tallies = stackalloc long[InterleavedCopies * bins];
            Span<double> sums = stackalloc double[InterleavedCopies * bins];
            tallies.Clear();
            sums.Clear();
            i = AccumulateInterleaved(confidence, outcome, tallies, sums, bins, confidenceName);
            for (int copy = 0; copy < InterleavedCopies; copy++)
            {
                for (int b = 0; b < bins; b++)
                {
                    long tally = tallies[(copy * bins) + b];
                    count[b] += tally >>> 32;
                    correctSum[b] += tally & uint.MaxValue;
                    confidenceSum[b] += sums[(copy * bins) + b];
                }
            }
        }

        for (; i < n; i++)
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
    /// The AVX2 body of <see cref="AccumulateEqualWidth"/>: whole groups of four cases into
    /// <see cref="InterleavedCopies"/> histograms laid out copy after copy; returns where the scalar tail starts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int AccumulateInterleaved(
        ReadOnlySpan<double> confidence,
        ReadOnlySpan<byte> outcome,
        Span<long> tallies,
        Span<double> sums,
        int bins,
        string confidenceName)
    {
        const long OneCase = 1L << 32;
        ref double p0 = ref MemoryMarshal.GetReference(confidence);
        ref byte y0 = ref MemoryMarshal.GetReference(outcome);
        ref long t0 = ref MemoryMarshal.GetReference(tallies);
        ref double s0 = ref MemoryMarshal.GetReference(sums);
        ref long t1 = ref Unsafe.Add(ref t0, bins);
        ref long t2 = ref Unsafe.Add(ref t1, bins);
        ref long t3 = ref Unsafe.Add(ref t2, bins);
        ref double s1 = ref Unsafe.Add(ref s0, bins);
        ref double s2 = ref Unsafe.Add(ref s1, bins);
        ref double s3 = ref Unsafe.Add(ref s2, bins);
        var scale = Vector256.Create((double)bins);
        var top = Vector128.Create(bins - 1);
        var one = Vector256<double>.One;
        int n = confidence.Length;
        int i = 0;
        for (; i <= n - 4; i += 4)
        {
            var p = Vector256.LoadUnsafe(ref p0, (nuint)i);

            // NaN fails both comparisons; a bad value is reported (by index) before it is used as a bin.
            var valid = Vector256.GreaterThanOrEqual(p, Vector256<double>.Zero) & Vector256.LessThanOrEqual(p, one);
            if (valid.AsUInt64() != Vector256<ulong>.AllBitsSet)
            {
                Guard.AllProbabilities(confidence, confidenceName);
            }

            // Truncation toward zero, as the scalar (int)(p·M); then min(·, M − 1).
            var bin = Sse41.Min(Avx.ConvertToVector128Int32WithTruncation(p * scale), top);
            uint labels = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref y0, i));
            int b0 = bin.GetElement(0), b1 = bin.GetElement(1), b2 = bin.GetElement(2), b3 = bin.GetElement(3);
            Unsafe.Add(ref t0, b0) += OneCase | (labels & 0xFF);
            Unsafe.Add(ref t1, b1) += OneCase | ((labels >> 8) & 0xFF);
            Unsafe.Add(ref t2, b2) += OneCase | ((labels >> 16) & 0xFF);
            Unsafe.Add(ref t3, b3) += OneCase | (labels >> 24);
            Unsafe.Add(ref s0, b0) += p.GetElement(0);
            Unsafe.Add(ref s1, b1) += p.GetElement(1);
            Unsafe.Add(ref s2, b2) += p.GetElement(2);
            Unsafe.Add(ref s3, b3) += p.GetElement(3);
        }

        return i;
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
