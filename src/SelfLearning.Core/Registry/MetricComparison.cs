namespace SelfLearning.Registry;

/// <summary>The recorded metrics of two versions of one model, side by side.</summary>
/// <param name="Baseline">The version compared against (usually the champion).</param>
/// <param name="Candidate">The version being judged.</param>
/// <param name="Metrics">Every metric either version recorded, in ordinal order of name.</param>
internal sealed record MetricComparison(ModelVersion Baseline, ModelVersion Candidate, IReadOnlyList<MetricDifference> Metrics)
{
    /// <summary>Compares two versions' recorded metrics.</summary>
    /// <param name="baseline">The version compared against.</param>
    /// <param name="candidate">The version being judged.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentNullException">Either version is <see langword="null"/>.</exception>
    public static MetricComparison Create(ModelVersion baseline, ModelVersion candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var names = new SortedSet<string>(baseline.Metrics.Keys, StringComparer.Ordinal);
        names.UnionWith(candidate.Metrics.Keys);
        var rows = new List<MetricDifference>(names.Count);
        foreach (string metric in names)
        {
            rows.Add(new MetricDifference(
                metric,
                baseline.Metrics.TryGetValue(metric, out double b) ? b : null,
                candidate.Metrics.TryGetValue(metric, out double c) ? c : null));
        }

        return new MetricComparison(baseline, candidate, rows);
    }
}
