namespace SelfLearning.Registry;

/// <summary>The state of one model as an <see cref="IModelRegistryStore"/> holds it, read at one instant.</summary>
public sealed record StoredModel
{
    /// <summary>Gets the model name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the revision: the number of commits made to the model (see <see cref="RegisteredModel.Revision"/>).</summary>
    public required long Revision { get; init; }

    /// <summary>Gets how many versions the model has; they are numbered 1 to this count.</summary>
    public required int VersionCount { get; init; }

    /// <summary>Gets how many transitions the history holds; they are numbered 1 to this count.</summary>
    public required long HistoryLength { get; init; }

    /// <summary>Gets the version in <see cref="ModelStage.Champion"/>, with its aliases, or <see langword="null"/> when none serves.</summary>
    public ModelVersion? Champion { get; init; }
}
