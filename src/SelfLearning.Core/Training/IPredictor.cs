namespace SelfLearning.Training;

/// <summary>A trained model loaded back from its artifact, ready to predict for evaluation and serving.</summary>
public interface IPredictor
{
    /// <summary>Gets the artifact format the model was loaded from.</summary>
    string Format { get; }

    /// <summary>Gets the number of features each input must have.</summary>
    int FeatureCount { get; }

    /// <summary>
    /// Gets the names of the case attributes the model reads besides its features (e.g. a categorical <c>clinic</c> or a
    /// text <c>note</c>), in the anonymised form the loop trained it on; empty for a model on features alone.
    /// </summary>
    /// <remarks>
    /// The attribute overloads of the predictor interfaces receive a case's attributes by name; a name missing from the
    /// map is read as an empty value. A predictor that reads none keeps this default and ignores the map.
    /// </remarks>
    IReadOnlyList<string> AttributeNames => [];
}
