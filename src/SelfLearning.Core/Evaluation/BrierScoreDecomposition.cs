namespace SelfLearning.Evaluation;

/// <summary>
/// Murphy's (1973) decomposition of the Brier score: <see cref="Score"/> = <see cref="Reliability"/> −
/// <see cref="Resolution"/> + <see cref="Uncertainty"/>.
/// </summary>
/// <param name="Score">The Brier score, the mean squared difference between probability and outcome.</param>
/// <param name="Reliability">Calibration loss: Σₖ nₖ (fₖ − ōₖ)² / N over the distinct forecast values fₖ (lower is better).</param>
/// <param name="Resolution">How far the outcome frequency per forecast value strays from the base rate: Σₖ nₖ (ōₖ − ō)² / N (higher is better).</param>
/// <param name="Uncertainty">The base rate's variance ō (1 − ō); it depends on the outcomes only.</param>
public sealed record BrierScoreDecomposition(double Score, double Reliability, double Resolution, double Uncertainty);
