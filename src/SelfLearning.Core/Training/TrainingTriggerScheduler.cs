using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// Turns triggers into training requests: schedules (timers on the injected <see cref="TimeProvider"/>), a
/// threshold of new validated cases since the last training (polled, or checked on demand), and manual requests.
/// Every trigger is subject to the plan's minimum number of cases and minimum interval; a model that is busy is
/// skipped or queued as the plan says.
/// </summary>
internal sealed class TrainingTriggerScheduler : IDisposable
{
    private static readonly TrainingJobState[] CompletedOnly = [TrainingJobState.Completed];

    private readonly TrainingJobEngine _engine;
    private readonly ITrainingJobStore _store;
    private readonly ITrainingCaseCounter _cases;
    private readonly Dictionary<string, TrainingPlan> _plans = new(StringComparer.Ordinal);
    private readonly TrainingTriggerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly Queue<TrainingTriggerDecision> _decisions = new();
    private readonly List<ITimer> _timers = [];
    private TaskCompletionSource _decided = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _started;

    /// <summary>Creates a scheduler.</summary>
    /// <param name="engine">The engine jobs are queued on.</param>
    /// <param name="store">The job store, read for the last completed training.</param>
    /// <param name="cases">Counts validated cases.</param>
    /// <param name="plans">One plan per model.</param>
    /// <param name="options">The scheduler options.</param>
    /// <param name="timeProvider">The clock and timers; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">Two plans share a model, or a plan or option is out of range.</exception>
    public TrainingTriggerScheduler(
        TrainingJobEngine engine,
        ITrainingJobStore store,
        ITrainingCaseCounter cases,
        IEnumerable<TrainingPlan> plans,
        IOptions<TrainingTriggerOptions> options,
        TimeProvider? timeProvider = null,
        ILogger<TrainingTriggerScheduler>? logger = null)
    {
        _engine = Guard.NotNull(engine);
        _store = Guard.NotNull(store);
        _cases = Guard.NotNull(cases);
        Guard.NotNull(plans);
        _options = Guard.NotNull(options).Value;
        TrainingGuard.Positive(_options.CasePollInterval);
        Guard.Positive(_options.DecisionHistoryLength);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        foreach (var plan in plans)
        {
            Guard.NotNull(plan);
            plan.Validate();
            if (!_plans.TryAdd(plan.ModelKey, plan))
            {
                throw new ArgumentException($"Two training plans are for model '{plan.ModelKey}'.", nameof(plans));
            }
        }
    }

    /// <summary>Gets the most recent trigger decisions, oldest first.</summary>
    public IReadOnlyList<TrainingTriggerDecision> Decisions
    {
        get
        {
            lock (_lock)
            {
                return [.. _decisions];
            }
        }
    }

    /// <summary>Arms the schedule timers and the new-case poll. Triggers fire until the scheduler is disposed.</summary>
    /// <exception cref="InvalidOperationException">The scheduler was already started.</exception>
    public void Start()
    {
        lock (_lock)
        {
            if (_started)
            {
                throw new InvalidOperationException("The training trigger scheduler was already started.");
            }

            _started = true;
            var now = _time.GetUtcNow();
            foreach (var plan in _plans.Values.Where(p => p.Schedule is not null))
            {
                var occurrence = new ScheduledOccurrence(plan, plan.Schedule!.NextAfter(now));
                occurrence.Timer = _time.CreateTimer(OnScheduleTimer, occurrence, Until(occurrence.Next), Timeout.InfiniteTimeSpan);
                _timers.Add(occurrence.Timer);
            }

            if (_plans.Values.Any(p => p.NewCasesThreshold is not null))
            {
                _timers.Add(_time.CreateTimer(OnPollTimer, null, _options.CasePollInterval, _options.CasePollInterval));
            }
        }
    }

    /// <summary>Asks for training now (the <see cref="TrainingTriggerKind.Manual"/> trigger), subject to the plan's limits.</summary>
    /// <param name="modelKey">The model.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="KeyNotFoundException">No plan is for <paramref name="modelKey"/>.</exception>
    public Task<TrainingTriggerDecision> TriggerAsync(string modelKey, CancellationToken cancellationToken = default) =>
        EvaluateAsync(GetPlan(modelKey), TrainingTriggerKind.Manual, _time.GetUtcNow(), cancellationToken);

    /// <summary>Checks the model's new-cases threshold now, without waiting for the poll (call it when cases arrive).</summary>
    /// <param name="modelKey">The model.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="KeyNotFoundException">No plan is for <paramref name="modelKey"/>.</exception>
    /// <exception cref="InvalidOperationException">The plan has no new-cases threshold.</exception>
    public Task<TrainingTriggerDecision> CheckNewCasesAsync(string modelKey, CancellationToken cancellationToken = default)
    {
        var plan = GetPlan(modelKey);
        if (plan.NewCasesThreshold is null)
        {
            throw new InvalidOperationException($"The training plan for '{modelKey}' has no new-cases threshold.");
        }

        return EvaluateAsync(plan, TrainingTriggerKind.NewCases, _time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Stops every timer.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> decisions have been recorded in total.</summary>
    internal async Task WaitForDecisionsAsync(int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task decided;
            lock (_lock)
            {
                if (TotalDecisions >= count)
                {
                    return;
                }

                decided = _decided.Task;
            }

            await decided.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal long TotalDecisions { get; private set; }

    private TrainingPlan GetPlan(string modelKey)
    {
        Guard.NotNull(modelKey);
        return _plans.TryGetValue(modelKey, out var plan)
            ? plan
            : throw new KeyNotFoundException($"No training plan is for model '{modelKey}'.");
    }

    private TimeSpan Until(DateTimeOffset instant)
    {
        var delay = instant - _time.GetUtcNow();
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }

    private void OnScheduleTimer(object? state)
    {
        var occurrence = (ScheduledOccurrence)state!;
        var now = _time.GetUtcNow();
        DateTimeOffset due;
        lock (_lock)
        {
            if (!_timers.Contains(occurrence.Timer!))
            {
                return;
            }

            due = occurrence.Next;
            if (now < due)
            {
                // The timer fired early: wait for the real instant.
                occurrence.Timer!.Change(Until(due), Timeout.InfiniteTimeSpan);
                return;
            }

            // Arm for the next occurrence before evaluating, so a slow evaluation never delays or doubles a firing.
            // Occurrences missed while the process was down are not replayed: the next one is after now.
            occurrence.Next = occurrence.Plan.Schedule!.NextAfter(now > due ? now : due);
            occurrence.Timer!.Change(Until(occurrence.Next), Timeout.InfiniteTimeSpan);
        }

        _ = RunTriggerAsync(occurrence.Plan, TrainingTriggerKind.Schedule, due);
    }

    private void OnPollTimer(object? state)
    {
        var now = _time.GetUtcNow();
        foreach (var plan in _plans.Values.Where(p => p.NewCasesThreshold is not null))
        {
            _ = RunTriggerAsync(plan, TrainingTriggerKind.NewCases, now);
        }
    }

    private async Task RunTriggerAsync(TrainingPlan plan, TrainingTriggerKind trigger, DateTimeOffset at)
    {
        try
        {
            await EvaluateAsync(plan, trigger, at, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A timer callback must not throw: report and let the next firing try again.
            TrainingLog.TriggerFailed(_logger, ex, trigger, plan.ModelKey);
            Record(new TrainingTriggerDecision(plan.ModelKey, trigger, at, null, $"evaluation failed: {ex.Message}"));
        }
    }

    private async Task<TrainingTriggerDecision> EvaluateAsync(TrainingPlan plan, TrainingTriggerKind trigger, DateTimeOffset at, CancellationToken cancellationToken)
    {
        TrainingLog.TriggerFired(_logger, trigger, plan.ModelKey, at);
        string? reason = null;
        var completed = await _store.ListAsync(plan.ModelKey, CompletedOnly, cancellationToken).ConfigureAwait(false);
        DateTimeOffset? lastStart = completed.Count == 0 ? null : completed.Max(j => j.StartedAt);
        if (lastStart is { } last && at - last < plan.MinimumInterval)
        {
            reason = string.Create(
                CultureInfo.InvariantCulture,
                $"the last training started at {last:O}, less than the minimum interval of {plan.MinimumInterval} before {at:O}");
        }

        if (reason is null)
        {
            long total = await _cases.CountValidatedCasesAsync(plan.ModelKey, null, cancellationToken).ConfigureAwait(false);
            if (total < plan.MinimumCases)
            {
                reason = $"{total} validated cases, fewer than the minimum of {plan.MinimumCases}";
            }
        }

        if (reason is null && trigger == TrainingTriggerKind.NewCases)
        {
            long fresh = await _cases.CountValidatedCasesAsync(plan.ModelKey, lastStart, cancellationToken).ConfigureAwait(false);
            if (fresh < plan.NewCasesThreshold)
            {
                reason = $"{fresh} new validated cases since the last training, fewer than the threshold of {plan.NewCasesThreshold}";
            }
        }

        TrainingTriggerDecision decision;
        if (reason is null)
        {
            var result = await _engine.EnqueueAsync(plan.ToRequest(trigger), cancellationToken).ConfigureAwait(false);
            decision = result.IsQueued
                ? new TrainingTriggerDecision(plan.ModelKey, trigger, at, result.Job, null)
                : new TrainingTriggerDecision(plan.ModelKey, trigger, at, null, result.SkipReason);
        }
        else
        {
            decision = new TrainingTriggerDecision(plan.ModelKey, trigger, at, null, reason);
        }

        if (decision.Reason is { } why)
        {
            TrainingLog.TriggerDeclined(_logger, trigger, plan.ModelKey, why);
        }

        Record(decision);
        return decision;
    }

    private void Record(TrainingTriggerDecision decision)
    {
        TaskCompletionSource decided;
        lock (_lock)
        {
            _decisions.Enqueue(decision);
            while (_decisions.Count > _options.DecisionHistoryLength)
            {
                _decisions.Dequeue();
            }

            TotalDecisions++;
            decided = _decided;
            _decided = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        decided.TrySetResult();
    }

    private sealed class ScheduledOccurrence(TrainingPlan plan, DateTimeOffset next)
    {
        public TrainingPlan Plan { get; } = plan;

        public DateTimeOffset Next { get; set; } = next;

        public ITimer? Timer { get; set; }
    }
}
