using MathNet.Numerics.LinearAlgebra;

namespace SelfLearning.Training;

/// <summary>
/// Damped Newton's method for smooth convex objectives, with Cholesky solves (MathNet.Numerics) and Armijo
/// back-tracking. Hand-written because MathNet's Newton minimiser has no line search safeguard for our use and
/// we need the Hessian regularisation hook for softmax's unidentified intercept direction.
/// </summary>
internal static class NewtonSolver
{
    public const int DefaultMaxIterations = 100;
    public const double DefaultGradientTolerance = 1e-10;
    private const double ArmijoConstant = 1e-4;
    private const int MaxHalvings = 60;

    /// <summary>
    /// Converged also when half the Newton decrement gᵀH⁻¹g — the predicted remaining decrease — is below this
    /// fraction of the objective: the optimum is then reached to machine precision even if rounding keeps the
    /// gradient above its tolerance on large data.
    /// </summary>
    private const double RelativeDecrementTolerance = 1e-15;

    /// <summary>The objective's value, gradient and Hessian at a point.</summary>
    public delegate (double Value, Vector<double> Gradient, Matrix<double> Hessian) Evaluate(Vector<double> theta);

    /// <summary>
    /// Minimises from <paramref name="start"/>; converged when the largest gradient component is at most
    /// <paramref name="tolerance"/>·max(1, <paramref name="scale"/>) or the Newton decrement is negligible.
    /// </summary>
    public static (Vector<double> Theta, int Iterations, bool Converged, double Value) Minimize(
        Evaluate evaluate, Func<Vector<double>, double> value, Vector<double> start, int maxIterations, double tolerance, double scale)
    {
        var theta = start.Clone();
        var (f, g, h) = evaluate(theta);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            if (g.InfinityNorm() <= tolerance * Math.Max(1.0, scale))
            {
                return (theta, iteration, true, f);
            }

            var step = h.Cholesky().Solve(g);
            double slope = g.DotProduct(step);
            if (slope / 2 <= RelativeDecrementTolerance * Math.Max(1.0, Math.Abs(f)))
            {
                return (theta, iteration, true, f);
            }

            // The full step is almost always taken, so it is evaluated with its gradient and Hessian in the same pass.
            double t = 1.0;
            Vector<double> candidate = theta - step;
            var (fc, gc, hc) = evaluate(candidate);
            if (fc <= f - (ArmijoConstant * slope))
            {
                (theta, f, g, h) = (candidate, fc, gc, hc);
                continue;
            }

            for (int halving = 0; halving < MaxHalvings && !(fc <= f - (ArmijoConstant * t * slope)); halving++)
            {
                t *= 0.5;
                candidate = theta - (t * step);
                fc = value(candidate);
            }

            if (!(fc <= f))
            {
                // No decrease is possible in floating point: stop, and say whether the gradient test holds.
                return (theta, iteration, false, f);
            }

            theta = candidate;
            (f, g, h) = evaluate(theta);
        }

        return (theta, maxIterations, g.InfinityNorm() <= tolerance * Math.Max(1.0, scale), f);
    }
}
