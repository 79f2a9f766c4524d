using System.Globalization;
using Quartz;
using SelfLearning.Hosting;

namespace SelfLearning.Quartz.Tests.TestSupport;

/// <summary>One firing of a cycle job as a scheduler's job listener saw it.</summary>
/// <param name="Instance">The scheduler instance (cluster node) that ran it.</param>
/// <param name="Model">The job's model.</param>
/// <param name="ScheduledFireTime">The fire time it ran for.</param>
/// <param name="Result">The cycle's result, when it succeeded.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="Recovering">
/// The scheduled fire time of the firing this one runs again because the node running it died (Quartz's recovery), or
/// <see langword="null"/> for a firing of the cycle's own trigger.
/// </param>
internal sealed record CycleFiring(string Instance, string Model, DateTimeOffset ScheduledFireTime, SelfLearningCycleResult? Result, JobExecutionException? Error, DateTimeOffset? Recovering);

/// <summary>
/// A job listener, shared by every scheduler of a test, that records each cycle started and each one finished, and
/// lets the test wait for a condition on them with a deadline (no sleeping).
/// </summary>
internal sealed class CycleRecorder : IJobListener
{
    private readonly object _lock = new();
    private readonly List<CycleFiring> _started = [];
    private readonly List<CycleFiring> _finished = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => nameof(CycleRecorder);

    /// <summary>Gets the firings started so far, in the order they started.</summary>
    public IReadOnlyList<CycleFiring> Started
    {
        get
        {
            lock (_lock)
            {
                return [.. _started];
            }
        }
    }

    /// <summary>Gets the firings finished so far, in the order they finished.</summary>
    public IReadOnlyList<CycleFiring> Finished
    {
        get
        {
            lock (_lock)
            {
                return [.. _finished];
            }
        }
    }

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        Record(_started, Firing(context, null));
        return ValueTask.CompletedTask;
    }

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        Record(_finished, Firing(context, jobException));
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the finished firings, or fails when <paramref name="deadline"/> passes first.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<CycleFiring>, bool> condition, TimeSpan deadline, string what)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (condition(_finished))
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Not within {deadline}: {what}. Finished so far: {string.Join("; ", Finished)}");
            }
        }
    }

    private static CycleFiring Firing(IJobExecutionContext context, JobExecutionException? error) => new(
        context.Scheduler.SchedulerInstanceId,
        context.JobDetail.Key.Name,
        context.ScheduledFireTimeUtc ?? throw new InvalidOperationException("A cron firing has a scheduled fire time."),
        context.Result as SelfLearningCycleResult,
        error,
        context.Recovering ? OriginalScheduledFireTime(context) : null);

    /// <summary>What a recovery firing's data says the recovered firing was scheduled for (Quartz writes it with the invariant culture).</summary>
    private static DateTimeOffset OriginalScheduledFireTime(IJobExecutionContext context) => DateTimeOffset.Parse(
        context.MergedJobDataMap.GetString(SchedulerConstants.FailedJobOriginalTriggerScheduledFireTime)
            ?? throw new InvalidOperationException("A recovery firing carries the recovered firing's scheduled fire time."),
        CultureInfo.InvariantCulture);

    private void Record(List<CycleFiring> into, CycleFiring firing)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            into.Add(firing);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
    }
}
