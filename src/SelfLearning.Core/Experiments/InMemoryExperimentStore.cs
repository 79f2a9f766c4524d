using System.Collections.Concurrent;
using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// An <see cref="IExperimentStore"/> in process memory: for tests, samples and single-process hosts
/// that accept losing their tallies on restart. Each experiment's tallies are updated under that
/// experiment's own lock, so experiments never contend.
/// </summary>
/// <remarks>
/// Memory stays bounded. Kept predictions expire after <see cref="ExperimentStoreOptions.PendingPredictionTimeToLive"/>
/// (a queue in expiry order is swept on every prediction call and tally read; those without any outcome are
/// counted in <see cref="ExperimentTallies.ExpiredPredictions"/>), and at most
/// <see cref="ExperimentStoreOptions.MaximumPendingPredictions"/> are kept: beyond it the oldest is evicted (and counted).
/// Exposed units are remembered as 64-bit fingerprints up to
/// <see cref="ExperimentStoreOptions.MaximumTrackedUnitsPerExperiment"/> per experiment, and forgotten when the
/// experiment is saved concluded; <see cref="DeleteExperimentAsync"/> removes an experiment with all its state.
/// </remarks>
internal sealed class InMemoryExperimentStore : IExperimentStore
{
    private readonly ConcurrentDictionary<string, Entry> _experiments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Pending> _predictions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Pending> _expiryQueue = new();
    private readonly object _sweepGate = new();
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeToLive;
    private readonly int _maximumUnits;
    private readonly int _maximumPending;
    private long _evictedPredictions;

    public InMemoryExperimentStore(TimeProvider? timeProvider = null, ExperimentStoreOptions? options = null)
    {
        options ??= new ExperimentStoreOptions();
        options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _timeToLive = options.PendingPredictionTimeToLive;
        _maximumUnits = options.MaximumTrackedUnitsPerExperiment;
        _maximumPending = options.MaximumPendingPredictions;
    }

    /// <summary>Gets how many kept predictions were evicted by <see cref="ExperimentStoreOptions.MaximumPendingPredictions"/> before they expired.</summary>
    internal long EvictedPredictions => Interlocked.Read(ref _evictedPredictions);

    /// <summary>Gets the number of predictions kept and not yet expired (or swept), for tests of the memory bound.</summary>
    internal int PendingCount => _predictions.Count;

    /// <summary>Gets how many unit fingerprints an experiment holds, for tests of the memory bound.</summary>
    internal int TrackedUnitCount(string experimentKey) => Get(experimentKey).UnitCount;

    public ValueTask SaveExperimentAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(experiment);
        cancellationToken.ThrowIfCancellationRequested();
        Entry entry = _experiments.GetOrAdd(experiment.Key, static (_, e) => new Entry(e), experiment);
        entry.Experiment = experiment;
        if (experiment.Status != ExperimentStatus.Running)
        {
            entry.ReleaseUnits();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteExperimentAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(experimentKey);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_experiments.TryRemove(experimentKey, out Entry? entry))
        {
            return ValueTask.FromResult(false);
        }

        // Its pending predictions go too; their queue slots are skipped when the sweep reaches them.
        foreach (var pair in _predictions)
        {
            if (ReferenceEquals(pair.Value.Entry, entry))
            {
                _predictions.TryRemove(pair);
            }
        }

        entry.ReleaseUnits();
        return ValueTask.FromResult(true);
    }

    public ValueTask<Experiment?> FindExperimentAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(experimentKey);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_experiments.TryGetValue(experimentKey, out Entry? entry) ? entry.Experiment : null);
    }

    public ValueTask<IReadOnlyList<Experiment>> ListExperimentsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<Experiment> list = _experiments.Values.Select(e => e.Experiment).OrderBy(e => e.Key, StringComparer.Ordinal).ToArray();
        return ValueTask.FromResult(list);
    }

    public ValueTask<bool> RecordExposureAsync(string experimentKey, string unitId, ExperimentArm arm, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(unitId);
        Guard.Defined(arm);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Get(experimentKey).AddUnit(UnitFingerprint.Of(unitId), arm, _maximumUnits));
    }

    public ValueTask RecordOutcomeAsync(string experimentKey, ExperimentArm arm, string metric, double value, CancellationToken cancellationToken = default)
    {
        Guard.Defined(arm);
        cancellationToken.ThrowIfCancellationRequested();
        Entry entry = Get(experimentKey);
        OutcomeRules.Value(OutcomeRules.Metric(entry.Experiment, metric), value, nameof(value));
        entry.Add(arm, metric, value);
        return ValueTask.CompletedTask;
    }

    public ValueTask RecordPairedOutcomeAsync(string experimentKey, string metric, double championValue, double challengerValue, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Entry entry = Get(experimentKey);
        ExperimentMetric definition = OutcomeRules.Metric(entry.Experiment, metric);
        OutcomeRules.Value(definition, championValue, nameof(championValue));
        OutcomeRules.Value(definition, challengerValue, nameof(challengerValue));
        entry.AddPaired(metric, championValue, challengerValue);
        return ValueTask.CompletedTask;
    }

    public ValueTask RecordPredictionAsync(PredictionRecord prediction, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(prediction);
        cancellationToken.ThrowIfCancellationRequested();
        Entry entry = Get(prediction.ExperimentKey);
        DateTimeOffset now = Sweep();
        var pending = new Pending(prediction, entry, now + _timeToLive);
        if (!_predictions.TryAdd(prediction.PredictionId, pending))
        {
            throw OutcomeRules.DuplicatePrediction(prediction);
        }

        _expiryQueue.Enqueue(pending);
        if (_predictions.Count > _maximumPending)
        {
            EvictOldest();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RecordLabelAsync(string predictionId, string metric, string actualLabel, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(predictionId);
        Guard.NotNull(actualLabel);
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryGetPending(predictionId, out Pending? pending))
        {
            return ValueTask.FromResult(false);
        }

        PredictionRecord record = pending.Record;
        string served = record.ServedOutput ?? throw OutcomeRules.NoServedOutput(predictionId);
        OutcomeRules.LabelMetric(pending.Entry.Experiment, metric);
        if (!pending.TryResolve(metric))
        {
            return ValueTask.FromResult(false);
        }

        double score = OutcomeRules.Score(served, actualLabel);
        if (record.ShadowOutput is { } shadow)
        {
            pending.Entry.AddPaired(metric, score, OutcomeRules.Score(shadow, actualLabel));
        }
        else
        {
            pending.Entry.Add(record.Arm, metric, score);
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> RecordDelayedOutcomeAsync(string predictionId, string metric, double value, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(predictionId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryGetPending(predictionId, out Pending? pending))
        {
            return ValueTask.FromResult(false);
        }

        if (pending.Record.IsShadow)
        {
            throw OutcomeRules.ShadowNeedsLabel(predictionId);
        }

        OutcomeRules.Value(OutcomeRules.Metric(pending.Entry.Experiment, metric), value, nameof(value));
        if (!pending.TryResolve(metric))
        {
            return ValueTask.FromResult(false);
        }

        pending.Entry.Add(pending.Record.Arm, metric, value);
        return ValueTask.FromResult(true);
    }

    public ValueTask<ExperimentTallies> GetTalliesAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Entry entry = Get(experimentKey);
        Sweep();
        return ValueTask.FromResult(entry.Snapshot());
    }

    public ValueTask RecordDecisionAsync(ExperimentDecision decision, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(decision);
        cancellationToken.ThrowIfCancellationRequested();
        Entry entry = Get(decision.ExperimentKey);
        lock (entry.Gate)
        {
            entry.Decisions.Add(decision);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ExperimentDecision>> GetDecisionsAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Entry entry = Get(experimentKey);
        lock (entry.Gate)
        {
            return ValueTask.FromResult<IReadOnlyList<ExperimentDecision>>(entry.Decisions.ToArray());
        }
    }

    private bool TryGetPending(string predictionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Pending? pending)
    {
        DateTimeOffset now = Sweep();

        // A prediction another thread is about to sweep is already expired: refuse it the same way.
        return _predictions.TryGetValue(predictionId, out pending) && pending.ExpiresAt > now;
    }

    /// <summary>Forgets every prediction past its expiry; the queue is in expiry order because the time to live is fixed.</summary>
    private DateTimeOffset Sweep()
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (!_expiryQueue.TryPeek(out Pending? head) || head.ExpiresAt > now)
        {
            return now;
        }

        lock (_sweepGate)
        {
            while (_expiryQueue.TryPeek(out head) && head.ExpiresAt <= now)
            {
                _expiryQueue.TryDequeue(out _);
                if (_predictions.TryRemove(new KeyValuePair<string, Pending>(head.Record.PredictionId, head)) && !head.HasOutcome)
                {
                    Interlocked.Increment(ref head.Entry.ExpiredPredictions);
                }
            }
        }

        return now;
    }

    /// <summary>Forgets the oldest kept predictions until at most the maximum are left; one without an outcome counts as expired.</summary>
    private void EvictOldest()
    {
        lock (_sweepGate)
        {
            while (_predictions.Count > _maximumPending && _expiryQueue.TryDequeue(out Pending? oldest))
            {
                if (_predictions.TryRemove(new KeyValuePair<string, Pending>(oldest.Record.PredictionId, oldest)))
                {
                    Interlocked.Increment(ref _evictedPredictions);
                    if (!oldest.HasOutcome)
                    {
                        Interlocked.Increment(ref oldest.Entry.ExpiredPredictions);
                    }
                }
            }
        }
    }

    private Entry Get(string experimentKey)
    {
        Guard.NotNull(experimentKey);
        return _experiments.TryGetValue(experimentKey, out Entry? entry) ? entry : throw OutcomeRules.UnknownExperiment(experimentKey);
    }

    private sealed class Entry(Experiment experiment)
    {
        // A field, not a property: Interlocked needs a reference.
        public long ExpiredPredictions;

        private HashSet<ulong> _units = [];
        private bool _concluded;
        private volatile Experiment _experiment = experiment;
        private long _championExposures;
        private long _challengerExposures;

        public Experiment Experiment
        {
            get => _experiment;
            set => _experiment = value;
        }

        public object Gate { get; } = new();

        public List<ExperimentDecision> Decisions { get; } = [];

        private Dictionary<string, MetricTally> Champion { get; } = new(StringComparer.Ordinal);

        private Dictionary<string, MetricTally> Challenger { get; } = new(StringComparer.Ordinal);

        private Dictionary<string, PairedTally> Paired { get; } = new(StringComparer.Ordinal);

        public bool AddUnit(ulong fingerprint, ExperimentArm arm, int maximumUnits)
        {
            lock (Gate)
            {
                if (_concluded || _units.Count >= maximumUnits || !_units.Add(fingerprint))
                {
                    return false;
                }

                if (arm == ExperimentArm.Challenger)
                {
                    _challengerExposures++;
                }
                else
                {
                    _championExposures++;
                }

                return true;
            }
        }

        public int UnitCount
        {
            get
            {
                lock (Gate)
                {
                    return _units.Count;
                }
            }
        }

        /// <summary>Forgets the units (the counts stay) and stops counting new ones: the experiment is over.</summary>
        public void ReleaseUnits()
        {
            lock (Gate)
            {
                _concluded = true;
                _units = [];
            }
        }

        public void Add(ExperimentArm arm, string metric, double value)
        {
            Dictionary<string, MetricTally> tallies = arm == ExperimentArm.Challenger ? Challenger : Champion;
            lock (Gate)
            {
                tallies[metric] = tallies.GetValueOrDefault(metric).Add(value);
            }
        }

        public void AddPaired(string metric, double championValue, double challengerValue)
        {
            lock (Gate)
            {
                Paired[metric] = Paired.GetValueOrDefault(metric).Add(championValue, challengerValue);
            }
        }

        public ExperimentTallies Snapshot()
        {
            lock (Gate)
            {
                return new ExperimentTallies(
                    Experiment.Key,
                    _championExposures,
                    _challengerExposures,
                    new Dictionary<string, MetricTally>(Champion, StringComparer.Ordinal),
                    new Dictionary<string, MetricTally>(Challenger, StringComparer.Ordinal),
                    new Dictionary<string, PairedTally>(Paired, StringComparer.Ordinal),
                    Interlocked.Read(ref ExpiredPredictions));
            }
        }
    }

    private sealed class Pending(PredictionRecord record, Entry entry, DateTimeOffset expiresAt)
    {
        private readonly HashSet<string> _resolved = new(StringComparer.Ordinal);

        public PredictionRecord Record { get; } = record;

        public Entry Entry { get; } = entry;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public bool HasOutcome
        {
            get
            {
                lock (_resolved)
                {
                    return _resolved.Count > 0;
                }
            }
        }

        public bool TryResolve(string metric)
        {
            lock (_resolved)
            {
                return _resolved.Add(metric);
            }
        }
    }
}
