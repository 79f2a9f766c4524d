using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Monitoring;
using SelfLearning.Training;

namespace SelfLearning.AspNetCore.Alerts;

/// <summary>
/// Turns the loop's events (and jobs that run too long) into alerts, sends each key at most once per cooldown, and
/// delivers to every sink; an alert a sink could not take stays pending for that sink and is retried every check, so
/// none is lost while a receiver is down or its circuit is open.
/// </summary>
internal sealed class AlertDispatcher(
    IEnumerable<IAlertSink> sinks,
    ISelfLearningEvents events,
    ITrainingJobStore jobs,
    IOptions<SelfLearningAlertOptions> options,
    TimeProvider time,
    ILogger<AlertDispatcher> logger) : BackgroundService
{
    private readonly IAlertSink[] _sinks = [.. sinks];
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _lastRaised = new(StringComparer.Ordinal);
    private readonly List<(IAlertSink Sink, SelfLearningAlert Alert)> _pending = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>Gets the number of (sink, alert) deliveries still pending.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>The alert an event raises, or <see langword="null"/> for events that are not alerts.</summary>
    public static SelfLearningAlert? ToAlert(SelfLearningEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        AlertKind? kind = e.Kind switch
        {
            SelfLearningEventKind.RolledBack => AlertKind.ChampionRolledBack,
            SelfLearningEventKind.JobFailed => AlertKind.TrainingFailed,
            SelfLearningEventKind.DriftDetected => AlertKind.Drift,
            SelfLearningEventKind.DataStale => AlertKind.DataStale,
            _ => null,
        };
        return kind is AlertKind k ? new SelfLearningAlert(Guid.NewGuid(), k, e.Model, e.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, e.OccurredAt) : null;
    }

    /// <summary>Queues an alert for every sink unless the same key was raised within the cooldown.</summary>
    /// <returns>Whether the alert was queued.</returns>
    public bool Raise(SelfLearningAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            if (_lastRaised.TryGetValue(alert.DeduplicationKey, out DateTimeOffset last) && now - last < options.Value.Cooldown)
            {
                return false;
            }

            _lastRaised[alert.DeduplicationKey] = now;
            foreach (IAlertSink sink in _sinks)
            {
                _pending.Add((sink, alert));
            }
        }

        _signal.Release();
        return true;
    }

    /// <summary>Raises <see cref="AlertKind.JobRunningLong"/> for every job running longer than the limit.</summary>
    public async Task CheckJobsAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        foreach (TrainingJob job in await jobs.ListAsync(null, [TrainingJobState.Running], cancellationToken).ConfigureAwait(false))
        {
            if (job.StartedAt is DateTimeOffset started && now - started > options.Value.JobRunningLongerThan)
            {
                Raise(new SelfLearningAlert(
                    Guid.NewGuid(),
                    AlertKind.JobRunningLong,
                    job.ModelKey,
                    job.Id,
                    string.Create(CultureInfo.InvariantCulture, $"Training job '{job.Id}' of '{job.ModelKey}' has been running for {(now - started).TotalMinutes:0} minutes."),
                    now));
            }
        }
    }

    /// <summary>Tries every pending delivery once; failures stay pending.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<(IAlertSink Sink, SelfLearningAlert Alert)> batch;
            lock (_lock)
            {
                batch = [.. _pending];
            }

            foreach (var delivery in batch)
            {
                try
                {
                    await delivery.Sink.SendAsync(delivery.Alert, cancellationToken).ConfigureAwait(false);
                    lock (_lock)
                    {
                        _pending.Remove(delivery);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    AlertsLog.DeliveryFailed(logger, e, delivery.Sink.GetType().Name, delivery.Alert.Id);
                }
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    public override void Dispose()
    {
        _signal.Dispose();
        _flushing.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using IDisposable subscription = events.Subscribe(e =>
        {
            if (ToAlert(e) is { } alert)
            {
                Raise(alert);
            }
        });
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                Task delay = Task.Delay(options.Value.CheckInterval, time, wait.Token);
                Task signalled = _signal.WaitAsync(wait.Token);
                Task first = await Task.WhenAny(delay, signalled).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
                if (first == delay)
                {
                    await CheckJobsAsync(stoppingToken).ConfigureAwait(false);
                }

                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // One failed check must not stop the host.
                AlertsLog.CheckFailed(logger, e);
            }
        }
    }
}
