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

    private readonly object _writeLock = new();
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
}
