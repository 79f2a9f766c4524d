using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace SelfLearning.Registry;

/// <summary>
/// How a <see cref="ModelVersion"/> is kept as a row by the SQL stores (SQLite, PostgreSQL): metrics, parameters and tags
/// as JSON objects, the training watermark as round-trip text, the reference scores as a JSON array, times as UTC ticks.
/// Both stores select the columns in the order <see cref="Read"/> reads them.
/// </summary>
internal static class StoredVersionRows
{
    /// <summary>The version columns every read selects first, in this order, from a table aliased <c>v</c>.</summary>
    public const string Columns = """
        v.name, v.version, v.stage, v.metrics, v.parameters, v.tags, v.dataset_hash, v.trainer_type,
        v.parent_version, v.training_job_id, v.artifact_sha256, v.artifact_size, v.created_at, v.created_by,
        v.evaluation_report, v.training_watermark, v.holdout_size, v.reference_scores
        """;

    /// <summary>How many columns <see cref="Columns"/> names.</summary>
    public const int ColumnCount = 18;

    /// <summary>Reads a version from the current row, whose first columns are <see cref="Columns"/>.</summary>
    public static ModelVersion Read(DbDataReader reader, IEnumerable<string> aliases) => new()
    {
        Name = reader.GetString(0),
        Version = reader.GetInt32(1),
        Stage = (ModelStage)reader.GetInt32(2),
        Metrics = FromJson<double>(reader.GetString(3)),
        Parameters = FromJson<string>(reader.GetString(4)),
        Tags = FromJson<string>(reader.GetString(5)),
        Lineage = new ModelLineage
        {
            DatasetHash = NullableString(reader, 6),
            TrainerType = NullableString(reader, 7),
            ParentVersion = reader.IsDBNull(8) ? null : reader.GetInt32(8),
            TrainingJobId = NullableString(reader, 9),
            TrainingWatermark = reader.IsDBNull(15) ? null : DateTimeOffset.Parse(reader.GetString(15), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            HoldoutSize = reader.IsDBNull(16) ? null : reader.GetInt32(16),
            ReferenceScores = reader.IsDBNull(17) ? null : JsonSerializer.Deserialize<double[]>(reader.GetString(17)),
        },
        ArtifactSha256 = reader.GetString(10),
        ArtifactSize = reader.GetInt64(11),
        CreatedAt = new DateTimeOffset(reader.GetInt64(12), TimeSpan.Zero),
        CreatedBy = reader.GetString(13),
        EvaluationReport = NullableString(reader, 14),
        Aliases = [.. aliases.Order(StringComparer.Ordinal)],
    };

    /// <summary>The values of the columns an insert writes, in <see cref="Columns"/>' order.</summary>
    public static object?[] Values(ModelVersion version) =>
    [
        version.Name,
        version.Version,
        (int)version.Stage,
        ToJson(version.Metrics),
        ToJson(version.Parameters),
        ToJson(version.Tags),
        version.Lineage.DatasetHash,
        version.Lineage.TrainerType,
        version.Lineage.ParentVersion,
        version.Lineage.TrainingJobId,
        version.ArtifactSha256,
        version.ArtifactSize,
        version.CreatedAt.UtcTicks,
        version.CreatedBy,
        version.EvaluationReport,
        version.Lineage.TrainingWatermark?.ToString("O", CultureInfo.InvariantCulture),
        version.Lineage.HoldoutSize,
        version.Lineage.ReferenceScores is { } reference ? JsonSerializer.Serialize(reference) : null,
    ];

    /// <summary>A map as the JSON object the stores keep.</summary>
    public static string ToJson<T>(IReadOnlyDictionary<string, T> values) => JsonSerializer.Serialize(values);

    private static ImmutableSortedDictionary<string, T> FromJson<T>(string json)
        => (JsonSerializer.Deserialize<Dictionary<string, T>>(json) ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal);

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
