using System.Buffers.Binary;
using System.Security.Cryptography;
using SelfLearning.Evaluation;
using SelfLearning.Experiments;
using SelfLearning.Internal;

namespace SelfLearning.Hosting;

/// <summary>The default <see cref="IPredictionService"/>: one volatile read, the router's hash and the calibrator.</summary>
internal sealed class PredictionService(ServingStates states, IAbTestRouter router, IExperimentStore experiments) : IPredictionService
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
        var calibrator = challenger ? snapshot.Challenger : snapshot.Champion;
        double probability = calibrator is null ? UncalibratedBaseline.Probability(score) : calibrator.Calibrate(score);
        int version = challenger ? snapshot.ChallengerVersion : snapshot.ChampionVersion;
        return new Prediction(NextId(), state.ModelName, unitId, version, score, probability, arm, counted);
    }

    public async ValueTask RecordOutcomeAsync(Prediction prediction, bool correct, CancellationToken cancellationToken = default)
    {
        ModelServingState state = states.Get(Guard.NotNull(prediction.ModelName));
        state.Window(prediction.ModelVersion).Add(prediction.Probability, correct);
        if (prediction.Experiment is not { } experiment)
        {
            return;
        }

        double error = prediction.Probability - (correct ? 1.0 : 0.0);
        double hit = (prediction.Probability >= ModelComparison.DefaultThreshold) == correct ? 1.0 : 0.0;
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
