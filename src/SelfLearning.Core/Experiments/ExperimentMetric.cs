using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>A metric compared between the arms: the primary metric that decides, or a guardrail that must not regress.</summary>
public sealed record ExperimentMetric
{
    private ExperimentMetric(string name, MetricKind kind, bool higherIsBetter)
    {
        Name = Guard.NotNullOrWhiteSpace(name);
        Kind = kind;
        HigherIsBetter = higherIsBetter;
    }

    /// <summary>Gets the metric name under which outcomes are recorded.</summary>
    public string Name { get; }

    /// <summary>Gets the kind of value recorded per outcome.</summary>
    public MetricKind Kind { get; }

    /// <summary>Gets a value indicating whether a higher value is an improvement (false for error rates, latency...).</summary>
    public bool HigherIsBetter { get; }

    /// <summary>A success-rate metric (outcomes 0 or 1).</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="higherIsBetter">Whether a higher rate is an improvement.</param>
    /// <returns>The metric.</returns>
    public static ExperimentMetric SuccessRate(string name, bool higherIsBetter = true) => new(name, MetricKind.SuccessRate, higherIsBetter);

    /// <summary>A continuous metric compared by its mean.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="higherIsBetter">Whether a higher mean is an improvement.</param>
    /// <returns>The metric.</returns>
    public static ExperimentMetric Continuous(string name, bool higherIsBetter = true) => new(name, MetricKind.Continuous, higherIsBetter);
}
