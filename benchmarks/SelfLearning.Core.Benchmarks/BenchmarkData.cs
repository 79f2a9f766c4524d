namespace SelfLearning.Benchmarks;

/// <summary>
/// The data every benchmark uses, generated bit for bit the same way by
/// <c>benchmarks/reference/benchmark_data.py</c>, so the scikit-learn timings are on the same inputs.
/// SplitMix64 (Steele, Lea and Flood 2014) is used because it is trivial to reproduce in both languages.
/// </summary>
public static class BenchmarkData
{
    /// <summary>The seed both sides use.</summary>
    public const ulong Seed = 42;

    /// <summary>
    /// Raw margins uniform in [-4, 4) and labels drawn with P(y = 1) = sigmoid(1.5·s − 0.3),
    /// so the raw sigmoid of the margin is miscalibrated (over-confident) the way host models are.
    /// </summary>
    public static (double[] Margins, bool[] Labels) Margins(int count)
    {
        var margins = new double[count];
        var labels = new bool[count];
        ulong state = Seed;
        for (int i = 0; i < count; i++)
        {
            double s = (8.0 * NextDouble(ref state)) - 4.0;
            double u = NextDouble(ref state);
            margins[i] = s;
            labels[i] = u < 1.0 / (1.0 + Math.Exp(-((1.5 * s) - 0.3)));
        }

        return (margins, labels);
    }

    /// <summary>The same cases as probabilities: sigmoid of each margin.</summary>
    public static (double[] Probabilities, bool[] Labels) Probabilities(int count)
    {
        var (margins, labels) = Margins(count);
        var probabilities = new double[count];
        for (int i = 0; i < count; i++)
        {
            probabilities[i] = 1.0 / (1.0 + Math.Exp(-margins[i]));
        }

        return (probabilities, labels);
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
