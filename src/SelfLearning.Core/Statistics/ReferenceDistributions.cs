using MathNet.Numerics;

namespace SelfLearning.Statistics;

/// <summary>
/// Tail probabilities of the reference distributions the tests use, written on MathNet.Numerics' special
/// functions (regularised incomplete gamma and beta, erfc) rather than its distribution objects, so upper
/// tails are computed directly and keep their relative precision when they are tiny (1 − CDF would not).
/// </summary>
internal static class ReferenceDistributions
{
    /// <summary>P(Z ≥ z) for a standard normal Z.</summary>
    public static double NormalSurvival(double z) => 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2.0));

    /// <summary>P(T ≥ t) for Student's t with <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double StudentTSurvival(double t, double degreesOfFreedom)
    {
        if (t == 0.0)
        {
            return 0.5;
        }

        double tail = 0.5 * SpecialFunctions.BetaRegularized(
            0.5 * degreesOfFreedom,
            0.5,
            degreesOfFreedom / (degreesOfFreedom + (t * t)));
        return t > 0.0 ? tail : 1.0 - tail;
    }

    /// <summary>P(X ≥ x) for χ² with <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double ChiSquareSurvival(double x, double degreesOfFreedom) =>
        x <= 0.0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(0.5 * degreesOfFreedom, 0.5 * x);

    /// <summary>P(X ≤ k) for X ~ Binomial(n, 1/2); n is a double so a sum of two long counts cannot overflow.</summary>
    public static double BinomialHalfCdf(long k, double n)
    {
        if (k >= n)
        {
            return 1.0;
        }

        if (k < 0)
        {
            return 0.0;
        }

        // P(X ≤ k) = I_{1−p}(n − k, k + 1), the identity SciPy's bdtr uses.
        return SpecialFunctions.BetaRegularized(n - k, k + 1, 0.5);
    }
}
