namespace SelfLearning.Registry;

/// <summary>Where a model version came from: enough to reproduce it or to trace a regression back to its data.</summary>
public sealed record ModelLineage
{
    /// <summary>Gets the content hash of the frozen dataset the version was trained on, if known.</summary>
    public string? DatasetHash { get; init; }

    /// <summary>Gets the trainer's model type key (see <c>ITrainer</c>), if known.</summary>
    public string? TrainerType { get; init; }

    /// <summary>Gets the version of the same model this one was derived from (for example by recalibration), if any.</summary>
    public int? ParentVersion { get; init; }

    /// <summary>Gets the identifier of the training job that produced the version, if any.</summary>
    public string? TrainingJobId { get; init; }

    /// <summary>Gets lineage with nothing known.</summary>
    public static ModelLineage None { get; } = new();
}
