using System.Collections.Concurrent;
using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>
/// An <see cref="IExperimentStore"/> in process memory: for tests, samples and single-process hosts
/// that accept losing their tallies on restart. Exposures use a concurrent set; each experiment's
/// tallies are updated under that experiment's own lock, so experiments never contend.
/// </summary>
internal sealed class InMemoryExperimentStore : IExperimentStore
{
    private readonly ConcurrentDictionary<string, Entry> _experiments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Pending> _predictions = new(StringComparer.Ordinal);

    public ValueTask SaveExperimentAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(experiment);
        cancellationToken.ThrowIfCancellationRequested();
        Entry entry = _experiments.GetOrAdd(experiment.Key, static (_, e) => new Entry(e), experiment);
        entry.Experiment = experiment;
        return ValueTask.CompletedTask;
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
        cancellationToken.ThrowIfCancellationRequested();
        Entry entry = Get(experimentKey);
        if (!entry.Units.TryAdd(unitId, arm))
        {
            return ValueTask.FromResult(false);
        }

        if (arm == ExperimentArm.Challenger)
        {
            Interlocked.Increment(ref entry.ChallengerExposures);
        }
        else
        {
            Interlocked.Increment(ref entry.ChampionExposures);
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask RecordOutcomeAsync(string experimentKey, ExperimentArm arm, string metric, double value, CancellationToken cancellationToken = default)
    {
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
        Get(prediction.ExperimentKey);
        if (!_predictions.TryAdd(prediction.PredictionId, new Pending(prediction)))
        {
            throw new ArgumentException($"A prediction with id '{prediction.PredictionId}' is already kept.", nameof(prediction));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RecordLabelAsync(string predictionId, string metric, string actualLabel, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(predictionId);
        Guard.NotNull(actualLabel);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_predictions.TryGetValue(predictionId, out Pending? pending))
        {
            return ValueTask.FromResult(false);
        }

        PredictionRecord record = pending.Record;
        if (record.ServedOutput is null)
        {
            throw new InvalidOperationException($"Prediction '{predictionId}' was kept without its output, so a label cannot be scored; record its outcome value instead.");
        }

        Entry entry = Get(record.ExperimentKey);
        ExperimentMetric definition = OutcomeRules.Metric(entry.Experiment, metric);
        if (definition.Kind != MetricKind.SuccessRate)
        {
            throw new ArgumentException($"Metric '{metric}' is continuous; a label scores success-rate metrics only.", nameof(metric));
        }

        if (!pending.TryResolve(metric))
        {
            return ValueTask.FromResult(false);
        }

        double served = Score(record.ServedOutput, actualLabel);
        if (record.ShadowOutput is { } shadow)
        {
            entry.AddPaired(metric, served, Score(shadow, actualLabel));
        }
        else
        {
            entry.Add(record.Arm, metric, served);
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> RecordDelayedOutcomeAsync(string predictionId, string metric, double value, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(predictionId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_predictions.TryGetValue(predictionId, out Pending? pending))
        {
            return ValueTask.FromResult(false);
        }

        PredictionRecord record = pending.Record;
        if (record.IsShadow)
        {
            throw new InvalidOperationException($"Prediction '{predictionId}' is a shadow pair; resolve it with its label or record a paired outcome.");
        }

        Entry entry = Get(record.ExperimentKey);
        OutcomeRules.Value(OutcomeRules.Metric(entry.Experiment, metric), value, nameof(value));
        if (!pending.TryResolve(metric))
        {
            return ValueTask.FromResult(false);
        }

        entry.Add(record.Arm, metric, value);
        return ValueTask.FromResult(true);
    }

    public ValueTask<ExperimentTallies> GetTalliesAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Get(experimentKey).Snapshot());
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

    private static double Score(string output, string label) => string.Equals(output, label, StringComparison.Ordinal) ? 1.0 : 0.0;

    private Entry Get(string experimentKey)
    {
        Guard.NotNull(experimentKey);
        return _experiments.TryGetValue(experimentKey, out Entry? entry) ? entry : throw OutcomeRules.UnknownExperiment(experimentKey);
    }

    private sealed class Entry(Experiment experiment)
    {
        // Fields, not properties: Interlocked needs a reference.
        public long ChampionExposures;
        public long ChallengerExposures;

        private volatile Experiment _experiment = experiment;

        public Experiment Experiment
        {
            get => _experiment;
            set => _experiment = value;
        }

        public object Gate { get; } = new();

        public ConcurrentDictionary<string, ExperimentArm> Units { get; } = new(StringComparer.Ordinal);

        public List<ExperimentDecision> Decisions { get; } = [];

        private Dictionary<string, MetricTally> Champion { get; } = new(StringComparer.Ordinal);

        private Dictionary<string, MetricTally> Challenger { get; } = new(StringComparer.Ordinal);

        private Dictionary<string, PairedTally> Paired { get; } = new(StringComparer.Ordinal);

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
                    Interlocked.Read(ref ChampionExposures),
                    Interlocked.Read(ref ChallengerExposures),
                    new Dictionary<string, MetricTally>(Champion, StringComparer.Ordinal),
                    new Dictionary<string, MetricTally>(Challenger, StringComparer.Ordinal),
                    new Dictionary<string, PairedTally>(Paired, StringComparer.Ordinal));
            }
        }
    }

    private sealed class Pending(PredictionRecord record)
    {
        private readonly HashSet<string> _resolved = new(StringComparer.Ordinal);

        public PredictionRecord Record { get; } = record;

        public bool TryResolve(string metric)
        {
            lock (_resolved)
            {
                return _resolved.Add(metric);
            }
        }
    }
}
