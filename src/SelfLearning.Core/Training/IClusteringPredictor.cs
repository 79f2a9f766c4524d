namespace SelfLearning.Training;

/// <summary>A clustering (segmentation): the nearest cluster for a feature vector.</summary>
public interface IClusteringPredictor : IPredictor
{
    /// <summary>Gets the number of clusters.</summary>
    int ClusterCount { get; }

    /// <summary>Returns the index of the cluster whose center is nearest to <paramref name="features"/> (lowest index on a tie).</summary>
    /// <param name="features">The feature vector, <see cref="IPredictor.FeatureCount"/> long.</param>
    /// <returns>The cluster index.</returns>
    int Assign(ReadOnlySpan<double> features);

    /// <summary>Returns the index of the nearest cluster for <paramref name="features"/> and the case's <paramref name="attributes"/>.</summary>
    /// <param name="features">The feature vector, <see cref="IPredictor.FeatureCount"/> long.</param>
    /// <param name="attributes">The case's anonymised attributes by name (see <see cref="IPredictor.AttributeNames"/>); the default implementation ignores them.</param>
    /// <returns>The cluster index.</returns>
    int Assign(ReadOnlySpan<double> features, IReadOnlyDictionary<string, string> attributes) => Assign(features);
}
