using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SelfLearning.Cases;

namespace SelfLearning.PostgreSql;

/// <summary>
/// An <see cref="ICaseSource"/> that keeps feedback cases in PostgreSQL (table <c>selflearning.feedback_cases</c>), for
/// hosts that run on several instances: every instance reads and writes the same cases. As an
/// <see cref="IFeedbackCaseWriter"/> it also takes the cases the loop appends from recorded outcomes, once per case id
/// across all instances.
/// </summary>
/// <remarks>
/// <para>
/// Rows, keys and order are those of the SQLite store: each review is its own row, keyed by the case id, the validation
/// time and the reviewer; the same review sent again replaces its row; a case without a validation time is placed by its
/// creation time. Cases come back ordered by validation time, then by id (ordinal, as <see cref="CaseWatermark"/>
/// compares), then by reviewer, and every field reads back as it was written, NaN, infinities and negative zero included.
/// </para>
/// <para>
/// <see cref="ReadValidatedAfterAsync"/> streams rows through one data reader inside a <c>REPEATABLE READ</c> read-only
/// transaction, so a read sees one snapshot and holds one case at a time. PostgreSQL text cannot hold U+0000: a case
/// whose text fields do is refused with an <see cref="ArgumentException"/> naming the field (an id may hold it: ids are
/// stored as their UTF-16 code units).
/// </para>
/// </remarks>
public sealed class PostgreSqlCaseSource : ICaseSource, IFeedbackCaseWriter, IAsyncDisposable, IDisposable
{
    private const int BatchSize = 1_000;
    private readonly PostgreSqlDatabase _database;

    /// <summary>Connects to a database and brings the case store's schema up to date (once across instances).</summary>
    /// <param name="connectionString">An Npgsql connection string; the user needs the right to create the <c>selflearning</c> schema on first start.</param>
    /// <param name="timeProvider">The clock that stamps applied migrations; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refuses the schema changes.</exception>
    public PostgreSqlCaseSource(string connectionString, TimeProvider? timeProvider = null, ILogger<PostgreSqlCaseSource>? logger = null)
    {
        _database = new PostgreSqlDatabase(connectionString, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        Migrate();
    }

    /// <summary>Uses the host's data source (its pool and settings) and brings the case store's schema up to date.</summary>
    /// <param name="dataSource">The host's data source; the store does not dispose it.</param>
    /// <param name="timeProvider">The clock that stamps applied migrations; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refuses the schema changes.</exception>
    public PostgreSqlCaseSource(NpgsqlDataSource dataSource, TimeProvider? timeProvider = null, ILogger<PostgreSqlCaseSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _database = new PostgreSqlDatabase(dataSource, ownsDataSource: false, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        Migrate();
    }

    /// <summary>Stores one review of a case.</summary>
    /// <param name="feedbackCase">The case; its fields are stored as they are, for the collector to judge.</param>
    /// <param name="cancellationToken">Stops the write before it commits.</param>
    /// <returns>A task that completes when the case is committed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="feedbackCase"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The case's <see cref="FeedbackCase.Id"/> is <see langword="null"/> or empty, or a text field holds U+0000.</exception>
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
    /// <param name="feedbackCases">The cases; enumerated once, inside the transaction, sent in batches of 1,000 per round trip.</param>
    /// <param name="cancellationToken">Stops the write before it commits; nothing of the batch is stored.</param>
    /// <returns>A task that completes when the batch is committed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="feedbackCases"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A case is <see langword="null"/>, has a <see langword="null"/> or empty id or text holding U+0000; the message gives its index and nothing is stored.</exception>
    public async ValueTask AddRangeAsync(IEnumerable<FeedbackCase> feedbackCases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedbackCases);
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var batch = new NpgsqlBatch(connection, transaction);
        try
        {
            int index = 0;
            foreach (FeedbackCase? feedbackCase in feedbackCases)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CheckId(feedbackCase, nameof(feedbackCases), index);
                var command = new NpgsqlBatchCommand(CaseRows.Upsert);
                CaseRows.Bind(command, feedbackCase!, nameof(feedbackCases), index);
                batch.BatchCommands.Add(command);
                if (batch.BatchCommands.Count == BatchSize)
                {
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    await batch.DisposeAsync().ConfigureAwait(false);
                    batch = new NpgsqlBatch(connection, transaction);
                }

                index++;
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await batch.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores <paramref name="feedbackCase"/> unless a review of its id is already held. The check and the write run in
    /// one transaction holding an advisory lock on the id, so appends of one id from any number of instances store it once.
    /// </summary>
    /// <param name="feedbackCase">The case; its fields are stored as they are, for the collector to judge.</param>
    /// <param name="cancellationToken">Stops the write before it commits.</param>
    /// <returns><see langword="true"/> when the case was committed; <see langword="false"/> when a review of its id was already held.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="feedbackCase"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The case's <see cref="FeedbackCase.Id"/> is <see langword="null"/> or empty, or a text field holds U+0000.</exception>
    public async ValueTask<bool> AppendAsync(FeedbackCase feedbackCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedbackCase);
        if (string.IsNullOrEmpty(feedbackCase.Id))
        {
            throw new ArgumentException($"The case's {nameof(FeedbackCase.Id)} is null or empty; an appended case needs an id.", nameof(feedbackCase));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var upsert = new NpgsqlBatchCommand(CaseRows.Upsert);
        CaseRows.Bind(upsert, feedbackCase, nameof(feedbackCase), 0);
        byte[] key = OrdinalKeys.From(feedbackCase.Id);

        await using NpgsqlConnection connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var check = new NpgsqlBatch(connection, transaction))
        {
            check.BatchCommands.Add(new NpgsqlBatchCommand(CaseRows.LockId) { Parameters = { new NpgsqlParameter<byte[]> { TypedValue = key } } });
            check.BatchCommands.Add(new NpgsqlBatchCommand(CaseRows.Exists) { Parameters = { new NpgsqlParameter<byte[]> { TypedValue = key } } });
            await using NpgsqlDataReader reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (reader.GetBoolean(0))
            {
                return false;
            }
        }

        await using (var write = new NpgsqlBatch(connection, transaction) { BatchCommands = { upsert } })
        {
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FeedbackCase> ReadValidatedAfterAsync(
        CaseWatermark after,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One snapshot for the whole read: cases committed while it runs appear in the next read.
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(CaseRows.SelectAfter, connection, transaction);
        CaseRows.AddWatermark(command, after);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return CaseRows.Read(reader);
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> CountValidatedAfterAsync(CaseWatermark after, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using NpgsqlConnection connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(CaseRows.CountAfter, connection);
        CaseRows.AddWatermark(command, after);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Closes the connection pool this store opened (not a data source the host passed in).</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Closes the connection pool this store opened (not a data source the host passed in).</summary>
    /// <returns>A task that completes when the pool is closed.</returns>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static void CheckId(FeedbackCase? feedbackCase, string argument, int index)
    {
        if (feedbackCase is null)
        {
            throw new ArgumentException($"'{argument}' holds null at index {index}; nothing was stored.", argument);
        }

        if (string.IsNullOrEmpty(feedbackCase.Id))
        {
            throw new ArgumentException($"The case at index {index} of '{argument}' has a null or empty {nameof(FeedbackCase.Id)}; nothing was stored.", argument);
        }
    }

    private void Migrate() => _database.Migrate(CaseMigrations.All);
}
