using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Registry;

namespace SelfLearning.Sqlite;

/// <summary>
/// An <see cref="IModelRegistry"/> in an embedded SQLite database file: durable (WAL journal with
/// <c>synchronous=FULL</c>, every write one transaction, artifacts stored as blobs in the same transaction as
/// their metadata) and shareable between processes on one machine.
/// </summary>
/// <remarks>
/// <para>
/// A crash at any point leaves each write either fully committed or absent. The database itself refuses a
/// second champion (a unique partial index). The schema is created and upgraded by versioned migrations
/// recorded in the <c>selflearning_schema_migrations</c> table.
/// </para>
/// <para>
/// <see cref="IModelRegistry.Changed"/> reports writes made through this instance. To see writes made by
/// other processes, poll (as <see cref="ActiveModelProvider{TPredictor}"/> does). Artifacts are limited by
/// SQLite's blob size (1 GB by default).
/// </para>
/// </remarks>
public sealed partial class SqliteModelRegistry : IModelRegistry
{
    private const string VersionColumns = """
        v.name, v.version, v.stage, v.metrics, v.parameters, v.tags, v.dataset_hash, v.trainer_type,
        v.parent_version, v.training_job_id, v.artifact_sha256, v.artifact_size, v.created_at, v.created_by,
        v.evaluation_report, v.training_watermark, v.holdout_size, v.reference_scores,
        (SELECT json_group_array(a.alias) FROM selflearning_registry_aliases a WHERE a.name = v.name AND a.version = v.version)
        """;

    private const string TransitionColumns = "name, sequence, revision, version, from_stage, to_stage, operation, at, actor, reason";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Opens (creating it if needed) a registry in a database file and brings its schema up to date.</summary>
    /// <param name="databasePath">The database file; other SelfLearning stores may share it.</param>
    /// <param name="timeProvider">The clock for creation and transition times; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is empty.</exception>
    public SqliteModelRegistry(string databasePath, TimeProvider? timeProvider = null, ILogger<SqliteModelRegistry>? logger = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _database = new SqliteDatabase(databasePath, _timeProvider, _logger);
        _database.Migrate(RegistryMigrations.All);
    }

    /// <inheritdoc />
    public event EventHandler<ModelRegistryChangedEventArgs>? Changed;

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath => _database.Path;

    /// <inheritdoc />
    public Task<ModelVersion> GetAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        CheckVersion(version);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((c, t) => ExistingVersion(c, t, name, version)));
    }

    /// <inheritdoc />
    public Task<ModelVersion> GetByAliasAsync(string name, string aliasName, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        RegistryNames.ValidateAlias(aliasName);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((c, t) =>
        {
            ExistingModel(c, t, name);
            var found = ReadVersions(
                c, t, "JOIN selflearning_registry_aliases al ON al.name = v.name AND al.version = v.version WHERE al.name = $name AND al.alias = $alias", ("$name", name), ("$alias", aliasName));
            return found.Count == 1 ? found[0] : throw new KeyNotFoundException($"Model '{name}' has no alias '{aliasName}'.");
        }));
    }

    /// <inheritdoc />
    public Task<ModelVersion?> GetChampionAsync(string name, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((c, t) =>
            ReadVersions(c, t, "WHERE v.name = $name AND v.stage = 2", ("$name", name)).SingleOrDefault()));
    }

    /// <inheritdoc />
    public Task<RegisteredModel> GetModelAsync(string name, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((c, t) => new RegisteredModel
        {
            Name = name,
            Revision = ExistingModel(c, t, name).Revision,
            Versions = ReadVersions(c, t, "WHERE v.name = $name ORDER BY v.version", ("$name", name)),
        }));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<string>>(_database.Read((c, t) =>
        {
            using var command = SqliteDatabase.Command(c, t, "SELECT name FROM selflearning_registry_models ORDER BY name;");
            using var reader = command.ExecuteReader();
            var names = new List<string>();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            // SQLite's default BINARY collation compares UTF-8 bytes; order as .NET's ordinal (UTF-16) does.
            names.Sort(StringComparer.Ordinal);
            return names;
        }));
    }

    /// <inheritdoc />
    public Task<ReadOnlyMemory<byte>> OpenArtifactAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        CheckVersion(version);
        cancellationToken.ThrowIfCancellationRequested();
        var (metadata, content) = _database.Read((c, t) =>
        {
            var found = ExistingVersion(c, t, name, version);
            object? blob = SqliteDatabase.Scalar(
                c, t, "SELECT content FROM selflearning_registry_artifacts WHERE name = $name AND version = $version;", ("$name", name), ("$version", version));
            return (found, blob as byte[] ?? []);
        });
        try
        {
            ArtifactHash.Verify(metadata, content);
        }
        catch (ArtifactIntegrityException)
        {
            SqliteLog.ArtifactRefused(_logger, name, version);
            throw;
        }

        return Task.FromResult<ReadOnlyMemory<byte>>(content);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StageTransition>> GetHistoryAsync(string name, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<StageTransition>>(_database.Read((c, t) => ReadHistory(c, t, name)));
    }

    private static void CheckVersion(int version)
    {
        if (version < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, $"'version' must be positive, but is {version}.");
        }
    }

    private static (long Revision, int VersionCount)? ReadModel(SqliteConnection c, SqliteTransaction t, string name)
    {
        using var command = SqliteDatabase.Command(c, t, "SELECT revision, version_count FROM selflearning_registry_models WHERE name = $name;", ("$name", name));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt32(1)) : null;
    }

    private static (long Revision, int VersionCount) ExistingModel(SqliteConnection c, SqliteTransaction t, string name)
        => ReadModel(c, t, name) ?? throw new KeyNotFoundException($"No model named '{name}' is registered.");

    private static ModelVersion ExistingVersion(SqliteConnection c, SqliteTransaction t, string name, int version)
    {
        ExistingModel(c, t, name);
        var found = ReadVersions(c, t, "WHERE v.name = $name AND v.version = $version", ("$name", name), ("$version", version));
        return found.Count == 1 ? found[0] : throw new KeyNotFoundException($"Model '{name}' has no version {version}.");
    }

    private static List<ModelVersion> ReadVersions(SqliteConnection c, SqliteTransaction t, string filter, params (string, object?)[] parameters)
    {
        using var command = SqliteDatabase.Command(c, t, $"SELECT {VersionColumns} FROM selflearning_registry_versions v {filter};", parameters);
        using var reader = command.ExecuteReader();
        var versions = new List<ModelVersion>();
        while (reader.Read())
        {
            versions.Add(new ModelVersion
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
                Aliases = [.. (JsonSerializer.Deserialize<List<string>>(reader.GetString(18)) ?? []).Order(StringComparer.Ordinal)],
            });
        }

        return versions;
    }

    private static List<StageTransition> ReadHistory(SqliteConnection c, SqliteTransaction t, string name)
    {
        using var command = SqliteDatabase.Command(
            c, t, $"SELECT {TransitionColumns} FROM selflearning_registry_transitions WHERE name = $name ORDER BY sequence;", ("$name", name));
        using var reader = command.ExecuteReader();
        var history = new List<StageTransition>();
        while (reader.Read())
        {
            history.Add(new StageTransition(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetInt32(3),
                reader.IsDBNull(4) ? null : (ModelStage)reader.GetInt32(4),
                (ModelStage)reader.GetInt32(5),
                (RegistryOperation)reader.GetInt32(6),
                new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero),
                reader.GetString(8),
                NullableString(reader, 9)));
        }

        return history;
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static ImmutableSortedDictionary<string, T> FromJson<T>(string json)
        => (JsonSerializer.Deserialize<Dictionary<string, T>>(json) ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal);

    private static string ToJson<T>(IReadOnlyDictionary<string, T> values) => JsonSerializer.Serialize(values);
}
