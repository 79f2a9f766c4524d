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
}
