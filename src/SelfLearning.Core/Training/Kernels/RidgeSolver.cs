using MathNet.Numerics.LinearAlgebra;

namespace SelfLearning.Training.Kernels;

/// <summary>
/// Ridge regression on standardised (hence centred) features in one pass over the row-major table, through a
/// cache-sized centred block (no copy of the data): the centred XᵀX (upper triangle) and Xᵀy merged block by
/// block, their diagonal giving the scales, then (ZᵀZ + αI)w = Zᵀ(y − ȳ) solved by Cholesky; the intercept is ȳ.
/// </summary>
internal static class RidgeSolver
{
    /// <summary>The scaler, the coefficients on standardised features and the intercept.</summary>
    /// <param name="table">The training split (a regression table).</param>
    /// <param name="alpha">The penalty, positive.</param>
    /// <returns>The fit.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static (FeatureScaler Scaler, double[] Coefficients, double Intercept) Solve(TrainingTable table, double alpha)
    {
        int n = table.RowCount;
        int d = table.FeatureCount;
        ReadOnlySpan<double> x = table.FeatureValues;
        ReadOnlySpan<double> targets = table.Targets;
        int block = StandardizedColumns.BlockRows;

        // Centred sums, merged block by block: gram = Σ(x − x̄)(x − x̄)ᵀ, right = Σ(x − x̄)(y − ȳ).
        var gram = new double[d * d];
        var right = new double[d];
        var mean = new double[d];
        double targetMean = 0.0;
        var blockMean = new double[d];
        var ones = new double[d];
        Array.Fill(ones, 1.0);
        var buffer = new double[(d + 1) * block];
        Span<double> columns = buffer.AsSpan(0, d * block);
        Span<double> residual = buffer.AsSpan(d * block, block);
        long seen = 0;
        for (int start = 0; start < n; start += block)
        {
            int count = Math.Min(block, n - start);
            Array.Clear(blockMean);
            for (int i = 0; i < count; i++)
            {
                VectorKernels.Add(blockMean, x.Slice((start + i) * d, d));
            }

            for (int j = 0; j < d; j++)
            {
                blockMean[j] /= count;
            }

            ReadOnlySpan<double> y = targets.Slice(start, count);
            double blockTargetMean = VectorKernels.Sum(y) / count;
            StandardizedBlock.Load(x, d, start, count, blockMean, ones, columns);
            Span<double> r = residual[..count];
            for (int i = 0; i < count; i++)
            {
                r[i] = y[i] - blockTargetMean;
            }

            for (int j = 0; j < d; j++)
            {
                right[j] += VectorKernels.Dot(columns.Slice(j * count, count), r);
            }

            VectorKernels.AddGram(columns, count, d, 0, count, ReadOnlySpan<double>.Empty, Span<double>.Empty, gram);

            // Chan, Golub and LeVeque's update: the blocks' sums about their own means, plus the between-means term.
            long total = seen + count;
            double factor = (double)seen * count / total;
            double targetDelta = blockTargetMean - targetMean;
            for (int j = 0; j < d; j++)
            {
                double delta = blockMean[j] - mean[j];
                right[j] += factor * delta * targetDelta;
                for (int l = j; l < d; l++)
                {
                    gram[(j * d) + l] += factor * delta * (blockMean[l] - mean[l]);
                }
            }

            for (int j = 0; j < d; j++)
            {
                mean[j] += (blockMean[j] - mean[j]) * count / total;
            }

            targetMean += targetDelta * count / total;
            seen = total;
        }

        // Standardise: population scale from the diagonal (1 for a constant column), Z = (X − x̄)/s.
        var scales = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sd = Math.Sqrt(gram[(j * d) + j] / n);
            scales[j] = sd > 0.0 ? sd : 1.0;
        }

        for (int j = 0; j < d; j++)
        {
            right[j] /= scales[j];
            for (int l = j; l < d; l++)
            {
                gram[(j * d) + l] /= scales[j] * scales[l];
            }

            gram[(j * d) + j] += alpha;
        }

        VectorKernels.MirrorUpper(gram, d);

        // Row-major and symmetric, so MathNet's column-major reading of the array is the same matrix.
        var w = Matrix<double>.Build.Dense(d, d, gram).Cholesky().Solve(Vector<double>.Build.Dense(right));
        return (new FeatureScaler(mean, scales), w.ToArray(), targetMean);
    }
}
