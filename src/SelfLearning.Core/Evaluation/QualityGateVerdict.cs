using System.Text.Json;
using System.Text.Json.Serialization;

namespace SelfLearning.Evaluation;

/// <summary>
/// What the <see cref="QualityGate"/> decided about a candidate: every rule with its numbers, and the metrics of
/// both models on the held-out cases. Stored with the candidate's registry version as its evaluation report.
/// </summary>
public sealed record QualityGateVerdict
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Gets a value indicating whether the candidate passed every rule.</summary>
    public required bool Passed { get; init; }

    /// <summary>Gets the number of held-out cases both models were scored on.</summary>
    public required int HoldoutSize { get; init; }

    /// <summary>Gets every rule, in the order they were checked.</summary>
    public required IReadOnlyList<QualityGateRuleResult> Rules { get; init; }

    /// <summary>Gets the champion's (or baseline's) accuracy, ECE, Brier score and log loss on the held-out cases.</summary>
    public required IReadOnlyDictionary<string, double> ChampionMetrics { get; init; }

    /// <summary>Gets the candidate's accuracy, ECE, Brier score and log loss on the same cases.</summary>
    public required IReadOnlyDictionary<string, double> CandidateMetrics { get; init; }

    /// <summary>Gets the rules that failed.</summary>
    [JsonIgnore]
    public IEnumerable<QualityGateRuleResult> Failures => Rules.Where(r => !r.Passed);

    /// <summary>Serialises the verdict as the JSON report stored with the version.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a verdict written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentException">The text is not a verdict.</exception>
    public static QualityGateVerdict FromJson(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        try
        {
            return JsonSerializer.Deserialize<QualityGateVerdict>(json, JsonOptions)
                ?? throw new ArgumentException("The report is JSON null, not a quality gate verdict.", nameof(json));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The report is not a quality gate verdict: {e.Message}", nameof(json), e);
        }
    }
}
