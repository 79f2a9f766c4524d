using System.Text.Json;

namespace SelfLearning.Registry;

/// <summary>Checks the evaluation or gate reports stored on a <see cref="ModelVersion"/>.</summary>
internal static class EvaluationReports
{
    /// <summary>The largest report the registry stores, in UTF-16 code units (1 MiB of text).</summary>
    public const int MaxLength = 1 << 20;

    /// <summary>Checks that a report is well-formed JSON of bounded size; its content is not interpreted.</summary>
    /// <param name="json">The report.</param>
    /// <param name="paramName">The argument name reported in the exception.</param>
    /// <returns><paramref name="json"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="json"/> is too long or not JSON.</exception>
    public static string Validate(string? json, string paramName)
    {
        ArgumentNullException.ThrowIfNull(json, paramName);
        if (json.Length > MaxLength)
        {
            throw new ArgumentException($"The report is {json.Length} characters long; at most {MaxLength} are allowed.", paramName);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The report is not valid JSON: {e.Message}", paramName, e);
        }

        return json;
    }
}
