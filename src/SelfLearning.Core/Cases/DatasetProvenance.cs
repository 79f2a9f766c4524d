namespace SelfLearning.Cases;

/// <summary>Where a dataset's cases came from and how they were filtered and anonymised. Holds no personal data.</summary>
internal sealed record DatasetProvenance
{
    /// <summary>Gets the watermark collection started after (its case id pseudonymised).</summary>
    public CaseWatermark After { get; init; } = CaseWatermark.Start;

    /// <summary>Gets the watermark of the last case read (its case id pseudonymised).</summary>
    public CaseWatermark Watermark { get; init; } = CaseWatermark.Start;

    /// <summary>Gets the earliest validation time among the kept cases, or <see langword="null"/> when none was kept.</summary>
    public DateTimeOffset? EarliestValidatedAt { get; init; }

    /// <summary>Gets the latest validation time among the kept cases, or <see langword="null"/> when none was kept.</summary>
    public DateTimeOffset? LatestValidatedAt { get; init; }

    /// <summary>Gets the filters applied, by name.</summary>
    public IReadOnlyDictionary<string, string> Filters { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the anonymiser's settings, by name (no secret).</summary>
    public IReadOnlyDictionary<string, string> Anonymization { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets when the dataset was built.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
