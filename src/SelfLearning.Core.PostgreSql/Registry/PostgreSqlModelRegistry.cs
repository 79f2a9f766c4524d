using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SelfLearning.Registry;

namespace SelfLearning.PostgreSql;

/// <summary>
/// The model registry on PostgreSQL: every rule of <see cref="ModelRegistry"/>, over a store in the <c>selflearning</c>
/// schema shared by every instance on the database. Commits to one model are serialised across instances by an advisory
/// lock and checked against the revision they expect, and the schema allows at most one champion per model.
/// </summary>
/// <remarks>
/// Every commit is announced with <c>NOTIFY</c> in its transaction, and each registry listens on its own connection, so
/// <see cref="ModelRegistry.Changed"/> is raised in every instance for a change any instance commits, typically within
/// milliseconds: the loop's served models and every <see cref="ActiveModelProvider{TPredictor}"/> follow a promotion or a
/// rollback made elsewhere. Notifications are not kept while a connection is down, so the registry also compares every
/// model's revision and champion with the database after each (re)connection and every poll interval, and raises
/// <see cref="ModelRegistry.Changed"/> for what moved; a change can therefore be reported twice, which subscribers treat
/// as one (a refresh reads the latest state).
/// </remarks>
public sealed class PostgreSqlModelRegistry : ModelRegistry, IDisposable
{
    /// <summary>How often, at most, the registry compares the models with the database when no notification arrives.</summary>
    public static readonly TimeSpan DefaultChangePollInterval = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(30);

    private readonly PostgreSqlModelRegistryStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _pollInterval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listening;
    private Dictionary<string, (long Revision, int Champion)>? _known;

    /// <summary>Connects to a database, brings the registry's schema up to date (once across instances) and starts listening for other instances' changes.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="timeProvider">The clock for registrations, transitions and reconnection delays; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <param name="changePollInterval">
    /// How often the models are compared with the database when no notification arrives (the fallback for notifications
    /// lost while disconnected); <see cref="DefaultChangePollInterval"/> when <see langword="null"/>. Between 100 ms and 1 day.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="changePollInterval"/> is out of range.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refuses the schema changes.</exception>
    public PostgreSqlModelRegistry(string connectionString, TimeProvider? timeProvider = null, ILogger<PostgreSqlModelRegistry>? logger = null, TimeSpan? changePollInterval = null)
        : this(
            ValidPollInterval(changePollInterval),
            new PostgreSqlModelRegistryStore(connectionString, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance),
            timeProvider ?? TimeProvider.System,
            (ILogger?)logger ?? NullLogger.Instance)
    {
    }

    private PostgreSqlModelRegistry(TimeSpan pollInterval, PostgreSqlModelRegistryStore store, TimeProvider timeProvider, ILogger logger)
        : base(store, timeProvider, logger)
    {
        _store = store;
        _timeProvider = timeProvider;
        _logger = logger;
        _pollInterval = pollInterval;
        _listening = Task.Run(() => ListenAsync(_stop.Token));
    }

    /// <summary>Stops listening and closes the connection pool.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        try
        {
            _listening.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting; nothing was left half-done.
        }

        _stop.Dispose();
        _store.Dispose();
    }

    private static TimeSpan ValidPollInterval(TimeSpan? changePollInterval)
    {
        TimeSpan value = changePollInterval ?? DefaultChangePollInterval;
        return value >= TimeSpan.FromMilliseconds(100) && value <= TimeSpan.FromDays(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(changePollInterval), value, $"'{nameof(changePollInterval)}' is {value}; it must be between 100 ms and 1 day.");
    }

    /// <summary>Listens on one connection; when it fails, waits (1 s, doubling to 30 s) and connects again.</summary>
    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        TimeSpan retryDelay = FirstRetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using NpgsqlConnection connection = await _store.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgreSqlModelRegistryStore.Channel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Listening from here on: what changed before is found by comparing with the database.
                await PollAsync(cancellationToken).ConfigureAwait(false);
                retryDelay = FirstRetryDelay;
                while (true)
                {
                    if (!await connection.WaitAsync(_pollInterval, cancellationToken).ConfigureAwait(false))
                    {
                        await PollAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The listener must outlive any failure of its connection; it logs and connects again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                PostgreSqlLog.ListeningFailed(_logger, e, retryDelay);
                await Task.Delay(retryDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
                retryDelay = retryDelay * 2 > LongestRetryDelay ? LongestRetryDelay : retryDelay * 2;
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (ChangeNotification.TryParse(e.Payload, out var change) && change.Instance != _store.InstanceId)
        {
            OnChangedElsewhere(change.Name, change.Revision, change.Kind);
        }
    }

    /// <summary>Raises <see cref="ModelRegistry.Changed"/> for every model whose revision or champion moved since the last comparison.</summary>
    private async Task PollAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, (long Revision, int Champion)> now = await _store.ReadRevisionsAsync(cancellationToken).ConfigureAwait(false);
        Dictionary<string, (long Revision, int Champion)>? before = _known;
        _known = now;
        if (before is null)
        {
            return;
        }

        foreach (var (name, (revision, champion)) in now)
        {
            (long Revision, int Champion) seen = before.GetValueOrDefault(name);
            if (champion != seen.Champion)
            {
                OnChangedElsewhere(name, revision, ModelChangeKind.ChampionChanged);
            }
            else if (revision != seen.Revision)
            {
                OnChangedElsewhere(name, revision, ModelChangeKind.MetadataChanged);
            }
        }
    }
}
