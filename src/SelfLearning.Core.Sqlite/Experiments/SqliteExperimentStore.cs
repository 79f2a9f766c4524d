using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Experiments;
using SelfLearning.Privacy;

namespace SelfLearning.Sqlite;

/// <summary>
/// An <see cref="IExperimentStore"/> in an embedded SQLite database file: tallies survive restarts and are shared by every
/// process that opens the file (WAL journal, <c>synchronous=FULL</c>).
/// </summary>
/// <remarks>
/// <para>
/// The rules are <see cref="ExperimentStore"/>'s; this class only stores. Counters are updated in SQL
/// (<c>UPDATE … SET n = n + 1</c>, upserts that add to the sums), never read, changed and written back, so two processes
/// recording at once lose nothing. A unit counts once because its row's primary key refuses a second insert; a
/// prediction's metric is resolved once for the same reason. Exposures, outcomes and kept predictions are group-committed:
/// writes arriving together share one transaction and one sync, and each is acknowledged only after that commit.
/// </para>
/// <para>
/// Kept predictions expire after <see cref="ExperimentStoreOptions.PendingPredictionTimeToLive"/>: a late outcome is
/// refused, expired rows are deleted when the next prediction is kept, and those that never had an outcome are counted in
/// <see cref="ExperimentTallies.ExpiredPredictions"/>. Every exposed unit is kept on disk
/// (<see cref="ExperimentStoreOptions.MaximumTrackedUnitsPerExperiment"/> does not apply).
/// </para>
/// <para>
/// Unit ids are never stored: a unit is kept as its keyed fingerprint (see <see cref="ExperimentStore"/>). The key is the
/// host's pseudonymisation key when one is given (<c>UseSqlite</c> passes <c>CaseAnonymizerOptions.PseudonymizationKey</c>);
/// otherwise a random 256-bit key created with the database and kept in it, so the fingerprints cannot be read back as ids,
/// though someone holding the file could test a guessed id. Changing the key makes a running experiment count its units
/// again. Databases written by earlier versions, which kept raw unit ids, are rewritten to fingerprints when first opened
/// (with secure delete, so no copy is left in free pages).
/// </para>
/// </remarks>
public sealed class SqliteExperimentStore : ExperimentStore
{
    private readonly SqliteExperimentStorage _storage;

    /// <summary>Opens (creating it if needed) an experiment store in a database file and brings its schema up to date.</summary>
    /// <param name="databasePath">The database file; other SelfLearning stores may share it.</param>
    /// <param name="timeProvider">The clock for prediction expiry; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="options">The limits; the defaults when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <param name="unitKey">
    /// The key of the unit fingerprints, normally the host's pseudonymisation key; when <see langword="null"/>, a random key
    /// kept in the database file.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is empty.</exception>
    /// <exception cref="ValidationException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">Another application's table or index holds a name the store needs.</exception>
    public SqliteExperimentStore(
        string databasePath,
        TimeProvider? timeProvider = null,
        ExperimentStoreOptions? options = null,
        ILogger<SqliteExperimentStore>? logger = null,
        Pseudonymizer? unitKey = null)
        : this(new SqliteExperimentStorage(databasePath, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance, unitKey), timeProvider, options, unitKey)
    {
    }

    private SqliteExperimentStore(SqliteExperimentStorage storage, TimeProvider? timeProvider, ExperimentStoreOptions? options, Pseudonymizer? unitKey)
        : base(storage, timeProvider, options, unitKey)
    {
        _storage = storage;
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath => _storage.DatabasePath;
}
