namespace SelfLearning.Evaluation;

/// <summary>A point estimate with a confidence interval around it.</summary>
/// <param name="Estimate">The statistic on the original cases.</param>
/// <param name="Lower">The lower end of the interval.</param>
/// <param name="Upper">The upper end of the interval.</param>
/// <param name="Confidence">The confidence level, e.g. 0.95.</param>
public readonly record struct ConfidenceInterval(double Estimate, double Lower, double Upper, double Confidence)
{
    /// <summary>Gets a value indicating whether the interval lies entirely below zero.</summary>
    public bool IsBelowZero => Upper < 0.0;

    /// <summary>Gets a value indicating whether the interval lies entirely above zero.</summary>
    public bool IsAboveZero => Lower > 0.0;
}
