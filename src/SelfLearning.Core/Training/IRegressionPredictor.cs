namespace SelfLearning.Training;

/// <summary>A regressor: a number for a feature vector.</summary>
public interface IRegressionPredictor : IPredictor
{
    /// <summary>Predicts the target for <paramref name="features"/>.</summary>
    /// <param name="features">The feature vector, <see cref="IPredictor.FeatureCount"/> long.</param>
    /// <returns>The prediction.</returns>
    double Predict(ReadOnlySpan<double> features);
}
