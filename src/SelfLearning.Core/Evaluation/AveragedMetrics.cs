namespace SelfLearning.Evaluation;

/// <summary>Precision, recall and F1 averaged over classes in one of scikit-learn's ways.</summary>
/// <param name="Precision">The averaged precision.</param>
/// <param name="Recall">The averaged recall.</param>
/// <param name="F1">The averaged F1 (for macro and weighted, the average of per-class F1, as scikit-learn).</param>
public sealed record AveragedMetrics(double Precision, double Recall, double F1);
