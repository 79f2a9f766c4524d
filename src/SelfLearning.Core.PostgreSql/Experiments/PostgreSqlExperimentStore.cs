using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Experiments;
using SelfLearning.Privacy;

namespace SelfLearning.PostgreSql;

/// <summary>
/// The experiment store on PostgreSQL: every rule of <see cref="ExperimentStore"/>, over a storage in the <c>selflearning</c>
/// schema shared by every instance on the database, so outcomes recorded on any instance feed one tally.
/// </summary>
/// <remarks>
/// <para>
/// A unit is counted once and an outcome of a kept prediction once per metric, whichever instances record them and however
/// often (the database's primary keys decide); tallies are added to in SQL, never read and written back, so concurrent
/// writers lose nothing. Each write is one transaction, durable when its task completes.
/// </para>
/// <para>
/// Unit ids are never stored: a unit is kept as its keyed fingerprint (see <see cref="ExperimentStore"/>), under the host's
/// pseudonymisation key when one is given, otherwise under a random key created in the database (table
/// <c>selflearning.store_keys</c>), which every instance then shares.
/// </para>
/// </remarks>
public sealed class PostgreSqlExperimentStore : ExperimentStore, IDisposable
{
    private readonly PostgreSqlExperimentStorage _storage;

    /// <summary>Connects to a database and brings the experiment schema up to date (once across instances).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="timeProvider">The clock for prediction expiry; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="options">The limits; the defaults when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <param name="unitKey">The key of the unit fingerprints, normally the host's pseudonymisation key; a random key kept in the database when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string.</exception>
    /// <exception cref="ValidationException">An option is out of range.</exception>
    /// <exception cref="Npgsql.NpgsqlException">The server cannot be reached or refuses the schema changes.</exception>
    public PostgreSqlExperimentStore(
        string connectionString,
        TimeProvider? timeProvider = null,
        ExperimentStoreOptions? options = null,
        ILogger<PostgreSqlExperimentStore>? logger = null,
        Pseudonymizer? unitKey = null)
        : this(new PostgreSqlExperimentStorage(connectionString, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance), timeProvider, options, unitKey)
    {
    }

    private PostgreSqlExperimentStore(PostgreSqlExperimentStorage storage, TimeProvider? timeProvider, ExperimentStoreOptions? options, Pseudonymizer? unitKey)
        : base(storage, timeProvider, options, unitKey)
    {
        _storage = storage;
    }

    /// <summary>Closes the connection pool.</summary>
    public void Dispose() => _storage.Dispose();
}
