using System.Text.Json.Nodes;

namespace SelfLearning.Tests.Statistics;

/// <summary>
/// Reads the reference values written by the committed generator scripts under Reference/ and compares
/// numbers at the project's 1e-6 relative tolerance.
/// </summary>
internal static class ReferenceFile
{
    public const double RelativeTolerance = 1e-6;

    // Below this magnitude only an absolute comparison makes sense (p-values that underflow towards 0).
    private const double AbsoluteFloor = 1e-300;

    public static JsonNode Load(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Reference", fileName);
        return JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
    }

    /// <summary>The named array of cases, which must not be empty (a loop over nothing would assert nothing).</summary>
    public static JsonArray Cases(JsonNode reference, string name)
    {
        JsonArray cases = reference[name]!.AsArray();
        cases.Should().NotBeEmpty($"the reference file must hold '{name}' cases");
        return cases;
    }

    public static double[] Doubles(JsonNode? node) =>
        node!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    public static long[] Longs(JsonNode? node) =>
        node!.AsArray().Select(v => v!.GetValue<long>()).ToArray();

    public static bool[] Bools(JsonNode? node) =>
        node!.AsArray().Select(v => v!.GetValue<bool>()).ToArray();

    public static double Double(JsonNode? node) => node!.GetValue<double>();

    public static void ShouldMatch(double actual, double expected, string because)
    {
        double tolerance = Math.Max(RelativeTolerance * Math.Abs(expected), AbsoluteFloor);
        actual.Should().BeApproximately(expected, tolerance, because);
    }
}
