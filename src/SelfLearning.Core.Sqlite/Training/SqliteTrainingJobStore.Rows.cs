using System.Text.Json;
using Microsoft.Data.Sqlite;
using SelfLearning.Training;

namespace SelfLearning.Sqlite;

/// <summary>The mapping between <see cref="TrainingJob"/> and a <c>selflearning_training_jobs</c> row.</summary>
public sealed partial class SqliteTrainingJobStore
{
    /// <summary>Every column but <c>sequence</c>, in the order of <see cref="Row"/>'s parameters.</summary>
    private static readonly string[] Columns =
    [
        "id", "model_key", "model_type", "priority", "version", "state", "trigger_kind", "parameters", "seed", "tune",
        "created_at", "updated_at", "started_at", "finished_at", "not_before", "attempts", "failure_reason", "progress",
        "metrics", "parameters_used", "wall_time", "cpu_time", "allocated_bytes", "artifact_format", "artifact",
        "lease_owner", "lease_expires_at",
    ];

    private static readonly string InsertColumns = string.Join(", ", Columns);

    private static readonly string InsertValues = string.Join(", ", Columns.Select(c => "$" + c));

    /// <summary>The columns an update writes: all but the identity (id, model, type, sequence) and the creation time.</summary>
    private static readonly string UpdateAssignments = string.Join(
        ", ", Columns.Except(["id", "model_key", "model_type", "created_at"]).Select(c => $"{c} = ${c}"));

    private static readonly string SelectColumns = "sequence, " + InsertColumns;

    private static (string Name, object? Value)[] Row(TrainingJob job) =>
    [
        ("$id", job.Id),
        ("$model_key", job.ModelKey),
        ("$model_type", job.ModelType),
        ("$priority", job.Priority),
        ("$version", job.Version),
        ("$state", (int)job.State),
        ("$trigger_kind", (int)job.Trigger),
        ("$parameters", JsonSerializer.Serialize(job.Parameters.Values, Json)),
        ("$seed", job.Seed),
        ("$tune", job.TuneHyperparameters ? 1 : 0),
        ("$created_at", job.CreatedAt.UtcTicks),
        ("$updated_at", job.UpdatedAt.UtcTicks),
        ("$started_at", job.StartedAt?.UtcTicks),
        ("$finished_at", job.FinishedAt?.UtcTicks),
        ("$not_before", job.NotBefore?.UtcTicks),
        ("$attempts", job.Attempts),
        ("$failure_reason", job.FailureReason),
        ("$progress", job.Progress is { } p ? JsonSerializer.Serialize(new StoredProgress(p.Percent, p.Stage, p.Metrics), Json) : null),
        ("$metrics", JsonSerializer.Serialize(job.Metrics, Json)),
        ("$parameters_used", job.ParametersUsed is { } used ? JsonSerializer.Serialize(used.Values, Json) : null),
        ("$wall_time", job.ResourceUsage?.WallTime.Ticks),
        ("$cpu_time", job.ResourceUsage?.CpuTime.Ticks),
        ("$allocated_bytes", job.ResourceUsage?.AllocatedBytes),
        ("$artifact_format", job.Artifact?.Format),
        ("$artifact", job.Artifact?.Content.ToArray()),
        ("$lease_owner", job.LeaseOwner),
        ("$lease_expires_at", job.LeaseExpiresAt?.UtcTicks),
    ];

    private static List<TrainingJob> ReadJobs(SqliteConnection c, SqliteTransaction t, string filter, params (string, object?)[] parameters)
    {
        using var command = SqliteDatabase.Command(c, t, $"SELECT {SelectColumns} FROM selflearning_training_jobs {filter};", parameters);
        using var reader = command.ExecuteReader();
        var jobs = new List<TrainingJob>();
        while (reader.Read())
        {
            jobs.Add(ReadJob(reader));
        }

        return jobs;
    }

    private static TrainingJob ReadJob(SqliteDataReader r) => new()
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
        TuneHyperparameters = r.GetInt32(10) == 1,
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
        Artifact = r.IsDBNull(24) ? null : new TrainingArtifact(r.GetString(24), (byte[])r.GetValue(25)),
        LeaseOwner = r.IsDBNull(26) ? null : r.GetString(26),
        LeaseExpiresAt = r.IsDBNull(27) ? null : Time(r.GetInt64(27)),
    };

    private static TrainingParameters ReadParameters(string json) =>
        TrainingParameters.FromPairs(JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json) ?? []);

    private static IReadOnlyDictionary<string, double> ReadMetrics(string json) =>
        ReadMetricsFrom(JsonSerializer.Deserialize<Dictionary<string, double>>(json, Json));

    private static TrainingProgress ReadProgress(string json)
    {
        var stored = JsonSerializer.Deserialize<StoredProgress>(json, Json)
            ?? throw new InvalidDataException("A training job's stored progress is null.");
        return new TrainingProgress(stored.Percent, stored.Stage, ReadMetricsFrom(stored.Metrics));
    }

    /// <summary>No metrics read back as the shared <see cref="TrainingMetrics.Empty"/>, as jobs are created with it.</summary>
    private static IReadOnlyDictionary<string, double> ReadMetricsFrom(IReadOnlyDictionary<string, double>? metrics) =>
        metrics is null || metrics.Count == 0 ? TrainingMetrics.Empty : TrainingMetrics.Freeze(metrics);

    /// <summary>The JSON shape of a <see cref="TrainingProgress"/> in the <c>progress</c> column.</summary>
    private sealed record StoredProgress(double Percent, string Stage, IReadOnlyDictionary<string, double>? Metrics);
}
