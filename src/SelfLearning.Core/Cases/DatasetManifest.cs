namespace SelfLearning.Cases;

/// <summary>What a <see cref="DatasetSnapshot"/> holds: its version, counts per label and split, and its provenance.</summary>
internal sealed record DatasetManifest
{
    /// <summary>Gets the dataset's version: SHA-256 of its canonical serialisation, 64 lowercase hex digits.</summary>
    public required string Version { get; init; }

    /// <summary>Gets the number of cases.</summary>
    public required long CaseCount { get; init; }

    /// <summary>Gets the number of cases in each split (every split present, zero included).</summary>
    public required IReadOnlyDictionary<DatasetSplit, long> SplitCounts { get; init; }

    /// <summary>Gets the number of cases per validated label (ordinal order), and within each label per split.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<DatasetSplit, long>> LabelCounts { get; init; }

    /// <summary>Gets the shares of cases assigned to training, validation and testing.</summary>
    public required (double Train, double Validation, double Test) SplitFractions { get; init; }

    /// <summary>Gets where the cases came from and how they were filtered and anonymised.</summary>
    public required DatasetProvenance Provenance { get; init; }
}
