using System.Text.Json;
using Microsoft.Data.Sqlite;
using SelfLearning.Training;

namespace SelfLearning.Sqlite;

/// <summary>The mapping between <see cref="TrainingJob"/> and a <c>selflearning_training_jobs</c> row.</summary>
public sealed partial class SqliteTrainingJobStore
{
    /// <summary>Every column but <c>sequence</c>, in the order of <see cref="Row"/>'s parameters.</summary>
    private static readonly IReadOnlyList<string> Columns = TrainingJobRows.Columns;

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
        ("$parameters", TrainingJobRows.Write(job.Parameters)),
        ("$seed", job.Seed),
        ("$tune", job.TuneHyperparameters ? 1 : 0),
        ("$created_at", job.CreatedAt.UtcTicks),
        ("$updated_at", job.UpdatedAt.UtcTicks),
        ("$started_at", job.StartedAt?.UtcTicks),
        ("$finished_at", job.FinishedAt?.UtcTicks),
        ("$not_before", job.NotBefore?.UtcTicks),
        ("$attempts", job.Attempts),
        ("$failure_reason", job.FailureReason),
        ("$progress", job.Progress is { } p ? TrainingJobRows.Write(p) : null),
        ("$metrics", TrainingJobRows.Write(job.Metrics)),
        ("$parameters_used", job.ParametersUsed is { } used ? TrainingJobRows.Write(used) : null),
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
            jobs.Add(TrainingJobRows.Read(reader));
        }

        return jobs;
    }
}
