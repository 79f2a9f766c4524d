using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Cases;

namespace SelfLearning.Sqlite;

/// <summary>
/// An <see cref="ICaseSource"/> that keeps feedback cases in an embedded SQLite database file (WAL journal,
/// <c>synchronous=FULL</c>): the default case store of the samples and of single-node hosts. Cases survive
/// restarts and are shared by every instance and process that opens the file. As an <see cref="IFeedbackCaseWriter"/>
/// it also takes the cases the loop appends from recorded outcomes, once per case id.
/// </summary>
/// <remarks>
/// <para>
/// Each review is its own row, keyed by the case id, the validation time and the reviewer: a case reviewed again
/// is stored beside its earlier reviews (the <see cref="CaseCollector"/> picks the latest review of each case and
/// must see them all), while the same review sent again replaces its row. A case without a validation time is
/// keyed and ordered by its creation time, as in <see cref="InMemoryCaseSource"/>.
/// </para>
/// <para>
/// <see cref="ReadValidatedAfterAsync"/> streams: it walks the watermark index with a keyset query, one row at a
/// time through a data reader, inside one read transaction, so a read sees one snapshot (cases committed while it
/// runs appear in the next read) and never holds more than the current case in memory. Cases come back ordered by
/// validation time, then by id (ordinal), then by reviewer. Times are stored as UTC ticks with their offset, and
/// every field reads back as it was written, NaN and infinite numbers included.
/// </para>
/// </remarks>
public sealed class SqliteCaseSource : ICaseSource, IFeedbackCaseWriter
{
    private readonly SqliteDatabase _database;

    /// <summary>Opens (creating it if needed) a case store in a database file and brings its schema up to date.</summary>
    /// <param name="databasePath">The database file; other SelfLearning stores may share it.</param>
    /// <param name="timeProvider">The clock that stamps applied migrations; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is empty.</exception>
    public SqliteCaseSource(string databasePath, TimeProvider? timeProvider = null, ILogger<SqliteCaseSource>? logger = null)
    {
        _database = new SqliteDatabase(databasePath, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        _database.Migrate(CaseMigrations.All);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath => _database.Path;

    /// <summary>Stores one review of a case in its own transaction.</summary>
    /// <param name="feedbackCase">The case; its fields are stored as they are, for the collector to judge.</param>
    /// <param name="cancellationToken">Stops the write before it commits.</param>
    /// <returns>A task that completes when the case is committed to disk.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="feedbackCase"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The case's <see cref="FeedbackCase.Id"/> is <see langword="null"/> or empty.</exception>
    public ValueTask AddAsync(FeedbackCase feedbackCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedbackCase);
        if (string.IsNullOrEmpty(feedbackCase.Id))
        {
            throw new ArgumentException($"The case's {nameof(FeedbackCase.Id)} is null or empty; a stored case needs an id.", nameof(feedbackCase));
        }

        return AddRangeAsync([feedbackCase], cancellationToken);
    }

    /// <summary>Stores reviews of cases, all in one transaction: either every case is committed or none is.</summary>
    /// <param name="feedbackCases">The cases; enumerated once, inside the transaction.</param>
    /// <param name="cancellationToken">Stops the write before it commits; nothing of the batch is stored.</param>
    /// <returns>A task that completes when the batch is committed to disk.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="feedbackCases"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A case is <see langword="null"/> or has a <see langword="null"/> or empty id; the message gives its index and nothing is stored.</exception>
    public ValueTask AddRangeAsync(IEnumerable<FeedbackCase> feedbackCases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedbackCases);
        cancellationToken.ThrowIfCancellationRequested();
        _database.Write((connection, transaction) =>
        {
            using SqliteCommand command = CaseRows.UpsertCommand(connection, transaction);
            using var documents = new CaseDocuments();
            int index = 0;
            foreach (FeedbackCase? feedbackCase in feedbackCases)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (feedbackCase is null)
                {
                    throw new ArgumentException($"'{nameof(feedbackCases)}' holds null at index {index}; nothing was stored.", nameof(feedbackCases));
                }

                if (string.IsNullOrEmpty(feedbackCase.Id))
                {
                    throw new ArgumentException(
                        $"The case at index {index} of '{nameof(feedbackCases)}' has a null or empty {nameof(FeedbackCase.Id)}; nothing was stored.",
                        nameof(feedbackCases));
                }

                CaseRows.Bind(command, feedbackCase, documents);
                command.ExecuteNonQuery();
                index++;
            }

            return index;
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Stores <paramref name="feedbackCase"/> unless a review of its id is already held, in one <c>BEGIN IMMEDIATE</c>
    /// transaction, so the check and the write are atomic across connections, instances and processes: an outcome
    /// appended again (a retry, after a restart, from another instance) stores nothing.
    /// </summary>
    /// <param name="feedbackCase">The case; its fields are stored as they are, for the collector to judge.</param>
    /// <param name="cancellationToken">Stops the write before it commits.</param>
    /// <returns><see langword="true"/> when the case was committed; <see langword="false"/> when a review of its id was already held.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="feedbackCase"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The case's <see cref="FeedbackCase.Id"/> is <see langword="null"/> or empty.</exception>
    public ValueTask<bool> AppendAsync(FeedbackCase feedbackCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedbackCase);
        if (string.IsNullOrEmpty(feedbackCase.Id))
        {
            throw new ArgumentException($"The case's {nameof(FeedbackCase.Id)} is null or empty; an appended case needs an id.", nameof(feedbackCase));
        }

        cancellationToken.ThrowIfCancellationRequested();
        bool stored = _database.Write((connection, transaction) =>
        {
            object? held = SqliteDatabase.Scalar(connection, transaction, CaseRows.Exists, [("$key", OrdinalKeys.From(feedbackCase.Id))]);
            if (Convert.ToInt64(held, System.Globalization.CultureInfo.InvariantCulture) != 0)
            {
                return false;
            }

            cancellationToken.ThrowIfCancellationRequested();
            using SqliteCommand command = CaseRows.UpsertCommand(connection, transaction);
            using var documents = new CaseDocuments();
            CaseRows.Bind(command, feedbackCase, documents);
            command.ExecuteNonQuery();
            return true;
        });
        return ValueTask.FromResult(stored);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FeedbackCase> ReadValidatedAfterAsync(
        CaseWatermark after,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The reader holds its own connection for as long as the caller enumerates, so it cannot go through
        // SqliteDatabase.Read, whose connection closes when its callback returns. Reads need none of the write
        // pragmas; the connection string's default timeout makes a command retry while another connection
        // holds a lock, as the busy timeout does for the store's other connections.
        using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // A deferred transaction takes its snapshot at the first step and keeps it until the last row is read.
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        using SqliteCommand command = SqliteDatabase.Command(connection, transaction, CaseRows.SelectAfter, CaseRows.WatermarkParameters(after));
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return CaseRows.Read(reader);
        }

        transaction.Commit();
    }

    /// <inheritdoc />
    public ValueTask<long> CountValidatedAfterAsync(CaseWatermark after, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long count = _database.Read((connection, transaction) =>
            (long)SqliteDatabase.Scalar(connection, transaction, CaseRows.CountAfter, CaseRows.WatermarkParameters(after))!);
        return ValueTask.FromResult(count);
    }
}
