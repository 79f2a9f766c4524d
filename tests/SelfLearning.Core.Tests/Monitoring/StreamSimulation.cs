namespace SelfLearning.Tests.Monitoring;

/// <summary>Seeded synthetic streams for the drift detectors.</summary>
internal static class StreamSimulation
{
    /// <summary>An error stream: 1 with probability <paramref name="before"/> up to <paramref name="changeAt"/>, then <paramref name="after"/>.</summary>
    public static double[] Errors(int seed, int length, double before, int changeAt = int.MaxValue, double after = 0.0)
    {
        var random = new Random(seed);
        var stream = new double[length];
        for (int i = 0; i < length; i++)
        {
            stream[i] = random.NextDouble() < (i < changeAt ? before : after) ? 1.0 : 0.0;
        }

        return stream;
    }

    /// <summary>Normal scores N(<paramref name="mean"/>, <paramref name="deviation"/>²) by Box-Muller.</summary>
    public static double[] Normal(int seed, int length, double mean, double deviation)
    {
        var random = new Random(seed);
        var sample = new double[length];
        for (int i = 0; i < length; i++)
        {
            double u = 1.0 - random.NextDouble();
            sample[i] = mean + (deviation * Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * random.NextDouble()));
        }

        return sample;
    }
}
