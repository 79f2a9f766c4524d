using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using SelfLearning.Internal;
using SelfLearning.Privacy;

namespace SelfLearning.Experiments;

/// <summary>
/// The <see cref="IExperimentStore"/>: every rule of the experiment store, written once, over an
/// <see cref="IExperimentStorage"/> that only stores. The in-memory, SQLite and PostgreSQL stores are this class over their storage;
/// a host keeps its experiments in its own database by implementing the storage and passing it here.
/// </summary>
/// <remarks>
/// <para>
/// The rules: an outcome's metric is the experiment's and its value fits it (0 or 1 for a success rate, finite otherwise);
/// a label scores 1 when it equals the served output; a shadow-mode prediction is resolved as a pair; an outcome of a kept
/// prediction counts once per metric, and only within <see cref="ExperimentStoreOptions.PendingPredictionTimeToLive"/>;
/// a concluded experiment releases its units; unknown keys are refused with <see cref="KeyNotFoundException"/>.
/// </para>
/// <para>
/// Unit ids are often patient or account ids, so they never reach the storage: a unit is passed as a keyed fingerprint,
/// the first 128 bits of HMAC-SHA256 over the unit id under a purpose naming the experiment (the same unit has unrelated
/// fingerprints in two experiments). The key is the host's pseudonymisation key when one is given; otherwise the storage's
/// own random key (see <see cref="IExperimentStorage.GetOrAddUnitKeyAsync"/>), so that every process sharing the storage
/// fingerprints a unit the same way.
/// </para>
/// </remarks>
public class ExperimentStore : IExperimentStore
{
    private const string UnitPurposePrefix = "experiment-unit:";
    private const int UnitKeyBytes = 32;

    private readonly IExperimentStorage _storage;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeToLive;
    private Pseudonymizer? _unitKey;

    /// <summary>Initializes a store over a storage.</summary>
    /// <param name="storage">Where the experiments are kept.</param>
    /// <param name="timeProvider">The clock for prediction expiry; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="options">The limits; the defaults when <see langword="null"/>.</param>
    /// <param name="unitKey">The key of the unit fingerprints, normally the host's pseudonymisation key; the storage's own key when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="storage"/> is <see langword="null"/>.</exception>
    /// <exception cref="ValidationException">An option is out of range; the message names it.</exception>
    public ExperimentStore(IExperimentStorage storage, TimeProvider? timeProvider = null, ExperimentStoreOptions? options = null, Pseudonymizer? unitKey = null)
    {
        _storage = Guard.NotNull(storage);
        options ??= new ExperimentStoreOptions();
        options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _timeToLive = options.PendingPredictionTimeToLive;
        _unitKey = unitKey;
    }

    /// <inheritdoc />
    public async ValueTask SaveExperimentAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(experiment);
        cancellationToken.ThrowIfCancellationRequested();

        // Concluded: the exposure counts stay, the units themselves are released.
        await _storage.SaveExperimentAsync(experiment, releaseUnits: experiment.Status != ExperimentStatus.Running, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteExperimentAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(experimentKey);
        cancellationToken.ThrowIfCancellationRequested();
        return await _storage.DeleteExperimentAsync(experimentKey, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<Experiment?> FindExperimentAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(experimentKey);
        cancellationToken.ThrowIfCancellationRequested();
        return await _storage.ReadExperimentAsync(experimentKey, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Experiment>> ListExperimentsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<Experiment> stored = await _storage.ListExperimentsAsync(cancellationToken).ConfigureAwait(false);

        // Ordinal (UTF-16) order whatever the storage's collation.
        return [.. stored.OrderBy(e => e.Key, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async ValueTask<bool> RecordExposureAsync(string experimentKey, string unitId, ExperimentArm arm, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(experimentKey);
        Guard.NotNull(unitId);
        Guard.Defined(arm);
        cancellationToken.ThrowIfCancellationRequested();
        Pseudonymizer key = _unitKey ?? await StorageUnitKeyAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.AppendExposureAsync(experimentKey, UnitFingerprint(key, experimentKey, unitId), arm, cancellationToken).ConfigureAwait(false) switch
        {
            ExperimentWriteResult.Written => true,
            ExperimentWriteResult.NotFound => throw OutcomeRules.UnknownExperiment(experimentKey),
            _ => false,
        };
    }

    /// <inheritdoc />
    public async ValueTask RecordOutcomeAsync(string experimentKey, ExperimentArm arm, string metric, double value, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(experimentKey);
        Guard.Defined(arm);
        cancellationToken.ThrowIfCancellationRequested();
        Experiment experiment = await ExistingAsync(experimentKey, cancellationToken).ConfigureAwait(false);
        OutcomeRules.Value(OutcomeRules.Metric(experiment, metric), value, nameof(value));
        await AppendAsync(ExperimentOutcome.Single(experimentKey, metric, arm, value, predictionId: null, _timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RecordPairedOutcomeAsync(string experimentKey, string metric, double championValue, double challengerValue, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(experimentKey);
        cancellationToken.ThrowIfCancellationRequested();
        Experiment experiment = await ExistingAsync(experimentKey, cancellationToken).ConfigureAwait(false);
        ExperimentMetric definition = OutcomeRules.Metric(experiment, metric);
        OutcomeRules.Value(definition, championValue, nameof(championValue));
        OutcomeRules.Value(definition, challengerValue, nameof(challengerValue));
        await AppendAsync(
            ExperimentOutcome.Paired(experimentKey, metric, championValue, challengerValue, predictionId: null, _timeProvider.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RecordPredictionAsync(PredictionRecord prediction, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(prediction);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now = _timeProvider.GetUtcNow();
        switch (await _storage.AddPredictionAsync(prediction, now + _timeToLive, now, cancellationToken).ConfigureAwait(false))
        {
            case ExperimentWriteResult.NotFound:
                throw OutcomeRules.UnknownExperiment(prediction.ExperimentKey);
            case ExperimentWriteResult.Unchanged:
                throw OutcomeRules.DuplicatePrediction(prediction);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> RecordLabelAsync(string predictionId, string metric, string actualLabel, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(predictionId);
        Guard.NotNull(actualLabel);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now = _timeProvider.GetUtcNow();
        ExperimentWriteResult result = await _storage.ResolvePredictionAsync(
            predictionId,
            now,
            stored =>
            {
                PredictionRecord prediction = stored.Prediction;
                string served = prediction.ServedOutput ?? throw OutcomeRules.NoServedOutput(predictionId);
                OutcomeRules.LabelMetric(stored.Experiment, metric);
                double score = OutcomeRules.Score(served, actualLabel);
                return prediction.ShadowOutput is { } shadow
                    ? ExperimentOutcome.Paired(prediction.ExperimentKey, metric, score, OutcomeRules.Score(shadow, actualLabel), predictionId, now)
                    : ExperimentOutcome.Single(prediction.ExperimentKey, metric, prediction.Arm, score, predictionId, now);
            },
            cancellationToken).ConfigureAwait(false);
        return result == ExperimentWriteResult.Written;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RecordDelayedOutcomeAsync(string predictionId, string metric, double value, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(predictionId);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now = _timeProvider.GetUtcNow();
        ExperimentWriteResult result = await _storage.ResolvePredictionAsync(
            predictionId,
            now,
            stored =>
            {
                PredictionRecord prediction = stored.Prediction;
                if (prediction.IsShadow)
                {
                    throw OutcomeRules.ShadowNeedsLabel(predictionId);
                }

                OutcomeRules.Value(OutcomeRules.Metric(stored.Experiment, metric), value, nameof(value));
                return ExperimentOutcome.Single(prediction.ExperimentKey, metric, prediction.Arm, value, predictionId, now);
            },
            cancellationToken).ConfigureAwait(false);
        return result == ExperimentWriteResult.Written;
    }

    /// <inheritdoc />
    public async ValueTask<ExperimentTallies> GetTalliesAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(experimentKey);
        cancellationToken.ThrowIfCancellationRequested();
        return await _storage.ReadTalliesAsync(experimentKey, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            ?? throw OutcomeRules.UnknownExperiment(experimentKey);
    }

    /// <inheritdoc />
    public async ValueTask RecordDecisionAsync(ExperimentDecision decision, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(decision);
        cancellationToken.ThrowIfCancellationRequested();
        if (await _storage.AppendDecisionAsync(decision, cancellationToken).ConfigureAwait(false) == ExperimentWriteResult.NotFound)
        {
            throw OutcomeRules.UnknownExperiment(decision.ExperimentKey);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ExperimentDecision>> GetDecisionsAsync(string experimentKey, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(experimentKey);
        cancellationToken.ThrowIfCancellationRequested();
        return await _storage.ReadDecisionsAsync(experimentKey, cancellationToken).ConfigureAwait(false) ?? throw OutcomeRules.UnknownExperiment(experimentKey);
    }

    /// <summary>
    /// The stored form of a unit: 32 lowercase hex digits of HMAC-SHA256 under the key, with the experiment in the purpose
    /// (also used by the SQLite storage to rewrite the raw ids earlier versions kept).
    /// </summary>
    internal static string UnitFingerprint(Pseudonymizer key, string experimentKey, string unitId) => key.Pseudonymize(unitId, UnitPurposePrefix + experimentKey);

    private async Task<Experiment> ExistingAsync(string experimentKey, CancellationToken cancellationToken) =>
        await _storage.ReadExperimentAsync(experimentKey, cancellationToken).ConfigureAwait(false) ?? throw OutcomeRules.UnknownExperiment(experimentKey);

    private async Task AppendAsync(ExperimentOutcome outcome, CancellationToken cancellationToken)
    {
        // Only a delete racing this call can leave the experiment missing now.
        if (await _storage.AppendOutcomeAsync(outcome, cancellationToken).ConfigureAwait(false) == ExperimentWriteResult.NotFound)
        {
            throw OutcomeRules.UnknownExperiment(outcome.ExperimentKey);
        }
    }

    /// <summary>The storage's key, read once; threads racing the first read all get the key the storage kept first.</summary>
    private async Task<Pseudonymizer> StorageUnitKeyAsync(CancellationToken cancellationToken)
    {
        byte[] key = await _storage.GetOrAddUnitKeyAsync(RandomNumberGenerator.GetBytes(UnitKeyBytes), cancellationToken).ConfigureAwait(false);
        var unitKey = new Pseudonymizer(key);
        Volatile.Write(ref _unitKey, unitKey);
        return unitKey;
    }
}
