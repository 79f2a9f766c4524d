namespace SelfLearning.Experiments;

/// <summary>The kind of value a metric records per outcome.</summary>
public enum MetricKind
{
    /// <summary>Each outcome is a success (1) or a failure (0); arms are compared by their success rates.</summary>
    SuccessRate = 0,

    /// <summary>Each outcome is a real number (handling time, revenue...); arms are compared by their means.</summary>
    Continuous = 1,
}
