using System.Collections.Immutable;

namespace SelfLearning.Cases;

/// <summary>
/// A feedback case fit to leave collection: ids pseudonymised, free text redacted (or dropped),
/// attributes pseudonymised, generalised or redacted, and times reduced to the year. Immutable.
/// This is what datasets, exports, training and the registry see.
/// </summary>
internal sealed record AnonymizedCase
{
    private readonly CaseInput input = CaseInput.Empty;
    // One shared empty map: building an empty ordinal map allocates, and every instance without one would.
    private static readonly ImmutableSortedDictionary<string, string> EmptyMap = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    private readonly ImmutableSortedDictionary<string, string> attributes = EmptyMap;

    /// <summary>Gets the pseudonym of the host's case id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the name of the model that made the prediction.</summary>
    public required string ModelName { get; init; }

    /// <summary>Gets the version of the model that made the prediction.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>Gets what the model saw and scored.</summary>
    public CaseInput Input
    {
        get => input;
        init => input = value ?? CaseInput.Empty;
    }

    /// <summary>Gets the label the model predicted.</summary>
    public required string PredictedLabel { get; init; }

    /// <summary>Gets the model's confidence in <see cref="PredictedLabel"/>.</summary>
    public double PredictedConfidence { get; init; }

    /// <summary>Gets the validated (actual) label.</summary>
    public required string Label { get; init; }

    /// <summary>Gets the pseudonym of the reviewer's id, or <see langword="null"/> when the host gave none.</summary>
    public string? ReviewerId { get; init; }

    /// <summary>Gets how sure the reviewer was, in [0, 1].</summary>
    public double ReviewerCertainty { get; init; }

    /// <summary>Gets the year the prediction was made (UTC).</summary>
    public int CreatedYear { get; init; }

    /// <summary>Gets the year the case was validated (UTC).</summary>
    public int ValidatedYear { get; init; }

    /// <summary>Gets the case's quality score in [0, 1] (see <see cref="CaseQualityScorer"/>).</summary>
    public double QualityScore { get; init; }

    /// <summary>Gets the split the case belongs to, from a hash of <see cref="Id"/>.</summary>
    public DatasetSplit Split { get; init; }

    /// <summary>Gets the free text with personal data replaced by placeholders, or <see langword="null"/>.</summary>
    public string? FreeText { get; init; }

    /// <summary>Gets the anonymised attributes (ordinal key order).</summary>
    public ImmutableSortedDictionary<string, string> Attributes
    {
        get => attributes;
        init => attributes = value is null
            ? EmptyMap
            : value.WithComparers(StringComparer.Ordinal);
    }
}
