using MathNet.Numerics.LinearAlgebra;

namespace SelfLearning.Training.Kernels;

/// <summary>
/// Ridge regression on standardised (hence centred) columns in one pass: ZᵀZ (upper triangle, blocked) and
/// Zᵀ(y − ȳ) accumulated together, then (ZᵀZ + αI)w = Zᵀ(y − ȳ) solved by Cholesky; the intercept is ȳ.
/// </summary>
internal static class RidgeSolver
{
    /// <summary>The coefficients on standardised features and the intercept.</summary>
    /// <param name="z">The standardised training features.</param>
    /// <param name="targets">The targets, one per row.</param>
    /// <param name="alpha">The penalty, positive.</param>
    /// <returns>The fit.</returns>
    public static (double[] Coefficients, double Intercept) Solve(StandardizedColumns z, ReadOnlySpan<double> targets, double alpha)
    {
        int n = z.Rows;
        int d = z.Columns;
        double mean = VectorKernels.Sum(targets) / n;
        var gram = new double[d * d];
        var right = new double[d];
        var scratch = new double[(d + 1) * StandardizedColumns.BlockRows];
        Span<double> residual = scratch.AsSpan(d * StandardizedColumns.BlockRows);
        for (int start = 0; start < n; start += StandardizedColumns.BlockRows)
        {
            int count = Math.Min(StandardizedColumns.BlockRows, n - start);
            Span<double> r = residual[..count];
            ReadOnlySpan<double> y = targets.Slice(start, count);
            for (int i = 0; i < count; i++)
            {
                r[i] = y[i] - mean;
            }

            for (int j = 0; j < d; j++)
            {
                right[j] += VectorKernels.Dot(z.Values.AsSpan((j * n) + start, count), r);
            }

            VectorKernels.AddGram(z.Values, n, d, start, count, ReadOnlySpan<double>.Empty, scratch, gram);
        }

        VectorKernels.MirrorUpper(gram, d);
        for (int j = 0; j < d; j++)
        {
            gram[(j * d) + j] += alpha;
        }

        // Row-major and symmetric, so MathNet's column-major reading of the array is the same matrix.
        var w = Matrix<double>.Build.Dense(d, d, gram).Cholesky().Solve(Vector<double>.Build.Dense(right));
        return (w.ToArray(), mean);
    }
}
