using System.Buffers.Binary;
using System.Security.Cryptography;
using SelfLearning.Cases;
using SelfLearning.Evaluation;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Internal;
using SelfLearning.Monitoring;
using SelfLearning.Training;

namespace SelfLearning.Serving;

/// <summary>The default <see cref="IPredictionService"/>: one volatile read, the router's hash and the served version's predictor.</summary>
internal sealed class PredictionService(
    ServingStates states, IAbTestRouter router, IExperimentStore experiments, LiveMetrics liveMetrics, LiveErrorWindows liveErrors, DriftWatch drift, RecordedOutcomes recorded,
    OutcomeCases cases, ServingAttributes servingAttributes)
    : IPredictionService
{
    private readonly long _instance = BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(sizeof(long)));
    private long _sequence;

    public Prediction Predict(string modelName, string unitId, double score)
    {
        Guard.NotNull(unitId);
        ModelServingState state = states.Get(modelName);
        if (state.TaskKind != TaskKind.ScoreCalibration)
        {
            throw new InvalidOperationException(
                $"Model '{modelName}' predicts from features (task {state.TaskKind}); call Predict(modelName, unitId, CaseInput) with its features.");
        }

        return PredictScore(state, Snapshot(state), unitId, score);
    }

    public Prediction Predict(string modelName, string unitId, CaseInput input) => Predict(modelName, unitId, input, TrainingTable.NoAttributes);

    public Prediction Predict(string modelName, string unitId, CaseInput input, IReadOnlyDictionary<string, string> attributes)
    {
        Guard.NotNull(unitId);
        Guard.NotNull(input);
        Guard.NotNull(attributes);
        ModelServingState state = states.Get(modelName);
        ServingSnapshot snapshot = Snapshot(state);
        if (state.TaskKind == TaskKind.ScoreCalibration)
        {
            double score = input.RawScore ?? throw new ArgumentException($"Model '{modelName}' calibrates a score, but the input has no raw score.", nameof(input));
            return PredictScore(state, snapshot, unitId, score);
        }

        var (arm, counted) = Route(snapshot, unitId);
        ServedModel model = (arm == ExperimentArm.Challenger ? snapshot.Challenger : snapshot.Champion)
            ?? throw new InvalidOperationException(
                $"Model '{modelName}' has no champion yet: a model on features serves once its first version passed the quality gate (see ISelfLearningLoop.RunCycleAsync).");
        ReadOnlySpan<double> features = input.Features.AsSpan();
        if (features.Length != model.FeatureCount)
        {
            throw new ArgumentException(
                $"Model '{modelName}' version {model.Version} takes {model.FeatureCount} features, but the input has {features.Length}.", nameof(input));
        }

        for (int i = 0; i < features.Length; i++)
        {
            if (!double.IsFinite(features[i]))
            {
                throw new ArgumentException($"Feature {i} of the input is {features[i]}; every feature must be finite.", nameof(input));
            }
        }

        // Only a model that reads attributes pays for anonymising them; the features-only path stays allocation-free.
        IReadOnlyDictionary<string, string> served = model.AttributeNames.Count == 0 ? TrainingTable.NoAttributes : servingAttributes.Anonymize(model.AttributeNames, attributes);
        var prediction = new Prediction(NextId(), state.ModelName, unitId, state.TaskKind, model.Version, arm, counted?.Key);
        switch (state.TaskKind)
        {
            case TaskKind.BinaryClassification or TaskKind.MulticlassClassification:
                int index = model.Classify(features, served, out double probability);
                return prediction with { Label = model.Classes[index], Probability = probability };
            case TaskKind.Regression:
                double value = model.Regress(features, served);
                return prediction with { Value = value, Lower = value - model.IntervalRadius, Upper = value + model.IntervalRadius };
            default:
                return prediction with { Cluster = model.Cluster(features, served) };
        }
    }

    public ValueTask<bool> RecordOutcomeAsync(Prediction prediction, bool correct, CancellationToken cancellationToken = default)
    {
        ModelServingState state = states.Get(Guard.NotNull(prediction.ModelName));
        return state.TaskKind switch
        {
            TaskKind.ScoreCalibration => RecordScoreOutcomeAsync(state, prediction, correct, cancellationToken),
            TaskKind.BinaryClassification or TaskKind.MulticlassClassification => RecordClassOutcomeAsync(state, prediction, correct, cancellationToken),
            _ => throw new InvalidOperationException($"Model '{state.ModelName}' is a {state.TaskKind} model: record its true value, not right or wrong."),
        };
    }

    public ValueTask<bool> RecordOutcomeAsync(Prediction prediction, string actualLabel, CancellationToken cancellationToken = default)
    {
        ModelServingState state = states.Get(Guard.NotNull(prediction.ModelName));
        Guard.NotNull(actualLabel);
        return state.TaskKind is TaskKind.BinaryClassification or TaskKind.MulticlassClassification
            ? RecordClassOutcomeAsync(state, prediction, string.Equals(prediction.Label, actualLabel, StringComparison.Ordinal), cancellationToken)
            : throw new InvalidOperationException($"Model '{state.ModelName}' is a {state.TaskKind} model, not a classifier; its outcome is not a label.");
    }

    public async ValueTask<bool> RecordOutcomeAsync(Prediction prediction, double actualValue, CancellationToken cancellationToken = default)
    {
        ModelServingState state = states.Get(Guard.NotNull(prediction.ModelName));
        if (state.TaskKind != TaskKind.Regression)
        {
            throw new InvalidOperationException($"Model '{state.ModelName}' is a {state.TaskKind} model, not a regression; its outcome is not a value.");
        }

        Guard.Finite(actualValue);
        if (!recorded.TryAdd(prediction.Id))
        {
            return false;
        }

        double error = Math.Abs(prediction.Value - actualValue);
        if (prediction.ExperimentKey is { } experiment)
        {
            if (!await KeepOnceAsync(prediction, experiment, HostingConstants.AbsoluteErrorMetric, error, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await experiments.RecordExposureAsync(experiment, prediction.UnitId, prediction.Arm, cancellationToken).ConfigureAwait(false);
        }

        liveErrors.Record(state.ModelName, prediction.ModelVersion, error);
        return true;
    }

    // The reviewed overloads append the case first (idempotent by prediction id), then record the outcome (idempotent
    // by prediction id too), so a delivery that failed between the two completes on its retry without a duplicate.
    public async ValueTask<bool> RecordOutcomeAsync(Prediction prediction, bool correct, OutcomeReview review, CancellationToken cancellationToken = default)
    {
        ModelServingState state = states.Get(Guard.NotNull(prediction.ModelName));
        OutcomeCases.Check(review);
        if (state.TaskKind != TaskKind.ScoreCalibration)
        {
            throw new InvalidOperationException(state.TaskKind is TaskKind.BinaryClassification or TaskKind.MulticlassClassification
                ? $"Model '{state.ModelName}' is a classifier: record a reviewed outcome with its true label, RecordOutcomeAsync(prediction, actualLabel, review)."
                : $"Model '{state.ModelName}' is a {state.TaskKind} model: record its true value, not right or wrong.");
        }

        await cases.AppendAsync(
            state, prediction, review, OutcomeCases.Right, correct ? OutcomeCases.Right : OutcomeCases.Wrong, OutcomeCases.HostConfidence(state, prediction.Score), cancellationToken)
            .ConfigureAwait(false);
        return await RecordScoreOutcomeAsync(state, prediction, correct, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RecordOutcomeAsync(Prediction prediction, string actualLabel, OutcomeReview review, CancellationToken cancellationToken = default)
    {
        ModelServingState state = states.Get(Guard.NotNull(prediction.ModelName));
        Guard.NotNull(actualLabel);
        OutcomeCases.Check(review);
        if (state.TaskKind is not (TaskKind.BinaryClassification or TaskKind.MulticlassClassification))
        {
            throw new InvalidOperationException($"Model '{state.ModelName}' is a {state.TaskKind} model, not a classifier; its outcome is not a label.");
        }

        string predicted = Guard.NotNull(prediction.Label);
        await cases.AppendAsync(state, prediction, review, predicted, actualLabel, prediction.Probability, cancellationToken).ConfigureAwait(false);
        return await RecordClassOutcomeAsync(state, prediction, string.Equals(predicted, actualLabel, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RecordOutcomeAsync(Prediction prediction, double actualValue, OutcomeReview review, CancellationToken cancellationToken = default)
    {
        ModelServingState state = states.Get(Guard.NotNull(prediction.ModelName));
        Guard.Finite(actualValue);
        OutcomeCases.Check(review);
        if (state.TaskKind != TaskKind.Regression)
        {
            throw new InvalidOperationException($"Model '{state.ModelName}' is a {state.TaskKind} model, not a regression; its outcome is not a value.");
        }

        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        await cases.AppendAsync(
            state, prediction, review, prediction.Value.ToString("R", invariant), actualValue.ToString("R", invariant), OutcomeCases.RegressionConfidence, cancellationToken)
            .ConfigureAwait(false);
        return await RecordOutcomeAsync(prediction, actualValue, cancellationToken).ConfigureAwait(false);
    }

    private static ServingSnapshot Snapshot(ModelServingState state) => state.Snapshot
        ?? throw new InvalidOperationException($"The self-learning loop has not loaded model '{state.ModelName}' yet; start the host (or call ISelfLearningLoop.InitializeAsync) first.");

    private (ExperimentArm Arm, Experiment? Counted) Route(ServingSnapshot snapshot, string unitId)
    {
        if (snapshot.Experiment is { } experiment)
        {
            Assignment assignment = router.Assign(experiment, unitId);
            if (assignment.InExperiment)
            {
                return (assignment.Arm, experiment);
            }
        }

        return (ExperimentArm.Champion, null);
    }

    private Prediction PredictScore(ModelServingState state, ServingSnapshot snapshot, string unitId, double score)
    {
        var (arm, counted) = Route(snapshot, unitId);
        bool challenger = arm == ExperimentArm.Challenger;
        ServedModel? model = challenger ? snapshot.Challenger : snapshot.Champion;
        if (!challenger)
        {
            drift.ObserveScore(state.ModelName, snapshot.ChampionVersion, score);
        }

        double probability = model is null ? UncalibratedBaseline.Probability(score, state.ScoreSource) : model.Calibrate(score);
        return new Prediction(NextId(), state.ModelName, unitId, state.TaskKind, model?.Version ?? 0, arm, counted?.Key)
        {
            Score = score,
            Probability = probability,
        };
    }

    private async ValueTask<bool> RecordScoreOutcomeAsync(ModelServingState state, Prediction prediction, bool correct, CancellationToken cancellationToken)
    {
        if (!recorded.TryAdd(prediction.Id))
        {
            return false;
        }

        double p = prediction.Probability;
        bool predictsRight = p >= ModelComparison.DefaultThreshold;
        if (!await RecordCanaryAsync(prediction, p, correct, predictsRight == correct, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // The calibrated model is a binary predictor of "the host is right": its top-label confidence and
        // correctness feed accuracy and ECE, the probability against the outcome feeds the Brier score.
        liveMetrics.GetWindow(state.ModelName, prediction.ModelVersion).Record(Math.Max(p, 1.0 - p), predictsRight == correct, p, correct);
        if (prediction.Arm == ExperimentArm.Champion)
        {
            drift.ObserveOutcome(state.ModelName, prediction.ModelVersion, predictsRight == correct);
        }

        return true;
    }

    /// <summary>A classifier's outcome: its calibrated probability of the predicted class against whether that class was right.</summary>
    private async ValueTask<bool> RecordClassOutcomeAsync(ModelServingState state, Prediction prediction, bool correct, CancellationToken cancellationToken)
    {
        if (!recorded.TryAdd(prediction.Id))
        {
            return false;
        }

        double p = prediction.Probability;
        if (!await RecordCanaryAsync(prediction, p, correct, correct, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        liveMetrics.GetWindow(state.ModelName, prediction.ModelVersion).Record(p, correct, p, correct);
        if (prediction.Arm == ExperimentArm.Champion)
        {
            drift.ObserveOutcome(state.ModelName, prediction.ModelVersion, correct);
        }

        return true;
    }

    /// <summary>
    /// Counts a canary outcome once per prediction id in the experiment store (so a retry after a restart, or on another
    /// instance sharing the store, is not counted again); <see langword="false"/> when the store already resolved it.
    /// </summary>
    private async ValueTask<bool> RecordCanaryAsync(Prediction prediction, double probability, bool outcome, bool hit, CancellationToken cancellationToken)
    {
        if (prediction.ExperimentKey is not { } experiment)
        {
            return true;
        }

        double error = probability - (outcome ? 1.0 : 0.0);
        if (!await KeepOnceAsync(prediction, experiment, HostingConstants.BrierMetric, error * error, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await experiments.RecordDelayedOutcomeAsync(IdText(prediction), HostingConstants.AccuracyMetric, hit ? 1.0 : 0.0, cancellationToken).ConfigureAwait(false);
        await experiments.RecordExposureAsync(experiment, prediction.UnitId, prediction.Arm, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Keeps the prediction in the experiment store (once; a retry finds it kept) and resolves its first metric there,
    /// which the store does once per prediction id until the prediction's time to live ends.
    /// </summary>
    private async ValueTask<bool> KeepOnceAsync(Prediction prediction, string experiment, string metric, double value, CancellationToken cancellationToken)
    {
        string id = IdText(prediction);
        try
        {
            await experiments.RecordPredictionAsync(new PredictionRecord(experiment, id, prediction.Arm), cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException) when (!cancellationToken.IsCancellationRequested)
        {
            // Already kept: an earlier delivery of this outcome (IExperimentStore.RecordPredictionAsync documents the duplicate as ArgumentException).
        }

        if (!await experiments.RecordDelayedOutcomeAsync(id, metric, value, cancellationToken).ConfigureAwait(false))
        {
            recorded.CountDuplicate();
            return false;
        }

        return true;
    }

    private static string IdText(Prediction prediction) => prediction.Id.ToString("N", System.Globalization.CultureInfo.InvariantCulture);

    private Guid NextId()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, _instance);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], Interlocked.Increment(ref _sequence));
        return new Guid(bytes);
    }
}
