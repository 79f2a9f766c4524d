using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Training;

namespace SelfLearning.Sqlite;

/// <summary>
/// An <see cref="ITrainingJobStore"/> in an embedded SQLite database file: jobs, their leases and their state
/// history survive a restart or a killed process, so a new engine on the same file recovers abandoned jobs.
/// Every write is one <c>BEGIN IMMEDIATE</c> transaction (WAL journal, <c>synchronous=FULL</c>) that checks the
/// stored version and the state machine and records the transition together with the new record.
/// </summary>
/// <remarks>
/// The database enforces the optimistic version as well (an update must move it on by exactly one, and the
/// store's <c>UPDATE … WHERE version = $expected</c> writes nothing on a stale version) and refuses any state
/// change of a finished job. The schema is created and upgraded by versioned migrations recorded in
/// <c>selflearning_schema_migrations</c>; other SelfLearning stores may share the file.
/// </remarks>
public sealed partial class SqliteTrainingJobStore : ITrainingJobStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Opens (creating it if needed) a training job store in a database file and brings its schema up to date.</summary>
    /// <param name="databasePath">The database file; other SelfLearning stores may share it.</param>
    /// <param name="timeProvider">The clock recording when migrations were applied; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is empty.</exception>
    public SqliteTrainingJobStore(string databasePath, TimeProvider? timeProvider = null, ILogger<SqliteTrainingJobStore>? logger = null)
    {
        _database = new SqliteDatabase(databasePath, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        _database.Migrate(TrainingMigrations.All);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath => _database.Path;

    /// <inheritdoc />
    public ValueTask<TrainingJob> AddAsync(TrainingJob job, CancellationToken cancellationToken = default)
    {
        TrainingJobStoreChecks.EnsureNew(job);
        cancellationToken.ThrowIfCancellationRequested();
        var stored = _database.Write((c, t) =>
        {
            if (SqliteDatabase.Scalar(c, t, "SELECT 1 FROM selflearning_training_jobs WHERE id = $id;", ("$id", job.Id)) is not null)
            {
                throw new ArgumentException($"A training job with id '{job.Id}' already exists.", nameof(job));
            }

            var parameters = Row(job with { Version = 1 });
            long sequence = (long)SqliteDatabase.Scalar(
                c, t, $"INSERT INTO selflearning_training_jobs ({InsertColumns}) VALUES ({InsertValues}) RETURNING sequence;", parameters)!;
            return job with { Sequence = sequence, Version = 1 };
        });
        return ValueTask.FromResult(stored);
    }

    /// <inheritdoc />
    public ValueTask<TrainingJob?> FindAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_database.Read((c, t) => Find(c, t, jobId)));
    }

    /// <inheritdoc />
    public ValueTask<TrainingJob?> TryUpdateAsync(TrainingJob job, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_database.Write((c, t) =>
        {
            var current = Find(c, t, job.Id) ?? throw new KeyNotFoundException($"No training job has id '{job.Id}'.");
            if (current.Version != job.Version)
            {
                return null;
            }

            TrainingJobStoreChecks.EnsureUpdateAllowed(current, job);
            var stored = job with { Version = job.Version + 1 };
            var parameters = Row(stored).Append(("$expected", job.Version)).ToArray();
            if (SqliteDatabase.Execute(c, t, $"UPDATE selflearning_training_jobs SET {UpdateAssignments} WHERE id = $id AND version = $expected;", parameters) != 1)
            {
                return null;
            }

            if (current.State != job.State)
            {
                SqliteDatabase.Execute(
                    c,
                    t,
                    """
                    INSERT INTO selflearning_training_job_transitions (job_id, ordinal, from_state, to_state, at, reason)
                    VALUES ($id, (SELECT count(*) FROM selflearning_training_job_transitions WHERE job_id = $id), $from, $to, $at, $reason);
                    """,
                    ("$id", job.Id),
                    ("$from", (int)current.State),
                    ("$to", (int)job.State),
                    ("$at", job.UpdatedAt.UtcTicks),
                    ("$reason", reason));
            }

            return stored;
        }));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TrainingJob>> ListAsync(
        string? modelKey = null,
        IReadOnlyCollection<TrainingJobState>? states = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var filters = new List<string>();
        var parameters = new List<(string, object?)>();
        if (modelKey is not null)
        {
            filters.Add("model_key = $model");
            parameters.Add(("$model", modelKey));
        }

        if (states is { Count: > 0 })
        {
            var names = states.Distinct().Select((s, i) => (Name: $"$s{i}", State: s)).ToArray();
            filters.Add($"state IN ({string.Join(", ", names.Select(n => n.Name))})");
            parameters.AddRange(names.Select(n => (n.Name, (object?)(int)n.State)));
        }

        string where = filters.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", filters);
        IReadOnlyList<TrainingJob> jobs = _database.Read((c, t) => ReadJobs(c, t, $"{where} ORDER BY sequence", [.. parameters]));
        return ValueTask.FromResult(jobs);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TrainingJobTransition>> GetTransitionsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<TrainingJobTransition> transitions = _database.Read((c, t) =>
        {
            using var command = SqliteDatabase.Command(
                c, t, "SELECT from_state, to_state, at, reason FROM selflearning_training_job_transitions WHERE job_id = $id ORDER BY ordinal;", ("$id", jobId));
            using var reader = command.ExecuteReader();
            var list = new List<TrainingJobTransition>();
            while (reader.Read())
            {
                list.Add(new TrainingJobTransition(
                    jobId,
                    (TrainingJobState)reader.GetInt32(0),
                    (TrainingJobState)reader.GetInt32(1),
                    Time(reader.GetInt64(2)),
                    reader.IsDBNull(3) ? null : reader.GetString(3)));
            }

            return list;
        });
        return ValueTask.FromResult(transitions);
    }

    private static TrainingJob? Find(SqliteConnection c, SqliteTransaction t, string jobId) =>
        ReadJobs(c, t, "WHERE id = $id", ("$id", jobId)).SingleOrDefault();

    private static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}
