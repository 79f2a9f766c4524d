namespace SelfLearning.Experiments;

/// <summary>Everything the decision engine looks at for one experiment at one look.</summary>
/// <param name="ExperimentKey">The experiment key.</param>
/// <param name="Primary">The primary metric's comparison.</param>
/// <param name="Guardrails">The guardrail metrics' comparisons, in the definition's order.</param>
/// <param name="SampleRatio">The sample ratio mismatch check.</param>
public sealed record ExperimentAnalysis(
    string ExperimentKey,
    MetricAnalysis Primary,
    IReadOnlyList<MetricAnalysis> Guardrails,
    SampleRatioCheck SampleRatio);
