using MathNet.Numerics;

namespace SelfLearning.Statistics;

/// <summary>
/// The exact distribution of the one-sample two-sided Kolmogorov-Smirnov statistic Dₙ, and the one-sided
/// Smirnov distribution Dₙ⁺. MathNet.Numerics has neither, so this is hand-written: a line-by-line port of
/// SciPy 1.10's <c>scipy.stats._ksstats._kolmogn</c> (the <c>kstwo</c> distribution, which follows the
/// algorithm selection of Simard and L'Ecuyer 2011, "Computing the two-sided Kolmogorov-Smirnov
/// distribution", J. Stat. Softw. 39(11)) and of <c>scipy.special.smirnov</c>, so that
/// <see cref="HypothesisTests.KolmogorovSmirnovTwoSample"/> gives SciPy's asymptotic p-values.
/// The pieces are: Ruben-Gambino closed forms at the ends of the support, the Durbin matrix algorithm as
/// computed by Marsaglia, Tsang and Wang (2003), the Pomeranz (1974) recursion, the Pelz-Good (1976)
/// asymptotic series, and twice the exact Birnbaum-Tingey one-sided tail for large deviations.
/// </summary>
internal static class KolmogorovDistribution
{
    // Thresholds from Simard and L'Ecuyer's selection, as SciPy uses them.
    private const int SmallSampleLimit = 140;
    private const int DurbinSampleLimit = 100_000;
    private const double DurbinSmallLimit = 0.754693;
    private const double PomeranzLimit = 4.0;
    private const double SmirnovSurvivalLimit = 2.2;
    private const double ZeroSurvivalLimit = 370.0;
    private const double DurbinLargeLimit = 1.4;

    // scipy.special.smirnov switches to Miller's approximation above this sample size.
    private const int SmirnovExactLimit = 1_000_000;

    // Rescaling by 2^±128 keeps intermediate products of the exact algorithms in range.
    private const int ScaleExponent = 128;
    private static readonly double ScaleUp = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double ScaleDown = Math.ScaleB(1.0, -ScaleExponent);

    private const double MinLog = -708.0;
    private static readonly double SqrtTwoPi = Math.Sqrt(2.0 * Math.PI);
    private static readonly double LogTwoPi = Math.Log(2.0 * Math.PI);

    // B_{2j}/(2j)/(2j−1) for j = 8..1: the Stirling series coefficients, highest power first.
    private static readonly double[] StirlingCoefficients =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3,
        -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4,
        -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    /// <summary>P(Dₙ ≥ x), SciPy's <c>kstwo.sf(x, n)</c>.</summary>
    public static double Survival(int n, double x)
    {
        if (x >= 1.0)
        {
            return 0.0;
        }

        if (x <= 0.0)
        {
            return 1.0;
        }

        double t = n * x;
        if (t <= 1.0)
        {
            // Ruben-Gambino: 1/(2n) ≤ x ≤ 1/n.
            if (t <= 0.5)
            {
                return 1.0;
            }

            double probability;
            if (n <= SmallSampleLimit)
            {
                probability = 1.0;
                for (int i = 1; i <= n; i++)
                {
                    probability *= i * (1.0 / n) * ((2.0 * t) - 1.0);
                }
            }
            else
            {
                probability = Math.Exp(LogFactorialOverPower(n) + (n * Math.Log((2.0 * t) - 1.0)));
            }

            return Clip(1.0 - probability);
        }

        if (t >= n - 1)
        {
            // Ruben-Gambino at the upper end.
            return Clip(2.0 * Math.Pow(1.0 - x, n));
        }

        if (x >= 0.5)
        {
            return Clip(2.0 * SmirnovSurvival(n, x));
        }

        double nxSquared = t * x;
        if (n <= SmallSampleLimit)
        {
            if (nxSquared <= DurbinSmallLimit)
            {
                return Clip(1.0 - Durbin(n, x));
            }

            if (nxSquared <= PomeranzLimit)
            {
                return Clip(1.0 - Pomeranz(n, x));
            }

            return Clip(2.0 * SmirnovSurvival(n, x));
        }

        if (nxSquared >= ZeroSurvivalLimit)
        {
            return 0.0;
        }

        if (nxSquared >= SmirnovSurvivalLimit)
        {
            return Clip(2.0 * SmirnovSurvival(n, x));
        }

        double cdf = n <= DurbinSampleLimit && n * Math.Pow(x, 1.5) <= DurbinLargeLimit
            ? Durbin(n, x)
            : PelzGood(n, x);
        return Clip(1.0 - cdf);
    }

    /// <summary>
    /// P(Dₙ⁺ ≥ x), SciPy's <c>scipy.special.smirnov(n, x)</c>: the exact Birnbaum-Tingey sum for n ≤ 10⁶
    /// (all terms positive, summed in log space with an incrementally updated binomial coefficient) and,
    /// as SciPy does above that, Miller's approximation exp(−(6nx + 1)² / 18n).
    /// </summary>
    public static double SmirnovSurvival(int n, double x)
    {
        if (x >= 1.0)
        {
            return 0.0;
        }

        if (x <= 0.0)
        {
            return 1.0;
        }

        if (n == 1)
        {
            return 1.0 - x;
        }

        if (n > SmirnovExactLimit)
        {
            double a = (6.0 * n * x) + 1.0;
            double logP = -(a * a) / 18.0 / n;
            return Math.Exp(logP);
        }

        // Pr(Dₙ⁺ ≥ x) = x · Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (x + j/n)^(j−1) (1 − x − j/n)^(n−j).
        int last = (int)Math.Floor(n * (1.0 - x));
        double sum = 0.0;
        double logBinomial = 0.0;
        for (int j = 0; j <= last; j++)
        {
            if (j > 0)
            {
                // Re-anchor on the exact log-gamma value now and then so rounding cannot accumulate.
                logBinomial = (j & 1023) == 0
                    ? SpecialFunctions.GammaLn(n + 1.0) - SpecialFunctions.GammaLn(j + 1.0) - SpecialFunctions.GammaLn(n - j + 1.0)
                    : logBinomial + Math.Log((double)(n - j + 1) / j);
            }

            double e = x + ((double)j / n);
            double oneMinus = 1.0 - e;
            if (oneMinus <= 0.0)
            {
                continue;
            }

            double logTerm = logBinomial + ((j - 1) * Math.Log(e)) + ((n - j) * Math.Log(oneMinus));
            if (logTerm > MinLog)
            {
                sum += Math.Exp(logTerm);
            }
        }

        return Clip(sum * x);
    }

    // log(n! / nⁿ) by Stirling's series with n·log(n) removed up front (SciPy's _log_nfactorial_div_n_pow_n).
    private static double LogFactorialOverPower(int n)
    {
        double rn = 1.0 / n;
        double x = rn / n;
        double polynomial = 0.0;
        foreach (double c in StirlingCoefficients)
        {
            polynomial = (polynomial * x) + c;
        }

        return (Math.Log(n) / 2.0) - n + (LogTwoPi / 2.0) + (rn * polynomial);
    }

    // Pr(Dₙ ≤ d) by Durbin's matrix algorithm, computed as Marsaglia, Tsang and Wang (2003) do.
    private static double Durbin(int n, double d)
    {
        if (d >= 1.0)
        {
            return 1.0;
        }

        double nd = n * d;
        if (nd <= 0.5)
        {
            return 0.0;
        }

        int k = (int)Math.Ceiling(nd);
        double h = k - nd;
        int m = (2 * k) - 1;

        var v = new double[m];
        var w = new double[m];
        double factorial = 1.0;
        for (int j = 1; j <= m; j++)
        {
            w[j - 1] = factorial;
            factorial /= j;
            v[j - 1] = (1.0 - Math.Pow(h, j)) * factorial;
        }

        double tt = Math.Pow(Math.Max((2.0 * h) - 1.0, 0.0), m) - (2.0 * Math.Pow(h, m));
        v[m - 1] = (1.0 + tt) * factorial;

        var hMatrix = new double[m, m];
        for (int i = 1; i < m; i++)
        {
            for (int r = i - 1; r < m; r++)
            {
                hMatrix[r, i] = w[r - i + 1];
            }
        }

        for (int r = 0; r < m; r++)
        {
            hMatrix[r, 0] = v[r];
        }

        for (int c = 0; c < m; c++)
        {
            hMatrix[m - 1, c] = v[m - 1 - c];
        }

        var power = new double[m, m];
        for (int i = 0; i < m; i++)
        {
            power[i, i] = 1.0;
        }

        int exponent = 0;
        int hExponent = 0;
        int remaining = n;
        while (remaining > 0)
        {
            if (remaining % 2 == 1)
            {
                power = Multiply(power, hMatrix);
                exponent += hExponent;
            }

            hMatrix = Multiply(hMatrix, hMatrix);
            hExponent *= 2;
            if (Math.Abs(hMatrix[k - 1, k - 1]) > ScaleUp)
            {
                Scale(hMatrix, ScaleDown);
                hExponent += ScaleExponent;
            }

            remaining /= 2;
        }

        double p = power[k - 1, k - 1];
        for (int i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < ScaleDown)
            {
                p *= ScaleUp;
                exponent -= ScaleExponent;
            }
        }

        if (exponent != 0)
        {
            p = Math.ScaleB(p, exponent);
        }

        return Clip(p);
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        int m = a.GetLength(0);
        var result = new double[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int l = 0; l < m; l++)
            {
                double ail = a[i, l];
                if (ail == 0.0)
                {
                    continue;
                }

                for (int j = 0; j < m; j++)
                {
                    result[i, j] += ail * b[l, j];
                }
            }
        }

        return result;
    }

    private static void Scale(double[,] matrix, double factor)
    {
        int m = matrix.GetLength(0);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                matrix[i, j] *= factor;
            }
        }
    }

    private static (int First, int Last) PomeranzBounds(int i, int n, int ll, int ceilF, int roundF)
    {
        int j1;
        int j2;
        if (i == 0)
        {
            j1 = -ll - ceilF - 1;
            j2 = ll + ceilF - 1;
        }
        else
        {
            int half = (i + 1) / 2;
            if ((i + 1) % 2 == 0)
            {
                if (half == n + 1)
                {
                    j1 = n - ll - ceilF - 1;
                    j2 = n + ll + ceilF - 1;
                }
                else
                {
                    j1 = half - 1 - ll - roundF - 1;
                    j2 = half + ll - 1 + ceilF - 1;
                }
            }
            else
            {
                j1 = half - 1 - ll - 1;
                j2 = half + ll + roundF - 1;
            }
        }

        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }

    // Pr(Dₙ ≤ x) by the Pomeranz (1974) recursion, keeping two rows and rescaling against underflow.
    private static double Pomeranz(int n, double x)
    {
        double t = n * x;
        int ll = (int)Math.Floor(t);
        double f = t - ll;
        double g = Math.Min(f, 1.0 - f);
        int ceilF = f > 0 ? 1 : 0;
        int roundF = f > 0.5 ? 1 : 0;
        int powers = 2 * (ll + 1);
        var gPower = new double[powers];
        var twoGPower = new double[powers];
        var oneMinusTwoGPower = new double[powers];
        gPower[0] = 1.0;
        twoGPower[0] = 1.0;
        oneMinusTwoGPower[0] = 1.0;
        int exponent = 0;
        double gOverN = g / n;
        double twoGOverN = 2.0 * g / n;
        double oneMinusTwoGOverN = (1.0 - (2.0 * g)) / n;
        for (int m = 1; m < powers; m++)
        {
            gPower[m] = gPower[m - 1] * gOverN / m;
            twoGPower[m] = twoGPower[m - 1] * twoGOverN / m;
            oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * oneMinusTwoGOverN / m;
        }

        var v0 = new double[powers];
        var v1 = new double[powers];
        v1[0] = 1.0;
        int v0Start = 0;
        int v1Start = 0;
        var (j1, _) = PomeranzBounds(0, n, ll, ceilF, roundF);
        for (int i = 1; i < (2 * n) + 2; i++)
        {
            int k1 = j1;
            (v0, v1) = (v1, v0);
            (v0Start, v1Start) = (v1Start, v0Start);
            Array.Clear(v1);
            (j1, int j2) = PomeranzBounds(i, n, ll, ceilF, roundF);
            double[] weights = i == 1 || i == (2 * n) + 1
                ? gPower
                : (i % 2 == 1 ? twoGPower : oneMinusTwoGPower);
            int length = j2 - k1 + 1;
            if (length > 0)
            {
                int start = k1 - v0Start;
                int rowLength = Math.Min(length, powers - start);
                int weightLength = Math.Min(length, powers);
                int convStart = j1 - k1;
                int convLength = j2 - j1 + 1;
                double max = double.NegativeInfinity;
                for (int c = 0; c < convLength; c++)
                {
                    int index = convStart + c;
                    double sum = 0.0;
                    int lo = Math.Max(0, index - weightLength + 1);
                    int hi = Math.Min(index, rowLength - 1);
                    for (int r = lo; r <= hi; r++)
                    {
                        sum += v0[start + r] * weights[index - r];
                    }

                    v1[c] = sum;
                }

                foreach (double value in v1)
                {
                    max = Math.Max(max, value);
                }

                if (max > 0.0 && max < ScaleDown)
                {
                    for (int c = 0; c < powers; c++)
                    {
                        v1[c] *= ScaleUp;
                    }

                    exponent -= ScaleExponent;
                }

                v1Start = v0Start + j1 - k1;
            }
        }

        double answer = v1[n - v1Start];
        for (int m = 1; m <= n; m++)
        {
            if (Math.Abs(answer) > ScaleUp)
            {
                answer *= ScaleDown;
                exponent += ScaleExponent;
            }

            answer *= m;
        }

        if (exponent != 0)
        {
            answer = Math.ScaleB(answer, exponent);
        }

        return Clip(answer);
    }

    // The Pelz-Good (1976) approximation to Pr(Dₙ ≤ x), unclipped as in SciPy.
    private static double PelzGood(int n, double x)
    {
        if (x <= 0.0)
        {
            return 0.0;
        }

        if (x >= 1.0)
        {
            return 1.0;
        }

        double z = Math.Sqrt(n) * x;
        double z2 = z * z;
        double z3 = z2 * z;
        double z4 = z2 * z2;
        double z6 = z4 * z2;
        double qLog = -Math.PI * Math.PI / 8.0 / z2;
        if (qLog < MinLog)
        {
            return 0.0;
        }

        double q = Math.Exp(qLog);
        double pi2 = Math.PI * Math.PI;
        double pi4 = pi2 * pi2;
        double pi6 = pi4 * pi2;

        double k1a = -z2;
        double k1b = pi2 / 4.0;
        double k2a = (6.0 * z6) + (2.0 * z4);
        double k2b = ((2.0 * z4) - (5.0 * z2)) * pi2 / 4.0;
        double k2c = pi4 * (1.0 - (2.0 * z2)) / 16.0;
        double k3d = pi6 * (5.0 - (30.0 * z2)) / 64.0;
        double k3c = pi4 * ((-60.0 * z2) + (212.0 * z4)) / 16.0;
        double k3b = pi2 * ((135.0 * z4) - (96.0 * z6)) / 4.0;
        double k3a = (-30.0 * z6) - (90.0 * Math.Pow(z, 8));

        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int maxK = (int)Math.Ceiling(16.0 * z / Math.PI);
        for (int k = maxK; k > 0; k--)
        {
            double m = (2.0 * k) - 1.0;
            double m2 = m * m;
            double m4 = m2 * m2;
            double m6 = m4 * m2;
            double qPower = Math.Pow(q, 8.0 * k);
            s0 = (s0 * qPower) + 1.0;
            s1 = (s1 * qPower) + (k1a + (k1b * m2));
            s2 = (s2 * qPower) + (k2a + (k2b * m2) + (k2c * m4));
            s3 = (s3 * qPower) + (k3a + (k3b * m2) + (k3c * m4) + (k3d * m6));
        }

        double common = q * SqrtTwoPi;
        s0 = s0 * common / z;
        s1 = s1 * common / (6.0 * z4);
        s2 = s2 * common / (72.0 * Math.Pow(z, 7));
        s3 = s3 * common / (6480.0 * Math.Pow(z, 10));

        double q2 = Math.Exp(-pi2 / 2.0 / z2);
        double sqrt3z = Math.Sqrt(3.0) * z;
        double k2Extra = 0.0;
        double k3Extra = 0.0;
        for (int k = maxK; k > 0; k--)
        {
            double k2 = (double)k * k;
            double qk = Math.Pow(q2, k2);
            double kPi = Math.PI * k;
            k2Extra += k2 * qk;
            k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qk;
        }

        s2 += k2Extra * pi2 * SqrtTwoPi / (-36.0 * z3);
        s3 += k3Extra * pi2 * SqrtTwoPi / (216.0 * z6);

        double sqrtN = Math.Sqrt(n);
        return s0 + (s1 / sqrtN) + (s2 / n) + (s3 / (n * sqrtN));
    }

    private static double Clip(double p) => Math.Clamp(p, 0.0, 1.0);
}
