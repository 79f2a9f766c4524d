namespace SelfLearning.Privacy;

/// <summary>
/// A host-defined pattern for personal data the built-in recognizers do not know, such as the
/// host's medical record numbers or account numbers.
/// </summary>
public sealed class PiiPatternDefinition
{
    /// <summary>Gets or sets the entity type reported for a match, e.g. <c>MEDICAL_RECORD_NUMBER</c>.</summary>
    /// <value>The default value is the empty string, which is invalid.</value>
    public string EntityType { get; set; } = string.Empty;

    /// <summary>Gets or sets the .NET regular expression to find.</summary>
    /// <value>The default value is the empty string, which is invalid.</value>
    public string Pattern { get; set; } = string.Empty;

    /// <summary>Gets or sets the score reported for a match, in (0, 1].</summary>
    /// <value>The default value is 0.9.</value>
    public double Score { get; set; } = 0.9;

    /// <summary>Gets or sets a value indicating whether the pattern ignores case.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IgnoreCase { get; set; } = true;
}
