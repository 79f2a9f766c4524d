using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MathNet.Numerics.LinearAlgebra;
using SelfLearning.Calibration;

namespace SelfLearning.Training.Kernels;

/// <summary>
/// Σ log(1 + exp(−s·m)) + (λ/2)‖w‖² for two classes, θ = (w, b) on standardised features, with its gradient and
/// Hessian from one blocked, vectorised pass that reads the row-major table in order: each block of
/// <see cref="BlockRows"/> rows is standardised row by row into a small row-major buffer (its width padded to whole
/// 256-bit vectors with zeros) while the margins are summed, then the residuals p − y and weights p(1 − p) come
/// from the margins, and the gradient Σ r·z, the weighted row sums Σ p(1 − p)·z and the upper triangle of
/// Σ p(1 − p)·z·zᵀ (register tiles of four rows by up to three vectors) are accumulated while the block is in the
/// first-level cache.
/// </summary>
internal sealed class BinaryLogisticObjective
{
    /// <summary>Rows per block: the block's standardised and weighted rows stay in the first-level cache.</summary>
    private const int BlockRows = 64;

    /// <summary>Rows per product of (1 + e^−|m|) factors before its logarithm is taken: each factor is in [1, 2].</summary>
    private const int LogBatch = 64;

    /// <summary>Doubles per 256-bit vector, as a constant the JIT folds.</summary>
    private const int Width = 4;

    private readonly TrainingTable _table;
    private readonly double[] _means;
    private readonly double[] _inverseScales;
    private readonly byte[] _labels;
    private readonly double _l2;
    private readonly int _features;
    private readonly int _pitch;
    private readonly int _rowStep;
    private readonly double[] _z;
    private readonly double[] _weighted;
    private readonly double[] _rows;
    private readonly double[] _coefficients;
    private readonly double[] _sums;
    private readonly double[] _gram;

    /// <summary>The objective on <paramref name="table"/>'s rows, or on every <paramref name="rowStep"/>-th row of it.</summary>
    public BinaryLogisticObjective(TrainingTable table, FeatureScaler scaler, byte[] labels, double l2, int rowStep = 1)
    {
        _table = table;
        _rowStep = rowStep;
        RowCount = ((table.RowCount - 1) / rowStep) + 1;
        _features = table.FeatureCount;
        _pitch = (_features + Width - 1) / Width * Width;

        // Padded columns have mean 0 and inverse scale 0, so their standardised values, and everything built from them, are 0.
        _means = new double[_pitch];
        _inverseScales = new double[_pitch];
        scaler.Means.CopyTo(_means, 0);
        StandardizedBlock.InverseScales(scaler).CopyTo(_inverseScales, 0);
        _labels = labels;
        _l2 = l2;
        _z = new double[BlockRows * _pitch];
        _weighted = new double[BlockRows * _pitch];
        _rows = new double[4 * BlockRows];
        _coefficients = new double[_pitch];
        _sums = new double[2 * _pitch];
        _gram = new double[_pitch * _pitch];
    }

    /// <summary>Gets the number of rows the objective sums over.</summary>
    public int RowCount { get; }

    /// <summary>The objective at <paramref name="theta"/>.</summary>
    public double Value(Vector<double> theta) => Pass(theta, null, null);

    /// <summary>The objective, gradient and Hessian at <paramref name="theta"/>.</summary>
    public (double, Vector<double>, Matrix<double>) Evaluate(Vector<double> theta)
    {
        int width = _features + 1;
        var gradient = new double[width];
        var hessian = new double[width * width];
        double value = Pass(theta, gradient, hessian);
        VectorKernels.MirrorUpper(hessian, width);
        for (int j = 0; j < _features; j++)
        {
            gradient[j] += _l2 * theta[j];
            hessian[(j * width) + j] += _l2;
        }

        // Symmetric, so MathNet's column-major reading of the row-major array is the same matrix.
        return (value, Vector<double>.Build.Dense(gradient), Matrix<double>.Build.Dense(width, width, hessian));
    }

    /// <summary>The objective and its gradient at <paramref name="theta"/>, without the Hessian (for L-BFGS).</summary>
    public (double, Vector<double>) ValueAndGradient(Vector<double> theta)
    {
        var gradient = new double[_features + 1];
        double value = Pass(theta, gradient, null);
        for (int j = 0; j < _features; j++)
        {
            gradient[j] += _l2 * theta[j];
        }

        return (value, Vector<double>.Build.Dense(gradient));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Pass(Vector<double> theta, double[]? gradient, double[]? hessian)
    {
        int n = RowCount;
        int d = _features;
        int p = _pitch;
        ReadOnlySpan<double> x = _table.FeatureValues;
        Array.Clear(_coefficients);
        for (int j = 0; j < d; j++)
        {
            _coefficients[j] = theta[j];
        }

        double intercept = theta[d];
        Array.Clear(_sums);
        Array.Clear(_gram);
        Span<double> margins = _rows.AsSpan(0, BlockRows);
        Span<double> residuals = _rows.AsSpan(BlockRows, BlockRows);
        Span<double> weights = _rows.AsSpan(2 * BlockRows, BlockRows);
        Span<double> targets = _rows.AsSpan(3 * BlockRows, BlockRows);
        double loss = 0.0;
        double residualSum = 0.0;
        double weightSum = 0.0;
        for (int start = 0; start < n; start += BlockRows)
        {
            int count = Math.Min(BlockRows, n - start);
            LoadBlock(x, start, count, intercept, margins);
            for (int i = 0; i < count; i++)
            {
                targets[i] = _labels[(start + i) * _rowStep];
            }

            loss += Rows(margins[..count], targets[..count], residuals[..count], weights[..count]);
            if (gradient is null)
            {
                continue;
            }

            residualSum += VectorKernels.Sum(residuals[..count]);
            weightSum += VectorKernels.Sum(weights[..count]);
            Weigh(count, residuals, weights);
            if (hessian is not null)
            {
                AddTiles(count);
            }
        }

        double penalty = 0.0;
        for (int j = 0; j < d; j++)
        {
            penalty += _coefficients[j] * _coefficients[j];
        }

        if (gradient is not null)
        {
            for (int j = 0; j < d; j++)
            {
                gradient[j] = _sums[j];
            }

            gradient[d] = residualSum;
        }

        if (gradient is not null && hessian is not null)
        {
            int width = d + 1;
            for (int j = 0; j < d; j++)
            {
                for (int l = j; l < d; l++)
                {
                    hessian[(j * width) + l] = _gram[(j * p) + l];
                }

                hessian[(j * width) + d] = _sums[p + j];
            }

            hessian[(d * width) + d] = weightSum;
        }

        return loss + (0.5 * _l2 * penalty);
    }

    /// <summary>
    /// Standardises rows [start, start + count) of the (sub)sample into the row-major block buffer and writes their
    /// margins z·w + b.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LoadBlock(ReadOnlySpan<double> x, int start, int count, double intercept, Span<double> margins)
    {
        int d = _features;
        int p = _pitch;
        int whole = d / Width * Width;
        int rowPitch = d * _rowStep;
        ref double source = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), (nint)start * rowPitch);
        ref double z = ref MemoryMarshal.GetReference(_z.AsSpan());
        ref double mean = ref MemoryMarshal.GetArrayDataReference(_means);
        ref double inverse = ref MemoryMarshal.GetArrayDataReference(_inverseScales);
        ref double w = ref MemoryMarshal.GetArrayDataReference(_coefficients);
        for (int i = 0; i < count; i++)
        {
            ref double row = ref Unsafe.Add(ref source, (nint)i * rowPitch);
            ref double target = ref Unsafe.Add(ref z, i * p);
            var sum = Vector256<double>.Zero;
            int j = 0;
            for (; j < whole; j += Width)
            {
                var v = (Vector256.LoadUnsafe(ref row, (nuint)j) - Vector256.LoadUnsafe(ref mean, (nuint)j)) * Vector256.LoadUnsafe(ref inverse, (nuint)j);
                v.StoreUnsafe(ref target, (nuint)j);
                sum = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref w, (nuint)j), sum);
            }

            double margin = VectorKernels.Reduce(sum);
            for (; j < d; j++)
            {
                double v = (Unsafe.Add(ref row, j) - Unsafe.Add(ref mean, j)) * Unsafe.Add(ref inverse, j);
                Unsafe.Add(ref target, j) = v;
                margin = Math.FusedMultiplyAdd(v, Unsafe.Add(ref w, j), margin);
            }

            margins[i] = margin + intercept;
        }
    }

    /// <summary>
    /// The weighted rows p(1 − p)·z into their buffer, and the block's Σ r·z and Σ p(1 − p)·z added to
    /// <see cref="_sums"/> (the gradient's and the Hessian's intercept column's feature parts).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Weigh(int count, ReadOnlySpan<double> residuals, ReadOnlySpan<double> weights)
    {
        int p = _pitch;
        ref double z = ref MemoryMarshal.GetArrayDataReference(_z);
        ref double weighted = ref MemoryMarshal.GetArrayDataReference(_weighted);
        ref double sums = ref MemoryMarshal.GetArrayDataReference(_sums);
        for (int j = 0; j < p; j += Width)
        {
            var gradient0 = Vector256<double>.Zero;
            var gradient1 = Vector256<double>.Zero;
            var column0 = Vector256<double>.Zero;
            var column1 = Vector256<double>.Zero;
            int i = 0;
            for (; i + 2 <= count; i += 2)
            {
                var v = Vector256.LoadUnsafe(ref z, (nuint)((i * p) + j));
                var u = Vector256.LoadUnsafe(ref z, (nuint)(((i + 1) * p) + j));
                var wv = v * Vector256.Create(weights[i]);
                var wu = u * Vector256.Create(weights[i + 1]);
                wv.StoreUnsafe(ref weighted, (nuint)((i * p) + j));
                wu.StoreUnsafe(ref weighted, (nuint)(((i + 1) * p) + j));
                gradient0 = Vector256.FusedMultiplyAdd(v, Vector256.Create(residuals[i]), gradient0);
                gradient1 = Vector256.FusedMultiplyAdd(u, Vector256.Create(residuals[i + 1]), gradient1);
                column0 += wv;
                column1 += wu;
            }

            for (; i < count; i++)
            {
                var v = Vector256.LoadUnsafe(ref z, (nuint)((i * p) + j));
                var wv = v * Vector256.Create(weights[i]);
                wv.StoreUnsafe(ref weighted, (nuint)((i * p) + j));
                gradient0 = Vector256.FusedMultiplyAdd(v, Vector256.Create(residuals[i]), gradient0);
                column0 += wv;
            }

            (Vector256.LoadUnsafe(ref sums, (nuint)j) + (gradient0 + gradient1)).StoreUnsafe(ref sums, (nuint)j);
            (Vector256.LoadUnsafe(ref sums, (nuint)(p + j)) + (column0 + column1)).StoreUnsafe(ref sums, (nuint)(p + j));
        }
    }

    /// <summary>
    /// Adds the block's Σ p(1 − p)·z·zᵀ to the upper triangle of <see cref="_gram"/> (whole 4 × 4 tiles on and above
    /// the diagonal; the entries below the diagonal inside a diagonal tile are computed but never read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddTiles(int count)
    {
        int vectors = _pitch / Width;
        for (int a = 0; a < vectors; a++)
        {
            int b = a;
            for (; b + 3 <= vectors; b += 3)
            {
                Tile3(count, a, b);
            }

            if (b + 2 <= vectors)
            {
                Tile2(count, a, b);
            }
            else if (b < vectors)
            {
                Tile1(count, a, b);
            }
        }
    }

    /// <summary>gram[4a..4a+3, 4b..4b+11] += Σᵢ weighted[i, 4a..4a+3]ᵀ · z[i, 4b..4b+11].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Tile3(int count, int a, int b)
    {
        int p = _pitch;
        ref double left = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weighted), a * Width);
        ref double right = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_z), b * Width);
        Vector256<double> s00 = default, s01 = default, s02 = default, s10 = default, s11 = default, s12 = default;
        Vector256<double> s20 = default, s21 = default, s22 = default, s30 = default, s31 = default, s32 = default;
        for (int i = 0; i < count; i++)
        {
            ref double l = ref Unsafe.Add(ref left, i * p);
            ref double r = ref Unsafe.Add(ref right, i * p);
            var r0 = Vector256.LoadUnsafe(ref r);
            var r1 = Vector256.LoadUnsafe(ref r, (nuint)Width);
            var r2 = Vector256.LoadUnsafe(ref r, (nuint)(2 * Width));
            var l0 = Vector256.Create(l);
            s00 = Vector256.FusedMultiplyAdd(l0, r0, s00);
            s01 = Vector256.FusedMultiplyAdd(l0, r1, s01);
            s02 = Vector256.FusedMultiplyAdd(l0, r2, s02);
            var l1 = Vector256.Create(Unsafe.Add(ref l, 1));
            s10 = Vector256.FusedMultiplyAdd(l1, r0, s10);
            s11 = Vector256.FusedMultiplyAdd(l1, r1, s11);
            s12 = Vector256.FusedMultiplyAdd(l1, r2, s12);
            var l2 = Vector256.Create(Unsafe.Add(ref l, 2));
            s20 = Vector256.FusedMultiplyAdd(l2, r0, s20);
            s21 = Vector256.FusedMultiplyAdd(l2, r1, s21);
            s22 = Vector256.FusedMultiplyAdd(l2, r2, s22);
            var l3 = Vector256.Create(Unsafe.Add(ref l, 3));
            s30 = Vector256.FusedMultiplyAdd(l3, r0, s30);
            s31 = Vector256.FusedMultiplyAdd(l3, r1, s31);
            s32 = Vector256.FusedMultiplyAdd(l3, r2, s32);
        }

        ref double g = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_gram), (a * Width * p) + (b * Width));
        Accumulate(ref g, s00, s01, s02);
        Accumulate(ref Unsafe.Add(ref g, p), s10, s11, s12);
        Accumulate(ref Unsafe.Add(ref g, 2 * p), s20, s21, s22);
        Accumulate(ref Unsafe.Add(ref g, 3 * p), s30, s31, s32);
    }

    /// <summary>gram[4a..4a+3, 4b..4b+7] += Σᵢ weighted[i, 4a..4a+3]ᵀ · z[i, 4b..4b+7].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Tile2(int count, int a, int b)
    {
        int p = _pitch;
        ref double left = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weighted), a * Width);
        ref double right = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_z), b * Width);
        Vector256<double> s00 = default, s01 = default, s10 = default, s11 = default;
        Vector256<double> s20 = default, s21 = default, s30 = default, s31 = default;
        for (int i = 0; i < count; i++)
        {
            ref double l = ref Unsafe.Add(ref left, i * p);
            ref double r = ref Unsafe.Add(ref right, i * p);
            var r0 = Vector256.LoadUnsafe(ref r);
            var r1 = Vector256.LoadUnsafe(ref r, (nuint)Width);
            var l0 = Vector256.Create(l);
            s00 = Vector256.FusedMultiplyAdd(l0, r0, s00);
            s01 = Vector256.FusedMultiplyAdd(l0, r1, s01);
            var l1 = Vector256.Create(Unsafe.Add(ref l, 1));
            s10 = Vector256.FusedMultiplyAdd(l1, r0, s10);
            s11 = Vector256.FusedMultiplyAdd(l1, r1, s11);
            var l2 = Vector256.Create(Unsafe.Add(ref l, 2));
            s20 = Vector256.FusedMultiplyAdd(l2, r0, s20);
            s21 = Vector256.FusedMultiplyAdd(l2, r1, s21);
            var l3 = Vector256.Create(Unsafe.Add(ref l, 3));
            s30 = Vector256.FusedMultiplyAdd(l3, r0, s30);
            s31 = Vector256.FusedMultiplyAdd(l3, r1, s31);
        }

        ref double g = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_gram), (a * Width * p) + (b * Width));
        Accumulate(ref g, s00, s01);
        Accumulate(ref Unsafe.Add(ref g, p), s10, s11);
        Accumulate(ref Unsafe.Add(ref g, 2 * p), s20, s21);
        Accumulate(ref Unsafe.Add(ref g, 3 * p), s30, s31);
    }

    /// <summary>gram[4a..4a+3, 4b..4b+3] += Σᵢ weighted[i, 4a..4a+3]ᵀ · z[i, 4b..4b+3], two rows at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Tile1(int count, int a, int b)
    {
        int p = _pitch;
        ref double left = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weighted), a * Width);
        ref double right = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_z), b * Width);
        Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
        Vector256<double> t0 = default, t1 = default, t2 = default, t3 = default;
        int i = 0;
        for (; i + 2 <= count; i += 2)
        {
            ref double l = ref Unsafe.Add(ref left, i * p);
            ref double r = ref Unsafe.Add(ref right, i * p);
            ref double lNext = ref Unsafe.Add(ref l, p);
            var r0 = Vector256.LoadUnsafe(ref r);
            var u0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref r, p));
            s0 = Vector256.FusedMultiplyAdd(Vector256.Create(l), r0, s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref l, 1)), r0, s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref l, 2)), r0, s2);
            s3 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref l, 3)), r0, s3);
            t0 = Vector256.FusedMultiplyAdd(Vector256.Create(lNext), u0, t0);
            t1 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref lNext, 1)), u0, t1);
            t2 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref lNext, 2)), u0, t2);
            t3 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref lNext, 3)), u0, t3);
        }

        for (; i < count; i++)
        {
            ref double l = ref Unsafe.Add(ref left, i * p);
            var r0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref right, i * p));
            s0 = Vector256.FusedMultiplyAdd(Vector256.Create(l), r0, s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref l, 1)), r0, s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref l, 2)), r0, s2);
            s3 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref l, 3)), r0, s3);
        }

        ref double g = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_gram), (a * Width * p) + (b * Width));
        Accumulate(ref g, s0 + t0);
        Accumulate(ref Unsafe.Add(ref g, p), s1 + t1);
        Accumulate(ref Unsafe.Add(ref g, 2 * p), s2 + t2);
        Accumulate(ref Unsafe.Add(ref g, 3 * p), s3 + t3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref double target, Vector256<double> v0) =>
        (Vector256.LoadUnsafe(ref target) + v0).StoreUnsafe(ref target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref double target, Vector256<double> v0, Vector256<double> v1)
    {
        Accumulate(ref target, v0);
        Accumulate(ref Unsafe.Add(ref target, Width), v1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref double target, Vector256<double> v0, Vector256<double> v1, Vector256<double> v2)
    {
        Accumulate(ref target, v0, v1);
        Accumulate(ref Unsafe.Add(ref target, 2 * Width), v2);
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
