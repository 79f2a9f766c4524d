using MathNet.Numerics;
using SelfLearning.Internal;

namespace SelfLearning.Statistics;

/// <summary>
/// The exact distribution of the one-sample two-sided Kolmogorov-Smirnov statistic Dₙ and the one-sided
/// Smirnov statistic Dₙ⁺, implemented from the published algorithms (MathNet.Numerics has neither, so this is
/// hand-written). Method selection follows Simard and L'Ecuyer (2011), "Computing the two-sided
/// Kolmogorov-Smirnov distribution", J. Stat. Softw. 39(11): the closed forms of Ruben and Gambino (1982) at
/// the ends of the support, the Durbin (1973) matrix formula evaluated as in Marsaglia, Tsang and Wang (2003),
/// J. Stat. Softw. 8(18), the Pomeranz (1974) recursion, the Pelz and Good (1976) asymptotic series, and for
/// the far upper tail twice the exact one-sided probability of Birnbaum and Tingey (1951), whose terms are
/// evaluated with Loader's (2000) saddle-point binomial probabilities. Above a million observations the
/// one-sided tail uses Miller's (1956) approximation. The thresholds between methods were chosen so that
/// <see cref="HypothesisTests.KolmogorovSmirnovTwoSample"/> reproduces SciPy's asymptotic p-values
/// (<c>kstwo.sf</c> and <c>scipy.special.smirnov</c>, compared as black boxes) to 1e-6 relative.
/// </summary>
internal static class KolmogorovDistribution
{
    /// <summary>Simard and L'Ecuyer's "small n" limit: up to here only exact methods are used.</summary>
    private const int SmallSampleLimit = 140;

    /// <summary>
    /// For n ≤ <see cref="SmallSampleLimit"/>, Simard and L'Ecuyer use the Durbin matrix below this value of
    /// n·x² and the Pomeranz recursion above it (both are exact; the split is about speed and round-off).
    /// </summary>
    private const double DurbinPomeranzBoundary = 0.754693;

    /// <summary>
    /// Above <see cref="SmallSampleLimit"/>, Simard and L'Ecuyer use the Durbin matrix while n·x^(3/2) is below
    /// this value and the Pelz-Good series beyond it.
    /// </summary>
    private const double DurbinRegionLimit = 1.4;

    /// <summary>
    /// Largest n for which the Durbin matrix is used above <see cref="SmallSampleLimit"/>. Simard and
    /// L'Ecuyer go to 10⁵, but there the matrix is up to 117 × 117 and an evaluation costs tens of
    /// milliseconds while the survival is within 10⁻¹¹ of one; above 1000 the Pelz-Good series differs from
    /// the exact value by less than 3·10⁻⁸ relative over the whole Durbin region (measured), well inside the
    /// 1e-6 agreement we promise.
    /// </summary>
    private const int DurbinSampleLimit = 1000;

    /// <summary>
    /// n·x² from which P(Dₙ ≥ x) is taken as 2·P(Dₙ⁺ ≥ x), for n ≤ <see cref="SmallSampleLimit"/>. The neglected
    /// term (both one-sided statistics exceeding x) is of relative order exp(−6·n·x²): below 4·10⁻¹¹ here.
    /// </summary>
    private const double SmallSampleUpperTailBoundary = 4.0;

    /// <summary>
    /// n·x² from which P(Dₙ ≥ x) is taken as 2·P(Dₙ⁺ ≥ x) for n &gt; <see cref="SmallSampleLimit"/>, as in
    /// Simard and L'Ecuyer (relative error of order exp(−13.2) ≈ 2·10⁻⁶ at the boundary, and SciPy switches
    /// at this same point, so the two agree across it).
    /// </summary>
    private const double LargeSampleUpperTailBoundary = 2.2;

    /// <summary>Largest n for which the one-sided tail is the exact Birnbaum-Tingey sum (SciPy's switch, probed).</summary>
    private const int ExactSmirnovLimit = 1_000_000;

    /// <summary>Binary exponent below which running products are rescaled to stay away from underflow.</summary>
    private const int RescaleExponent = 256;

    /// <summary>Series in the Pelz-Good terms stop once a term is this small relative to the running sum.</summary>
    private const double SeriesTolerance = 1e-17;

    /// <summary>Upper bound on the number of terms of each Pelz-Good theta series (they need about ten).</summary>
    private const int MaxSeriesTerms = 100;

    /// <summary>Below this √n·x every Pelz-Good term is exp(−π²/(8t²)) &lt; 10⁻³³⁴: the CDF is zero.</summary>
    private const double PelzGoodSmallestArgument = 0.04;

    private static readonly double[] SmallStirlingErrors = CreateSmallStirlingErrors();

    /// <summary>P(Dₙ ≥ x), the upper tail of the two-sided one-sample statistic (SciPy's <c>kstwo.sf(x, n)</c>).</summary>
    /// <param name="n">The sample size; at least 1.</param>
    /// <param name="x">The statistic; values outside (0, 1) give 1 or 0.</param>
    /// <returns>The survival probability in [0, 1].</returns>
    public static double Survival(int n, double x)
    {
        Guard.Positive(n);
        Guard.InRange(x, double.NegativeInfinity, double.PositiveInfinity);

        // Ruben and Gambino (1982): P(Dₙ < x) = 0 for x ≤ 1/(2n), = n!(2x − 1/n)ⁿ for 1/(2n) < x ≤ 1/n,
        // and P(Dₙ ≥ x) = 2(1 − x)ⁿ for 1 − 1/n ≤ x < 1.
        if (x >= 1.0)
        {
            return 0.0;
        }

        if (x <= 0.5 / n)
        {
            return 1.0;
        }

        if (x >= 1.0 - (1.0 / n))
        {
            return 2.0 * Math.Pow(1.0 - x, n);
        }

        if (x <= 1.0 / n)
        {
            return 1.0 - FactorialTimesPower(n, (2.0 * x) - (1.0 / n));
        }

        double nxx = n * x * x;
        if (n <= SmallSampleLimit)
        {
            if (nxx >= SmallSampleUpperTailBoundary)
            {
                return Math.Min(1.0, 2.0 * SmirnovSurvival(n, x));
            }

            double cdf = nxx < DurbinPomeranzBoundary ? DurbinCdf(n, x) : PomeranzCdf(n, x);
            return Math.Clamp(1.0 - cdf, 0.0, 1.0);
        }

        if (nxx >= LargeSampleUpperTailBoundary)
        {
            return Math.Min(1.0, 2.0 * SmirnovSurvival(n, x));
        }

        bool durbin = n <= DurbinSampleLimit && n * x * Math.Sqrt(x) < DurbinRegionLimit;
        double lower = durbin ? DurbinCdf(n, x) : PelzGoodCdf(n, x);
        return Math.Clamp(1.0 - lower, 0.0, 1.0);
    }

    /// <summary>
    /// P(Dₙ⁺ ≥ x), the upper tail of the one-sided statistic (SciPy's <c>scipy.special.smirnov(n, x)</c>):
    /// the exact Birnbaum-Tingey sum for n ≤ 10⁶ and Miller's approximation exp(−(6nx + 1)² / 18n) above.
    /// The exact sum has about n(1 − x) terms, so it costs milliseconds for n near 10⁶.
    /// </summary>
    /// <param name="n">The sample size; at least 1.</param>
    /// <param name="x">The statistic; values outside (0, 1) give 1 or 0.</param>
    /// <returns>The survival probability in [0, 1].</returns>
    public static double SmirnovSurvival(int n, double x)
    {
        Guard.Positive(n);
        Guard.InRange(x, double.NegativeInfinity, double.PositiveInfinity);
        if (x <= 0.0)
        {
            return 1.0;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        if (n > ExactSmirnovLimit)
        {
            double a = (6.0 * n * x) + 1.0;
            return Math.Exp(-(a * a) / (18.0 * n));
        }

        return Math.Min(1.0, BirnbaumTingey(n, x));
    }

    /// <summary>
    /// Birnbaum and Tingey (1951): P(Dₙ⁺ ≥ x) = Σ_{j=0}^{⌊n(1−x)⌋} x·C(n, j)·(x + j/n)^(j−1)·(1 − x − j/n)^(n−j).
    /// With p = x + j/n each term is (x/p)·Binomial(n, p)(j), a positive quantity that Loader's algorithm gives
    /// to full relative precision, so the sum has no cancellation and no huge intermediate values.
    /// </summary>
    private static double BirnbaumTingey(int n, double x)
    {
        int last = (int)Math.Floor(n * (1.0 - x));
        double sum = Math.Pow(1.0 - x, n);
        for (int j = 1; j <= last; j++)
        {
            double p = x + ((double)j / n);
            double q = 1.0 - p;
            if (q <= 0.0)
            {
                continue; // p = 1 with n − j > 0 observations left: the term is zero.
            }

            sum += x / p * BinomialProbability(j, n, p, q);
        }

        return sum;
    }

    /// <summary>
    /// Binomial(n, p) probability of k, 0 &lt; k &lt; n, by Loader (2000), "Fast and accurate computation of
    /// binomial probabilities": Stirling-series corrections plus the deviance bd0, each free of cancellation.
    /// </summary>
    private static double BinomialProbability(int k, int n, double p, double q)
    {
        int rest = n - k;
        double exponent = StirlingError(n) - StirlingError(k) - StirlingError(rest)
            - Deviance(k, n * p) - Deviance(rest, n * q);
        return Math.Exp(exponent) * Math.Sqrt(n / (2.0 * Math.PI * k * rest));
    }

    /// <summary>Loader's bd0(x, m) = x·ln(x/m) + m − x, by its series in v = (x − m)/(x + m) near x = m.</summary>
    private static double Deviance(double x, double m)
    {
        double difference = x - m;
        if (Math.Abs(difference) >= 0.1 * (x + m))
        {
            return (x * Math.Log(x / m)) + m - x;
        }

        double v = difference / (x + m);
        double v2 = v * v;
        double sum = difference * v;
        double power = 2.0 * x * v;
        for (int j = 1; j < MaxSeriesTerms; j++)
        {
            power *= v2;
            double next = sum + (power / ((2 * j) + 1));
            if (next == sum)
            {
                break;
            }

            sum = next;
        }

        return sum;
    }

    /// <summary>ln(k!) − ln(√(2πk)·(k/e)^k): a table for small k, the Stirling series beyond.</summary>
    private static double StirlingError(int k)
    {
        if (k < SmallStirlingErrors.Length)
        {
            return SmallStirlingErrors[k];
        }

        double inverse2 = 1.0 / ((double)k * k);
        return (1.0 / 12 - ((1.0 / 360 - ((1.0 / 1260 - ((1.0 / 1680 - (inverse2 / 1188)) * inverse2)) * inverse2)) * inverse2)) / k;
    }

    private static double[] CreateSmallStirlingErrors()
    {
        var table = new double[16];
        double logFactorial = 0.0;
        for (int k = 1; k < table.Length; k++)
        {
            logFactorial += Math.Log(k);
            table[k] = logFactorial - ((k + 0.5) * Math.Log(k)) + k - (0.5 * Math.Log(2.0 * Math.PI));
        }

        return table;
    }

    /// <summary>
    /// n!·bⁿ for 0 ≤ b ≤ 1/n (the Ruben-Gambino lower end), through logarithms; it is at most n!/nⁿ, so it
    /// underflows to zero for n above about 750 and its relative accuracy never matters for 1 minus it.
    /// </summary>
    private static double FactorialTimesPower(int n, double b) =>
        b <= 0.0 ? 0.0 : Math.Exp(SpecialFunctions.FactorialLn(n) + (n * Math.Log(b)));

    /// <summary>
    /// Durbin's (1973) matrix formula as computed by Marsaglia, Tsang and Wang (2003): with k = ⌊nx⌋ + 1,
    /// m = 2k − 1 and h = k − nx, P(Dₙ &lt; x) = n!/nⁿ·(Hⁿ)ₖₖ for the m × m lower-Hessenberg matrix
    /// H(i, j) = 1/(i − j + 1)! (zero above the first superdiagonal) with corrected first column and last row.
    /// The power is taken by repeated squaring with the binary exponent carried separately.
    /// </summary>
    private static double DurbinCdf(int n, double x)
    {
        double nx = n * x;
        int k = (int)Math.Floor(nx) + 1;
        int m = (2 * k) - 1;
        double h = k - nx;

        var inverseFactorial = new double[m + 1];
        inverseFactorial[0] = 1.0;
        for (int r = 1; r <= m; r++)
        {
            inverseFactorial[r] = inverseFactorial[r - 1] / r;
        }

        var matrix = new double[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j <= Math.Min(i + 1, m - 1); j++)
            {
                matrix[i, j] = 1.0;
            }
        }

        for (int i = 0; i < m; i++)
        {
            matrix[i, 0] -= Math.Pow(h, i + 1);
            matrix[m - 1, i] -= Math.Pow(h, m - i);
        }

        if (2.0 * h > 1.0)
        {
            matrix[m - 1, 0] += Math.Pow((2.0 * h) - 1.0, m);
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j <= Math.Min(i + 1, m - 1); j++)
            {
                matrix[i, j] *= inverseFactorial[i - j + 1];
            }
        }

        (double[,] power, int exponent) = ScaledMatrixPower(matrix, n);

        // Multiply by n!/nⁿ = Π i/n, again keeping the binary exponent apart.
        var value = new ScaledValue(power[k - 1, k - 1], exponent);
        for (int i = 1; i <= n; i++)
        {
            value.Multiply((double)i / n);
        }

        return Math.Clamp(value.ToDouble(), 0.0, 1.0);
    }

    private static (double[,] Matrix, int Exponent) ScaledMatrixPower(double[,] matrix, int power)
    {
        int m = matrix.GetLength(0);
        double[,]? result = null;
        int resultExponent = 0;
        double[,] square = matrix;
        int squareExponent = 0;
        int remaining = power;
        while (true)
        {
            if ((remaining & 1) != 0)
            {
                if (result is null)
                {
                    result = (double[,])square.Clone();
                    resultExponent = squareExponent;
                }
                else
                {
                    result = Multiply(result, square);
                    resultExponent += squareExponent + Normalize(result);
                }
            }

            remaining >>= 1;
            if (remaining == 0)
            {
                return (result!, resultExponent);
            }

            square = Multiply(square, square);
            squareExponent = (2 * squareExponent) + Normalize(square);
        }

        static double[,] Multiply(double[,] left, double[,] right)
        {
            int size = left.GetLength(0);
            var product = new double[size, size];
            for (int i = 0; i < size; i++)
            {
                for (int l = 0; l < size; l++)
                {
                    double a = left[i, l];
                    if (a == 0.0)
                    {
                        continue;
                    }

                    for (int j = 0; j < size; j++)
                    {
                        product[i, j] += a * right[l, j];
                    }
                }
            }

            return product;
        }

        // Divides the matrix by a power of two bringing its largest entry near one; returns that power.
        static int Normalize(double[,] values)
        {
            double largest = 0.0;
            foreach (double v in values)
            {
                largest = Math.Max(largest, Math.Abs(v));
            }

            if (largest == 0.0)
            {
                return 0;
            }

            int shift = Math.ILogB(largest);
            int size = values.GetLength(0);
            for (int i = 0; i < size; i++)
            {
                for (int j = 0; j < size; j++)
                {
                    values[i, j] = Math.ScaleB(values[i, j], -shift);
                }
            }

            return shift;
        }
    }

    /// <summary>
    /// The Pomeranz (1974) recursion in its counting-process form: P(Dₙ &lt; x) is the probability that the
    /// i-th order statistic of n uniforms lies in (i/n − x, (i − 1)/n + x) for every i. Walking the sorted
    /// bounds from 0 to 1, the number N of points seen so far is Poisson-like between consecutive bounds
    /// (weight gapʲ/j! for j new points), a lower bound i/n − x caps N at i − 1 and an upper bound
    /// (i − 1)/n + x forces N ≥ i. The answer is n! times the weight of N = n at 1.
    /// </summary>
    private static double PomeranzCdf(int n, double x)
    {
        var weights = new double[n + 1];
        var next = new double[n + 1];
        var gapPowers = new double[n + 1];
        weights[0] = 1.0;
        int low = 0;
        int high = 0;
        int exponent = 0;
        double position = 0.0;
        int lowerIndex = 1;
        int upperIndex = 1;

        // Lower bounds i/n − x below 0 and upper bounds (i − 1)/n + x above 1 constrain nothing.
        while (lowerIndex <= n && ((double)lowerIndex / n) - x <= 0.0)
        {
            lowerIndex++;
        }

        while (lowerIndex <= n || upperIndex <= n)
        {
            double lowerBound = lowerIndex <= n ? ((double)lowerIndex / n) - x : double.PositiveInfinity;
            double upperBound = upperIndex <= n ? ((double)(upperIndex - 1) / n) + x : double.PositiveInfinity;
            bool isLower = lowerBound <= upperBound;
            double bound = Math.Min(Math.Min(lowerBound, upperBound), 1.0);

            // Advance the counting process from position to bound.
            double gap = bound - position;
            position = bound;
            gapPowers[0] = 1.0;
            for (int j = 1; j <= n - low; j++)
            {
                gapPowers[j] = gapPowers[j - 1] * gap / j;
            }

            // Counts above the cap of the next lower bound (which lies at or beyond this one) would be
            // discarded there, so they are not formed.
            int reachable = lowerIndex <= n ? lowerIndex - 1 : n;
            Array.Clear(next);
            for (int total = low; total <= reachable; total++)
            {
                double s = 0.0;
                for (int from = low; from <= Math.Min(high, total); from++)
                {
                    s += weights[from] * gapPowers[total - from];
                }

                next[total] = s;
            }

            (weights, next) = (next, weights);
            high = reachable;

            if (isLower)
            {
                int cap = lowerIndex - 1;
                for (int i = cap + 1; i <= n; i++)
                {
                    weights[i] = 0.0;
                }

                high = cap;
                lowerIndex++;
            }
            else
            {
                for (int i = low; i < upperIndex; i++)
                {
                    weights[i] = 0.0;
                }

                low = upperIndex;
                upperIndex++;
            }

            if (low > high)
            {
                return 0.0;
            }

            exponent += Rescale(weights, low, high);
            if (bound >= 1.0)
            {
                break;
            }
        }

        // The last bound may lie below 1: move the remaining points into (position, 1].
        if (position < 1.0)
        {
            double gap = 1.0 - position;
            double s = 0.0;
            double term = 1.0;
            for (int j = 0; j <= n - low; j++)
            {
                int from = n - j;
                if (from <= high)
                {
                    s += weights[from] * term;
                }

                term *= gap / (j + 1);
            }

            weights[n] = s;
        }

        var value = new ScaledValue(weights[n], exponent);
        for (int i = 2; i <= n; i++)
        {
            value.Multiply(i);
        }

        return Math.Clamp(value.ToDouble(), 0.0, 1.0);

        static int Rescale(double[] values, int from, int to)
        {
            double largest = 0.0;
            for (int i = from; i <= to; i++)
            {
                largest = Math.Max(largest, values[i]);
            }

            if (largest == 0.0 || Math.ILogB(largest) > -RescaleExponent)
            {
                return 0;
            }

            int shift = Math.ILogB(largest);
            for (int i = from; i <= to; i++)
            {
                values[i] = Math.ScaleB(values[i], -shift);
            }

            return shift;
        }
    }

    /// <summary>
    /// Pelz and Good (1976): with t = √n·x, P(Dₙ &lt; x) ≈ K₀(t) + K₁(t)/√n + K₂(t)/n + K₃(t)/n^(3/2), each Kᵢ a
    /// theta-type series in exp(−π²(k + ½)²/(2t²)) or exp(−π²k²/(2t²)) (Simard and L'Ecuyer 2011, eq. 10).
    /// </summary>
    private static double PelzGoodCdf(int n, double x)
    {
        double sqrtN = Math.Sqrt(n);
        double t = sqrtN * x;
        if (t < PelzGoodSmallestArgument)
        {
            return 0.0;
        }

        double t2 = t * t;
        double t4 = t2 * t2;
        double t6 = t4 * t2;
        double pi2 = Math.PI * Math.PI;
        double pi4 = pi2 * pi2;
        double pi6 = pi4 * pi2;

        // Series over half-integers u = k + ½ (k ≥ 0).
        double k0 = 0.0;
        double k1 = 0.0;
        double k2Half = 0.0;
        double k3Half = 0.0;
        for (int k = 0; k < MaxSeriesTerms; k++)
        {
            double u2 = (k + 0.5) * (k + 0.5);
            double w = Math.Exp(-pi2 * u2 / (2.0 * t2));
            double u4 = u2 * u2;
            k0 += w;
            k1 += ((pi2 * u2) - t2) * w;
            k2Half += ((6.0 * t6) + (2.0 * t4) + (pi2 * ((2.0 * t4) - (5.0 * t2)) * u2) + (pi4 * (1.0 - (2.0 * t2)) * u4)) * w;
            k3Half += ((pi6 * (5.0 - (30.0 * t2)) * u4 * u2) + (pi4 * ((212.0 * t4) - (60.0 * t2)) * u4)
                + (pi2 * ((135.0 * t4) - (96.0 * t6)) * u2) - ((30.0 * t6) + (90.0 * t6 * t2))) * w;
            if (w < SeriesTolerance * k0)
            {
                break;
            }
        }

        // Series over integers k ≥ 1.
        double k2Whole = 0.0;
        double k3Whole = 0.0;
        for (int k = 1; k < MaxSeriesTerms; k++)
        {
            double k2 = (double)k * k;
            double w = Math.Exp(-pi2 * k2 / (2.0 * t2));
            k2Whole += pi2 * k2 * w;
            k3Whole += ((3.0 * pi2 * k2 * t2) - (pi4 * k2 * k2)) * w;
            if (w < SeriesTolerance * SeriesTolerance)
            {
                break;
            }
        }

        double root = Math.Sqrt(Math.PI / 2.0);
        double kolmogorov = 2.0 * root / t * k0;
        double first = root / (3.0 * t4) * k1;
        double second = (root / (36.0 * t6 * t) * k2Half) - (root / (18.0 * t2 * t) * k2Whole);
        double third = (root / (3240.0 * t6 * t4) * k3Half) + (root / (108.0 * t6) * k3Whole);
        double cdf = kolmogorov + (first / sqrtN) + (second / n) + (third / (n * sqrtN));
        return Math.Clamp(cdf, 0.0, 1.0);
    }

    /// <summary>A positive number kept as mantissa·2^exponent so that long products neither overflow nor underflow.</summary>
    private struct ScaledValue(double mantissa, int exponent = 0)
    {
        private double mantissa = mantissa;
        private int exponent = exponent;

        public void Multiply(double factor)
        {
            this.mantissa *= factor;
            if (this.mantissa != 0.0 && Math.Abs(Math.ILogB(this.mantissa)) > RescaleExponent)
            {
                int shift = Math.ILogB(this.mantissa);
                this.mantissa = Math.ScaleB(this.mantissa, -shift);
                this.exponent += shift;
            }
        }

        public readonly double ToDouble() => Math.ScaleB(this.mantissa, this.exponent);
    }
}
