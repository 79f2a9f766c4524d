namespace SelfLearning.Evaluation;

/// <summary>Precision, recall and F1 of one class, treating it as the positive class.</summary>
/// <param name="Label">The class.</param>
/// <param name="Precision">TP / (TP + FP), or 0 when the class was never predicted (scikit-learn's <c>zero_division=0</c>).</param>
/// <param name="Recall">TP / (TP + FN), or 0 when the class never occurs.</param>
/// <param name="F1">2·P·R / (P + R), or 0 when both are 0.</param>
/// <param name="Support">How many cases actually belong to the class.</param>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, long Support);
