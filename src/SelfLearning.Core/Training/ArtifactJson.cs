using System.Text.Json;

namespace SelfLearning.Training;

/// <summary>
/// Writes and reads the built-in trainers' JSON artifacts. Properties are written in a fixed order and doubles in
/// their shortest round-trip form, so equal models give byte-identical artifacts and load back bit for bit.
/// </summary>
internal static class ArtifactJson
{
    public static byte[] Write(string format, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("format", format);
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static void WriteArray(Utf8JsonWriter writer, string name, IEnumerable<double> values)
    {
        writer.WriteStartArray(name);
        foreach (double v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }

    public static void WriteArray(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string v in values)
        {
            writer.WriteStringValue(v);
        }

        writer.WriteEndArray();
    }

    public static JsonDocument Open(TrainingArtifact artifact, string format)
    {
        if (!string.Equals(artifact.Format, format, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Expected an artifact of format '{format}' but got '{artifact.Format}'.", nameof(artifact));
        }

        try
        {
            return JsonDocument.Parse(artifact.Content);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The '{format}' artifact is not valid JSON: {ex.Message}", nameof(artifact), ex);
        }
    }

    public static double[] Doubles(JsonElement root, string name) =>
        Property(root, name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static string[] Strings(JsonElement root, string name) =>
        Property(root, name).EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray();

    public static JsonElement Property(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value)
            ? value
            : throw new InvalidDataException($"The artifact has no '{name}' property.");

    public static void EnsureLength(ReadOnlySpan<double> features, int expected, string name = "features")
    {
        if (features.Length != expected)
        {
            throw new ArgumentException($"'{name}' has {features.Length} values but the model takes {expected} features.", name);
        }
    }
}
