namespace SelfLearning.Registry;

/// <summary>
/// One page of a model's versions, newest first, with what a list of models shows (how many versions, which is the
/// champion), read at one revision: what a dashboard reads instead of every version ever registered.
/// </summary>
public sealed record ModelVersionsPage
{
    /// <summary>Gets the model name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the model's revision the page was read at.</summary>
    public required long Revision { get; init; }

    /// <summary>Gets how many versions the model has (they are numbered 1 to this, never reused).</summary>
    public required int VersionCount { get; init; }

    /// <summary>Gets the champion, wherever it is in the model's history, or <see langword="null"/> when there is none.</summary>
    public ModelVersion? Champion { get; init; }

    /// <summary>Gets the versions of the page, newest first.</summary>
    public required IReadOnlyList<ModelVersion> Versions { get; init; }

    /// <summary>Gets the newest version of the next (older) page, or <see langword="null"/> when this page reaches version 1.</summary>
    public int? NextNewestVersion => Versions.Count > 0 && Versions[^1].Version > 1 ? Versions[^1].Version - 1 : null;
}
