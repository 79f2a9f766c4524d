using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SelfLearning.Training.Kernels;

/// <summary>
/// A training split's features standardised as scikit-learn's <c>StandardScaler</c> does (training mean,
/// population standard deviation, a constant column keeping scale 1), stored column after column (column-major)
/// in one array: the only copy of the data a fit makes. Column-major lets every kernel run down the rows with
/// 256-bit vectors, and it is MathNet's dense layout, so the array can back a MathNet matrix without a copy.
/// </summary>
/// <remarks>
/// Built in two passes over the row-major table: the first accumulates the column means and squared deviations
/// block by block (Chan, Golub and LeVeque's pairwise update, so a large mean costs no precision), the second
/// transposes each block of rows into place and standardises it while it is still in cache. Every sum runs in a
/// fixed order, so the same table gives the same bits.
/// </remarks>
internal sealed class StandardizedColumns
{
    /// <summary>Rows per block: a block of any kernel's columns stays in the first- or second-level cache.</summary>
    public const int BlockRows = 256;

    private StandardizedColumns(double[] values, int rows, int columns, FeatureScaler scaler)
    {
        Values = values;
        Rows = rows;
        Columns = columns;
        Scaler = scaler;
    }

    /// <summary>Gets the standardised values, column j at [j·<see cref="Rows"/>, (j + 1)·<see cref="Rows"/>).</summary>
    public double[] Values { get; }

    /// <summary>Gets the number of rows.</summary>
    public int Rows { get; }

    /// <summary>Gets the number of feature columns (not counting <c>extraColumns</c> of ones).</summary>
    public int Columns { get; }

    /// <summary>Gets the fitted scaler (the means and scales the model keeps for inference).</summary>
    public FeatureScaler Scaler { get; }

    /// <summary>Gets column <paramref name="j"/>.</summary>
    /// <param name="j">The column index.</param>
    /// <returns>The column's standardised values.</returns>
    public ReadOnlySpan<double> Column(int j) => Values.AsSpan(j * Rows, Rows);

    /// <summary>Standardises <paramref name="table"/>'s features.</summary>
    /// <param name="table">A table with at least one row.</param>
    /// <param name="extraColumns">Columns of ones appended after the features (an intercept's column).</param>
    /// <param name="pooled">
    /// Whether to rent the array from <see cref="ArrayPool{T}.Shared"/> (then it may be longer than needed, and the
    /// caller gives it back with <see cref="Return"/>): a fresh array of this size costs its first-touch page faults on
    /// every fit, which on a virtual machine can take longer than the fit itself.
    /// </param>
    /// <returns>The standardised columns.</returns>
    public static StandardizedColumns Create(TrainingTable table, int extraColumns = 0, bool pooled = false)
    {
        int n = table.RowCount;
        int d = table.FeatureCount;
        ReadOnlySpan<double> x = table.FeatureValues;
        var scaler = FitScaler(x, n, d);
        int length = checked((d + extraColumns) * n);
        var values = pooled ? ArrayPool<double>.Shared.Rent(length) : GC.AllocateUninitializedArray<double>(length);
        for (int start = 0; start < n; start += BlockRows)
        {
            int count = Math.Min(BlockRows, n - start);
            for (int j = 0; j < d; j++)
            {
                Span<double> destination = values.AsSpan((j * n) + start, count);
                for (int i = 0; i < count; i++)
                {
                    destination[i] = x[((start + i) * d) + j];
                }

                Standardize(destination, scaler.Means[j], scaler.Scales[j]);
            }
        }

        values.AsSpan(d * n, extraColumns * n).Fill(1.0);
        return new StandardizedColumns(values, n, d, scaler);
    }

    /// <summary>Gives a pooled array back; the instance must not be used afterwards.</summary>
    public void Return() => ArrayPool<double>.Shared.Return(Values);

    /// <summary>The means and population standard deviations of row-major <paramref name="x"/> (n × d).</summary>
    internal static FeatureScaler FitScaler(ReadOnlySpan<double> x, int n, int d)
    {
        var mean = new double[d];
        var m2 = new double[d];
        var blockMean = new double[d];
        var blockM2 = new double[d];
        long seen = 0;
        for (int start = 0; start < n; start += BlockRows)
        {
            int count = Math.Min(BlockRows, n - start);
            ReadOnlySpan<double> block = x.Slice(start * d, count * d);
            Array.Clear(blockMean);
            Array.Clear(blockM2);
            for (int i = 0; i < count; i++)
            {
                VectorKernels.Add(blockMean, block.Slice(i * d, d));
            }

            for (int j = 0; j < d; j++)
            {
                blockMean[j] /= count;
            }

            for (int i = 0; i < count; i++)
            {
                VectorKernels.AddSquaredDeviation(blockM2, block.Slice(i * d, d), blockMean);
            }

            long total = seen + count;
            for (int j = 0; j < d; j++)
            {
                double delta = blockMean[j] - mean[j];
                mean[j] += delta * count / total;
                m2[j] += blockM2[j] + (delta * delta * ((double)seen * count / total));
            }

            seen = total;
        }

        var scales = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sd = Math.Sqrt(m2[j] / n);
            scales[j] = sd > 0.0 ? sd : 1.0;
        }

        return new FeatureScaler(mean, scales);
    }

    /// <summary>(v − mean) / scale in place, the formula <see cref="FeatureScaler.Transform(ReadOnlySpan{double}, Span{double})"/> uses.</summary>
    private static void Standardize(Span<double> values, double mean, double scale)
    {
        int i = 0;
        ref double start = ref values[0];
        var m = Vector256.Create(mean);
        var s = Vector256.Create(scale);
        for (; i + Vector256<double>.Count <= values.Length; i += Vector256<double>.Count)
        {
            var v = Vector256.LoadUnsafe(ref start, (nuint)i);
            ((v - m) / s).StoreUnsafe(ref start, (nuint)i);
        }

        for (; i < values.Length; i++)
        {
            Unsafe.Add(ref start, i) = (Unsafe.Add(ref start, i) - mean) / scale;
        }
    }
}
