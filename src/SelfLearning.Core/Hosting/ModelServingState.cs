using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>One model's serving snapshot, replaced as a whole by the loop and read lock-free by the prediction service.</summary>
internal sealed class ModelServingState(string modelName, CalibrationScoreSource scoreSource)
{
    private ServingSnapshot? _snapshot;

    public string ModelName { get; } = modelName;

    /// <summary>Gets what the host's score is (a confidence or a raw margin), for serving before the first champion.</summary>
    public CalibrationScoreSource ScoreSource { get; } = scoreSource;

    public ServingSnapshot? Snapshot => Volatile.Read(ref _snapshot);

    public void Publish(ServingSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);
}
