using System.Text.Json;

namespace SelfLearning.Tests.Experiments;

/// <summary>Loads the committed reference files of the Experiments tests from the output directory.</summary>
internal static class ExperimentsReference
{
    private static readonly Lazy<JsonDocument> GrowthBookDocument = new(() => Load("Experiments", "growthbook-cases.json"));
    private static readonly Lazy<JsonDocument> SciPyDocument = new(() => Load("Reference", "experiments.json"));

    /// <summary>GrowthBook's cross-SDK cases (see growthbook-cases.SOURCE.txt).</summary>
    public static JsonElement GrowthBook => GrowthBookDocument.Value.RootElement;

    /// <summary>Values written by Reference/generate_experiments.py.</summary>
    public static JsonElement SciPy => SciPyDocument.Value.RootElement;

    public static IEnumerable<object[]> Cases(JsonElement root, string section) =>
        root.GetProperty(section).EnumerateArray().Select((_, i) => new object[] { i });

    private static JsonDocument Load(string folder, string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, folder, file)));
}
