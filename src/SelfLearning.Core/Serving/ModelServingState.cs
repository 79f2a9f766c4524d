using SelfLearning.Training;

namespace SelfLearning.Serving;

/// <summary>One model's serving snapshot, replaced as a whole by the loop and read lock-free by the prediction service.</summary>
internal sealed class ModelServingState(string modelName, TaskKind task, CalibrationScoreSource scoreSource)
{
    private ServingSnapshot? _snapshot;

    public string ModelName { get; } = modelName;

    /// <summary>Gets the task of the model's type.</summary>
    public TaskKind TaskKind { get; } = task;

    /// <summary>Gets what the host's score is (a confidence or a raw margin), for serving a score model before its first champion.</summary>
    public CalibrationScoreSource ScoreSource { get; } = scoreSource;

    public ServingSnapshot? Snapshot => Volatile.Read(ref _snapshot);

    public void Publish(ServingSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);
}
