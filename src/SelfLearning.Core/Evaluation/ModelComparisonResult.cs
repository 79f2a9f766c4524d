using SelfLearning.Statistics;

namespace SelfLearning.Evaluation;

/// <summary>
/// A candidate compared with the champion on the same cases. Every difference is candidate minus champion,
/// so a negative Brier, log loss or ECE difference favours the candidate.
/// </summary>
/// <param name="ChampionAccuracy">The champion's accuracy at the decision threshold.</param>
/// <param name="CandidateAccuracy">The candidate's accuracy at the decision threshold.</param>
/// <param name="McNemar">
/// The exact McNemar test on the cases where exactly one model is right (b: only the champion right,
/// c: only the candidate right).
/// </param>
/// <param name="ChampionOnlyCorrect">Cases only the champion got right (McNemar's b).</param>
/// <param name="CandidateOnlyCorrect">Cases only the candidate got right (McNemar's c).</param>
/// <param name="BrierDifference">The Brier score difference with its paired bootstrap interval.</param>
/// <param name="LogLossDifference">The log loss difference with its paired bootstrap interval.</param>
/// <param name="CalibrationErrorDifference">
/// The difference in ECE of the positive-class probability against the labels (equal-width bins), with its paired bootstrap interval.
/// </param>
internal sealed record ModelComparisonResult(
    double ChampionAccuracy,
    double CandidateAccuracy,
    TestResult McNemar,
    long ChampionOnlyCorrect,
    long CandidateOnlyCorrect,
    ConfidenceInterval BrierDifference,
    ConfidenceInterval LogLossDifference,
    ConfidenceInterval CalibrationErrorDifference);
