using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>The outcome of one guardrail check on the champion (e.g. "no class below 80% recall").</summary>
internal sealed record GuardrailResult
{
    /// <summary>Initializes a new instance of the <see cref="GuardrailResult"/> class.</summary>
    /// <param name="name">The guardrail's name.</param>
    /// <param name="passed">Whether the champion passed it.</param>
    /// <param name="detail">What was measured, for the audit trail.</param>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public GuardrailResult(string name, bool passed, string detail)
    {
        Name = Guard.NotNullOrWhiteSpace(name);
        Passed = passed;
        Detail = Guard.NotNull(detail);
    }

    /// <summary>Gets the guardrail's name.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether the champion passed.</summary>
    public bool Passed { get; }

    /// <summary>Gets what was measured.</summary>
    public string Detail { get; }
}
