namespace SelfLearning.Training;

/// <summary>A classifier: class probabilities for a feature vector.</summary>
public interface IClassificationPredictor : IPredictor
{
    /// <summary>Gets the classes, in the order of the probabilities.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>Writes each class's probability for <paramref name="features"/> into <paramref name="destination"/>.</summary>
    /// <param name="features">The feature vector, <see cref="IPredictor.FeatureCount"/> long.</param>
    /// <param name="destination">Receives <see cref="Classes"/>.Count probabilities summing to 1.</param>
    void PredictProbabilities(ReadOnlySpan<double> features, Span<double> destination);

    /// <summary>Writes each class's probability for <paramref name="features"/> and the case's <paramref name="attributes"/> into <paramref name="destination"/>.</summary>
    /// <param name="features">The feature vector, <see cref="IPredictor.FeatureCount"/> long.</param>
    /// <param name="attributes">The case's anonymised attributes by name (see <see cref="IPredictor.AttributeNames"/>); the default implementation ignores them.</param>
    /// <param name="destination">Receives <see cref="Classes"/>.Count probabilities summing to 1.</param>
    void PredictProbabilities(ReadOnlySpan<double> features, IReadOnlyDictionary<string, string> attributes, Span<double> destination) =>
        PredictProbabilities(features, destination);
}
