using System.Collections.Concurrent;
using System.Globalization;
using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// The <see cref="IExperimentStorage"/> of <see cref="InMemoryExperimentStore"/>: each experiment's state under that
/// experiment's own lock, so experiments never contend; kept predictions in a concurrent map with a queue in expiry order.
/// </summary>
/// <remarks>
/// Memory is bounded by the options: at most <see cref="ExperimentStoreOptions.MaximumTrackedUnitsPerExperiment"/> unit
/// fingerprints per experiment (held as 128-bit numbers; units beyond it are not counted), and at most
/// <see cref="ExperimentStoreOptions.MaximumPendingPredictions"/> kept predictions (the oldest is evicted first, counted in
/// <see cref="EvictedPredictions"/> and, if it had no outcome, as expired). Expired predictions are swept on every
/// prediction call and tally read.
/// </remarks>
internal sealed class InMemoryExperimentStorage : IExperimentStorage
{
    private static readonly Task<ExperimentWriteResult> Written = Task.FromResult(ExperimentWriteResult.Written);
    private static readonly Task<ExperimentWriteResult> Unchanged = Task.FromResult(ExperimentWriteResult.Unchanged);
    private static readonly Task<ExperimentWriteResult> NotFound = Task.FromResult(ExperimentWriteResult.NotFound);

    private readonly ConcurrentDictionary<string, Entry> _experiments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Pending> _predictions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Pending> _expiryQueue = new();
    private readonly object _sweepGate = new();
    private readonly int _maximumUnits;
    private readonly int _maximumPending;
    private byte[]? _unitKey;
    private long _evictedPredictions;

    public InMemoryExperimentStorage(ExperimentStoreOptions options)
    {
        Guard.NotNull(options);
        _maximumUnits = options.MaximumTrackedUnitsPerExperiment;
        _maximumPending = options.MaximumPendingPredictions;
    }

    /// <summary>Gets how many kept predictions were evicted by <see cref="ExperimentStoreOptions.MaximumPendingPredictions"/> before they expired.</summary>
    public long EvictedPredictions => Interlocked.Read(ref _evictedPredictions);

    /// <summary>Gets the number of predictions kept and not yet swept.</summary>
    public int PendingCount => _predictions.Count;

    /// <summary>Gets how many unit fingerprints an experiment holds.</summary>
    public int TrackedUnitCount(string experimentKey) => _experiments.TryGetValue(experimentKey, out Entry? entry) ? entry.UnitCount : 0;

    public Task<Experiment?> ReadExperimentAsync(string experimentKey, CancellationToken cancellationToken) =>
        Task.FromResult(_experiments.TryGetValue(experimentKey, out Entry? entry) ? entry.Experiment : null);

    public Task<IReadOnlyList<Experiment>> ListExperimentsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Experiment>>([.. _experiments.Values.Select(e => e.Experiment)]);

    public Task SaveExperimentAsync(Experiment experiment, bool releaseUnits, CancellationToken cancellationToken)
    {
        Entry entry = _experiments.GetOrAdd(experiment.Key, static (_, e) => new Entry(e), experiment);
        entry.Experiment = experiment;
        if (releaseUnits)
        {
            entry.ReleaseUnits();
        }

        return Task.CompletedTask;
    }

    public Task<bool> DeleteExperimentAsync(string experimentKey, CancellationToken cancellationToken)
    {
        if (!_experiments.TryRemove(experimentKey, out Entry? entry))
        {
            return Task.FromResult(false);
        }

        // Its kept predictions go too; their queue slots are skipped when the sweep reaches them.
        foreach (var pair in _predictions)
        {
            if (ReferenceEquals(pair.Value.Entry, entry))
            {
                _predictions.TryRemove(pair);
            }
        }

        entry.ReleaseUnits();
        return Task.FromResult(true);
    }

    public Task<byte[]> GetOrAddUnitKeyAsync(byte[] candidate, CancellationToken cancellationToken) =>
        Task.FromResult(Interlocked.CompareExchange(ref _unitKey, candidate, null) ?? candidate);

    public Task<ExperimentWriteResult> AppendExposureAsync(string experimentKey, string unitFingerprint, ExperimentArm arm, CancellationToken cancellationToken)
    {
        if (!_experiments.TryGetValue(experimentKey, out Entry? entry))
        {
            return NotFound;
        }

        UInt128 unit = UInt128.Parse(unitFingerprint, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return entry.AddUnit(unit, arm, _maximumUnits) ? Written : Unchanged;
    }

    public Task<ExperimentWriteResult> AppendOutcomeAsync(ExperimentOutcome outcome, CancellationToken cancellationToken)
    {
        Entry? entry;
        if (outcome.PredictionId is { } predictionId)
        {
            if (!TryGetPending(predictionId, outcome.RecordedAt, out Pending? pending) || pending.Record.ExperimentKey != outcome.ExperimentKey)
            {
                return NotFound;
            }

            if (!pending.TryResolve(outcome.Metric))
            {
                return Unchanged;
            }

            entry = pending.Entry;
        }
        else if (!_experiments.TryGetValue(outcome.ExperimentKey, out entry))
        {
            return NotFound;
        }

        entry.Add(outcome);
        return Written;
    }

    public Task<ExperimentWriteResult> AddPredictionAsync(PredictionRecord prediction, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_experiments.TryGetValue(prediction.ExperimentKey, out Entry? entry))
        {
            return NotFound;
        }

        Sweep(now);
        var pending = new Pending(prediction, entry, expiresAt);
        if (!_predictions.TryAdd(prediction.PredictionId, pending))
        {
            return Unchanged;
        }

        _expiryQueue.Enqueue(pending);
        if (_predictions.Count > _maximumPending)
        {
            EvictOldest();
        }

        return Written;
    }

    public Task<ExperimentWriteResult> ResolvePredictionAsync(
        string predictionId, DateTimeOffset now, Func<StoredPrediction, ExperimentOutcome> decide, CancellationToken cancellationToken) =>
        TryGetPending(predictionId, now, out Pending? pending)
            ? AppendOutcomeAsync(decide(new StoredPrediction(pending.Record, pending.Entry.Experiment)), cancellationToken)
            : NotFound;

    public Task<ExperimentTallies?> ReadTalliesAsync(string experimentKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_experiments.TryGetValue(experimentKey, out Entry? entry))
        {
            return Task.FromResult<ExperimentTallies?>(null);
        }

        Sweep(now);
        return Task.FromResult<ExperimentTallies?>(entry.Snapshot());
    }

    public Task<ExperimentWriteResult> AppendDecisionAsync(ExperimentDecision decision, CancellationToken cancellationToken)
    {
        if (!_experiments.TryGetValue(decision.ExperimentKey, out Entry? entry))
        {
            return NotFound;
        }

        lock (entry.Gate)
        {
            entry.Decisions.Add(decision);
        }

        return Written;
    }

    public Task<IReadOnlyList<ExperimentDecision>?> ReadDecisionsAsync(string experimentKey, CancellationToken cancellationToken)
    {
        if (!_experiments.TryGetValue(experimentKey, out Entry? entry))
        {
            return Task.FromResult<IReadOnlyList<ExperimentDecision>?>(null);
        }

        lock (entry.Gate)
        {
            return Task.FromResult<IReadOnlyList<ExperimentDecision>?>(entry.Decisions.ToArray());
        }
    }

    private bool TryGetPending(string predictionId, DateTimeOffset now, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Pending? pending)
    {
        Sweep(now);

        // A prediction another thread is about to sweep is already expired: refuse it the same way.
        return _predictions.TryGetValue(predictionId, out pending) && pending.ExpiresAt > now;
    }

    /// <summary>Forgets every prediction past its expiry; the queue is in expiry order because the time to live is fixed.</summary>
    private void Sweep(DateTimeOffset now)
    {
        if (!_expiryQueue.TryPeek(out Pending? head) || head.ExpiresAt > now)
        {
            return;
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

    private sealed class Entry(Experiment experiment)
    {
        // A field, not a property: Interlocked needs a reference.
        public long ExpiredPredictions;

        private HashSet<UInt128> _units = [];
        private bool _released;
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

        private Dictionary<string, MetricTally> Champion { get; } = new(StringComparer.Ordinal);

        private Dictionary<string, MetricTally> Challenger { get; } = new(StringComparer.Ordinal);

        private Dictionary<string, PairedTally> Paired { get; } = new(StringComparer.Ordinal);

        public bool AddUnit(UInt128 fingerprint, ExperimentArm arm, int maximumUnits)
        {
            lock (Gate)
            {
                if (_released || _units.Count >= maximumUnits || !_units.Add(fingerprint))
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

        /// <summary>Forgets the units (the counts stay) and stops counting new ones.</summary>
        public void ReleaseUnits()
        {
            lock (Gate)
            {
                _released = true;
                _units = [];
            }
        }

        public void Add(ExperimentOutcome outcome)
        {
            lock (Gate)
            {
                if (outcome.IsPaired)
                {
                    Paired[outcome.Metric] = Paired.GetValueOrDefault(outcome.Metric).Add(outcome.Value, outcome.ChallengerValue);
                    return;
                }

                Dictionary<string, MetricTally> tallies = outcome.Arm == ExperimentArm.Challenger ? Challenger : Champion;
                tallies[outcome.Metric] = tallies.GetValueOrDefault(outcome.Metric).Add(outcome.Value);
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
