using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using SelfLearning.Training;

namespace SelfLearning.PostgreSql;

/// <summary>
/// An <see cref="ITrainingJobStore"/> in PostgreSQL (tables <c>selflearning.training_jobs</c> and
/// <c>selflearning.training_job_transitions</c>), shared by every instance on the database: the training engine's leases
/// and optimistic versions then hold across instances, so a job queued by one instance is run by exactly one of them and
/// taken over by another when its holder's lease expires.
/// </summary>
/// <remarks>
/// Each write is one transaction. An update is <c>UPDATE … WHERE id = … AND version = expected</c>: two instances
/// updating one job are serialised by the row lock, and the later finds the version moved and gets <see langword="null"/>.
/// A trigger refuses, as the SQLite schema does, any write that does not move the version on by one and any state
/// change of a finished job, whoever writes it.
/// </remarks>
public sealed class PostgreSqlTrainingJobStore : ITrainingJobStore, IAsyncDisposable, IDisposable
{
    private const string Jobs = PostgreSqlDatabase.Schema + ".training_jobs";
    private const string Transitions = PostgreSqlDatabase.Schema + ".training_job_transitions";

    private static readonly IReadOnlyList<string> Columns = TrainingJobRows.Columns;

    private static readonly string Select = $"SELECT sequence, {string.Join(", ", Columns)} FROM {Jobs}";

    private static readonly string Insert =
        $"INSERT INTO {Jobs} ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select((_, i) => "$" + (i + 1)))}) " +
        "ON CONFLICT (id) DO NOTHING RETURNING sequence;";

    // Identity columns (id, model key and type, creation time) never change; the store checks that before writing.
    private static readonly string Update =
        $"UPDATE {Jobs} SET {string.Join(", ", Columns.Select((c, i) => (c, i)).Where(p => p.c is not ("id" or "model_key" or "model_type" or "created_at")).Select(p => $"{p.c} = ${p.i + 1}"))} " +
        $"WHERE id = $1 AND version = ${Columns.Count + 1};";

    private readonly PostgreSqlDatabase _database;

    /// <summary>Connects to a database and brings the training job store's schema up to date (once across instances).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="timeProvider">The clock that stamps applied migrations; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refuses the schema changes.</exception>
    public PostgreSqlTrainingJobStore(string connectionString, TimeProvider? timeProvider = null, ILogger<PostgreSqlTrainingJobStore>? logger = null)
    {
        _database = new PostgreSqlDatabase(connectionString, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        _database.Migrate(TrainingMigrations.All);
    }

    /// <inheritdoc />
    public async ValueTask<TrainingJob> AddAsync(TrainingJob job, CancellationToken cancellationToken = default)
    {
        TrainingJobStoreChecks.EnsureNew(job);
        cancellationToken.ThrowIfCancellationRequested();
        var stored = job with { Version = 1 };
        await using NpgsqlConnection connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(Insert, connection);
        AddRow(command, stored);
        object? sequence = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return sequence is long assigned
            ? stored with { Sequence = assigned }
            : throw new ArgumentException($"A training job with id '{job.Id}' already exists.", nameof(job));
    }

    /// <inheritdoc />
    public async ValueTask<TrainingJob?> FindAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadJobsAsync(connection, null, "WHERE id = $1", [jobId], cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async ValueTask<TrainingJob?> TryUpdateAsync(TrainingJob job, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // FOR UPDATE: the state checked below is the state the update replaces; a concurrent writer waits here.
        TrainingJob current = (await ReadJobsAsync(connection, transaction, "WHERE id = $1 FOR UPDATE", [job.Id], cancellationToken).ConfigureAwait(false)).SingleOrDefault()
            ?? throw new KeyNotFoundException($"No training job has id '{job.Id}'.");
        if (current.Version != job.Version)
        {
            return null;
        }

        TrainingJobStoreChecks.EnsureUpdateAllowed(current, job);
        var stored = job with { Version = job.Version + 1 };
        await using (var update = new NpgsqlCommand(Update, connection, transaction))
        {
            AddRow(update, stored);
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = job.Version });
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                return null;
            }
        }

        if (current.State != job.State)
        {
            await using var history = new NpgsqlCommand(
                $"INSERT INTO {Transitions} (job_id, ordinal, from_state, to_state, at, reason) " +
                $"VALUES ($1, (SELECT count(*) FROM {Transitions} WHERE job_id = $1), $2, $3, $4, $5);",
                connection,
                transaction);
            history.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Id });
            history.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)current.State });
            history.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)job.State });
            history.Parameters.Add(new NpgsqlParameter<long> { TypedValue = job.UpdatedAt.UtcTicks });
            history.Parameters.Add(Nullable(NpgsqlDbType.Text, reason));
            await history.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TrainingJob>> ListAsync(
        string? modelKey = null,
        IReadOnlyCollection<TrainingJobState>? states = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int[] wanted = states is { Count: > 0 } ? [.. states.Distinct().Select(s => (int)s)] : [];
        await using NpgsqlConnection connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadJobsAsync(
            connection,
            null,
            "WHERE ($1::text IS NULL OR model_key = $1) AND (cardinality($2::integer[]) = 0 OR state = ANY($2)) ORDER BY sequence",
            [(object?)modelKey ?? DBNull.Value, wanted],
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TrainingJobTransition>> GetTransitionsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT from_state, to_state, at, reason FROM {Transitions} WHERE job_id = $1 ORDER BY ordinal;", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<TrainingJobTransition>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new TrainingJobTransition(
                jobId,
                (TrainingJobState)reader.GetInt32(0),
                (TrainingJobState)reader.GetInt32(1),
                Time(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return list;
    }

    /// <summary>Closes the connection pool.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Closes the connection pool.</summary>
    /// <returns>A task that completes when the pool is closed.</returns>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static void AddRow(NpgsqlCommand command, TrainingJob job)
    {
        NpgsqlParameterCollection p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = job.Id });
        p.Add(new NpgsqlParameter<string> { TypedValue = job.ModelKey });
        p.Add(new NpgsqlParameter<string> { TypedValue = job.ModelType });
        p.Add(new NpgsqlParameter<int> { TypedValue = job.Priority });
        p.Add(new NpgsqlParameter<long> { TypedValue = job.Version });
        p.Add(new NpgsqlParameter<int> { TypedValue = (int)job.State });
        p.Add(new NpgsqlParameter<int> { TypedValue = (int)job.Trigger });
        p.Add(new NpgsqlParameter<string> { TypedValue = TrainingJobRows.Write(job.Parameters) });
        p.Add(new NpgsqlParameter<int> { TypedValue = job.Seed });
        p.Add(new NpgsqlParameter<bool> { TypedValue = job.TuneHyperparameters });
        p.Add(new NpgsqlParameter<long> { TypedValue = job.CreatedAt.UtcTicks });
        p.Add(new NpgsqlParameter<long> { TypedValue = job.UpdatedAt.UtcTicks });
        p.Add(Nullable(NpgsqlDbType.Bigint, job.StartedAt?.UtcTicks));
        p.Add(Nullable(NpgsqlDbType.Bigint, job.FinishedAt?.UtcTicks));
        p.Add(Nullable(NpgsqlDbType.Bigint, job.NotBefore?.UtcTicks));
        p.Add(new NpgsqlParameter<int> { TypedValue = job.Attempts });
        p.Add(Nullable(NpgsqlDbType.Text, job.FailureReason));
        p.Add(Nullable(NpgsqlDbType.Text, job.Progress is { } progress ? TrainingJobRows.Write(progress) : null));
        p.Add(new NpgsqlParameter<string> { TypedValue = TrainingJobRows.Write(job.Metrics) });
        p.Add(Nullable(NpgsqlDbType.Text, job.ParametersUsed is { } used ? TrainingJobRows.Write(used) : null));
        p.Add(Nullable(NpgsqlDbType.Bigint, job.ResourceUsage?.WallTime.Ticks));
        p.Add(Nullable(NpgsqlDbType.Bigint, job.ResourceUsage?.CpuTime.Ticks));
        p.Add(Nullable(NpgsqlDbType.Bigint, job.ResourceUsage?.AllocatedBytes));
        p.Add(Nullable(NpgsqlDbType.Text, job.Artifact?.Format));
        p.Add(Nullable(NpgsqlDbType.Bytea, job.Artifact?.Content.ToArray()));
        p.Add(Nullable(NpgsqlDbType.Text, job.LeaseOwner));
        p.Add(Nullable(NpgsqlDbType.Bigint, job.LeaseExpiresAt?.UtcTicks));
    }

    private static NpgsqlParameter Nullable(NpgsqlDbType type, object? value) => new() { NpgsqlDbType = type, Value = value ?? DBNull.Value };

    private static async Task<List<TrainingJob>> ReadJobsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string filter, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"{Select} {filter};", connection, transaction);
        foreach (object parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var jobs = new List<TrainingJob>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(TrainingJobRows.Read(reader));
        }

        return jobs;
    }

    private static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}
