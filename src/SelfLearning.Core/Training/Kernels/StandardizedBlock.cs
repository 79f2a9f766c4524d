using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SelfLearning.Training.Kernels;

/// <summary>
/// Streams a row-major table through a small column-major buffer, block by block, standardising on the way, so
/// a pass over the data needs no copy of it: a block of <see cref="StandardizedColumns.BlockRows"/> rows stays in
/// the first- or second-level cache while a kernel runs down its columns.
/// </summary>
internal static class StandardizedBlock
{
    /// <summary>
    /// Writes rows [start, start + count) of row-major <paramref name="x"/> (d columns), standardised, into
    /// <paramref name="destination"/> column after column (column j at [j·count, (j + 1)·count)). With a
    /// <paramref name="rowStep"/> above 1 the rows are those of the every-<paramref name="rowStep"/>-th-row subsample.
    /// </summary>
    /// <remarks>z = (x − mean)·(1 / scale): a multiplication by the reciprocal, which can differ from the division
    /// of <see cref="FeatureScaler.Transform(ReadOnlySpan{double}, Span{double})"/> in the last bit only.</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Load(
        ReadOnlySpan<double> x, int d, int start, int count, ReadOnlySpan<double> means, ReadOnlySpan<double> inverseScales, Span<double> destination, int rowStep = 1)
    {
        ref double source = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), (nint)start * rowStep * d);
        int pitch = d * rowStep;
        ref double target = ref MemoryMarshal.GetReference(destination);
        ref double mean = ref MemoryMarshal.GetReference(means);
        ref double inverse = ref MemoryMarshal.GetReference(inverseScales);
        for (int j = 0; j < d; j++)
        {
            double m = Unsafe.Add(ref mean, j);
            double s = Unsafe.Add(ref inverse, j);
            ref double column = ref Unsafe.Add(ref target, j * count);
            ref double cell = ref Unsafe.Add(ref source, j);
            for (int i = 0; i < count; i++)
            {
                Unsafe.Add(ref column, i) = (Unsafe.Add(ref cell, i * pitch) - m) * s;
            }
        }
    }

    /// <summary>1 / scale for each column.</summary>
    public static double[] InverseScales(FeatureScaler scaler) => scaler.Scales.Select(s => 1.0 / s).ToArray();
}
