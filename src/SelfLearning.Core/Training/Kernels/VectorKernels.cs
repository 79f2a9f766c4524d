using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SelfLearning.Training.Kernels;

/// <summary>
/// The dense loops the trainers spend their time in, on 256-bit vectors with explicit fused multiply-adds.
/// </summary>
/// <remarks>
/// Hand-written rather than <c>TensorPrimitives</c>: every reduction here runs in one fixed order (lane by lane,
/// then the lanes in index order) and every product-sum is an explicit fused multiply-add, so a result does not
/// depend on the JIT tier or on whether the machine has 512-bit vectors — the same data gives the same artifact
/// bytes over a process's life.
/// </remarks>
internal static class VectorKernels
{
    /// <summary>Doubles per 256-bit vector (a constant, so that methods compiled before this class is initialised fold it).</summary>
    private const int Width = 4;

    /// <summary>accumulator[j] += row[j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(Span<double> accumulator, ReadOnlySpan<double> row)
    {
        ref double a = ref MemoryMarshal.GetReference(accumulator);
        ref double r = ref MemoryMarshal.GetReference(row);
        int j = 0;
        for (; j + Width <= row.Length; j += Width)
        {
            (Vector256.LoadUnsafe(ref a, (nuint)j) + Vector256.LoadUnsafe(ref r, (nuint)j)).StoreUnsafe(ref a, (nuint)j);
        }

        for (; j < row.Length; j++)
        {
            Unsafe.Add(ref a, j) += Unsafe.Add(ref r, j);
        }
    }

    /// <summary>accumulator[j] += (row[j] − mean[j])².</summary>
    public static void AddSquaredDeviation(Span<double> accumulator, ReadOnlySpan<double> row, ReadOnlySpan<double> mean)
    {
        ref double a = ref MemoryMarshal.GetReference(accumulator);
        ref double r = ref MemoryMarshal.GetReference(row);
        ref double m = ref MemoryMarshal.GetReference(mean);
        int j = 0;
        for (; j + Width <= row.Length; j += Width)
        {
            var delta = Vector256.LoadUnsafe(ref r, (nuint)j) - Vector256.LoadUnsafe(ref m, (nuint)j);
            Vector256.FusedMultiplyAdd(delta, delta, Vector256.LoadUnsafe(ref a, (nuint)j)).StoreUnsafe(ref a, (nuint)j);
        }

        for (; j < row.Length; j++)
        {
            double delta = Unsafe.Add(ref r, j) - Unsafe.Add(ref m, j);
            Unsafe.Add(ref a, j) = Math.FusedMultiplyAdd(delta, delta, Unsafe.Add(ref a, j));
        }
    }

    /// <summary>Σ values[i].</summary>
    public static double Sum(ReadOnlySpan<double> values)
    {
        ref double v = ref MemoryMarshal.GetReference(values);
        var s0 = Vector256<double>.Zero;
        var s1 = Vector256<double>.Zero;
        int i = 0;
        for (; i + (2 * Width) <= values.Length; i += 2 * Width)
        {
            s0 += Vector256.LoadUnsafe(ref v, (nuint)i);
            s1 += Vector256.LoadUnsafe(ref v, (nuint)(i + Width));
        }

        double sum = Reduce(s0 + s1);
        for (; i < values.Length; i++)
        {
            sum += Unsafe.Add(ref v, i);
        }

        return sum;
    }

    /// <summary>Σ a[i]·b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        ref double x = ref MemoryMarshal.GetReference(a);
        ref double y = ref MemoryMarshal.GetReference(b);
        var s0 = Vector256<double>.Zero;
        var s1 = Vector256<double>.Zero;
        int i = 0;
        for (; i + (2 * Width) <= a.Length; i += 2 * Width)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)(i + Width)), Vector256.LoadUnsafe(ref y, (nuint)(i + Width)), s1);
        }

        double sum = Reduce(s0 + s1);
        for (; i < a.Length; i++)
        {
            sum = Math.FusedMultiplyAdd(Unsafe.Add(ref x, i), Unsafe.Add(ref y, i), sum);
        }

        return sum;
    }

    /// <summary>
    /// result[c] = Σ a[i]·b_c[i] for the four columns b_c that start <paramref name="stride"/> apart at
    /// <paramref name="b"/>: <paramref name="a"/> is read once for all four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot4(ReadOnlySpan<double> a, ref double b, int stride, Span<double> result)
    {
        ref double x = ref MemoryMarshal.GetReference(a);
        ref double b0 = ref b;
        ref double b1 = ref Unsafe.Add(ref b, stride);
        ref double b2 = ref Unsafe.Add(ref b, 2 * stride);
        ref double b3 = ref Unsafe.Add(ref b, 3 * stride);
        // Two row vectors per step: eight independent sums hide the fused multiply-add's latency.
        var s0 = Vector256<double>.Zero;
        var s1 = Vector256<double>.Zero;
        var s2 = Vector256<double>.Zero;
        var s3 = Vector256<double>.Zero;
        var t0 = Vector256<double>.Zero;
        var t1 = Vector256<double>.Zero;
        var t2 = Vector256<double>.Zero;
        var t3 = Vector256<double>.Zero;
        int i = 0;
        for (; i + (2 * Width) <= a.Length; i += 2 * Width)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)i);
            var u = Vector256.LoadUnsafe(ref x, (nuint)(i + Width));
            s0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref b0, (nuint)i), s0);
            s1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref b1, (nuint)i), s1);
            s2 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref b2, (nuint)i), s2);
            s3 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref b3, (nuint)i), s3);
            t0 = Vector256.FusedMultiplyAdd(u, Vector256.LoadUnsafe(ref b0, (nuint)(i + Width)), t0);
            t1 = Vector256.FusedMultiplyAdd(u, Vector256.LoadUnsafe(ref b1, (nuint)(i + Width)), t1);
            t2 = Vector256.FusedMultiplyAdd(u, Vector256.LoadUnsafe(ref b2, (nuint)(i + Width)), t2);
            t3 = Vector256.FusedMultiplyAdd(u, Vector256.LoadUnsafe(ref b3, (nuint)(i + Width)), t3);
        }

        double r0 = Reduce(s0 + t0), r1 = Reduce(s1 + t1), r2 = Reduce(s2 + t2), r3 = Reduce(s3 + t3);
        for (; i < a.Length; i++)
        {
            double v = Unsafe.Add(ref x, i);
            r0 = Math.FusedMultiplyAdd(v, Unsafe.Add(ref b0, i), r0);
            r1 = Math.FusedMultiplyAdd(v, Unsafe.Add(ref b1, i), r1);
            r2 = Math.FusedMultiplyAdd(v, Unsafe.Add(ref b2, i), r2);
            r3 = Math.FusedMultiplyAdd(v, Unsafe.Add(ref b3, i), r3);
        }

        result[0] = r0;
        result[1] = r1;
        result[2] = r2;
        result[3] = r3;
    }

    /// <summary>y[i] += alpha·x[i].</summary>
    public static void MultiplyAdd(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        ref double u = ref MemoryMarshal.GetReference(x);
        ref double v = ref MemoryMarshal.GetReference(y);
        var a = Vector256.Create(alpha);
        int i = 0;
        for (; i + Width <= x.Length; i += Width)
        {
            Vector256.FusedMultiplyAdd(a, Vector256.LoadUnsafe(ref u, (nuint)i), Vector256.LoadUnsafe(ref v, (nuint)i)).StoreUnsafe(ref v, (nuint)i);
        }

        for (; i < x.Length; i++)
        {
            Unsafe.Add(ref v, i) = Math.FusedMultiplyAdd(alpha, Unsafe.Add(ref u, i), Unsafe.Add(ref v, i));
        }
    }

    /// <summary>destination[i] = w[i]·x[i].</summary>
    public static void Multiply(ReadOnlySpan<double> w, ReadOnlySpan<double> x, Span<double> destination)
    {
        ref double a = ref MemoryMarshal.GetReference(w);
        ref double b = ref MemoryMarshal.GetReference(x);
        ref double c = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        for (; i + Width <= x.Length; i += Width)
        {
            (Vector256.LoadUnsafe(ref a, (nuint)i) * Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref c, (nuint)i);
        }

        for (; i < x.Length; i++)
        {
            Unsafe.Add(ref c, i) = Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }
    }

    /// <summary>
    /// Adds the weighted cross-products of rows [start, start + count) of the column-major <paramref name="columns"/>
    /// (each <paramref name="rows"/> long) to the upper triangle of the d × d <paramref name="gram"/>:
    /// gram[j, l] += Σᵢ wᵢ·x_ij·x_il for l ≥ j (wᵢ = 1 when <paramref name="weights"/> is empty).
    /// <paramref name="scratch"/> holds d·count values (unused, and may be empty, without weights).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddGram(
        ReadOnlySpan<double> columns, int rows, int d, int start, int count, ReadOnlySpan<double> weights, Span<double> scratch, Span<double> gram)
    {
        // Unweighted, the rows are read where they are; weighted, the scaled columns go to the scratch first.
        ReadOnlySpan<double> weighted = weights.IsEmpty ? columns.Slice(start) : scratch[..(d * count)];
        int weightedStride = weights.IsEmpty ? rows : count;
        for (int j = 0; j < d && !weights.IsEmpty; j++)
        {
            Multiply(weights, columns.Slice((j * rows) + start, count), scratch.Slice(j * count, count));
        }

        Span<double> four = stackalloc double[4];
        for (int j = 0; j < d; j++)
        {
            ReadOnlySpan<double> a = weighted.Slice(j * weightedStride, count);
            int l = j;
            for (; l + 4 <= d; l += 4)
            {
                Dot4(a, ref Unsafe.Add(ref MemoryMarshal.GetReference(columns), (l * rows) + start), rows, four);
                gram[(j * d) + l] += four[0];
                gram[(j * d) + l + 1] += four[1];
                gram[(j * d) + l + 2] += four[2];
                gram[(j * d) + l + 3] += four[3];
            }

            for (; l < d; l++)
            {
                gram[(j * d) + l] += Dot(a, columns.Slice((l * rows) + start, count));
            }
        }
    }

    /// <summary>Copies the upper triangle of the n × n row-major <paramref name="matrix"/> into its lower triangle.</summary>
    public static void MirrorUpper(Span<double> matrix, int n)
    {
        for (int j = 0; j < n; j++)
        {
            for (int l = j + 1; l < n; l++)
            {
                matrix[(l * n) + j] = matrix[(j * n) + l];
            }
        }
    }

    /// <summary>The lanes' sum, in lane order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Reduce(Vector256<double> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
}
