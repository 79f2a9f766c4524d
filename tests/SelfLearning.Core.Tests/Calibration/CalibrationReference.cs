using System.Text.Json;

namespace SelfLearning.Tests.Calibration;

/// <summary>
/// Reads Reference/calibration.json, written by Reference/generate_calibration.py (scikit-learn 1.2.1,
/// SciPy 1.10.1) on seeded random data.
/// </summary>
internal static class CalibrationReference
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Reference", "calibration.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    });

    /// <summary>The cases of one kind ("platt", "isotonic", ...), keyed by name.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Cases(string kind) =>
        Root.Value.GetProperty(kind).EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);

    /// <summary>The case names of one kind, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Names(string kind)
    {
        var data = new TheoryData<string>();
        foreach (string name in Cases(kind).Keys)
        {
            data.Add(name);
        }

        return data;
    }

    public static JsonElement Case(string kind, string name) => Cases(kind)[name];

    public static double[] Doubles(this JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static bool[] Bools(this JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(v => v.GetBoolean()).ToArray();

    public static int[] Ints(this JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static bool IsNull(this JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null;

    public static double[,] Matrix(this JsonElement e, string name)
    {
        double[][] rows = e.GetProperty(name).EnumerateArray()
            .Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var m = new double[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int k = 0; k < rows[i].Length; k++)
            {
                m[i, k] = rows[i][k];
            }
        }

        return m;
    }

    /// <summary>Asserts agreement to 1e-6 relative (with a 1e-12 absolute floor for values at 0).</summary>
    public static void ShouldAgreeWith(this double actual, double expected, string because = "")
    {
        actual.Should().BeApproximately(expected, (1e-6 * Math.Abs(expected)) + 1e-12, because);
    }

    public static void ShouldAgreeWith(this IReadOnlyList<double> actual, IReadOnlyList<double> expected, string what)
    {
        actual.Count.Should().Be(expected.Count, what);
        for (int i = 0; i < expected.Count; i++)
        {
            actual[i].ShouldAgreeWith(expected[i], $"{what}[{i}]");
        }
    }
}
