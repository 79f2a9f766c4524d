using System.Buffers.Binary;
using System.Security.Cryptography;
using SelfLearning.Evaluation;
using SelfLearning.Experiments;
using SelfLearning.Internal;
using SelfLearning.Monitoring;

namespace SelfLearning.Hosting;

/// <summary>The default <see cref="IPredictionService"/>: one volatile read, the router's hash and the calibrator.</summary>
internal sealed class PredictionService(ServingStates states, IAbTestRouter router, IExperimentStore experiments, LiveMetrics liveMetrics, DriftWatch drift) : IPredictionService
{
    private readonly long _instance = BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(sizeof(long)));
    private long _sequence;

    public Prediction Predict(string modelName, string unitId, double score)
    {
        Guard.NotNull(unitId);
        ModelServingState state = states.Get(modelName);
        ServingSnapshot snapshot = state.Snapshot
            ?? throw new InvalidOperationException($"The self-learning loop has not loaded model '{modelName}' yet; start the host (or call ISelfLearningLoop.InitializeAsync) first.");

        ExperimentArm arm = ExperimentArm.Champion;
        Experiment? counted = null;
        if (snapshot.Experiment is { } experiment)
        {
            Assignment assignment = router.Assign(experiment, unitId);
            if (assignment.InExperiment)
            {
                arm = assignment.Arm;
                counted = experiment;
            }
        }

        bool challenger = arm == ExperimentArm.Challenger;
        if (!challenger)
        {
            drift.ObserveScore(state.ModelName, snapshot.ChampionVersion, score);
        }

        var calibrator = challenger ? snapshot.Challenger : snapshot.Champion;
        double probability = calibrator is null ? UncalibratedBaseline.Probability(score, state.ScoreSource) : calibrator.Calibrate(score);
        return challenger
            ? new Prediction(NextId(), state.ModelName, unitId, snapshot.ChallengerVersion, snapshot.ChallengerVersionText, score, probability, arm, counted)
            : new Prediction(NextId(), state.ModelName, unitId, snapshot.ChampionVersion, snapshot.ChampionVersionText, score, probability, arm, counted);
    }

    public async ValueTask RecordOutcomeAsync(Prediction prediction, bool correct, CancellationToken cancellationToken = default)
    {
        ModelServingState state = states.Get(Guard.NotNull(prediction.ModelName));
        double p = prediction.Probability;
        bool predictsRight = p >= ModelComparison.DefaultThreshold;

        // The calibrated model is a binary predictor of "the host is right": its top-label confidence and
        // correctness feed accuracy and ECE, the probability against the outcome feeds the Brier score.
        liveMetrics.GetWindow(state.ModelName, prediction.ModelVersionText).Record(Math.Max(p, 1.0 - p), predictsRight == correct, p, correct);
        if (prediction.Arm == ExperimentArm.Champion)
        {
            drift.ObserveOutcome(state.ModelName, prediction.ModelVersion, predictsRight == correct);
        }

        if (prediction.Experiment is not { } experiment)
        {
            return;
        }

        double error = p - (correct ? 1.0 : 0.0);
        double hit = predictsRight == correct ? 1.0 : 0.0;
        await experiments.RecordExposureAsync(experiment.Key, prediction.UnitId, prediction.Arm, cancellationToken).ConfigureAwait(false);
        await experiments.RecordOutcomeAsync(experiment.Key, prediction.Arm, HostingConstants.BrierMetric, error * error, cancellationToken).ConfigureAwait(false);
        await experiments.RecordOutcomeAsync(experiment.Key, prediction.Arm, HostingConstants.AccuracyMetric, hit, cancellationToken).ConfigureAwait(false);
    }

    private Guid NextId()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, _instance);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], Interlocked.Increment(ref _sequence));
        return new Guid(bytes);
    }
}
