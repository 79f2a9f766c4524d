using System.Text.Json;
using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

/// <summary>Reads Reference/training.json, written by Reference/generate_training.py (scikit-learn 1.2.1).</summary>
internal static class TrainingReference
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "training.json"))).RootElement);

    public static JsonElement Case(string section, string name) =>
        Root.Value.GetProperty(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static double[] Vector(this JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static double[][] Rows(this JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();

    public static double[,] Matrix(this JsonElement element, string name)
    {
        var rows = element.Rows(name);
        var m = new double[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < rows[0].Length; j++)
            {
                m[i, j] = rows[i][j];
            }
        }

        return m;
    }

    public static string[] Strings(this JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// <summary>Asserts |a − e| ≤ rel·|e| + abs for each element.</summary>
    public static void ShouldAgree(IReadOnlyList<double> actual, IReadOnlyList<double> expected, double relative = 1e-6, double absolute = 1e-9)
    {
        actual.Should().HaveSameCount(expected);
        for (int i = 0; i < expected.Count; i++)
        {
            actual[i].Should().BeApproximately(expected[i], (relative * Math.Abs(expected[i])) + absolute, "element {0}", i);
        }
    }

    public static double[,] ToMatrix(double[][] rows)
    {
        var m = new double[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < rows[0].Length; j++)
            {
                m[i, j] = rows[i][j];
            }
        }

        return m;
    }

    /// <summary>A seeded synthetic data set (SplitMix64-free: System.Random with a seed is stable across .NET versions).</summary>
    public static Random Rng(int seed) => new(seed);

    public static double Normal(this Random rng) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());
}
