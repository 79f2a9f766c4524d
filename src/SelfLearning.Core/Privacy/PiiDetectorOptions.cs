namespace SelfLearning.Privacy;

/// <summary>Options for <see cref="PiiDetector"/>.</summary>
public sealed class PiiDetectorOptions
{
    /// <summary>Gets or sets the built-in entity types to look for (names from <see cref="PiiEntityTypes"/>).</summary>
    /// <value>The default value is every built-in type, <see cref="PiiEntityTypes.BuiltIn"/>.</value>
    public IList<string> Entities { get; set; } = [.. PiiEntityTypes.BuiltIn];

    /// <summary>Gets or sets host-defined patterns (medical record numbers, account numbers, …).</summary>
    /// <value>The default value is an empty list.</value>
    public IList<PiiPatternDefinition> CustomPatterns { get; set; } = [];

    /// <summary>
    /// Gets or sets names to find as <see cref="PiiEntityTypes.Person"/>: whole words, ignoring case.
    /// The library has no model of names; the host supplies the ones it knows (patients, staff).
    /// </summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> Names { get; set; } = [];

    /// <summary>Gets or sets how long one host pattern may run on one text before detection fails.</summary>
    /// <value>The default value is one second.</value>
    public TimeSpan CustomPatternTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
