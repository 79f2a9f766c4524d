using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;
using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// Bayesian A/B analysis of success rates with Beta-Binomial conjugacy: each arm's rate has the
/// posterior Beta(prior α + successes, prior β + failures).
/// </summary>
/// <remarks>
/// <para>The three quantities are one-dimensional integrals, evaluated by composite Gauss–Legendre
/// quadrature (MathNet.Numerics' rule) over the region holding both posteriors (mean ± 40 standard
/// deviations, clipped to [0, 1]), with panels one standard deviation wide around each posterior's
/// centre so a narrow posterior's step is resolved inside a wide one. F is the regularised incomplete
/// beta function. (An adaptive Gauss–Kronrod rule was tried first: with 10⁵ trials the incomplete
/// beta function's last digits are noisy enough to stall its error estimate.)</para>
/// <para><c>P(B &gt; A) = ∫ f_B(x) F_A(x) dx</c>;</para>
/// <para><c>E[max(A − B, 0)] = ∫ f_A(a) (a F_B(a) − μ_B F_{α_B+1, β_B}(a)) da</c>, using the partial
/// expectation <c>∫₀ᵃ b f_B(b) db = μ_B F_{α_B+1, β_B}(a)</c>; and symmetrically for E[max(B − A, 0)].</para>
/// <para>Unlike Evan Miller's closed-form sum, this needs no integer parameters and its cost does not
/// grow with the number of successes.</para>
/// </remarks>
internal static class BetaBinomialAnalysis
{
    private const int LegendreOrder = 16;

    // Panel edges in posterior standard deviations from each mean: one-sd panels over the central ±12,
    // then wider panels out to ±40 where the densities are below e^-70 of their peak.
    private static readonly double[] PanelEdges =
        [-40, -30, -22, -16, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 22, 30, 40];

    /// <summary>Compares champion A and challenger B.</summary>
    /// <param name="successesA">Champion successes.</param>
    /// <param name="trialsA">Champion trials.</param>
    /// <param name="successesB">Challenger successes.</param>
    /// <param name="trialsB">Challenger trials.</param>
    /// <param name="priorAlpha">The prior's α (default 1: uniform prior).</param>
    /// <param name="priorBeta">The prior's β (default 1).</param>
    /// <returns>The chance the challenger beats the champion and the expected losses.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, successes exceed trials, or a prior parameter is not positive.</exception>
    public static BayesianComparison Compare(long successesA, long trialsA, long successesB, long trialsB, double priorAlpha = 1.0, double priorBeta = 1.0)
    {
        Guard.NonNegative(successesA);
        Guard.NonNegative(successesB);
        Guard.Positive(priorAlpha);
        Guard.Positive(priorBeta);
        EnsureTrials(successesA, trialsA, nameof(trialsA));
        EnsureTrials(successesB, trialsB, nameof(trialsB));

        double aA = successesA + priorAlpha, bA = trialsA - successesA + priorBeta;
        double aB = successesB + priorAlpha, bB = trialsB - successesB + priorBeta;
        double[] edges = Edges(aA, bA, aB, bB);
        double meanA = aA / (aA + bA), meanB = aB / (aB + bB);

        double chance = Integrate(x => Density(aB, bB, x) * Beta.CDF(aA, bA, x), edges);
        double lossChallenger = Integrate(a => Density(aA, bA, a) * ((a * Beta.CDF(aB, bB, a)) - (meanB * Beta.CDF(aB + 1.0, bB, a))), edges);
        double lossChampion = Integrate(b => Density(aB, bB, b) * ((b * Beta.CDF(aA, bA, b)) - (meanA * Beta.CDF(aA + 1.0, bA, b))), edges);
        return new BayesianComparison(Math.Clamp(chance, 0.0, 1.0), Math.Max(0.0, lossChallenger), Math.Max(0.0, lossChampion));
    }

    private static void EnsureTrials(long successes, long trials, string name)
    {
        if (trials < successes)
        {
            throw new ArgumentOutOfRangeException(name, trials, $"'{name}' is {trials}, fewer than the {successes} successes.");
        }
    }

    private static double Density(double a, double b, double x) => Math.Exp(Beta.PDFLn(a, b, x));

    private static double StandardDeviation(double a, double b) => Math.Sqrt(a * b / ((a + b) * (a + b) * (a + b + 1.0)));

    private static double[] Edges(double aA, double bA, double aB, double bB)
    {
        var edges = new SortedSet<double> { 0.0, 1.0 };
        double lo = 1.0, hi = 0.0;
        foreach ((double a, double b) in new[] { (aA, bA), (aB, bB) })
        {
            double mean = a / (a + b), sd = StandardDeviation(a, b);
            lo = Math.Min(lo, mean + (PanelEdges[0] * sd));
            hi = Math.Max(hi, mean + (PanelEdges[^1] * sd));
            foreach (double k in PanelEdges)
            {
                edges.Add(Math.Clamp(mean + (k * sd), 0.0, 1.0));
            }
        }

        return edges.Where(e => e >= Math.Max(lo, 0.0) && e <= Math.Min(hi, 1.0)).ToArray();
    }

    private static double Integrate(Func<double, double> f, double[] edges)
    {
        double total = 0.0;
        for (int i = 1; i < edges.Length; i++)
        {
            if (edges[i] > edges[i - 1])
            {
                total += GaussLegendreRule.Integrate(f, edges[i - 1], edges[i], LegendreOrder);
            }
        }

        return total;
    }
}
