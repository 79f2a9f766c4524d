namespace SelfLearning.Training;

/// <summary>A trained model loaded back from its artifact, ready to predict for evaluation and serving.</summary>
public interface IPredictor
{
    /// <summary>Gets the artifact format the model was loaded from.</summary>
    string Format { get; }

    /// <summary>Gets the number of features each input must have.</summary>
    int FeatureCount { get; }
}
