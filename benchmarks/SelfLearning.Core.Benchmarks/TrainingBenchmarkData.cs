using System.Globalization;
using System.Text;

namespace SelfLearning.Benchmarks;

/// <summary>
/// The training benchmarks' tables, generated bit for bit as <c>benchmarks/reference/benchmark_data.py</c>'s
/// <c>classification</c>, <c>regression</c> and <c>clustering</c> make them (SplitMix64 with seed 7, row by row).
/// </summary>
public static class TrainingBenchmarkData
{
    /// <summary>The seed both sides use.</summary>
    public const ulong Seed = 7;

    /// <summary>Features uniform with mean 0 and variance 1; label "1" with probability sigmoid(x·w − 0.5).</summary>
    /// <param name="count">The number of rows.</param>
    /// <param name="d">The number of features.</param>
    /// <returns>The features and labels.</returns>
    public static (double[,] Features, string[] Labels) Classification(int count, int d)
    {
        var (x, extra) = Uniform(count, d);
        double[] w = Weights(d);
        var labels = new string[count];
        for (int i = 0; i < count; i++)
        {
            double m = -0.5;
            for (int j = 0; j < d; j++)
            {
                m += w[j] * x[i, j];
            }

            labels[i] = extra[i] < 1.0 / (1.0 + Math.Exp(-m)) ? "1" : "0";
        }

        return (x, labels);
    }

    /// <summary>
    /// Features as <see cref="Classification"/>; the label is the class k (of <paramref name="classes"/>) with the largest
    /// margin x·w_k, w_k(j) = (((j + 3k) mod 7) − 3) / 4 (the lowest k on a tie), except that a row whose extra uniform
    /// value u is below 0.25 takes class ⌊16u⌋ mod K instead. No exponential, so both sides draw the same labels.
    /// </summary>
    /// <param name="count">The number of rows.</param>
    /// <param name="d">The number of features.</param>
    /// <param name="classes">K.</param>
    /// <returns>The features and labels "0" … "K − 1".</returns>
    public static (double[,] Features, string[] Labels) Multiclass(int count, int d, int classes)
    {
        var (x, extra) = Uniform(count, d);
        var labels = new string[count];
        for (int i = 0; i < count; i++)
        {
            int label = 0;
            double best = double.NegativeInfinity;
            for (int k = 0; k < classes; k++)
            {
                double m = 0.0;
                for (int j = 0; j < d; j++)
                {
                    m += ((((j + (3 * k)) % 7) - 3) / 4.0) * x[i, j];
                }

                if (m > best)
                {
                    best = m;
                    label = k;
                }
            }

            labels[i] = (extra[i] < 0.25 ? (int)(16.0 * extra[i]) % classes : label).ToString(CultureInfo.InvariantCulture);
        }

        return (x, labels);
    }

    /// <summary>Features as <see cref="Classification"/>; target x·w + 0.5 + uniform noise in [−0.5, 0.5).</summary>
    /// <param name="count">The number of rows.</param>
    /// <param name="d">The number of features.</param>
    /// <returns>The features and targets.</returns>
    public static (double[,] Features, double[] Targets) Regression(int count, int d)
    {
        var (x, extra) = Uniform(count, d);
        double[] w = Weights(d);
        var targets = new double[count];
        for (int i = 0; i < count; i++)
        {
            double t = 0.5;
            for (int j = 0; j < d; j++)
            {
                t += w[j] * x[i, j];
            }

            targets[i] = t + (extra[i] - 0.5);
        }

        return (x, targets);
    }

    /// <summary>k blobs: row i lies around centre i mod k, whose coordinates are ((3c + 5j) mod 7) − 3, with uniform noise of variance 0.64.</summary>
    /// <param name="count">The number of rows.</param>
    /// <param name="d">The number of features.</param>
    /// <param name="k">The number of blobs.</param>
    /// <returns>The features.</returns>
    public static double[,] Clustering(int count, int d, int k)
    {
        var x = new double[count, d];
        ulong state = Seed;
        for (int i = 0; i < count; i++)
        {
            int c = i % k;
            for (int j = 0; j < d; j++)
            {
                x[i, j] = ((((3 * c) + (5 * j)) % 7) - 3.0) + ((NextDouble(ref state) - 0.5) * (Math.Sqrt(12.0) * 0.8));
            }
        }

        return x;
    }

    /// <summary>The first <paramref name="k"/> rows as the k-means initial-centres parameter text.</summary>
    /// <param name="x">The features.</param>
    /// <param name="k">The number of centres.</param>
    /// <returns>Rows separated by ';', values by ',', in round-trip invariant form.</returns>
    public static string FirstRows(double[,] x, int k)
    {
        var text = new StringBuilder();
        for (int c = 0; c < k; c++)
        {
            if (c > 0)
            {
                text.Append(';');
            }

            for (int j = 0; j < x.GetLength(1); j++)
            {
                if (j > 0)
                {
                    text.Append(',');
                }

                text.Append(x[c, j].ToString("R", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static double[] Weights(int d) => Enumerable.Range(0, d).Select(j => ((j % 7) - 3) / 4.0).ToArray();

    private static (double[,] Features, double[] Extra) Uniform(int count, int d)
    {
        var x = new double[count, d];
        var extra = new double[count];
        ulong state = Seed;
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[i, j] = (NextDouble(ref state) - 0.5) * Math.Sqrt(12.0);
            }

            extra[i] = NextDouble(ref state);
        }

        return (x, extra);
    }

    private static double NextDouble(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }
}
