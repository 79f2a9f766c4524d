using MathNet.Numerics.LinearAlgebra;

namespace SelfLearning.Training;

/// <summary>
/// Limited-memory BFGS (Nocedal 1980; the two-loop recursion of Nocedal and Wright, Algorithm 7.4) with Armijo
/// back-tracking, for smooth convex objectives with too many parameters for <see cref="NewtonSolver"/>'s dense Hessian
/// and Cholesky solve. It needs only the value and gradient, one pass over the data per evaluation. Converged when
/// the largest gradient component is at most tolerance·max(1, scale), <see cref="NewtonSolver"/>'s gradient rule.
/// Newton's second rule (half the Newton decrement below 1e-15 of the objective) is not used: with L-BFGS's rough
/// inverse Hessian the decrement can be that small while the gradient is still far above its tolerance.
/// </summary>
internal static class LbfgsSolver
{
    /// <summary>The number of correction pairs kept.</summary>
    public const int Memory = 10;

    private const double ArmijoConstant = 1e-4;
    private const int MaxHalvings = 60;

    /// <summary>The objective's value and gradient at a point.</summary>
    /// <param name="theta">The point.</param>
    /// <returns>The value and the gradient.</returns>
    public delegate (double Value, Vector<double> Gradient) Evaluate(Vector<double> theta);

    /// <summary>Minimises from <paramref name="start"/>.</summary>
    /// <param name="evaluate">The value and gradient.</param>
    /// <param name="value">The value alone (for the back-tracking steps).</param>
    /// <param name="start">The starting point.</param>
    /// <param name="maxIterations">The iteration limit.</param>
    /// <param name="tolerance">The gradient tolerance per unit of <paramref name="scale"/>.</param>
    /// <param name="scale">The row count the gradient sums over.</param>
    /// <returns>The minimiser, iterations, whether the stopping rule held, and the value there.</returns>
    public static (Vector<double> Theta, int Iterations, bool Converged, double Value) Minimize(
        Evaluate evaluate, Func<Vector<double>, double> value, Vector<double> start, int maxIterations, double tolerance, double scale)
    {
        var theta = start.Clone();
        var (f, g) = evaluate(theta);
        var steps = new Vector<double>[Memory];
        var changes = new Vector<double>[Memory];
        var rho = new double[Memory];
        var alpha = new double[Memory];
        int stored = 0;
        int newest = -1;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            if (g.InfinityNorm() <= tolerance * Math.Max(1.0, scale))
            {
                return (theta, iteration, true, f);
            }

            // Two-loop recursion: direction = H·g with H the L-BFGS inverse-Hessian approximation.
            var direction = g.Clone();
            for (int m = 0; m < stored; m++)
            {
                int at = (newest - m + Memory) % Memory;
                alpha[at] = rho[at] * steps[at].DotProduct(direction);
                direction.Subtract(alpha[at] * changes[at], direction);
            }

            double gamma = stored > 0
                ? steps[newest].DotProduct(changes[newest]) / changes[newest].DotProduct(changes[newest])
                : 1.0 / Math.Max(1.0, g.InfinityNorm());
            direction.Multiply(gamma, direction);
            for (int m = stored - 1; m >= 0; m--)
            {
                int at = (newest - m + Memory) % Memory;
                double beta = rho[at] * changes[at].DotProduct(direction);
                direction.Add((alpha[at] - beta) * steps[at], direction);
            }

            double slope = g.DotProduct(direction);
            if (!(slope > 0.0))
            {
                // Not a descent direction (rounding): restart from the scaled gradient.
                stored = 0;
                direction = g * (1.0 / Math.Max(1.0, g.InfinityNorm()));
                slope = g.DotProduct(direction);
            }

            double t = 1.0;
            var candidate = theta - direction;
            var (fc, gc) = evaluate(candidate);
            for (int halving = 0; halving < MaxHalvings && !(fc <= f - (ArmijoConstant * t * slope)); halving++)
            {
                t *= 0.5;
                candidate = theta - (t * direction);
                fc = value(candidate);
                gc = null!;
            }

            if (!(fc <= f))
            {
                // No decrease is possible in floating point: stop, and say whether the gradient test holds.
                return (theta, iteration, false, f);
            }

            if (gc is null)
            {
                (fc, gc) = evaluate(candidate);
            }

            var s = candidate - theta;
            var y = gc - g;
            double sy = s.DotProduct(y);
            if (sy > 1e-12 * s.DotProduct(s))
            {
                newest = (newest + 1) % Memory;
                steps[newest] = s;
                changes[newest] = y;
                rho[newest] = 1.0 / sy;
                stored = Math.Min(stored + 1, Memory);
            }

            (theta, f, g) = (candidate, fc, gc);
        }

        return (theta, maxIterations, g.InfinityNorm() <= tolerance * Math.Max(1.0, scale), f);
    }
}
