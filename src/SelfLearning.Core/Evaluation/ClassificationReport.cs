namespace SelfLearning.Evaluation;

/// <summary>Classification metrics of a set of predictions, as scikit-learn computes them.</summary>
/// <param name="Accuracy">The share of cases predicted correctly.</param>
/// <param name="Classes">Per-class precision, recall, F1 and support, in ordinal label order.</param>
/// <param name="Macro">The unweighted mean over classes.</param>
/// <param name="Micro">Metrics from the summed counts (for single-label data all three equal the accuracy).</param>
/// <param name="Weighted">The mean over classes weighted by support.</param>
/// <param name="ConfusionMatrix">The confusion matrix.</param>
public sealed record ClassificationReport(
    double Accuracy,
    IReadOnlyList<ClassMetrics> Classes,
    AveragedMetrics Macro,
    AveragedMetrics Micro,
    AveragedMetrics Weighted,
    ConfusionMatrix ConfusionMatrix);
