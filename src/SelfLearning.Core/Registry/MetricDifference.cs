namespace SelfLearning.Registry;

/// <summary>One metric of two versions side by side.</summary>
/// <param name="Metric">The metric name.</param>
/// <param name="Baseline">The baseline version's value, or <see langword="null"/> when it did not record the metric.</param>
/// <param name="Candidate">The candidate version's value, or <see langword="null"/> when it did not record the metric.</param>
internal sealed record MetricDifference(string Metric, double? Baseline, double? Candidate)
{
    /// <summary>Gets candidate minus baseline, or <see langword="null"/> when either is missing.</summary>
    public double? Difference => Baseline is double b && Candidate is double c ? c - b : null;
}
