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
        Span<double> theta = stackalloc double[3] { initialIntercept, 0.0, 0.0 };
        Span<double> trial = stackalloc double[3];
        var gradient = new double[3];
        var hessian = new double[3, 3];
        var trialGradient = new double[3];
        var trialHessian = new double[3, 3];

        double loss = Evaluate(theta, x0, x1, labels, positiveTarget, negativeTarget, l2, gradient, hessian);
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

                double trialLoss = Evaluate(trial, x0, x1, labels, positiveTarget, negativeTarget, l2, trialGradient, trialHessian);
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
    private static double Evaluate(
        ReadOnlySpan<double> theta,
        ReadOnlySpan<double> x0,
        ReadOnlySpan<double> x1,
        ReadOnlySpan<bool> labels,
        double positiveTarget,
        double negativeTarget,
        double l2,
        double[] gradient,
        double[,] hessian)
    {
        double c = theta[0], w0 = theta[1], w1 = theta[2];
        bool two = !x1.IsEmpty;
        double loss = 0.0;
        double gc = 0.0, g0 = 0.0, g1 = 0.0;
        double hcc = 0.0, hc0 = 0.0, hc1 = 0.0, h00 = 0.0, h01 = 0.0, h11 = 0.0;
        double targetStep = positiveTarget - negativeTarget;
        for (int i = 0; i < x0.Length; i++)
        {
            // Branch-free in the label and the sign of z: both are random across cases, and
            // mispredicted branches would cost more than the arithmetic.
            double a = x0[i];
            double b = two ? x1[i] : 0.0;
            double t = negativeTarget + (targetStep * (labels[i] ? 1.0 : 0.0));
            double z = c + (w0 * a) + (w1 * b);
            double negative = BitConverter.DoubleToInt64Bits(z) >>> 63;

            // e = e^(−|z|) ∈ (0, 1]: σ(z) = (z ≥ 0 ? 1 : e)/(1 + e), log(1 + e^z) = max(z, 0) + log(1 + e),
            // σ(1 − σ) = e/(1 + e)², all without overflow. log(1 + e) rather than log1p: its absolute
            // error is below 1.2e-16 per case, far inside the line search's noise allowance.
            double e = Math.Exp(-Math.Abs(z));
            double r = 1.0 / (1.0 + e);
            double sigma = ((e * negative) + (1.0 - negative)) * r;
            loss += (z * (1.0 - negative)) + Math.Log(1.0 + e) - (t * z);

            double residual = sigma - t;
            double h = e * r * r;
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

        loss += 0.5 * l2 * ((w0 * w0) + (w1 * w1));
        gradient[0] = gc;
        gradient[1] = g0 + (l2 * w0);
        gradient[2] = g1 + (l2 * w1);
        hessian[0, 0] = hcc;
        hessian[0, 1] = hessian[1, 0] = hc0;
        hessian[0, 2] = hessian[2, 0] = hc1;
        hessian[1, 1] = h00 + l2;
        hessian[1, 2] = hessian[2, 1] = h01;
        hessian[2, 2] = h11 + l2;
        return loss;
    }
}
