namespace SelfLearning.Registry;

/// <summary>
/// Where a model version came from, and what the loop needs from it later: enough to reproduce the version, to trace a
/// regression back to its data, to collect the next training's cases after it, and to watch its live scores for drift.
/// </summary>
public sealed record ModelLineage
{
    /// <summary>The most drift-reference quantiles a version may carry.</summary>
    public const int MaxReferenceScores = 1024;

    private readonly IReadOnlyList<double>? _referenceScores;

    /// <summary>Gets the content hash of the frozen dataset the version was trained on, if known.</summary>
    public string? DatasetHash { get; init; }

    /// <summary>Gets the trainer's model type key (see <c>ITrainer</c>), if known.</summary>
    public string? TrainerType { get; init; }

    /// <summary>Gets the version of the same model this one was derived from (for example by recalibration), if any.</summary>
    public int? ParentVersion { get; init; }

    /// <summary>Gets the identifier of the training job that produced the version, if any.</summary>
    public string? TrainingJobId { get; init; }

    /// <summary>
    /// Gets the training watermark: the validation instant of the newest case the version was trained on. The loop's next
    /// collection starts after it. <see langword="null"/> for a version registered outside the loop.
    /// </summary>
    public DateTimeOffset? TrainingWatermark { get; init; }

    /// <summary>Gets the number of held-out cases the quality gate judged the version on, if it was judged.</summary>
    public int? HoldoutSize { get; init; }

    /// <summary>
    /// Gets quantiles of the scores the version was judged on (at most <see cref="MaxReferenceScores"/>, finite): the
    /// reference its live scores are compared with for drift. <see langword="null"/> when the version has none.
    /// </summary>
    public IReadOnlyList<double>? ReferenceScores
    {
        get => _referenceScores;
        init => _referenceScores = value is null ? null : Array.AsReadOnly(value.ToArray());
    }

    /// <summary>Gets lineage with nothing known.</summary>
    public static ModelLineage None { get; } = new();

    /// <inheritdoc />
    public bool Equals(ModelLineage? other) =>
        other is not null
        && string.Equals(DatasetHash, other.DatasetHash, StringComparison.Ordinal)
        && string.Equals(TrainerType, other.TrainerType, StringComparison.Ordinal)
        && ParentVersion == other.ParentVersion
        && string.Equals(TrainingJobId, other.TrainingJobId, StringComparison.Ordinal)
        && TrainingWatermark == other.TrainingWatermark
        && HoldoutSize == other.HoldoutSize
        && (ReferenceScores is null ? other.ReferenceScores is null : other.ReferenceScores is not null && ReferenceScores.SequenceEqual(other.ReferenceScores));

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(DatasetHash, TrainerType, ParentVersion, TrainingJobId, TrainingWatermark, HoldoutSize, ReferenceScores?.Count);
}
