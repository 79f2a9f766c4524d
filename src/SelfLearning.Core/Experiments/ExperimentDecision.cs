namespace SelfLearning.Experiments;

/// <summary>A recorded decision: what was decided, why, and the numbers behind it.</summary>
/// <param name="ExperimentKey">The experiment key.</param>
/// <param name="Action">The decision.</param>
/// <param name="DecidedAt">When it was made.</param>
/// <param name="RampStep">The ramp step the experiment was at.</param>
/// <param name="ChallengerShare">The challenger's share of traffic at that step.</param>
/// <param name="Reasons">Human-readable reasons, each with its numbers.</param>
/// <param name="Analysis">The analysis the decision was based on.</param>
public sealed record ExperimentDecision(
    string ExperimentKey,
    DecisionAction Action,
    DateTimeOffset DecidedAt,
    int RampStep,
    double ChallengerShare,
    IReadOnlyList<string> Reasons,
    ExperimentAnalysis Analysis);
