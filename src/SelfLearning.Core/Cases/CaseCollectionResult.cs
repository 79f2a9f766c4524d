namespace SelfLearning.Cases;

/// <summary>What a collection run did.</summary>
internal sealed record CaseCollectionResult
{
    /// <summary>Gets the watermark the run started after.</summary>
    public required CaseWatermark After { get; init; }

    /// <summary>Gets the watermark of the last case the run read; the next run starts after it.</summary>
    public required CaseWatermark Watermark { get; init; }

    /// <summary>Gets the run's counts.</summary>
    public required CaseCollectionStatistics Statistics { get; init; }

    /// <summary>
    /// Gets the host's ids of the cases whose reviewers disagreed, so the host can send them back for review.
    /// These are the host's own ids, returned in process only: they are never logged or exported.
    /// </summary>
    public required IReadOnlyList<string> CasesNeedingReview { get; init; }

    /// <summary>Gets the dataset built from the kept cases, when the run built one (<see cref="CaseCollector.CollectSnapshotAsync"/>).</summary>
    public DatasetSnapshot? Snapshot { get; init; }
}
