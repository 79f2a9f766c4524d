namespace SelfLearning.Experiments;

/// <summary>A kept prediction as an <see cref="IExperimentStorage"/> reads it: the prediction with its experiment's saved state, read together.</summary>
/// <param name="Prediction">The prediction.</param>
/// <param name="Experiment">The experiment it was kept for.</param>
public sealed record StoredPrediction(PredictionRecord Prediction, Experiment Experiment);
