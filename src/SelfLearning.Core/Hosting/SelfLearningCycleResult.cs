using SelfLearning.Evaluation;
using SelfLearning.Experiments;

namespace SelfLearning.Hosting;

/// <summary>The result of one cycle for one model.</summary>
/// <param name="ModelName">The model.</param>
/// <param name="Outcome">What the cycle did.</param>
/// <param name="Version">The version the outcome concerns (the candidate, challenger or champion), if any.</param>
/// <param name="Verdict">The quality gate's verdict, when a candidate was trained.</param>
/// <param name="Decision">The canary decision, when a canary was evaluated.</param>
/// <param name="Message">What happened, in words.</param>
public sealed record SelfLearningCycleResult(
    string ModelName,
    SelfLearningCycleOutcome Outcome,
    int? Version,
    QualityGateVerdict? Verdict,
    ExperimentDecision? Decision,
    string Message);
