using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Registry;

namespace SelfLearning.PostgreSql;

/// <summary>
/// The model registry on PostgreSQL: every rule of <see cref="ModelRegistry"/>, over a store in the <c>selflearning</c>
/// schema shared by every instance on the database. Commits to one model are serialised across instances by an advisory
/// lock and checked against the revision they expect, and the schema allows at most one champion per model.
/// </summary>
public sealed class PostgreSqlModelRegistry : ModelRegistry, IDisposable
{
    private readonly PostgreSqlModelRegistryStore _store;

    /// <summary>Connects to a database and brings the registry's schema up to date (once across instances).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="timeProvider">The clock for registrations and transitions; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string.</exception>
    /// <exception cref="Npgsql.NpgsqlException">The server cannot be reached or refuses the schema changes.</exception>
    public PostgreSqlModelRegistry(string connectionString, TimeProvider? timeProvider = null, ILogger<PostgreSqlModelRegistry>? logger = null)
        : this(new PostgreSqlModelRegistryStore(connectionString, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance), timeProvider, logger)
    {
    }

    private PostgreSqlModelRegistry(PostgreSqlModelRegistryStore store, TimeProvider? timeProvider, ILogger? logger)
        : base(store, timeProvider, logger)
    {
        _store = store;
    }

    /// <summary>Closes the connection pool.</summary>
    public void Dispose() => _store.Dispose();
}
