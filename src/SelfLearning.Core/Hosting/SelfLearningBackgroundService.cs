using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Serving;
using SelfLearning.Monitoring;

namespace SelfLearning.Hosting;

/// <summary>
/// Runs the loop in the host: loads what every model serves at start, then runs each model's cycle
/// <see cref="SelfLearningOptions.CycleInterval"/> after its last one ended (a <see cref="TimeProvider"/> delay).
/// A failed cycle never stops the host: it is logged, published as <see cref="SelfLearningEventKind.JobFailed"/> and
/// retried after <see cref="SelfLearningOptions.FailureRetryDelay"/>, doubled for each failure in a row up to the
/// interval. On shutdown a running training is cancelled (nothing half-done is registered) and every committed state
/// is already in the stores.
/// </summary>
internal sealed class SelfLearningBackgroundService(
    ISelfLearningLoop loop,
    ServingStates serving,
    ISelfLearningEventPublisher events,
    IOptions<SelfLearningOptions> options,
    TimeProvider timeProvider,
    ILogger<SelfLearningBackgroundService> logger) : BackgroundService
{
    private readonly object _lock = new();
    private long _rounds;
    private TaskCompletionSource _roundCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets the number of completed rounds (one cycle per model each).</summary>
    public long Rounds
    {
        get
        {
            lock (_lock)
            {
                return _rounds;
            }
        }
    }

    /// <summary>Waits until at least <paramref name="rounds"/> rounds have completed, so tests await progress instead of sleeping.</summary>
    public async Task WaitForRoundsAsync(long rounds, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (_lock)
            {
                if (_rounds >= rounds)
                {
                    return;
                }

                next = _roundCompleted.Task;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await loop.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (options.Value.RunInBackground)
        {
            await base.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SelfLearningOptions settings = options.Value;
        HostingLog.ServiceStarted(logger, settings.Models.Count, settings.CycleInterval);
        var schedule = new Dictionary<string, ModelSchedule>(StringComparer.Ordinal);
        int roundFailures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan wait;
                try
                {
                    var models = serving.Names.ToArray();
                    foreach (string model in models)
                    {
                        ModelSchedule next = schedule.GetValueOrDefault(model);
                        if (next.Due <= timeProvider.GetUtcNow())
                        {
                            schedule[model] = await RunOneAsync(model, next.Failures, settings, stoppingToken).ConfigureAwait(false);
                        }
                    }

                    wait = UntilNextDue(models, schedule, settings.CycleInterval);
                    roundFailures = 0;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Not a cycle (those are caught per model) but the round around them, e.g. listing the models.
                    roundFailures++;
                    wait = RetryDelay(roundFailures, settings);
                    HostingLog.RoundFailed(logger, e, wait);
                    events.Publish(new SelfLearningEvent(SelfLearningEventKind.JobFailed, timeProvider.GetUtcNow(), null, null, $"The self-learning round failed: {e.Message}; retried in {wait}."));
                }

                // The timer is armed before the round is announced, so a clock moved by whoever awaited the round fires it.
                Task delay = Task.Delay(wait, timeProvider, stoppingToken);
                TaskCompletionSource completed;
                lock (_lock)
                {
                    _rounds++;
                    completed = _roundCompleted;
                    _roundCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                completed.SetResult();
                await delay.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Graceful shutdown.
        }

        HostingLog.ServiceStopped(logger);
    }

    /// <summary>
    /// The wait before the <paramref name="failures"/>-th retry in a row: <see cref="SelfLearningOptions.FailureRetryDelay"/>
    /// doubled for each earlier failure, capped at <see cref="SelfLearningOptions.CycleInterval"/> (both validated to fit a timer).
    /// </summary>
    internal static TimeSpan RetryDelay(int failures, SelfLearningOptions settings)
    {
        TimeSpan cap = settings.CycleInterval;
        TimeSpan first = settings.FailureRetryDelay < cap ? settings.FailureRetryDelay : cap;
        int doublings = Math.Clamp(failures - 1, 0, 62);
        double ticks = first.Ticks * Math.Pow(2.0, doublings);
        return ticks >= cap.Ticks ? cap : TimeSpan.FromTicks((long)ticks);
    }

    private TimeSpan UntilNextDue(string[] models, Dictionary<string, ModelSchedule> schedule, TimeSpan interval)
    {
        DateTimeOffset earliest = DateTimeOffset.MaxValue;
        foreach (string model in models)
        {
            DateTimeOffset due = schedule[model].Due;
            earliest = due < earliest ? due : earliest;
        }

        if (earliest == DateTimeOffset.MaxValue)
        {
            return interval;
        }

        TimeSpan wait = earliest - timeProvider.GetUtcNow();
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < interval ? wait : interval;
    }

    private async Task<ModelSchedule> RunOneAsync(string model, int failuresSoFar, SelfLearningOptions settings, CancellationToken stoppingToken)
    {
        try
        {
            await loop.RunCycleAsync(model, stoppingToken).ConfigureAwait(false);
            return new ModelSchedule(timeProvider.GetUtcNow() + settings.CycleInterval, 0);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // An unhandled exception would stop the host; the cycle is reported and retried with backoff.
        catch (Exception e)
#pragma warning restore CA1031
        {
            int failures = failuresSoFar + 1;
            TimeSpan retryIn = RetryDelay(failures, settings);
            HostingLog.CycleFailedRetrying(logger, e, model, failures, retryIn);
            events.Publish(new SelfLearningEvent(
                SelfLearningEventKind.JobFailed,
                timeProvider.GetUtcNow(),
                model,
                null,
                string.Create(CultureInfo.InvariantCulture, $"The self-learning cycle failed ({failures} in a row): {e.Message}; retried in {retryIn}.")));
            return new ModelSchedule(timeProvider.GetUtcNow() + retryIn, failures);
        }
    }

    /// <summary>When a model's next cycle is due, and how many of its cycles failed in a row.</summary>
    private readonly record struct ModelSchedule(DateTimeOffset Due, int Failures);
}
