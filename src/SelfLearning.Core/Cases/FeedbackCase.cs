using System.Collections.Immutable;

namespace SelfLearning.Cases;

/// <summary>
/// One prediction the host made and what a human said about it. Immutable.
/// </summary>
/// <remarks>
/// A case is data from the host, so it is not validated on construction: a source must be able to
/// hand over a malformed case (a missing label, a NaN confidence) without stopping a collection run.
/// <see cref="CaseCollector"/> judges every case and counts each one it rejects with its reason.
/// <see cref="FreeText"/> and <see cref="Attributes"/> may hold personal data; they leave
/// <c>SelfLearning.Cases</c> only through <see cref="CaseAnonymizer"/>.
/// </remarks>
public sealed record FeedbackCase
{
    private readonly CaseInput input = CaseInput.Empty;
    // One shared empty map: building an empty ordinal map allocates, and every instance without one would.
    private static readonly ImmutableSortedDictionary<string, string> EmptyMap = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    private readonly ImmutableSortedDictionary<string, string> attributes = EmptyMap;

    /// <summary>Gets the host's id of the case; unique per case, repeated when a case is reviewed again.</summary>
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
    public string? PredictedLabel { get; init; }

    /// <summary>Gets the model's confidence in <see cref="PredictedLabel"/>, a probability in [0, 1].</summary>
    public double PredictedConfidence { get; init; }

    /// <summary>Gets the label the reviewer validated (the actual label); <see langword="null"/> until reviewed.</summary>
    public string? ValidatedLabel { get; init; }

    /// <summary>Gets where the case stands in review.</summary>
    public ValidationStatus Status { get; init; }

    /// <summary>Gets the host's id of the reviewer; identifying, so it is pseudonymised before it leaves collection.</summary>
    public string? ReviewerId { get; init; }

    /// <summary>Gets how sure the reviewer was of <see cref="ValidatedLabel"/>, in [0, 1].</summary>
    public double ReviewerCertainty { get; init; }

    /// <summary>Gets when the prediction was made.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the reviewer validated the case; <see langword="null"/> until reviewed.</summary>
    public DateTimeOffset? ValidatedAt { get; init; }

    /// <summary>Gets the reviewer's or the host's free-text note; may hold personal data.</summary>
    public string? FreeText { get; init; }

    /// <summary>Gets host-defined string attributes (ordinal key order); may hold personal data.</summary>
    public ImmutableSortedDictionary<string, string> Attributes
    {
        get => attributes;
        init => attributes = value is null
            ? EmptyMap
            : value.WithComparers(StringComparer.Ordinal);
    }
}
