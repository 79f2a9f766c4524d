namespace SelfLearning.Training;

/// <summary>A regressor: a number for a feature vector.</summary>
public interface IRegressionPredictor : IPredictor
{
    /// <summary>Predicts the target for <paramref name="features"/>.</summary>
    /// <param name="features">The feature vector, <see cref="IPredictor.FeatureCount"/> long.</param>
    /// <returns>The prediction.</returns>
    double Predict(ReadOnlySpan<double> features);

    /// <summary>Predicts the target for <paramref name="features"/> and the case's <paramref name="attributes"/>.</summary>
    /// <param name="features">The feature vector, <see cref="IPredictor.FeatureCount"/> long.</param>
    /// <param name="attributes">The case's anonymised attributes by name (see <see cref="IPredictor.AttributeNames"/>); the default implementation ignores them.</param>
    /// <returns>The prediction.</returns>
    double Predict(ReadOnlySpan<double> features, IReadOnlyDictionary<string, string> attributes) => Predict(features);
}
