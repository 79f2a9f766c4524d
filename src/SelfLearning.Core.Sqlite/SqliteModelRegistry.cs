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
/// The rules are <see cref="ModelRegistry"/>'s; this class only stores. A crash at any point leaves each write either
/// fully committed or absent. The database itself refuses a second champion (a unique partial index). The schema is
/// created and upgraded by versioned migrations recorded in the <c>selflearning_schema_migrations</c> table.
/// </para>
/// <para>
/// <see cref="IModelRegistry.Changed"/> reports writes made through this instance. To see writes made by
/// other processes, poll (as <see cref="ActiveModelProvider{TPredictor}"/> does). Artifacts are limited by
/// SQLite's blob size (1 GB by default).
/// </para>
/// </remarks>
public sealed class SqliteModelRegistry : ModelRegistry
{
    private readonly SqliteModelRegistryStore _store;

    /// <summary>Opens (creating it if needed) a registry in a database file and brings its schema up to date.</summary>
    /// <param name="databasePath">The database file; other SelfLearning stores may share it.</param>
    /// <param name="timeProvider">The clock for creation and transition times; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is empty.</exception>
    public SqliteModelRegistry(string databasePath, TimeProvider? timeProvider = null, ILogger<SqliteModelRegistry>? logger = null)
        : this(new SqliteModelRegistryStore(databasePath, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance), timeProvider, logger)
    {
    }

    private SqliteModelRegistry(SqliteModelRegistryStore store, TimeProvider? timeProvider, ILogger? logger)
        : base(store, timeProvider, logger)
    {
        _store = store;
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath => _store.DatabasePath;
}
