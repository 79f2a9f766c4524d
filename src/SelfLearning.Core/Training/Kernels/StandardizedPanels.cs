using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SelfLearning.Training.Kernels;

/// <summary>
/// A training split's features standardised as scikit-learn's <c>StandardScaler</c> does, stored in panels of
/// <see cref="PanelRows"/> rows: panel p holds rows [8p, 8p + 8), dimension after dimension, so the value of row i in
/// column j is at ((i / 8)·d + j)·8 + i mod 8. One 512-bit vector then holds one dimension of a panel's eight rows,
/// and a pass over the data reads one sequential stream (a column-major copy of a million rows reads d streams 8 MB
/// apart, which fall into the same cache sets). The last panel is padded with zero rows.
/// </summary>
internal sealed class StandardizedPanels
{
    /// <summary>Rows per panel: one 512-bit vector of doubles.</summary>
    public const int PanelRows = 8;

    private StandardizedPanels(double[] values, int rows, int columns, FeatureScaler scaler)
    {
        Values = values;
        Rows = rows;
        Columns = columns;
        Scaler = scaler;
    }

    /// <summary>Gets the standardised values in panel layout (see the class remarks); the array may be longer than needed.</summary>
    public double[] Values { get; }

    /// <summary>Gets the number of rows.</summary>
    public int Rows { get; }

    /// <summary>Gets the number of columns.</summary>
    public int Columns { get; }

    /// <summary>Gets the fitted scaler (the means and scales the model keeps for inference).</summary>
    public FeatureScaler Scaler { get; }

    /// <summary>The number of doubles the panel layout of <paramref name="n"/> rows of <paramref name="d"/> columns needs.</summary>
    /// <param name="n">The number of rows.</param>
    /// <param name="d">The number of columns.</param>
    /// <returns>⌈n / 8⌉ · 8 · d.</returns>
    public static int Length(int n, int d) => checked((n + PanelRows - 1) / PanelRows * PanelRows * d);

    /// <summary>Where row <paramref name="i"/>, column <paramref name="j"/> is kept.</summary>
    /// <param name="i">The row.</param>
    /// <param name="j">The column.</param>
    /// <param name="d">The number of columns.</param>
    /// <returns>The index into <see cref="Values"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOf(int i, int j, int d) => ((((i >> 3) * d) + j) << 3) + (i & (PanelRows - 1));

    /// <summary>Standardises <paramref name="table"/>'s features into a pooled panel array (give it back with <see cref="Return"/>).</summary>
    /// <param name="table">A table with at least one row.</param>
    /// <returns>The standardised panels.</returns>
    public static StandardizedPanels Create(TrainingTable table)
    {
        int n = table.RowCount;
        int d = table.FeatureCount;
        ReadOnlySpan<double> x = table.FeatureValues;
        var scaler = StandardizedColumns.FitScaler(x, n, d);
        var values = ArrayPool<double>.Shared.Rent(Length(n, d));
        Pack(x, n, d, scaler.Means, scaler.Scales, values);
        return new StandardizedPanels(values, n, d, scaler);
    }

    /// <summary>Row-major rows, as they are, in a new panel array (for the internal entry points and tests).</summary>
    /// <param name="rows">n rows of d values.</param>
    /// <returns>The panel array.</returns>
    public static double[] FromRows(double[][] rows)
    {
        int n = rows.Length;
        int d = rows[0].Length;
        var values = new double[Length(n, d)];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                values[IndexOf(i, j, d)] = rows[i][j];
            }
        }

        return values;
    }

    /// <summary>Gives the pooled array back; the instance must not be used afterwards.</summary>
    public void Return() => ArrayPool<double>.Shared.Return(Values);

    /// <summary>
    /// Writes (x − mean) / scale of row-major <paramref name="x"/> into <paramref name="destination"/> in panel layout,
    /// the formula of <see cref="FeatureScaler.Transform(ReadOnlySpan{double}, Span{double})"/>. With AVX-512, each
    /// panel's columns go eight at a time: eight row pieces are loaded, standardised and transposed in registers
    /// (<see cref="Transpose8"/>) into eight column vectors. The other columns, and every column without AVX-512, are
    /// standardised a row at a time into a small buffer and scattered to their panel slots.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pack(ReadOnlySpan<double> x, int n, int d, double[] means, double[] scales, double[] destination)
    {
        int panels = (n + PanelRows - 1) / PanelRows;
        int tiled = Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? d - (d % PanelRows) : 0;
        Span<double> buffer = d <= 64 ? stackalloc double[PanelRows * d] : new double[PanelRows * d];
        ref double target = ref MemoryMarshal.GetArrayDataReference(destination);
        ref double source = ref MemoryMarshal.GetReference(x);
        ref double mean = ref MemoryMarshal.GetArrayDataReference(means);
        ref double scale = ref MemoryMarshal.GetArrayDataReference(scales);
        ref double row = ref MemoryMarshal.GetReference(buffer);
        for (int p = 0; p < panels; p++)
        {
            int rows = Math.Min(PanelRows, n - (p * PanelRows));
            ref double panel = ref Unsafe.Add(ref target, p * PanelRows * d);
            ref double first = ref Unsafe.Add(ref source, p * PanelRows * d);
            int from = 0;
            if (rows == PanelRows)
            {
                for (; from < tiled; from += PanelRows)
                {
                    var m = Vector512.LoadUnsafe(ref mean, (nuint)from);
                    var s = Vector512.LoadUnsafe(ref scale, (nuint)from);
                    ref double piece = ref Unsafe.Add(ref first, from);
                    Transpose8(
                        (Vector512.LoadUnsafe(ref piece) - m) / s,
                        (Vector512.LoadUnsafe(ref piece, (nuint)d) - m) / s,
                        (Vector512.LoadUnsafe(ref piece, (nuint)(2 * d)) - m) / s,
                        (Vector512.LoadUnsafe(ref piece, (nuint)(3 * d)) - m) / s,
                        (Vector512.LoadUnsafe(ref piece, (nuint)(4 * d)) - m) / s,
                        (Vector512.LoadUnsafe(ref piece, (nuint)(5 * d)) - m) / s,
                        (Vector512.LoadUnsafe(ref piece, (nuint)(6 * d)) - m) / s,
                        (Vector512.LoadUnsafe(ref piece, (nuint)(7 * d)) - m) / s,
                        ref Unsafe.Add(ref panel, from * PanelRows));
                }
            }

            if (from == d)
            {
                continue;
            }

            buffer.Clear();
            for (int r = 0; r < rows; r++)
            {
                int at = (p * PanelRows) + r;
                Standardize(x.Slice((at * d) + from, d - from), means.AsSpan(from), scales.AsSpan(from), buffer.Slice(r * d, d - from));
            }

            for (int j = from; j < d; j++)
            {
                ref double slot = ref Unsafe.Add(ref panel, j * PanelRows);
                for (int r = 0; r < PanelRows; r++)
                {
                    Unsafe.Add(ref slot, r) = Unsafe.Add(ref row, (r * d) + j - from);
                }
            }
        }
    }

    /// <summary>
    /// Stores the transpose of the 8 × 8 block whose rows are <paramref name="r0"/> … <paramref name="r7"/> as eight
    /// consecutive vectors at <paramref name="target"/>: unpacking pairs within 128-bit lanes, then two rounds of
    /// 128-bit lane shuffles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(
        Vector512<double> r0, Vector512<double> r1, Vector512<double> r2, Vector512<double> r3,
        Vector512<double> r4, Vector512<double> r5, Vector512<double> r6, Vector512<double> r7, ref double target)
    {
        var t0 = Avx512F.UnpackLow(r0, r1);
        var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3);
        var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5);
        var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7);
        var t7 = Avx512F.UnpackHigh(r6, r7);
        var u0 = Avx512F.Shuffle4x128(t0, t2, 0x88);
        var u1 = Avx512F.Shuffle4x128(t0, t2, 0xDD);
        var u2 = Avx512F.Shuffle4x128(t1, t3, 0x88);
        var u3 = Avx512F.Shuffle4x128(t1, t3, 0xDD);
        var u4 = Avx512F.Shuffle4x128(t4, t6, 0x88);
        var u5 = Avx512F.Shuffle4x128(t4, t6, 0xDD);
        var u6 = Avx512F.Shuffle4x128(t5, t7, 0x88);
        var u7 = Avx512F.Shuffle4x128(t5, t7, 0xDD);
        Avx512F.Shuffle4x128(u0, u4, 0x88).StoreUnsafe(ref target);
        Avx512F.Shuffle4x128(u2, u6, 0x88).StoreUnsafe(ref target, 8);
        Avx512F.Shuffle4x128(u1, u5, 0x88).StoreUnsafe(ref target, 16);
        Avx512F.Shuffle4x128(u3, u7, 0x88).StoreUnsafe(ref target, 24);
        Avx512F.Shuffle4x128(u0, u4, 0xDD).StoreUnsafe(ref target, 32);
        Avx512F.Shuffle4x128(u2, u6, 0xDD).StoreUnsafe(ref target, 40);
        Avx512F.Shuffle4x128(u1, u5, 0xDD).StoreUnsafe(ref target, 48);
        Avx512F.Shuffle4x128(u3, u7, 0xDD).StoreUnsafe(ref target, 56);
    }

    private static void Standardize(ReadOnlySpan<double> source, ReadOnlySpan<double> means, ReadOnlySpan<double> scales, Span<double> destination)
    {
        int j = 0;
        int width = Vector256<double>.Count;
        ref double s = ref MemoryMarshal.GetReference(source);
        ref double m = ref MemoryMarshal.GetReference(means);
        ref double sc = ref MemoryMarshal.GetReference(scales);
        ref double t = ref MemoryMarshal.GetReference(destination);
        for (; j + width <= source.Length; j += width)
        {
            var v = Vector256.LoadUnsafe(ref s, (nuint)j);
            ((v - Vector256.LoadUnsafe(ref m, (nuint)j)) / Vector256.LoadUnsafe(ref sc, (nuint)j)).StoreUnsafe(ref t, (nuint)j);
        }

        for (; j < source.Length; j++)
        {
            Unsafe.Add(ref t, j) = (Unsafe.Add(ref s, j) - Unsafe.Add(ref m, j)) / Unsafe.Add(ref sc, j);
        }
    }
}
