using System.Text.Json;
using System.Text.Json.Serialization;

namespace SelfLearning.Samples.Triage;

/// <summary>One row of the cycle table: a simulated week and what the loop's cycle did at its end.</summary>
internal sealed record CycleRow
{
    public required int Week { get; init; }

    public required string Population { get; init; }

    public required int Cases { get; init; }

    /// <summary>Gets the champion serving before the cycle (0 = the host's raw confidence).</summary>
    public required int ChampionBefore { get; init; }

    /// <summary>Gets the version compared with it (the candidate, challenger, or the champion after the cycle), if any.</summary>
    public int? ComparedVersion { get; init; }

    public required string Outcome { get; init; }

    /// <summary>Gets the champion's ECE on this week's reviewed cases.</summary>
    public required double EceBefore { get; init; }

    public double? EceAfter { get; init; }

    public required double BrierBefore { get; init; }

    public double? BrierAfter { get; init; }

    public required string Gate { get; init; }

    public required string Experiment { get; init; }

    public required string Action { get; init; }

    public required string Message { get; init; }
}

/// <summary>The reliability of the champion before and after a promotion, on the reviewed cases of the week it happened.</summary>
internal sealed record PromotionRecord
{
    public required int Week { get; init; }

    public required int FromVersion { get; init; }

    public required int ToVersion { get; init; }

    public required string Kind { get; init; }

    public required IReadOnlyList<ReliabilityPoint> Before { get; init; }

    public required IReadOnlyList<ReliabilityPoint> After { get; init; }

    public required double EceBefore { get; init; }

    public required double EceAfter { get; init; }
}

/// <summary>One bin of a reliability diagram.</summary>
internal sealed record ReliabilityPoint(double MeanConfidence, double ObservedFrequency, int Count);

/// <summary>
/// What a run leaves beside the database so the next run continues: the seed, the last simulated week, and the
/// history the report draws. The registry, experiments and cases themselves are in the database.
/// </summary>
internal sealed record SampleState
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required int Seed { get; init; }

    public required int LastWeek { get; init; }

    public List<CycleRow> Rows { get; init; } = [];

    public List<PromotionRecord> Promotions { get; init; } = [];

    /// <summary>The state file of a database: <c>&lt;db&gt;.state.json</c> beside it.</summary>
    public static string PathFor(string databasePath) => databasePath + ".state.json";

    public static SampleState? Load(string path) =>
        File.Exists(path)
            ? JsonSerializer.Deserialize<SampleState>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"The sample's state file '{path}' is empty.")
            : null;

    /// <summary>Writes the state to a temporary file and moves it over the old one, so a crash never leaves half a file.</summary>
    public void Save(string path)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }
}
