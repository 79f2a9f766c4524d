using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
