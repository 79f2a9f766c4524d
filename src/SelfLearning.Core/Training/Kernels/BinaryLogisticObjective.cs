using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MathNet.Numerics.LinearAlgebra;
using SelfLearning.Calibration;

namespace SelfLearning.Training.Kernels;

/// <summary>
/// Σ log(1 + exp(−s·m)) + (λ/2)‖w‖² for two classes, θ = (w, b) on standardised features, with its gradient and
/// Hessian from one blocked, vectorised pass over the row-major table: each block of rows is standardised into a
/// cache-sized column-major buffer with a trailing column of ones, and the margins, the residuals p − y, the
/// weights p(1 − p), the gradient and the weighted cross-products all come from that buffer while it is in cache.
/// </summary>
internal sealed class BinaryLogisticObjective
{
    /// <summary>Rows per product of (1 + e^−|m|) factors before its logarithm is taken: each factor is in [1, 2].</summary>
    private const int LogBatch = 64;

    private readonly TrainingTable _table;
    private readonly double[] _means;
    private readonly double[] _inverseScales;
    private readonly byte[] _labels;
    private readonly double _l2;
    private readonly int _width;
    private readonly double[] _buffer;
    private readonly int _rowStep;

    /// <summary>The objective on <paramref name="table"/>'s rows, or on every <paramref name="rowStep"/>-th row of it.</summary>
    public BinaryLogisticObjective(TrainingTable table, FeatureScaler scaler, byte[] labels, double l2, int rowStep = 1)
    {
        _table = table;
        _rowStep = rowStep;
        RowCount = ((table.RowCount - 1) / rowStep) + 1;
        _means = scaler.Means;
        _inverseScales = StandardizedBlock.InverseScales(scaler);
        _labels = labels;
        _l2 = l2;
        _width = table.FeatureCount + 1;
        _buffer = new double[((2 * _width) + 4) * StandardizedColumns.BlockRows];
    }

    /// <summary>Gets the number of rows the objective sums over.</summary>
    public int RowCount { get; }

    /// <summary>The objective at <paramref name="theta"/>.</summary>
    public double Value(Vector<double> theta) => Pass(theta, null, null);

    /// <summary>The objective, gradient and Hessian at <paramref name="theta"/>.</summary>
    public (double, Vector<double>, Matrix<double>) Evaluate(Vector<double> theta)
    {
        var gradient = new double[_width];
        var hessian = new double[_width * _width];
        double value = Pass(theta, gradient, hessian);
        VectorKernels.MirrorUpper(hessian, _width);
        for (int j = 0; j < _width - 1; j++)
        {
            gradient[j] += _l2 * theta[j];
            hessian[(j * _width) + j] += _l2;
        }

        // Symmetric, so MathNet's column-major reading of the row-major array is the same matrix.
        return (value, Vector<double>.Build.Dense(gradient), Matrix<double>.Build.Dense(_width, _width, hessian));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Pass(Vector<double> theta, double[]? gradient, double[]? hessian)
    {
        int n = RowCount;
        int d = _width - 1;
        int block = StandardizedColumns.BlockRows;
        ReadOnlySpan<double> x = _table.FeatureValues;
        double[] coefficients = theta.ToArray();
        Span<double> columns = _buffer.AsSpan(0, _width * block);
        Span<double> scratch = _buffer.AsSpan(_width * block, _width * block);
        Span<double> margins = _buffer.AsSpan(2 * _width * block, block);
        Span<double> residuals = _buffer.AsSpan((2 * _width * block) + block, block);
        Span<double> weights = _buffer.AsSpan((2 * _width * block) + (2 * block), block);
        Span<double> targets = _buffer.AsSpan((2 * _width * block) + (3 * block), block);
        double loss = 0.0;
        for (int start = 0; start < n; start += block)
        {
            int count = Math.Min(block, n - start);
            StandardizedBlock.Load(x, d, start, count, _means, _inverseScales, columns, _rowStep);
            columns.Slice(d * count, count).Fill(1.0);
            Span<double> m = margins[..count];
            m.Clear();
            for (int j = 0; j < _width; j++)
            {
                VectorKernels.MultiplyAdd(coefficients[j], columns.Slice(j * count, count), m);
            }

            Span<double> y = targets[..count];
            for (int i = 0; i < count; i++)
            {
                y[i] = _labels[(start + i) * _rowStep];
            }

            loss += Rows(m, y, residuals[..count], weights[..count]);
            if (gradient is null)
            {
                continue;
            }

            for (int j = 0; j < _width; j++)
            {
                gradient[j] += VectorKernels.Dot(columns.Slice(j * count, count), residuals[..count]);
            }

            VectorKernels.AddGram(columns, count, _width, 0, count, weights[..count], scratch, hessian);
        }

        double penalty = 0.0;
        for (int j = 0; j < d; j++)
        {
            penalty += coefficients[j] * coefficients[j];
        }

        return loss + (0.5 * _l2 * penalty);
    }

    /// <summary>
    /// For each row: residual p − y and weight p(1 − p), p = σ(m); returns Σ max(m, 0) + log(1 + e^−|m|) − y·m.
    /// The logarithms are taken of products of up to <see cref="LogBatch"/> factors per lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Rows(Span<double> margins, Span<double> targets, Span<double> residuals, Span<double> weights)
    {
        ref double m = ref MemoryMarshal.GetReference(margins);
        ref double t = ref MemoryMarshal.GetReference(targets);
        ref double r = ref MemoryMarshal.GetReference(residuals);
        ref double w = ref MemoryMarshal.GetReference(weights);
        int width = Vector256<double>.Count;
        var one = Vector256<double>.One;
        var linear = Vector256<double>.Zero;
        var product = one;
        double logs = 0.0;
        int i = 0;
        int batch = 0;
        for (; i + width <= margins.Length; i += width)
        {
            var mi = Vector256.LoadUnsafe(ref m, (nuint)i);
            var yi = Vector256.LoadUnsafe(ref t, (nuint)i);
            var e = Logistic.ExpNonPositive(-Vector256.Abs(mi));
            var denominator = one + e;
            var p = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(mi, Vector256<double>.Zero), one, e) / denominator;
            (p - yi).StoreUnsafe(ref r, (nuint)i);
            (p * (one - p)).StoreUnsafe(ref w, (nuint)i);
            linear += Vector256.Max(mi, Vector256<double>.Zero) - (yi * mi);
            product *= denominator;
            if (++batch == LogBatch)
            {
                logs += LogOfLanes(product);
                product = one;
                batch = 0;
            }
        }

        logs += LogOfLanes(product);
        double loss = logs + VectorKernels.Reduce(linear);
        for (; i < margins.Length; i++)
        {
            double mi = Unsafe.Add(ref m, i);
            double yi = Unsafe.Add(ref t, i);
            double e = Logistic.ExpNonPositive(Vector256.Create(-Math.Abs(mi))).ToScalar();
            double p = (mi >= 0 ? 1.0 : e) / (1.0 + e);
            Unsafe.Add(ref r, i) = p - yi;
            Unsafe.Add(ref w, i) = p * (1.0 - p);
            loss += Math.Max(mi, 0.0) + Math.Log(1.0 + e) - (yi * mi);
        }

        return loss;
    }

    private static double LogOfLanes(Vector256<double> product) =>
        (Math.Log(product.GetElement(0)) + Math.Log(product.GetElement(1))) + (Math.Log(product.GetElement(2)) + Math.Log(product.GetElement(3)));
}
