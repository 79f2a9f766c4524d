using Microsoft.Extensions.Logging;
using Npgsql;

namespace SelfLearning.PostgreSql;

/// <summary>
/// The database the PostgreSQL stores share: one <see cref="NpgsqlDataSource"/> (its connection pool) and the versioned
/// migrations of the <c>selflearning</c> schema.
/// </summary>
/// <remarks>
/// Migrations run in one transaction that first takes a transaction-scoped advisory lock, so instances starting together
/// queue on the lock and the later ones find every step applied: the schema is migrated once. PostgreSQL's DDL is
/// transactional, so a step that fails leaves no half-made table behind, and no step is recorded without its changes.
/// </remarks>
internal sealed partial class PostgreSqlDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>The schema every table lives in, so the stores never clash with a host's own tables.</summary>
    public const string Schema = "selflearning";

    /// <summary>The advisory lock key the migrations take (the ASCII of "selflear"): one value for every SelfLearning store.</summary>
    public const long MigrationLockKey = 0x73656c666c656172;

    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly bool _ownsDataSource;

    public PostgreSqlDatabase(string connectionString, TimeProvider timeProvider, ILogger logger)
        : this(NpgsqlDataSource.Create(ValidConnectionString(connectionString)), ownsDataSource: true, timeProvider, logger)
    {
    }

    public PostgreSqlDatabase(NpgsqlDataSource dataSource, bool ownsDataSource, TimeProvider timeProvider, ILogger logger)
    {
        DataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Gets the data source (connection pool) the stores open connections from.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Applies, in order, every step not yet recorded, all in one transaction under the migration lock.</summary>
    /// <param name="migrations">The store's steps.</param>
    /// <returns>How many steps this call applied (0 when another instance or an earlier start applied them).</returns>
    public int Migrate(IReadOnlyList<PostgreSqlMigration> migrations)
    {
        using NpgsqlConnection connection = DataSource.OpenConnection();
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey});");
        Execute(connection, transaction, $"""
            CREATE SCHEMA IF NOT EXISTS {Schema};
            CREATE TABLE IF NOT EXISTS {Schema}.schema_migrations (
                id text PRIMARY KEY,
                applied_at timestamptz NOT NULL
            );
            """);

        var applied = new HashSet<string>(StringComparer.Ordinal);
        using (var read = new NpgsqlCommand($"SELECT id FROM {Schema}.schema_migrations;", connection, transaction))
        using (NpgsqlDataReader reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                applied.Add(reader.GetString(0));
            }
        }

        int count = 0;
        foreach (PostgreSqlMigration migration in migrations)
        {
            if (applied.Contains(migration.Id))
            {
                continue;
            }

            Execute(connection, transaction, migration.Sql);
            using var record = new NpgsqlCommand($"INSERT INTO {Schema}.schema_migrations (id, applied_at) VALUES ($1, $2);", connection, transaction);
            record.Parameters.AddWithValue(migration.Id);
            record.Parameters.AddWithValue(_timeProvider.GetUtcNow());
            record.ExecuteNonQuery();
            LogMigrationApplied(_logger, migration.Id);
            count++;
        }

        transaction.Commit();
        return count;
    }

    public void Dispose()
    {
        if (_ownsDataSource)
        {
            DataSource.Dispose();
        }
    }

    public ValueTask DisposeAsync() => _ownsDataSource ? DataSource.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>A command with positional parameters (<c>$1</c>, <c>$2</c>…); a <see langword="null"/> value is sent as an untyped NULL.</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (object? value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    private static string ValidConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString).ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{nameof(connectionString)}' is not a valid PostgreSQL connection string: {e.Message}", nameof(connectionString), e);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "PostgreSQL schema step {MigrationId} applied")]
    private static partial void LogMigrationApplied(ILogger logger, string migrationId);
}
