using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MathNet.Numerics.LinearAlgebra;

namespace SelfLearning.Training.Kernels;

/// <summary>
/// Multinomial cross-entropy + (λ/2)Σ‖w_k‖² for K classes, θ = (w_1, b_1, …, w_K, b_K) on standardised features,
/// with its gradient and Hessian from one blocked pass over the row-major table (no copy of the data): each block of
/// <see cref="BlockRows"/> rows is standardised into a small column-major buffer (<see cref="StandardizedBlock"/>),
/// the K margins are summed down its columns with vectors, each row's softmax gives the probabilities p, and the
/// gradient Σ (p_k − y_k)·z and the Hessian blocks Σ p_k(δ_kl − p_l)·z·zᵀ (upper triangles, four columns per
/// read of the weighted column) are accumulated while the block is in the first-level cache.
/// </summary>
/// <remarks>
/// The Hessian is singular along a common intercept shift (softmax is invariant to it), and the gradient is
/// orthogonal to that direction, so v·vᵀ (v = the intercept indicator) is added, which makes the Hessian positive
/// definite without changing the Newton step's component in the identified directions.
/// </remarks>
internal sealed class SoftmaxObjective
{
    /// <summary>Rows per block: the block's standardised columns, margins and weights stay in the first-level cache.</summary>
    private const int BlockRows = 64;

    private readonly TrainingTable _table;
    private readonly double[] _means;
    private readonly double[] _inverseScales;
    private readonly int[] _labels;
    private readonly int _classes;
    private readonly double _l2;
    private readonly int _features;
    private readonly int _rowStep;
    private readonly double[] _z;
    private readonly double[] _probabilities;
    private readonly double[] _weighted;
    private readonly double[] _weights;
    private readonly double[] _dots;

    /// <summary>The objective on <paramref name="table"/>'s rows, or on every <paramref name="rowStep"/>-th row of it.</summary>
    /// <param name="table">The training split (row-major features).</param>
    /// <param name="scaler">The training split's standardisation.</param>
    /// <param name="labels">Each row's class index in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">K.</param>
    /// <param name="l2">λ.</param>
    /// <param name="rowStep">The subsample's step (1 for every row).</param>
    public SoftmaxObjective(TrainingTable table, FeatureScaler scaler, int[] labels, int classes, double l2, int rowStep = 1)
    {
        _table = table;
        _rowStep = rowStep;
        RowCount = ((table.RowCount - 1) / rowStep) + 1;
        _features = table.FeatureCount;
        _means = scaler.Means;
        _inverseScales = StandardizedBlock.InverseScales(scaler);
        _labels = labels;
        _classes = classes;
        _l2 = l2;

        // Column j of the block at [j·BlockRows, …); the last column is ones (the intercept's).
        _z = new double[(_features + 1) * BlockRows];
        _z.AsSpan(_features * BlockRows).Fill(1.0);
        _probabilities = new double[classes * BlockRows];
        _weighted = new double[(_features + 1) * BlockRows];
        _weights = new double[BlockRows];
        _dots = new double[4];
    }

    /// <summary>Gets the number of rows the objective sums over.</summary>
    public int RowCount { get; }

    /// <summary>The objective at <paramref name="theta"/>.</summary>
    /// <param name="theta">(w_1, b_1, …, w_K, b_K).</param>
    /// <returns>The objective's value.</returns>
    public double Value(Vector<double> theta) => Pass(theta, null, null);

    /// <summary>The objective, gradient and Hessian (with v·vᵀ added, see the remarks) at <paramref name="theta"/>.</summary>
    /// <param name="theta">(w_1, b_1, …, w_K, b_K).</param>
    /// <returns>The value, gradient and Hessian.</returns>
    public (double, Vector<double>, Matrix<double>) Evaluate(Vector<double> theta)
    {
        int width = _features + 1;
        int size = _classes * width;
        var gradient = new double[size];
        var hessian = new double[size * size];
        double value = Pass(theta, gradient, hessian);
        for (int k = 0; k < _classes; k++)
        {
            for (int j = 0; j < _features; j++)
            {
                int at = (k * width) + j;
                gradient[at] += _l2 * theta[at];
                hessian[(at * size) + at] += _l2;
            }

            for (int l = 0; l < _classes; l++)
            {
                hessian[(((k * width) + _features) * size) + (l * width) + _features] += 1.0;
            }
        }

        // Symmetric, so MathNet's column-major reading of the row-major array is the same matrix.
        return (value, Vector<double>.Build.Dense(gradient), Matrix<double>.Build.Dense(size, size, hessian));
    }

    /// <summary>The objective and its gradient at <paramref name="theta"/>, without the Hessian (for L-BFGS).</summary>
    /// <param name="theta">(w_1, b_1, …, w_K, b_K).</param>
    /// <returns>The value and gradient.</returns>
    public (double, Vector<double>) ValueAndGradient(Vector<double> theta)
    {
        int width = _features + 1;
        var gradient = new double[_classes * width];
        double value = Pass(theta, gradient, null);
        for (int k = 0; k < _classes; k++)
        {
            for (int j = 0; j < _features; j++)
            {
                gradient[(k * width) + j] += _l2 * theta[(k * width) + j];
            }
        }

        return (value, Vector<double>.Build.Dense(gradient));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Pass(Vector<double> theta, double[]? gradient, double[]? hessian)
    {
        int n = RowCount;
        int d = _features;
        int width = d + 1;
        int size = _classes * width;
        var coefficients = theta.ToArray();
        ReadOnlySpan<double> x = _table.FeatureValues;
        double loss = 0.0;
        for (int start = 0; start < n; start += BlockRows)
        {
            int count = Math.Min(BlockRows, n - start);
            LoadBlock(x, start, count);
            loss += Probabilities(coefficients, start, count);
            if (gradient is null)
            {
                continue;
            }

            for (int k = 0; k < _classes; k++)
            {
                // Residuals p_k − y_k, in place of p_k once the Hessian blocks of class k are done with p_k.
                Span<double> pk = _probabilities.AsSpan(k * BlockRows, count);
                for (int l = k; hessian is not null && l < _classes; l++)
                {
                    Span<double> pl = _probabilities.AsSpan(l * BlockRows, count);
                    for (int i = 0; i < count; i++)
                    {
                        _weights[i] = pk[i] * ((k == l ? 1.0 : 0.0) - pl[i]);
                    }

                    AddBlock(count, hessian, ((k * width) * size) + (l * width), size);
                }

                for (int i = 0; i < count; i++)
                {
                    pk[i] -= _labels[(start + i) * _rowStep] == k ? 1.0 : 0.0;
                }

                for (int j = 0; j <= d; j++)
                {
                    gradient[(k * width) + j] += VectorKernels.Dot(pk, _z.AsSpan(j * BlockRows, count));
                }
            }
        }

        double penalty = 0.0;
        for (int k = 0; k < _classes; k++)
        {
            for (int j = 0; j < d; j++)
            {
                double w = coefficients[(k * width) + j];
                penalty += w * w;
            }
        }

        if (hessian is not null)
        {
            Mirror(hessian, size, width);
        }

        return loss + (0.5 * _l2 * penalty);
    }

    /// <summary>
    /// Completes the Hessian from the upper triangles of its blocks H_kl, k ≤ l: each block is symmetric
    /// (Σ w·z·zᵀ) and H_lk = H_kl, as the weight p_k(δ_kl − p_l) is symmetric in k and l.
    /// </summary>
    private void Mirror(double[] hessian, int size, int width)
    {
        for (int k = 0; k < _classes; k++)
        {
            for (int l = k; l < _classes; l++)
            {
                int origin = (k * width * size) + (l * width);
                int mirror = (l * width * size) + (k * width);
                for (int a = 0; a < width; a++)
                {
                    for (int b = 0; b < a; b++)
                    {
                        hessian[origin + (a * size) + b] = hessian[origin + (b * size) + a];
                    }
                }

                if (l == k)
                {
                    continue;
                }

                for (int a = 0; a < width; a++)
                {
                    for (int b = 0; b < width; b++)
                    {
                        hessian[mirror + (a * size) + b] = hessian[origin + (a * size) + b];
                    }
                }
            }
        }
    }

    /// <summary>Standardises rows [start, start + count) of the (sub)sample into the column-major block buffer.</summary>
    private void LoadBlock(ReadOnlySpan<double> x, int start, int count)
    {
        // StandardizedBlock writes column j at j·count; spread the columns to their j·BlockRows slots (last to first).
        StandardizedBlock.Load(x, _features, start, count, _means, _inverseScales, _z, _rowStep);
        if (count == BlockRows)
        {
            return;
        }

        for (int j = _features - 1; j > 0; j--)
        {
            _z.AsSpan(j * count, count).CopyTo(_z.AsSpan(j * BlockRows, count));
        }

        _z.AsSpan(_features * BlockRows, BlockRows).Fill(1.0);
    }

    /// <summary>The block's margins, then each row's softmax (into the probability columns) and its log-loss sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Probabilities(double[] coefficients, int start, int count)
    {
        int d = _features;
        int width = d + 1;
        for (int k = 0; k < _classes; k++)
        {
            Span<double> margin = _probabilities.AsSpan(k * BlockRows, count);
            margin.Fill(coefficients[(k * width) + d]);
            for (int j = 0; j < d; j++)
            {
                VectorKernels.MultiplyAdd(coefficients[(k * width) + j], _z.AsSpan(j * BlockRows, count), margin);
            }
        }

        double loss = 0.0;
        ref double p = ref MemoryMarshal.GetArrayDataReference(_probabilities);
        for (int i = 0; i < count; i++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < _classes; k++)
            {
                max = Math.Max(max, Unsafe.Add(ref p, (k * BlockRows) + i));
            }

            double own = Unsafe.Add(ref p, (_labels[(start + i) * _rowStep] * BlockRows) + i);
            double sum = 0.0;
            for (int k = 0; k < _classes; k++)
            {
                ref double cell = ref Unsafe.Add(ref p, (k * BlockRows) + i);
                cell = Math.Exp(cell - max);
                sum += cell;
            }

            double inverse = 1.0 / sum;
            for (int k = 0; k < _classes; k++)
            {
                Unsafe.Add(ref p, (k * BlockRows) + i) *= inverse;
            }

            loss += max + Math.Log(sum) - own;
        }

        return loss;
    }

    /// <summary>
    /// Adds the upper triangle of Σ_i weight_i·z_i·z_iᵀ over the block to the (d + 1) × (d + 1) block of
    /// <paramref name="hessian"/> (row pitch <paramref name="size"/>) that starts at <paramref name="origin"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddBlock(int count, double[] hessian, int origin, int size)
    {
        int width = _features + 1;
        ReadOnlySpan<double> weights = _weights.AsSpan(0, count);
        for (int a = 0; a < width; a++)
        {
            VectorKernels.Multiply(weights, _z.AsSpan(a * BlockRows, count), _weighted.AsSpan(a * BlockRows, count));
        }

        Span<double> dots = _dots;
        ref double z = ref MemoryMarshal.GetArrayDataReference(_z);
        for (int a = 0; a < width; a++)
        {
            ReadOnlySpan<double> wa = _weighted.AsSpan(a * BlockRows, count);
            int row = origin + (a * size);
            int b = a;
            for (; b + 4 <= width; b += 4)
            {
                VectorKernels.Dot4(wa, ref Unsafe.Add(ref z, b * BlockRows), BlockRows, dots);
                hessian[row + b] += dots[0];
                hessian[row + b + 1] += dots[1];
                hessian[row + b + 2] += dots[2];
                hessian[row + b + 3] += dots[3];
            }

            for (; b < width; b++)
            {
                hessian[row + b] += VectorKernels.Dot(wa, _z.AsSpan(b * BlockRows, count));
            }
        }
    }
}
