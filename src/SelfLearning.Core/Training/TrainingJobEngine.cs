using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>
/// Runs training jobs: a priority queue (higher first, arrival order within a priority), a global concurrency
/// limit, at most one job per model at a time, pause/resume/cancel, retries with exponential back-off for
/// transient failures, leases renewed by heartbeats, and recovery of jobs abandoned by a process that died.
/// Call <see cref="RunAsync"/> (typically from a hosted service) to process the queue.
/// </summary>
/// <remarks>
/// The one-job-per-model guarantee holds for the jobs this engine runs; several engines sharing a store each
/// claim a job atomically (optimistic concurrency), but should not run the same models.
/// </remarks>
public sealed partial class TrainingJobEngine : IDisposable
{
    private static readonly TrainingJobState[] ActiveStates = [TrainingJobState.Queued, TrainingJobState.Running, TrainingJobState.Paused];
    private static readonly TrainingJobState[] LeasedStates = [TrainingJobState.Running, TrainingJobState.Paused];

    private readonly ITrainingJobStore _store;
    private readonly Dictionary<string, ITrainer> _trainers;
    private readonly ITrainingDataProvider _dataProvider;
    private readonly TrainingEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private readonly object _lock = new();
    private readonly SortedSet<QueueEntry> _queue = new(QueueEntry.Order);
    private readonly Dictionary<string, QueueEntry> _queuedById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunningJob> _running = new(StringComparer.Ordinal);
    private readonly HashSet<string> _busyModels = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _enqueueLock = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private TaskCompletionSource _changed = NewSignal();
    private int _isRunning;

    /// <summary>Creates an engine.</summary>
    /// <param name="store">Where jobs are kept.</param>
    /// <param name="trainers">The trainers, one per model type.</param>
    /// <param name="dataProvider">Supplies each job's data when it starts.</param>
    /// <param name="options">The engine options.</param>
    /// <param name="timeProvider">The clock and timers; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">Two trainers share a model type, or an option is out of range.</exception>
    public TrainingJobEngine(
        ITrainingJobStore store,
        IEnumerable<ITrainer> trainers,
        ITrainingDataProvider dataProvider,
        IOptions<TrainingEngineOptions> options,
        TimeProvider? timeProvider = null,
        ILogger<TrainingJobEngine>? logger = null)
    {
        _store = Guard.NotNull(store);
        Guard.NotNull(trainers);
        _dataProvider = Guard.NotNull(dataProvider);
        _options = Guard.NotNull(options).Value;
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _trainers = new(StringComparer.Ordinal);
        foreach (var trainer in trainers)
        {
            Guard.NotNull(trainer);
            if (!_trainers.TryAdd(trainer.ModelType, trainer))
            {
                throw new ArgumentException($"Two trainers have model type '{trainer.ModelType}'.", nameof(trainers));
            }
        }

        InstanceId = _options.InstanceId
            ?? string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");
    }

    /// <summary>Gets the name this engine writes as lease owner.</summary>
    public string InstanceId { get; }

    /// <summary>
    /// Queues a training job, or skips the request when the model already has a job queued, running or paused and
    /// the request says <see cref="BusyModelBehavior.Skip"/>.
    /// </summary>
    /// <param name="request">What to train.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The queued job, or the active job that caused the skip.</returns>
    public async Task<TrainingEnqueueResult> EnqueueAsync(TrainingRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);
        await _enqueueLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (request.WhenBusy == BusyModelBehavior.Skip)
            {
                var active = await _store.ListAsync(request.ModelKey, ActiveStates, cancellationToken).ConfigureAwait(false);
                if (active.Count > 0)
                {
                    string reason = $"model '{request.ModelKey}' already has job '{active[0].Id}' {active[0].State}";
                    TrainingLog.RequestSkipped(_logger, request.ModelKey, reason);
                    return new TrainingEnqueueResult(false, active[0], reason);
                }
            }

            var now = _time.GetUtcNow();
            var job = new TrainingJob
            {
                Id = Guid.NewGuid().ToString("N"),
                ModelKey = request.ModelKey,
                ModelType = request.ModelType,
                Priority = request.Priority,
                State = TrainingJobState.Queued,
                Trigger = request.Trigger,
                Parameters = request.Parameters,
                Seed = request.Seed,
                TuneHyperparameters = request.TuneHyperparameters,
                CreatedAt = now,
                UpdatedAt = now,
            };
            var stored = await _store.AddAsync(job, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                AddToQueue(stored);
            }

            TrainingLog.JobQueued(_logger, stored.Id, stored.ModelKey, stored.ModelType, stored.Priority, stored.Trigger);
            NotifyChanged();
            return new TrainingEnqueueResult(true, stored, null);
        }
        finally
        {
            _enqueueLock.Release();
        }
    }

    /// <summary>Finds a job, with the live progress of a job this engine is running.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The job, or <see langword="null"/> when there is none.</returns>
    public async Task<TrainingJob?> FindAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(jobId);
        var job = await _store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        RunningJob? running;
        lock (_lock)
        {
            _running.TryGetValue(jobId, out running);
        }

        return job is not null && running?.LatestProgress is { } progress && !TrainingJobTransitions.IsTerminal(job.State)
            ? job with { Progress = progress }
            : job;
    }

    /// <summary>Lists a model's jobs (or all jobs), oldest first: the training history.</summary>
    /// <param name="modelKey">The model; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The jobs.</returns>
    public async Task<IReadOnlyList<TrainingJob>> ListAsync(string? modelKey = null, CancellationToken cancellationToken = default) =>
        await _store.ListAsync(modelKey, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a job's state transitions, oldest first.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The transitions.</returns>
    public async Task<IReadOnlyList<TrainingJobTransition>> GetHistoryAsync(string jobId, CancellationToken cancellationToken = default) =>
        await _store.GetTransitionsAsync(Guard.NotNull(jobId), cancellationToken).ConfigureAwait(false);

    /// <summary>Pauses a running job: it keeps its slot and its trainer waits at its next checkpoint.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The paused job.</returns>
    /// <exception cref="KeyNotFoundException">No job has that id.</exception>
    /// <exception cref="InvalidOperationException">The job is not running in this engine.</exception>
    public Task<TrainingJob> PauseAsync(string jobId, CancellationToken cancellationToken = default) =>
        ChangeRunningStateAsync(jobId, TrainingJobState.Paused, cancellationToken);

    /// <summary>Resumes a paused job.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The running job.</returns>
    /// <exception cref="KeyNotFoundException">No job has that id.</exception>
    /// <exception cref="InvalidOperationException">The job is not paused in this engine.</exception>
    public Task<TrainingJob> ResumeAsync(string jobId, CancellationToken cancellationToken = default) =>
        ChangeRunningStateAsync(jobId, TrainingJobState.Running, cancellationToken);

    /// <summary>
    /// Cancels a job. A queued job is cancelled at once; a running or paused one is asked to stop and moves to
    /// Cancelled when its trainer next checks its token (await <see cref="WaitForCompletionAsync"/> for that).
    /// </summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The job as it is after the request.</returns>
    /// <exception cref="KeyNotFoundException">No job has that id.</exception>
    /// <exception cref="InvalidOperationException">The job has finished, or runs in another engine.</exception>
    public async Task<TrainingJob> CancelAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(jobId);
        while (true)
        {
            RunningJob? running;
            lock (_lock)
            {
                if (_queuedById.Remove(jobId, out var entry))
                {
                    _queue.Remove(entry);
                }

                _running.TryGetValue(jobId, out running);
            }

            if (running is not null)
            {
                running.Cancel(shuttingDown: false);
                return await FindAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw UnknownJob(jobId);
            }

            var job = await _store.FindAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw UnknownJob(jobId);
            if (job.State is TrainingJobState.Running or TrainingJobState.Paused)
            {
                throw new InvalidOperationException(
                    $"Training job '{jobId}' is {job.State} in engine '{job.LeaseOwner}', not in this one ('{InstanceId}'); cancel it there.");
            }

            var cancelled = job.TransitionTo(TrainingJobState.Cancelled, _time.GetUtcNow());
            var stored = await _store.TryUpdateAsync(cancelled, "cancelled on request", cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                TrainingLog.JobStopped(_logger, jobId, TrainingJobState.Cancelled, "cancelled on request");
                NotifyChanged();
                return stored;
            }

            // Another writer changed the job between our read and our write (e.g. the dispatcher claimed it): look again.
        }
    }

    /// <summary>Waits until the job reaches Completed, Failed or Cancelled (as written by this engine or read from the store).</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The finished job.</returns>
    /// <exception cref="KeyNotFoundException">No job has that id.</exception>
    public Task<TrainingJob> WaitForCompletionAsync(string jobId, CancellationToken cancellationToken = default) =>
        WaitForAsync(jobId, job => TrainingJobTransitions.IsTerminal(job.State), cancellationToken);

    /// <summary>Waits until the job satisfies <paramref name="condition"/>, re-checking after every change this engine makes.</summary>
    internal async Task<TrainingJob> WaitForAsync(string jobId, Func<TrainingJob, bool> condition, CancellationToken cancellationToken)
    {
        Guard.NotNull(jobId);
        while (true)
        {
            Task changed = Volatile.Read(ref _changed).Task;
            var job = await _store.FindAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw UnknownJob(jobId);
            if (condition(job))
            {
                return job;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Processes the queue until <paramref name="stoppingToken"/> fires: recovers abandoned jobs first, then starts
    /// eligible jobs as slots free up, renews leases and looks for abandoned jobs every heartbeat interval. On stop,
    /// running jobs are cancelled and queued again for the next start.
    /// </summary>
    /// <param name="stoppingToken">Stops the engine.</param>
    /// <returns>A task that completes when the engine has stopped.</returns>
    /// <exception cref="InvalidOperationException">The engine is already running.</exception>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (Interlocked.Exchange(ref _isRunning, 1) == 1)
        {
            throw new InvalidOperationException("This training engine is already running.");
        }

        try
        {
            await RecoverAsync(stoppingToken).ConfigureAwait(false);
            var nextMaintenance = _time.GetUtcNow() + _options.HeartbeatInterval;
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = _time.GetUtcNow();
                if (now >= nextMaintenance)
                {
                    await MaintainAsync(stoppingToken).ConfigureAwait(false);
                    nextMaintenance = now + _options.HeartbeatInterval;
                }

                var nextDue = StartEligibleJobs(now);
                var wakeAt = nextDue is { } due && due < nextMaintenance ? due : nextMaintenance;
                await WaitForWorkAsync(wakeAt - now, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
        finally
        {
            await StopRunningJobsAsync().ConfigureAwait(false);
            Volatile.Write(ref _isRunning, 0);
        }
    }

    /// <summary>
    /// Finds jobs left Running or Paused by an engine whose lease has expired (its process died) and queues them
    /// again or fails them, as <see cref="TrainingEngineOptions.AbandonedJobs"/> says; then picks up queued jobs
    /// from the store that this engine does not yet know (written before a restart or by another process).
    /// </summary>
    /// <param name="cancellationToken">Cancels the pass.</param>
    /// <returns>The number of abandoned jobs recovered.</returns>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        int recovered = 0;
        foreach (var job in await _store.ListAsync(null, LeasedStates, cancellationToken).ConfigureAwait(false))
        {
            bool local;
            lock (_lock)
            {
                local = _running.ContainsKey(job.Id);
            }

            if (local || job.LeaseExpiresAt > now)
            {
                continue;
            }

            string reason = string.Create(
                CultureInfo.InvariantCulture,
                $"abandoned: the lease of engine '{job.LeaseOwner}' expired at {job.LeaseExpiresAt:O} during attempt {job.Attempts}");
            bool requeue = _options.AbandonedJobs == AbandonedJobBehavior.Requeue && job.Attempts < _options.MaxAttempts;
            if (_options.AbandonedJobs == AbandonedJobBehavior.Requeue && !requeue)
            {
                reason += "; no attempts left";
            }

            var next = job.TransitionTo(requeue ? TrainingJobState.Queued : TrainingJobState.Failed, now) with
            {
                FailureReason = reason,
                LeaseOwner = null,
                LeaseExpiresAt = null,
            };
            var stored = await _store.TryUpdateAsync(next, reason, cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                recovered++;
                TrainingLog.JobRecovered(_logger, stored.Id, stored.State, reason);
            }
        }

        foreach (var job in await _store.ListAsync(null, [TrainingJobState.Queued], cancellationToken).ConfigureAwait(false))
        {
            lock (_lock)
            {
                if (!_running.ContainsKey(job.Id))
                {
                    AddToQueue(job);
                }
            }
        }

        NotifyChanged();
        return recovered;
    }

    /// <summary>Releases the engine's wait primitives. Stop <see cref="RunAsync"/> first.</summary>
    public void Dispose()
    {
        _enqueueLock.Dispose();
        _wake.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static KeyNotFoundException UnknownJob(string jobId) => new($"No training job has id '{jobId}'.");

    private static string Describe(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";

    private void AddToQueue(TrainingJob job)
    {
        if (_queuedById.Remove(job.Id, out var old))
        {
            _queue.Remove(old);
        }

        var entry = QueueEntry.From(job);
        _queuedById.Add(job.Id, entry);
        _queue.Add(entry);
    }

    private void NotifyChanged()
    {
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread woke the dispatcher first; one wake-up is enough.
            }
        }
    }

    private async Task WaitForWorkAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var signal = _wake.WaitAsync(wait.Token);
        var timer = Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, _time, wait.Token);
        await Task.WhenAny(signal, timer).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
    }

    private async Task MaintainAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RecoverAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            TrainingLog.MaintenanceFailed(_logger, ex);
        }
    }

    /// <summary>Starts every job that may start now; returns the earliest back-off end among those still waiting for one.</summary>
    private DateTimeOffset? StartEligibleJobs(DateTimeOffset now)
    {
        var started = new List<RunningJob>();
        DateTimeOffset? nextDue = null;
        lock (_lock)
        {
            foreach (var entry in _queue)
            {
                if (_running.Count >= _options.MaxConcurrency)
                {
                    break;
                }

                if (_busyModels.Contains(entry.ModelKey))
                {
                    continue;
                }

                if (entry.NotBefore is { } notBefore && notBefore > now)
                {
                    nextDue = nextDue is null || notBefore < nextDue ? notBefore : nextDue;
                    continue;
                }

                var running = new RunningJob(entry.JobId, entry.ModelKey);
                _busyModels.Add(entry.ModelKey);
                _running.Add(entry.JobId, running);
                started.Add(running);
            }

            foreach (var running in started)
            {
                _queuedById.Remove(running.JobId, out var entry);
                _queue.Remove(entry!);
            }
        }

        foreach (var running in started)
        {
            running.Execution = Task.Run(() => ExecuteAsync(running));
        }

        return nextDue;
    }

    private async Task StopRunningJobsAsync()
    {
        RunningJob[] running;
        lock (_lock)
        {
            running = [.. _running.Values];
        }

        foreach (var job in running)
        {
            job.Cancel(shuttingDown: true);
        }

        await Task.WhenAll(running.Select(r => r.Execution)).ConfigureAwait(false);
    }
}
