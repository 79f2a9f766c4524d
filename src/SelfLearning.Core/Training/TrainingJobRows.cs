using System.Data.Common;
using System.Text.Json;

namespace SelfLearning.Training;

/// <summary>
/// How the SQL job stores (SQLite, PostgreSQL) keep a training job as a row: parameters, metrics and progress as JSON,
/// times as UTC ticks, the columns in the order <see cref="Read"/> reads them (the sequence first).
/// </summary>
internal static class TrainingJobRows
{
    /// <summary>The columns after <c>sequence</c>, in the order <see cref="Read"/> reads them and the stores write them.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "id", "model_key", "model_type", "priority", "version", "state", "trigger_kind", "parameters", "seed", "tune",
        "created_at", "updated_at", "started_at", "finished_at", "not_before", "attempts", "failure_reason", "progress",
        "metrics", "parameters_used", "wall_time", "cpu_time", "allocated_bytes", "artifact_format", "artifact",
        "lease_owner", "lease_expires_at",
    ];

    /// <summary>Reads a job from the current row: <c>sequence</c>, then <see cref="Columns"/>.</summary>
    public static TrainingJob Read(DbDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        Id = r.GetString(1),
        ModelKey = r.GetString(2),
        ModelType = r.GetString(3),
        Priority = r.GetInt32(4),
        Version = r.GetInt64(5),
        State = (TrainingJobState)r.GetInt32(6),
        Trigger = (TrainingTriggerKind)r.GetInt32(7),
        Parameters = ReadParameters(r.GetString(8)),
        Seed = r.GetInt32(9),

        // SQLite keeps the flag as 0/1, PostgreSQL as boolean.
        TuneHyperparameters = Convert.ToBoolean(r.GetValue(10), System.Globalization.CultureInfo.InvariantCulture),
        CreatedAt = Time(r.GetInt64(11)),
        UpdatedAt = Time(r.GetInt64(12)),
        StartedAt = r.IsDBNull(13) ? null : Time(r.GetInt64(13)),
        FinishedAt = r.IsDBNull(14) ? null : Time(r.GetInt64(14)),
        NotBefore = r.IsDBNull(15) ? null : Time(r.GetInt64(15)),
        Attempts = r.GetInt32(16),
        FailureReason = r.IsDBNull(17) ? null : r.GetString(17),
        Progress = r.IsDBNull(18) ? null : ReadProgress(r.GetString(18)),
        Metrics = ReadMetrics(r.GetString(19)),
        ParametersUsed = r.IsDBNull(20) ? null : ReadParameters(r.GetString(20)),
        ResourceUsage = r.IsDBNull(21)
            ? null
            : new TrainingResourceUsage(TimeSpan.FromTicks(r.GetInt64(21)), TimeSpan.FromTicks(r.GetInt64(22)), r.GetInt64(23)),
        Artifact = r.IsDBNull(24) ? null : new TrainingArtifact(r.GetString(24), r.GetFieldValue<byte[]>(25)),
        LeaseOwner = r.IsDBNull(26) ? null : r.GetString(26),
        LeaseExpiresAt = r.IsDBNull(27) ? null : Time(r.GetInt64(27)),
    };

    /// <summary>camelCase properties; NaN and infinities allowed, since interim progress metrics are not checked for finiteness.</summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Write(TrainingParameters parameters) => JsonSerializer.Serialize(parameters.Values, Json);

    public static string Write(IReadOnlyDictionary<string, double> metrics) => JsonSerializer.Serialize(metrics, Json);

    public static string Write(TrainingProgress progress) => JsonSerializer.Serialize(new StoredProgress(progress.Percent, progress.Stage, progress.Metrics), Json);

    public static TrainingParameters ReadParameters(string json) =>
        TrainingParameters.FromPairs(JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json) ?? []);

    public static IReadOnlyDictionary<string, double> ReadMetrics(string json) =>
        Freeze(JsonSerializer.Deserialize<Dictionary<string, double>>(json, Json));

    public static TrainingProgress ReadProgress(string json)
    {
        var stored = JsonSerializer.Deserialize<StoredProgress>(json, Json)
            ?? throw new InvalidDataException("A training job's stored progress is null.");
        return new TrainingProgress(stored.Percent, stored.Stage, Freeze(stored.Metrics));
    }

    private static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private static IReadOnlyDictionary<string, double> Freeze(IReadOnlyDictionary<string, double>? metrics) =>
        metrics is null || metrics.Count == 0 ? TrainingMetrics.Empty : TrainingMetrics.Freeze(metrics);

    private sealed record StoredProgress(double Percent, string Stage, IReadOnlyDictionary<string, double>? Metrics);
}
