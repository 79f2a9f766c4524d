using System.Text.Json;

namespace SelfLearning.Tests.Privacy;

/// <summary>Loads the PII test corpora copied under Privacy/Data.</summary>
internal static class PiiTestData
{
    public static IReadOnlyList<PiiCase> Load(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Privacy", "Data", fileName);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        var cases = new List<PiiCase>();
        foreach (JsonElement c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var spans = c.GetProperty("expected_spans").EnumerateArray()
                .Select(s => (Start: s[0].GetInt32(), End: s[1].GetInt32()))
                .ToArray();
            cases.Add(new PiiCase(c.GetProperty("entity").GetString()!, c.GetProperty("text").GetString()!, spans, c.GetProperty("kind").GetString()!));
        }

        return cases;
    }

    public static IEnumerable<object[]> AsTheoryData(string fileName) =>
        Load(fileName).Select((c, i) => new object[] { i, c.Entity, c.Kind });
}

internal sealed record PiiCase(string Entity, string Text, IReadOnlyList<(int Start, int End)> ExpectedSpans, string Kind);
