using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Serving;
using SelfLearning.Monitoring;

namespace SelfLearning.Hosting;

/// <summary>
/// Runs the loop in the host: loads what every model serves at start, then every
/// <see cref="SelfLearningOptions.CycleInterval"/> (a <see cref="TimeProvider"/> delay) runs one cycle per model.
/// A failed cycle is logged and published and does not stop the host; on shutdown a running training is
/// cancelled (nothing half-done is registered) and every committed state is already in the stores.
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
        TimeSpan interval = options.Value.CycleInterval;
        HostingLog.ServiceStarted(logger, options.Value.Models.Count, interval);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (string model in serving.Names)
                {
                    await RunOneAsync(model, stoppingToken).ConfigureAwait(false);
                }

                // The timer is armed before the round is announced, so a clock moved by whoever awaited the round fires it.
                Task delay = Task.Delay(interval, timeProvider, stoppingToken);
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

    private async Task RunOneAsync(string model, CancellationToken stoppingToken)
    {
        try
        {
            await loop.RunCycleAsync(model, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // An unhandled exception would stop the host; the cycle is reported and retried at the next interval.
        catch (Exception e)
#pragma warning restore CA1031
        {
            HostingLog.CycleFailed(logger, e, model);
            events.Publish(new SelfLearningEvent(SelfLearningEventKind.JobFailed, timeProvider.GetUtcNow(), model, null, $"The self-learning cycle failed: {e.Message}"));
        }
    }
}
