namespace SelfLearning.Registry;

/// <summary>The champion a host serves: its registry entry and the predictor loaded from its verified artifact.</summary>
/// <typeparam name="TPredictor">What the host's loader builds from an artifact.</typeparam>
public sealed class ActiveModel<TPredictor>
{
    internal ActiveModel(ModelVersion version, TPredictor predictor)
    {
        Version = version;
        Predictor = predictor;
    }

    /// <summary>Gets the version as it was when it was loaded.</summary>
    public ModelVersion Version { get; }

    /// <summary>Gets the loaded predictor.</summary>
    public TPredictor Predictor { get; }
}
