using SelfLearning.Experiments;

namespace SelfLearning.Tests.Experiments;

/// <summary>
/// An experiment storage written from <see cref="IExperimentStorage"/> alone, the way a host would write one over its own
/// database: plain dictionaries and lists behind one lock, no experiment rule anywhere. It passes the whole
/// <see cref="ExperimentStoreContractTests"/> through <see cref="ExperimentStore"/>, which is what shows a host's storage
/// inherits every rule.
/// </summary>
internal sealed class DictionaryExperimentStorage : IExperimentStorage
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Row> _experiments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Kept> _predictions = new(StringComparer.Ordinal);
    private byte[]? _unitKey;

    /// <summary>Gets every unit fingerprint held, for tests that check no raw id is stored.</summary>
    public IReadOnlyList<string> HeldUnits
    {
        get
        {
            lock (_lock)
            {
                return [.. _experiments.Values.SelectMany(r => r.Units)];
            }
        }
    }

    public Task<Experiment?> ReadExperimentAsync(string experimentKey, CancellationToken cancellationToken) =>
        Locked(() => _experiments.TryGetValue(experimentKey, out Row? row) ? row.Experiment : null);

    public Task<IReadOnlyList<Experiment>> ListExperimentsAsync(CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Experiment>>(() => [.. _experiments.Values.Select(r => r.Experiment)]);

    public Task SaveExperimentAsync(Experiment experiment, bool releaseUnits, CancellationToken cancellationToken) => Locked(() =>
    {
        if (!_experiments.TryGetValue(experiment.Key, out Row? row))
        {
            _experiments[experiment.Key] = row = new Row(experiment);
        }

        row.Experiment = experiment;
        if (releaseUnits)
        {
            row.Units.Clear();
            row.Released = true;
        }

        return true;
    });

    public Task<bool> DeleteExperimentAsync(string experimentKey, CancellationToken cancellationToken) => Locked(() =>
    {
        foreach (string id in _predictions.Where(p => p.Value.Prediction.ExperimentKey == experimentKey).Select(p => p.Key).ToArray())
        {
            _predictions.Remove(id);
        }

        return _experiments.Remove(experimentKey);
    });

    public Task<byte[]> GetOrAddUnitKeyAsync(byte[] candidate, CancellationToken cancellationToken) => Locked(() => _unitKey ??= candidate);

    public Task<ExperimentWriteResult> AppendExposureAsync(string experimentKey, string unitFingerprint, ExperimentArm arm, CancellationToken cancellationToken) => Locked(() =>
    {
        if (!_experiments.TryGetValue(experimentKey, out Row? row))
        {
            return ExperimentWriteResult.NotFound;
        }

        if (row.Released || !row.Units.Add(unitFingerprint))
        {
            return ExperimentWriteResult.Unchanged;
        }

        row.Exposures[(int)arm]++;
        return ExperimentWriteResult.Written;
    });

    public Task<ExperimentWriteResult> AppendOutcomeAsync(ExperimentOutcome outcome, CancellationToken cancellationToken) => Locked(() =>
    {
        if (!_experiments.TryGetValue(outcome.ExperimentKey, out Row? row))
        {
            return ExperimentWriteResult.NotFound;
        }

        if (outcome.PredictionId is { } id)
        {
            if (!_predictions.TryGetValue(id, out Kept? kept) || kept.ExpiresAt <= outcome.RecordedAt || kept.Prediction.ExperimentKey != outcome.ExperimentKey)
            {
                return ExperimentWriteResult.NotFound;
            }

            if (!kept.Resolved.Add(outcome.Metric))
            {
                return ExperimentWriteResult.Unchanged;
            }
        }

        if (outcome.IsPaired)
        {
            row.Paired[outcome.Metric] = row.Paired.GetValueOrDefault(outcome.Metric).Add(outcome.Value, outcome.ChallengerValue);
        }
        else
        {
            Dictionary<string, MetricTally> arm = row.Tallies[(int)outcome.Arm];
            arm[outcome.Metric] = arm.GetValueOrDefault(outcome.Metric).Add(outcome.Value);
        }

        return ExperimentWriteResult.Written;
    });

    public Task<ExperimentWriteResult> AddPredictionAsync(PredictionRecord prediction, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken) => Locked(() =>
    {
        if (!_experiments.ContainsKey(prediction.ExperimentKey))
        {
            return ExperimentWriteResult.NotFound;
        }

        ForgetExpired(now);
        return _predictions.TryAdd(prediction.PredictionId, new Kept(prediction, expiresAt)) ? ExperimentWriteResult.Written : ExperimentWriteResult.Unchanged;
    });

    public Task<ExperimentWriteResult> ResolvePredictionAsync(
        string predictionId, DateTimeOffset now, Func<StoredPrediction, ExperimentOutcome> decide, CancellationToken cancellationToken)
    {
        // The lock is re-entrant: the read, the decision and the append are one atomic step.
        lock (_lock)
        {
            return _predictions.TryGetValue(predictionId, out Kept? kept) && kept.ExpiresAt > now && _experiments.TryGetValue(kept.Prediction.ExperimentKey, out Row? row)
                ? AppendOutcomeAsync(decide(new StoredPrediction(kept.Prediction, row.Experiment)), cancellationToken)
                : Task.FromResult(ExperimentWriteResult.NotFound);
        }
    }

    public Task<ExperimentTallies?> ReadTalliesAsync(string experimentKey, DateTimeOffset now, CancellationToken cancellationToken) => Locked(() =>
    {
        if (!_experiments.TryGetValue(experimentKey, out Row? row))
        {
            return null;
        }

        long expiredNow = _predictions.Values.Count(k => k.Prediction.ExperimentKey == experimentKey && k.ExpiresAt <= now && k.Resolved.Count == 0);
        return new ExperimentTallies(
            experimentKey,
            row.Exposures[0],
            row.Exposures[1],
            new Dictionary<string, MetricTally>(row.Tallies[0]),
            new Dictionary<string, MetricTally>(row.Tallies[1]),
            new Dictionary<string, PairedTally>(row.Paired),
            row.Expired + expiredNow);
    });

    public Task<ExperimentWriteResult> AppendDecisionAsync(ExperimentDecision decision, CancellationToken cancellationToken) => Locked(() =>
    {
        if (!_experiments.TryGetValue(decision.ExperimentKey, out Row? row))
        {
            return ExperimentWriteResult.NotFound;
        }

        row.Decisions.Add(decision);
        return ExperimentWriteResult.Written;
    });

    public Task<IReadOnlyList<ExperimentDecision>?> ReadDecisionsAsync(string experimentKey, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ExperimentDecision>?>(() => _experiments.TryGetValue(experimentKey, out Row? row) ? [.. row.Decisions] : null);

    /// <summary>Forgets the predictions expired by <paramref name="now"/>, counting those that never had an outcome.</summary>
    private void ForgetExpired(DateTimeOffset now)
    {
        foreach (var (id, kept) in _predictions.Where(p => p.Value.ExpiresAt <= now).ToArray())
        {
            _predictions.Remove(id);
            if (kept.Resolved.Count == 0 && _experiments.TryGetValue(kept.Prediction.ExperimentKey, out Row? row))
            {
                row.Expired++;
            }
        }
    }

    private Task<T> Locked<T>(Func<T> action)
    {
        lock (_lock)
        {
            return Task.FromResult(action());
        }
    }

    private sealed class Row(Experiment experiment)
    {
        public Experiment Experiment { get; set; } = experiment;

        public bool Released { get; set; }

        public HashSet<string> Units { get; } = new(StringComparer.Ordinal);

        public long[] Exposures { get; } = new long[2];

        public Dictionary<string, MetricTally>[] Tallies { get; } = [new(StringComparer.Ordinal), new(StringComparer.Ordinal)];

        public Dictionary<string, PairedTally> Paired { get; } = new(StringComparer.Ordinal);

        public List<ExperimentDecision> Decisions { get; } = [];

        public long Expired { get; set; }
    }

    private sealed record Kept(PredictionRecord Prediction, DateTimeOffset ExpiresAt)
    {
        public HashSet<string> Resolved { get; } = new(StringComparer.Ordinal);
    }
}
