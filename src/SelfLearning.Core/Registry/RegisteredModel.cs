namespace SelfLearning.Registry;

/// <summary>A consistent snapshot of one model: every version as of one revision.</summary>
public sealed record RegisteredModel
{
    /// <summary>Gets the model name.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Gets the model revision: 0 before anything was registered, then one more after every committed
    /// write to the model. Pass it as <see cref="RegistryChange.ExpectedRevision"/> to write only if nothing changed.
    /// </summary>
    public required long Revision { get; init; }

    /// <summary>Gets every version, ordered by version number.</summary>
    public required IReadOnlyList<ModelVersion> Versions { get; init; }

    /// <summary>Gets the champion in this snapshot, or <see langword="null"/> when none serves.</summary>
    public ModelVersion? Champion
    {
        get
        {
            foreach (var version in Versions)
            {
                if (version.Stage == ModelStage.Champion)
                {
                    return version;
                }
            }

            return null;
        }
    }
}
