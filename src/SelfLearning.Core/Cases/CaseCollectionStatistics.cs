namespace SelfLearning.Cases;

/// <summary>
/// Counts from case collection: of one run (<see cref="CaseCollectionResult.Statistics"/>) or of every run
/// of a collector so far (<see cref="CaseCollector.Statistics"/>). Holds no case data, only counts and labels.
/// </summary>
internal sealed record CaseCollectionStatistics
{
    /// <summary>Gets the statistics before any collection.</summary>
    public static CaseCollectionStatistics Empty { get; } = new();

    /// <summary>Gets the number of cases read from the source.</summary>
    public long Read { get; init; }

    /// <summary>Gets the number of cases kept.</summary>
    public long Accepted { get; init; }

    /// <summary>Gets the number of cases not kept.</summary>
    public long Rejected => Read - Accepted;

    /// <summary>Gets the number of cases read, by their status in the source.</summary>
    public IReadOnlyDictionary<ValidationStatus, long> ByStatus { get; init; } = new Dictionary<ValidationStatus, long>();

    /// <summary>Gets the number of cases kept, by validated label (ordinal order).</summary>
    public IReadOnlyDictionary<string, long> AcceptedByLabel { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Gets the number of cases not kept, by reason.</summary>
    public IReadOnlyDictionary<CaseRejectionReason, long> Rejections { get; init; } = new Dictionary<CaseRejectionReason, long>();

    /// <summary>Gets the number of distinct cases whose reviewers disagreed and that now need review.</summary>
    public long CasesNeedingReview { get; init; }

    /// <summary>Gets the mean quality score of the cases kept, or <see langword="null"/> when none was kept.</summary>
    public double? MeanQuality { get; init; }

    /// <summary>Gets the number of cases kept since the host last reported a training (see <see cref="CaseCollector.MarkTrained"/>).</summary>
    public long NewCasesSinceLastTraining { get; init; }

    /// <summary>Gets when the last collection run finished, or <see langword="null"/> before the first.</summary>
    public DateTimeOffset? LastCollectedAt { get; init; }

    /// <summary>Gets the watermark the next run starts after.</summary>
    public CaseWatermark Watermark { get; init; } = CaseWatermark.Start;
}
