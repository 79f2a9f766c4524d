namespace SelfLearning.Evaluation;

/// <summary>One non-empty bin of a reliability curve.</summary>
/// <param name="MeanConfidence">The mean predicted probability of the cases in the bin (scikit-learn's <c>prob_pred</c>).</param>
/// <param name="ObservedFrequency">The share of positive cases in the bin (scikit-learn's <c>prob_true</c>).</param>
/// <param name="Count">The number of cases in the bin.</param>
public readonly record struct ReliabilityBin(double MeanConfidence, double ObservedFrequency, int Count);
