using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MathNet.Numerics.LinearAlgebra;

namespace SelfLearning.Calibration;

/// <summary>
/// Minimises the logistic loss with (possibly soft) targets over an intercept and one or two
/// features, by Newton's method with a backtracking line search as in Lin, Lin and Weng (2007),
/// "A note on Platt's probabilistic outputs for support vector machines":
/// <code>
/// L(c, w) = Σᵢ [log(1 + e^zᵢ) − tᵢ·zᵢ] + (λ/2)·‖w‖²,   zᵢ = c + w₀·x₀ᵢ + w₁·x₁ᵢ
/// </code>
/// with tᵢ = <c>positiveTarget</c> where the label is true and <c>negativeTarget</c> where it is false.
/// The loss is convex, so Newton with backtracking converges from any start; the objective,
/// gradient and Hessian come from one pass over the data. Hand-written because MathNet's
/// optimisers neither exploit the one-pass structure nor take soft targets without allocating them.
/// </summary>
internal static class LogisticNewtonSolver
{
    /// <summary>From this many cases on, <see cref="MinimizeOneFeature"/> warm-starts from a fit on a sample.</summary>
    internal const int WarmStartMinimum = 1 << 16;

    /// <summary>About how many cases the warm-start sample holds (every k-th case).</summary>
    internal const int WarmStartSample = 1 << 15;

    /// <summary>Fits the parameters; <paramref name="x1"/> empty means a single feature.</summary>
    /// <param name="x0">The first feature.</param>
    /// <param name="x1">The second feature, or empty.</param>
    /// <param name="labels">The labels.</param>
    /// <param name="positiveTarget">The target where the label is true.</param>
    /// <param name="negativeTarget">The target where the label is false.</param>
    /// <param name="l2">λ, the L2 penalty on the feature weights (the intercept is not penalised).</param>
    /// <param name="initialIntercept">The starting intercept (the weights start at 0).</param>
    /// <returns>The intercept and the weights, and how the solver ended.</returns>
    public static LogisticSolution Minimize(
        ReadOnlySpan<double> x0,
        ReadOnlySpan<double> x1,
        ReadOnlySpan<bool> labels,
        double positiveTarget,
        double negativeTarget,
        double l2,
        double initialIntercept)
    {
        int dimension = x1.IsEmpty ? 2 : 3;
        double[] rentedTargets = ArrayPool<double>.Shared.Rent(labels.Length);
        try
        {
            Span<double> targets = rentedTargets.AsSpan(0, labels.Length);
            for (int i = 0; i < labels.Length; i++)
            {
                targets[i] = labels[i] ? positiveTarget : negativeTarget;
            }

            return Minimize(x0, x1, targets, l2, initialIntercept, dimension);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rentedTargets);
        }
    }

    private static LogisticSolution Minimize(
        ReadOnlySpan<double> x0,
        ReadOnlySpan<double> x1,
        ReadOnlySpan<double> targets,
        double l2,
        double initialIntercept,
        int dimension)
    {
        Span<double> theta = stackalloc double[3] { initialIntercept, 0.0, 0.0 };
        Span<double> trial = stackalloc double[3];
        var gradient = new double[3];
        var hessian = new double[3, 3];
        var trialGradient = new double[3];
        var trialHessian = new double[3, 3];

        double loss = Evaluate(theta, x0, x1, targets, l2, gradient, hessian);
        for (int iteration = 1; iteration <= CalibrationConstants.MaxNewtonIterations; iteration++)
        {
            Vector<double> step = NewtonStep(gradient, hessian, dimension);
            if (!IsFinite(step))
            {
                return new LogisticSolution(theta[0], theta[1], theta[2], new SolverReport(iteration, Converged: false));
            }

            if (IsNegligible(step, theta))
            {
                for (int j = 0; j < dimension; j++)
                {
                    theta[j] += step[j];
                }

                return new LogisticSolution(theta[0], theta[1], theta[2], new SolverReport(iteration, Converged: true));
            }

            double slope = 0.0;
            for (int j = 0; j < dimension; j++)
            {
                slope += gradient[j] * step[j];
            }

            double stepSize = 1.0;
            while (true)
            {
                for (int j = 0; j < dimension; j++)
                {
                    trial[j] = theta[j] + (stepSize * step[j]);
                }

                double trialLoss = Evaluate(trial, x0, x1, targets, l2, trialGradient, trialHessian);
                double bound = loss + (CalibrationConstants.ArmijoConstant * stepSize * slope) + (CalibrationConstants.ObjectiveNoise * Math.Abs(loss));
                if (trialLoss <= bound)
                {
                    trial.CopyTo(theta);
                    loss = trialLoss;
                    Array.Copy(trialGradient, gradient, 3);
                    Array.Copy(trialHessian, hessian, 9);
                    break;
                }

                stepSize /= 2.0;
                if (stepSize < CalibrationConstants.MinLineSearchStep)
                {
                    return new LogisticSolution(theta[0], theta[1], theta[2], new SolverReport(iteration, Converged: false));
                }
            }
        }

        return new LogisticSolution(theta[0], theta[1], theta[2], new SolverReport(CalibrationConstants.MaxNewtonIterations, Converged: false));
    }

    private static Vector<double> NewtonStep(double[] gradient, double[,] hessian, int dimension)
    {
        var h = Matrix<double>.Build.Dense(dimension, dimension, (r, c) => hessian[r, c] + (r == c ? CalibrationConstants.HessianRidge : 0.0));
        var g = Vector<double>.Build.Dense(dimension, j => -gradient[j]);
        return h.Solve(g);
    }

    private static bool IsFinite(Vector<double> step)
    {
        foreach (double v in step)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNegligible(Vector<double> step, ReadOnlySpan<double> theta)
    {
        for (int j = 0; j < step.Count; j++)
        {
            if (Math.Abs(step[j]) > CalibrationConstants.RelativeStepTolerance * (1.0 + Math.Abs(theta[j])))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One pass: the loss, and its gradient and Hessian in (c, w₀, w₁) order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Evaluate(
        ReadOnlySpan<double> theta,
        ReadOnlySpan<double> x0,
        ReadOnlySpan<double> x1,
        ReadOnlySpan<double> targets,
        double l2,
        double[] gradient,
        double[,] hessian)
    {
        double c = theta[0], w0 = theta[1], w1 = theta[2];
        bool two = !x1.IsEmpty;
        var sums = default(Sums);
        int i = 0;
        i = EvaluateVectorized(c, w0, w1, x0, x1, targets, ref sums);
        for (; i < x0.Length; i++)
        {
            // Branch-free in the sign of z, which is random across cases: a mispredicted branch
            // would cost more than the arithmetic.
            double a = x0[i];
            double b = two ? x1[i] : 0.0;
            double t = targets[i];
            double z = c + (w0 * a) + (w1 * b);
            double negative = BitConverter.DoubleToInt64Bits(z) >>> 63;

            // e = e^(−|z|) ∈ (0, 1]: σ(z) = (z ≥ 0 ? 1 : e)/(1 + e), log(1 + e^z) = max(z, 0) + log(1 + e),
            // σ(1 − σ) = e/(1 + e)², all without overflow. log(1 + e) rather than log1p: its absolute
            // error is below 1.2e-16 per case, far inside the line search's noise allowance.
            double e = Math.Exp(-Math.Abs(z));
            double r = 1.0 / (1.0 + e);
            double sigma = ((e * negative) + (1.0 - negative)) * r;
            sums.Loss += (z * (1.0 - negative)) + Math.Log(1.0 + e) - (t * z);

            double residual = sigma - t;
            double h = e * r * r;
            sums.Gc += residual;
            sums.G0 += residual * a;
            sums.G1 += residual * b;
            sums.Hcc += h;
            sums.Hc0 += h * a;
            sums.Hc1 += h * b;
            sums.H00 += h * a * a;
            sums.H01 += h * a * b;
            sums.H11 += h * b * b;
        }

        gradient[0] = sums.Gc;
        gradient[1] = sums.G0 + (l2 * w0);
        gradient[2] = sums.G1 + (l2 * w1);
        hessian[0, 0] = sums.Hcc;
        hessian[0, 1] = hessian[1, 0] = sums.Hc0;
        hessian[0, 2] = hessian[2, 0] = sums.Hc1;
        hessian[1, 1] = sums.H00 + l2;
        hessian[1, 2] = hessian[2, 1] = sums.H01;
        hessian[2, 2] = sums.H11 + l2;
        return sums.Loss + (0.5 * l2 * ((w0 * w0) + (w1 * w1)));
    }

    /// <summary>
    /// The same pass four cases at a time (Vector256.Log and FusedMultiplyAdd exist from .NET 9); returns where the
    /// scalar tail starts. Compiled fully optimised at once: this loop is the whole cost of a fit, and its tier-0 code
    /// (nothing inlined) is some thirty times slower, which made a 10,000-case fit take 13–20 ms in a short
    /// benchmark run instead of 0.4 ms, until tiering caught up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int EvaluateVectorized(
        double c, double w0, double w1, ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, ReadOnlySpan<double> targets, ref Sums sums)
    {
        if (!Vector256.IsHardwareAccelerated || x0.Length < Vector256<double>.Count)
        {
            return 0;
        }

        // One copy of the loop per feature count (the constant folds away), so a one-feature fit skips the
        // second feature's five sums.
        return x1.IsEmpty
            ? EvaluateVectorized(c, w0, w1, x0, x1, targets, ref sums, two: false)
            : EvaluateVectorized(c, w0, w1, x0, x1, targets, ref sums, two: true);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EvaluateVectorized(
        double c, double w0, double w1, ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, ReadOnlySpan<double> targets, ref Sums sums, bool two)
    {
        var vc = Vector256.Create(c);
        var vw0 = Vector256.Create(w0);
        var vw1 = Vector256.Create(w1);
        var one = Vector256<double>.One;
        Vector256<double> loss = default, gc = default, g0 = default, g1 = default;
        Vector256<double> hcc = default, hc0 = default, hc1 = default, h00 = default, h01 = default, h11 = default;
        ref double a0 = ref MemoryMarshal.GetReference(x0);
        ref double b0 = ref MemoryMarshal.GetReference(x1);
        ref double t0 = ref MemoryMarshal.GetReference(targets);
        int i = 0;
        for (; i <= x0.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var a = Vector256.LoadUnsafe(ref a0, (nuint)i);
            var b = two ? Vector256.LoadUnsafe(ref b0, (nuint)i) : Vector256<double>.Zero;
            var t = Vector256.LoadUnsafe(ref t0, (nuint)i);
            var z = two ? vc + (vw0 * a) + (vw1 * b) : vc + (vw0 * a);
            var e = Logistic.ExpNonPositive(-Vector256.Abs(z));
            var onePlusE = one + e;
            var r = one / onePlusE;
            var sigma = Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256<double>.Zero), e, one) * r;
            loss += Vector256.Max(z, Vector256<double>.Zero) + Vector256.Log(onePlusE) - (t * z);
            var residual = sigma - t;
            var h = e * r * r;
            gc += residual;
            g0 += residual * a;
            hcc += h;
            hc0 += h * a;
            h00 += h * a * a;
            if (two)
            {
                g1 += residual * b;
                hc1 += h * b;
                h01 += h * a * b;
                h11 += h * b * b;
            }
        }

        sums.Loss += Vector256.Sum(loss);
        sums.Gc += Vector256.Sum(gc);
        sums.G0 += Vector256.Sum(g0);
        sums.G1 += Vector256.Sum(g1);
        sums.Hcc += Vector256.Sum(hcc);
        sums.Hc0 += Vector256.Sum(hc0);
        sums.Hc1 += Vector256.Sum(hc1);
        sums.H00 += Vector256.Sum(h00);
        sums.H01 += Vector256.Sum(h01);
        sums.H11 += Vector256.Sum(h11);
        return i;
    }

    /// <summary>
    /// Fits σ(c + w·x) on one feature without a penalty, with the targets read from the labels inside each pass
    /// (no targets array) and the 2×2 Newton system solved in place: no allocation but the pooled warm-start sample.
    /// </summary>
    /// <param name="x">The feature (Platt's raw scores).</param>
    /// <param name="labels">The labels.</param>
    /// <param name="positiveTarget">The target where the label is true.</param>
    /// <param name="negativeTarget">The target where the label is false.</param>
    /// <param name="initialIntercept">The starting intercept (the weight starts at 0).</param>
    /// <returns>The intercept and the weight, and how the solver ended on the whole data.</returns>
    /// <remarks>
    /// The same objective, method and stopping rule as <see cref="Minimize(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{bool}, double, double, double, double)"/>;
    /// only the start differs on large inputs: from <see cref="WarmStartMinimum"/> cases on, the solver first runs to
    /// convergence on every k-th case (about <see cref="WarmStartSample"/> of them, cheap and cache-resident) and starts
    /// the full-data Newton iterations there, which then need about four passes over the data instead of eight or
    /// nine. Newton's method stops at the same optimum from any start (the loss is convex), so the fit is unchanged
    /// up to the stopping tolerance. A sample fit that does not converge is ignored.
    /// </remarks>
    public static LogisticSolution MinimizeOneFeature(
        ReadOnlySpan<double> x,
        ReadOnlySpan<bool> labels,
        double positiveTarget,
        double negativeTarget,
        double initialIntercept)
    {
        double c = initialIntercept, w = 0.0;
        if (x.Length >= WarmStartMinimum)
        {
            // A strided sample, so scores sorted by value or grouped by label are sampled across their whole range.
            int stride = x.Length / WarmStartSample;
            int m = ((x.Length - 1) / stride) + 1;
            double[] sampleX = ArrayPool<double>.Shared.Rent(m);
            bool[] sampleLabels = ArrayPool<bool>.Shared.Rent(m);
            try
            {
                for (int k = 0; k < m; k++)
                {
                    sampleX[k] = x[k * stride];
                    sampleLabels[k] = labels[k * stride];
                }

                LogisticSolution warm = NewtonOneFeature(
                    sampleX.AsSpan(0, m), sampleLabels.AsSpan(0, m), positiveTarget, negativeTarget, c, w);
                if (warm.Report.Converged)
                {
                    c = warm.Intercept;
                    w = warm.Weight0;
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(sampleX);
                ArrayPool<bool>.Shared.Return(sampleLabels);
            }
        }

        return NewtonOneFeature(x, labels, positiveTarget, negativeTarget, c, w);
    }

    /// <summary>Newton with backtracking on (c, w), as <see cref="Minimize(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, double, double, int)"/> for one feature.</summary>
    private static LogisticSolution NewtonOneFeature(
        ReadOnlySpan<double> x, ReadOnlySpan<bool> labels, double positiveTarget, double negativeTarget, double c, double w)
    {
        Sums sums = EvaluateOneFeature(c, w, x, labels, positiveTarget, negativeTarget);
        for (int iteration = 1; iteration <= CalibrationConstants.MaxNewtonIterations; iteration++)
        {
            var (dc, dw) = NewtonStep(sums);
            if (!double.IsFinite(dc) || !double.IsFinite(dw))
            {
                return new LogisticSolution(c, w, 0.0, new SolverReport(iteration, Converged: false));
            }

            if (Math.Abs(dc) <= CalibrationConstants.RelativeStepTolerance * (1.0 + Math.Abs(c))
                && Math.Abs(dw) <= CalibrationConstants.RelativeStepTolerance * (1.0 + Math.Abs(w)))
            {
                return new LogisticSolution(c + dc, w + dw, 0.0, new SolverReport(iteration, Converged: true));
            }

            double slope = (sums.Gc * dc) + (sums.G0 * dw);
            double stepSize = 1.0;
            while (true)
            {
                double trialC = c + (stepSize * dc), trialW = w + (stepSize * dw);
                Sums trial = EvaluateOneFeature(trialC, trialW, x, labels, positiveTarget, negativeTarget);
                double bound = sums.Loss + (CalibrationConstants.ArmijoConstant * stepSize * slope) + (CalibrationConstants.ObjectiveNoise * Math.Abs(sums.Loss));
                if (trial.Loss <= bound)
                {
                    c = trialC;
                    w = trialW;
                    sums = trial;
                    break;
                }

                stepSize /= 2.0;
                if (stepSize < CalibrationConstants.MinLineSearchStep)
                {
                    return new LogisticSolution(c, w, 0.0, new SolverReport(iteration, Converged: false));
                }
            }
        }

        return new LogisticSolution(c, w, 0.0, new SolverReport(CalibrationConstants.MaxNewtonIterations, Converged: false));
    }

    /// <summary>
    /// Solves (H + ridge·I)·d = −g for the 2×2 system of one feature by LU with partial pivoting, the factorisation
    /// MathNet's dense solve uses, without allocating.
    /// </summary>
    private static (double Dc, double Dw) NewtonStep(in Sums sums)
    {
        double h11 = sums.Hcc + CalibrationConstants.HessianRidge;
        double h12 = sums.Hc0;
        double h22 = sums.H00 + CalibrationConstants.HessianRidge;
        double g1 = -sums.Gc, g2 = -sums.G0;
        if (Math.Abs(h11) >= Math.Abs(h12))
        {
            double l = h12 / h11;
            double dw = (g2 - (l * g1)) / (h22 - (l * h12));
            return ((g1 - (h12 * dw)) / h11, dw);
        }
        else
        {
            // Rows swapped: the pivot is h21 = h12.
            double l = h11 / h12;
            double dw = (g1 - (l * g2)) / (h12 - (l * h22));
            return ((g2 - (h22 * dw)) / h12, dw);
        }
    }

    /// <summary>One pass for one feature: the loss, gradient and Hessian, the target of each case chosen from its label.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Sums EvaluateOneFeature(
        double c, double w, ReadOnlySpan<double> x, ReadOnlySpan<bool> labels, double positiveTarget, double negativeTarget)
    {
        var sums = default(Sums);
        int i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<double>.Count)
        {
            i = EvaluateOneFeatureVectorized(c, w, x, labels, positiveTarget, negativeTarget, ref sums);
        }

        for (; i < x.Length; i++)
        {
            double a = x[i];
            double t = labels[i] ? positiveTarget : negativeTarget;
            double z = c + (w * a);
            double negative = BitConverter.DoubleToInt64Bits(z) >>> 63;
            double e = Math.Exp(-Math.Abs(z));
            double r = 1.0 / (1.0 + e);
            double sigma = ((e * negative) + (1.0 - negative)) * r;
            sums.Loss += (z * (1.0 - negative)) + Math.Log(1.0 + e) - (t * z);
            double residual = sigma - t;
            double h = e * r * r;
            sums.Gc += residual;
            sums.G0 += residual * a;
            sums.Hcc += h;
            sums.Hc0 += h * a;
            sums.H00 += h * a * a;
        }

        return sums;
    }

    /// <summary>The one-feature pass four cases at a time; the labels are widened from bytes to lane masks in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int EvaluateOneFeatureVectorized(
        double c, double w, ReadOnlySpan<double> x, ReadOnlySpan<bool> labels, double positiveTarget, double negativeTarget, ref Sums sums)
    {
        var vc = Vector256.Create(c);
        var vw = Vector256.Create(w);
        var vPositive = Vector256.Create(positiveTarget);
        var vNegative = Vector256.Create(negativeTarget);
        var one = Vector256<double>.One;
        Vector256<double> loss = default, gc = default, g0 = default, hcc = default, hc0 = default, h00 = default;
        ref double a0 = ref MemoryMarshal.GetReference(x);
        ref byte l0 = ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetReference(labels));
        int i = 0;
        for (; i <= x.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var a = Vector256.LoadUnsafe(ref a0, (nuint)i);
            var isNegative = Vector256.Equals(Labels(ref l0, i), Vector256<long>.Zero).AsDouble();
            var t = Vector256.ConditionalSelect(isNegative, vNegative, vPositive);
            var z = Vector256.FusedMultiplyAdd(vw, a, vc);
            var e = Logistic.ExpNonPositive(-Vector256.Abs(z));
            var onePlusE = one + e;
            var r = one / onePlusE;
            var sigma = Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256<double>.Zero), e, one) * r;
            loss += Vector256.Max(z, Vector256<double>.Zero) + Logistic.LogOnePlusUnit(e) - (t * z);
            var residual = sigma - t;
            var h = e * r * r;
            gc += residual;
            g0 += residual * a;
            hcc += h;
            hc0 += h * a;
            h00 += h * a * a;
        }

        sums.Loss += Vector256.Sum(loss);
        sums.Gc += Vector256.Sum(gc);
        sums.G0 += Vector256.Sum(g0);
        sums.Hcc += Vector256.Sum(hcc);
        sums.Hc0 += Vector256.Sum(hc0);
        sums.H00 += Vector256.Sum(h00);
        return i;
    }

    /// <summary>Four labels from bytes <paramref name="i"/>…<paramref name="i"/> + 3, zero-extended to 64-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Labels(ref byte l0, int i)
    {
        if (Avx2.IsSupported)
        {
            uint four = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref l0, i));
            return Avx2.ConvertToVector256Int64(Vector128.CreateScalarUnsafe(four).AsByte());
        }

        return Vector256.Create(Unsafe.Add(ref l0, i), Unsafe.Add(ref l0, i + 1), Unsafe.Add(ref l0, i + 2), (long)Unsafe.Add(ref l0, i + 3));
    }

    /// <summary>The running sums of one pass.</summary>
    private struct Sums
    {
        public double Loss;
        public double Gc;
        public double G0;
        public double G1;
        public double Hcc;
        public double Hc0;
        public double Hc1;
        public double H00;
        public double H01;
        public double H11;
    }
}
