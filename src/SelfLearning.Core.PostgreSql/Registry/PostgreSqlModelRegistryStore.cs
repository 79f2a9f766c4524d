using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using SelfLearning.Registry;

namespace SelfLearning.PostgreSql;

/// <summary>
/// The registry's storage port on PostgreSQL: models, versions, artifacts, aliases and the transition history in the
/// <c>selflearning</c> schema. A commit runs in one transaction under a transaction-scoped advisory lock on the model, so
/// commits to one model from any number of instances are serialised, and each checks the revision it expects.
/// </summary>
internal sealed class PostgreSqlModelRegistryStore : IModelRegistryStore, IDisposable
{
    private const string S = PostgreSqlDatabase.Schema;

    private const string VersionColumns = StoredVersionRows.Columns + $"""
        ,
        ARRAY(SELECT a.alias FROM {S}.registry_aliases a WHERE a.name = v.name AND a.version = v.version)
        """;

    private const int VersionColumnCount = StoredVersionRows.ColumnCount + 1;

    private const string TransitionColumns = "name, sequence, revision, version, from_stage, to_stage, operation, at, actor, reason";

    /// <summary>The channel every commit notifies, with <see cref="ChangeNotification"/>'s payload.</summary>
    public const string Channel = "selflearning_registry";

    private readonly PostgreSqlDatabase _database;

    /// <summary>Gets this store's id in its notifications, so its own registry does not raise its changes twice.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    /// <summary>Gets the connections, for the registry's listening connection.</summary>
    public NpgsqlDataSource DataSource => _database.DataSource;

    public PostgreSqlModelRegistryStore(string connectionString, TimeProvider timeProvider, ILogger logger)
    {
        _database = new PostgreSqlDatabase(connectionString, timeProvider, logger);
        _database.Migrate(RegistryMigrations.All);
    }

    public async Task<StoredModel?> ReadModelAsync(string name, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"""
            SELECT {VersionColumns}, m.revision, m.version_count,
                (SELECT COALESCE(MAX(h.sequence), 0) FROM {S}.registry_transitions h WHERE h.name = m.name)
            FROM {S}.registry_models m
            LEFT JOIN {S}.registry_versions v ON v.name = m.name AND v.stage = 2
            WHERE m.name = $1;
            """,
            c);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StoredModel
            {
                Name = name,
                Revision = reader.GetInt64(VersionColumnCount),
                VersionCount = reader.GetInt32(VersionColumnCount + 1),
                HistoryLength = reader.GetInt64(VersionColumnCount + 2),
                Champion = reader.IsDBNull(0) ? null : ReadVersion(reader),
            }
            : null;
    }

    public async Task<ModelVersion?> ReadVersionAsync(string name, int version, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadVersionsAsync(c, "WHERE v.name = $1 AND v.version = $2", [name, version], cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<ModelVersion?> ReadVersionByAliasAsync(string name, string aliasName, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadVersionsAsync(
            c,
            $"JOIN {S}.registry_aliases al ON al.name = v.name AND al.version = v.version WHERE al.name = $1 AND al.alias = $2",
            [name, aliasName],
            cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<RegisteredModel?> ReadVersionsAsync(string name, int firstVersion, int maxCount, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One snapshot for the revision and the page, so they agree.
        await using NpgsqlTransaction t = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var revisionCommand = new NpgsqlCommand($"SELECT revision FROM {S}.registry_models WHERE name = $1;", c, t);
        revisionCommand.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        if (await revisionCommand.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long revision)
        {
            return null;
        }

        List<ModelVersion> versions = await ReadVersionsAsync(
            c,
            "WHERE v.name = $1 AND v.version BETWEEN $2 AND $3 ORDER BY v.version",
            [name, firstVersion, (int)Math.Min(int.MaxValue, (long)firstVersion + maxCount - 1)],
            cancellationToken,
            t).ConfigureAwait(false);
        return new RegisteredModel { Name = name, Revision = revision, Versions = versions };
    }

    public async Task<IReadOnlyList<StageTransition>> ReadHistoryAsync(string name, long firstSequence, int maxCount, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"SELECT {TransitionColumns} FROM {S}.registry_transitions WHERE name = $1 AND sequence >= $2 ORDER BY sequence LIMIT $3;", c);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = firstSequence });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = maxCount });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var history = new List<StageTransition>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return history;
    }

    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT name FROM {S}.registry_models;", c);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public async Task<byte[]?> ReadArtifactAsync(string name, int version, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT content FROM {S}.registry_artifacts WHERE name = $1 AND version = $2;", c);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    public async Task CommitAsync(ModelRegistryCommit commit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(c, t, "SELECT pg_advisory_xact_lock(hashtextextended('selflearning.registry:' || $1, 0));", cancellationToken, commit.Name).ConfigureAwait(false);
        await using (var read = new NpgsqlCommand($"SELECT revision FROM {S}.registry_models WHERE name = $1;", c, t))
        {
            read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = commit.Name });
            long revision = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long stored ? stored : 0;
            if (revision != commit.ExpectedRevision)
            {
                throw new RegistryConcurrencyException(commit.Name, commit.ExpectedRevision, revision);
            }
        }

        await ExecuteAsync(
            c,
            t,
            $"""
            INSERT INTO {S}.registry_models (name, revision, version_count) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET revision = excluded.revision, version_count = excluded.version_count;
            """,
            cancellationToken,
            commit.Name,
            commit.Revision,
            commit.VersionCount).ConfigureAwait(false);

        // Stage changes first, so a champion archived and another activated in one commit never meet in the
        // one-champion index: the demotions are written before the promotion.
        foreach (ModelVersion version in commit.Updated.OrderBy(v => v.Stage == ModelStage.Champion ? 1 : 0))
        {
            await ExecuteAsync(
                c,
                t,
                $"UPDATE {S}.registry_versions SET stage = $3, tags = $4, evaluation_report = $5 WHERE name = $1 AND version = $2;",
                cancellationToken,
                commit.Name,
                version.Version,
                (int)version.Stage,
                StoredVersionRows.ToJson(version.Tags),
                version.EvaluationReport).ConfigureAwait(false);
        }

        if (commit.Registered is { } registered)
        {
            await InsertAsync(c, t, registered, commit.Artifact.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (alias, version) in commit.Aliases)
        {
            if (version is null)
            {
                await ExecuteAsync(c, t, $"DELETE FROM {S}.registry_aliases WHERE name = $1 AND alias = $2;", cancellationToken, commit.Name, alias).ConfigureAwait(false);
            }
            else
            {
                await ExecuteAsync(
                    c,
                    t,
                    $"INSERT INTO {S}.registry_aliases (name, alias, version) VALUES ($1, $2, $3) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version;",
                    cancellationToken,
                    commit.Name,
                    alias,
                    version.Value).ConfigureAwait(false);
            }
        }

        foreach (StageTransition transition in commit.Transitions)
        {
            await ExecuteAsync(
                c,
                t,
                $"INSERT INTO {S}.registry_transitions ({TransitionColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);",
                cancellationToken,
                commit.Name,
                transition.Sequence,
                transition.Revision,
                transition.Version,
                transition.From is { } from ? (int)from : null,
                (int)transition.To,
                (int)transition.Operation,
                transition.At.UtcTicks,
                transition.Actor,
                transition.Reason).ConfigureAwait(false);
        }

        // Delivered to every listening instance when, and only if, the transaction commits.
        await ExecuteAsync(c, t, $"SELECT pg_notify('{Channel}', $1);", cancellationToken, ChangeNotification.Format(InstanceId, commit)).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each model's revision and champion version (0 for none), for the registry's polling fallback.</summary>
    public async Task<Dictionary<string, (long Revision, int Champion)>> ReadRevisionsAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection c = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"""
            SELECT m.name, m.revision, COALESCE(v.version, 0)
            FROM {S}.registry_models m
            LEFT JOIN {S}.registry_versions v ON v.name = m.name AND v.stage = {(int)ModelStage.Champion};
            """,
            c);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var revisions = new Dictionary<string, (long, int)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            revisions[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt32(2));
        }

        return revisions;
    }

    public void Dispose() => _database.Dispose();

    private static async Task InsertAsync(NpgsqlConnection c, NpgsqlTransaction t, ModelVersion version, byte[] content, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            c,
            t,
            $"""
            INSERT INTO {S}.registry_versions (name, version, stage, metrics, parameters, tags, dataset_hash, trainer_type,
                parent_version, training_job_id, artifact_sha256, artifact_size, created_at, created_by, evaluation_report,
                training_watermark, holdout_size, reference_scores)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18);
            """,
            cancellationToken,
            StoredVersionRows.Values(version)).ConfigureAwait(false);
        await ExecuteAsync(
            c,
            t,
            $"INSERT INTO {S}.registry_artifacts (name, version, content) VALUES ($1, $2, $3);",
            cancellationToken,
            version.Name,
            version.Version,
            content).ConfigureAwait(false);
    }

    /// <summary>Runs a statement with positional parameters; a <see langword="null"/> value is sent as an untyped NULL.</summary>
    private static async Task ExecuteAsync(NpgsqlConnection c, NpgsqlTransaction t, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using NpgsqlCommand command = PostgreSqlDatabase.Command(c, t, sql, values);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<ModelVersion>> ReadVersionsAsync(
        NpgsqlConnection c, string filter, object[] values, CancellationToken cancellationToken, NpgsqlTransaction? t = null)
    {
        await using var command = new NpgsqlCommand($"SELECT {VersionColumns} FROM {S}.registry_versions v {filter};", c, t);
        foreach (object value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<ModelVersion>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(ReadVersion(reader));
        }

        return versions;
    }

    private static ModelVersion ReadVersion(NpgsqlDataReader reader) =>
        StoredVersionRows.Read(reader, reader.GetFieldValue<string[]>(StoredVersionRows.ColumnCount));
}
