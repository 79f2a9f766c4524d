using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace SelfLearning.Sqlite;

/// <summary>
/// One SQLite database file shared by the embedded stores: opens connections configured for durability
/// (WAL journal, <c>synchronous=FULL</c>, a busy timeout), applies each store's versioned migrations, and runs
/// reads in snapshot transactions and writes in <c>BEGIN IMMEDIATE</c> transactions.
/// </summary>
/// <remarks>
/// Writes from this instance are also serialized in process, so they queue on a lock instead of spinning in
/// SQLite's busy handler; writers in other processes are held off by the database lock and the busy timeout.
/// Microsoft.Data.Sqlite's asynchronous methods run synchronously, so the stores use the synchronous API.
/// </remarks>
internal sealed class SqliteDatabase
{
    /// <summary>How long a statement waits for another connection's lock before failing with SQLITE_BUSY.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private const string MigrationTableSql = $"""
        CREATE TABLE {SqliteSchema.MigrationTable} (
            id TEXT NOT NULL PRIMARY KEY,
            applied_at INTEGER NOT NULL
        ) STRICT;
        """;

    /// <summary>The most writes one group commit takes, so a long queue is written in bounded transactions.</summary>
    private const int MaxGroupSize = 512;

    private readonly object _writeLock = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<IGroupedWrite> _grouped = new();
    private int _groupWriter;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public SqliteDatabase(string path, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _timeProvider = timeProvider;
        _logger = logger;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();

        using var connection = Open();
        string mode = Convert.ToString(Scalar(connection, null, "PRAGMA journal_mode=WAL;"), CultureInfo.InvariantCulture) ?? string.Empty;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The SQLite database '{Path}' could not switch to WAL journaling (it reports '{mode}').");
        }

        PrepareMigrationTable();
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Gets the connection string, for tools and tests that open the file themselves.</summary>
    public string ConnectionString { get; }

    /// <summary>Applies, in order, every migration not yet recorded; each in its own write transaction.</summary>
    public void Migrate(IEnumerable<SqliteMigration> migrations)
    {
        foreach (var migration in migrations)
        {
            bool applied = Write((connection, transaction) =>
            {
                if (Scalar(connection, transaction, $"SELECT 1 FROM {SqliteSchema.MigrationTable} WHERE id = $id;", ("$id", migration.Id)) is not null)
                {
                    return false;
                }

                SqliteSchema.EnsureNamesFree(connection, transaction, Path, migration.Id, migration.Sql);

                // A step that drops or rewrites rows (raw identifiers replaced by fingerprints) leaves no copy of them in free pages.
                Execute(connection, transaction, "PRAGMA secure_delete=ON;");
                if (migration.Sql.Length > 0)
                {
                    Execute(connection, transaction, migration.Sql);
                }

                migration.Apply?.Invoke(connection, transaction);
                Execute(
                    connection,
                    transaction,
                    $"INSERT INTO {SqliteSchema.MigrationTable} (id, applied_at) VALUES ($id, $at);",
                    ("$id", migration.Id),
                    ("$at", _timeProvider.GetUtcNow().UtcTicks));
                return true;
            });
            if (applied)
            {
                SqliteLog.MigrationApplied(_logger, migration.Id, Path);
            }
        }
    }

    /// <summary>
    /// Creates <see cref="SqliteSchema.MigrationTable"/> on first use (moving a database written before the prefix onto the
    /// prefixed names in the same transaction), or checks that the table of that name is SelfLearning's.
    /// </summary>
    private void PrepareMigrationTable()
    {
        IReadOnlyList<string> adopted = Write((connection, transaction) =>
        {
            if (SqliteSchema.Exists(connection, transaction, SqliteSchema.MigrationTable))
            {
                IReadOnlyList<string> columns = SqliteSchema.Columns(connection, transaction, SqliteSchema.MigrationTable);
                if (!columns.SequenceEqual(["id", "applied_at"], StringComparer.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"The SQLite database '{Path}' has a table named '{SqliteSchema.MigrationTable}' that SelfLearning did not create " +
                        $"(its columns are {(columns.Count == 0 ? "none: it is not a table" : string.Join(", ", columns))}; SelfLearning's are id, applied_at). " +
                        "SelfLearning records its schema steps in that table; give it its own database file, or rename the other table.");
                }

                return [];
            }

            Execute(connection, transaction, MigrationTableSql);
            return LegacySchema.Adopt(connection, transaction, Path);
        });
        foreach (string id in adopted)
        {
            SqliteLog.LegacyStepMoved(_logger, id, Path);
        }
    }

    /// <summary>Runs <paramref name="read"/> in one deferred transaction, so every statement sees the same snapshot.</summary>
    public T Read<T>(Func<SqliteConnection, SqliteTransaction, T> read)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        T result = read(connection, transaction);
        transaction.Commit();
        return result;
    }

    /// <summary>Runs <paramref name="write"/> in one <c>BEGIN IMMEDIATE</c> transaction; it commits only if it returns.</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        lock (_writeLock)
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            T result = write(connection, transaction);
            transaction.Commit();
            return result;
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a group commit: writes that arrive while another group is being written wait and
    /// are then written together, each in its own savepoint, in one <c>BEGIN IMMEDIATE</c> transaction and one sync. A
    /// write's task completes only after the transaction holding it has committed (the same durability as
    /// <see cref="Write{T}"/>); a write that throws is rolled back to its savepoint and its task fails with that
    /// exception, while the others of its group commit. No thread is started: the writer that finds no group in
    /// progress writes the queue until it is empty.
    /// </summary>
    public Task<T> WriteGroupedAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        var pending = new GroupedWrite<T>(write);
        _grouped.Enqueue(pending);

        // Write groups until this write is in one; the writes queued meanwhile go to a pool thread, so a caller never
        // keeps writing for others under a steady load. A caller that finds a group in progress leaves its write to it.
        while (!pending.Task.IsCompleted && TryWriteGroup())
        {
        }

        if (!_grouped.IsEmpty)
        {
            ThreadPool.QueueUserWorkItem(static database => database.DrainGroups(), this, preferLocal: false);
        }

        return pending.Task;
    }

    /// <summary>Writes groups until the queue is empty or another writer holds the group.</summary>
    private void DrainGroups()
    {
        while (!_grouped.IsEmpty && TryWriteGroup())
        {
        }
    }

    /// <summary>Writes one group if no other writer is; <see langword="false"/> when another writer holds the group.</summary>
    private bool TryWriteGroup()
    {
        if (Interlocked.CompareExchange(ref _groupWriter, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            WriteGroup();
        }
        finally
        {
            Volatile.Write(ref _groupWriter, 0);
        }

        // A write queued while this group held the flag, by a caller that then left it here, is written next.
        return true;
    }

    /// <summary>Writes up to <see cref="MaxGroupSize"/> queued writes in one transaction, then completes their tasks.</summary>
    private void WriteGroup()
    {
        var group = new List<IGroupedWrite>();
        try
        {
            lock (_writeLock)
            {
                using var connection = Open();
                using var transaction = connection.BeginTransaction(deferred: false);

                // Prepared once per group: a savepoint around each write costs two cached statements, not two parses.
                using SqliteCommand savepoint = Command(connection, transaction, "SAVEPOINT grouped_write;");
                using SqliteCommand release = Command(connection, transaction, "RELEASE grouped_write;");
                while (group.Count < MaxGroupSize && _grouped.TryDequeue(out IGroupedWrite? next))
                {
                    group.Add(next);
                    savepoint.ExecuteNonQuery();
                    if (!next.Run(connection, transaction))
                    {
                        Execute(connection, transaction, "ROLLBACK TO grouped_write;");
                    }

                    release.ExecuteNonQuery();
                }

                transaction.Commit();
            }
        }
        catch (Exception e)
        {
            // The transaction itself failed (the disk, a lock past the busy timeout): nothing of the group was written.
            foreach (IGroupedWrite write in group)
            {
                write.Abandon(e);
            }

            return;
        }

        foreach (IGroupedWrite write in group)
        {
            write.Complete();
        }
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Statements are constants of this assembly; values always travel as parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        object? value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            connection.Open();
            Execute(
                connection,
                null,
                $"PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout={(long)BusyTimeout.TotalMilliseconds};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>One write waiting for a group commit.</summary>
    private interface IGroupedWrite
    {
        /// <summary>Runs the write inside its savepoint; <see langword="false"/> when it threw (kept for <see cref="Complete"/>).</summary>
        bool Run(SqliteConnection connection, SqliteTransaction transaction);

        /// <summary>Completes the task after the commit: with the result, or with the exception the write threw.</summary>
        void Complete();

        /// <summary>Fails the task: the group's transaction did not commit.</summary>
        void Abandon(Exception exception);
    }

    private sealed class GroupedWrite<T>(Func<SqliteConnection, SqliteTransaction, T> write) : IGroupedWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _exception;

        public Task<T> Task => _completion.Task;

        public bool Run(SqliteConnection connection, SqliteTransaction transaction)
        {
            try
            {
                _result = write(connection, transaction);
                return true;
            }
            catch (Exception e) when (e is not SqliteException { SqliteErrorCode: 10 or 13 })
            {
                // A rule refused the write (or it failed on its own data): only this write is undone. An I/O error
                // (SQLITE_IOERR) or a full disk (SQLITE_FULL) fails the whole group instead.
                _exception = e;
                return false;
            }
        }

        public void Complete()
        {
            if (_exception is null)
            {
                _completion.TrySetResult(_result!);
            }
            else
            {
                _completion.TrySetException(_exception);
            }
        }

        public void Abandon(Exception exception) => _completion.TrySetException(exception);
    }
}
