namespace SelfLearning.Registry;

/// <summary>
/// The changes one write of a <see cref="ModelRegistry"/> makes to one model, as decided by the registry's rules;
/// an <see cref="IModelRegistryStore"/> commits them all together, or none (see <see cref="IModelRegistryStore.CommitAsync"/>).
/// </summary>
/// <remarks>
/// A store applies, in one atomic step: the <see cref="Registered"/> version and its <see cref="Artifact"/> if any, the
/// <see cref="Updated"/> versions in list order (a version leaving the champion stage comes before the one entering it, so a
/// store may enforce "one champion" at every statement), the <see cref="Aliases"/>, the <see cref="Transitions"/> appended to
/// the history, and the new <see cref="Revision"/> and <see cref="VersionCount"/>.
/// </remarks>
public sealed class ModelRegistryCommit
{
    internal ModelRegistryCommit(
        ModelChangeKind kind,
        string name,
        long expectedRevision,
        int versionCount,
        ModelVersion? registered,
        ReadOnlyMemory<byte> artifact,
        IReadOnlyList<ModelVersion> updated,
        IReadOnlyDictionary<string, int?> aliases,
        IReadOnlyList<StageTransition> transitions)
    {
        Kind = kind;
        Name = name;
        ExpectedRevision = expectedRevision;
        VersionCount = versionCount;
        Registered = registered;
        Artifact = artifact;
        Updated = updated;
        Aliases = aliases;
        Transitions = transitions;
    }

    /// <summary>
    /// Gets what kind of change this is, as <see cref="IModelRegistry.Changed"/> reports it; a store that several processes
    /// share can pass it on to the others (see <see cref="ModelRegistry.OnChangedElsewhere"/>).
    /// </summary>
    public ModelChangeKind Kind { get; }

    /// <summary>Gets the model the changes apply to.</summary>
    public string Name { get; }

    /// <summary>Gets the revision the model must still be at for the commit to apply (0 for a model not stored yet).</summary>
    public long ExpectedRevision { get; }

    /// <summary>Gets the revision the model is at after the commit: one more than <see cref="ExpectedRevision"/>.</summary>
    public long Revision => ExpectedRevision + 1;

    /// <summary>Gets how many versions the model has after the commit.</summary>
    public int VersionCount { get; }

    /// <summary>Gets the version to add (numbered one past the last one), or <see langword="null"/>.</summary>
    public ModelVersion? Registered { get; }

    /// <summary>Gets the artifact of <see cref="Registered"/>; empty when nothing is registered. The store may keep the memory: nothing else changes it.</summary>
    public ReadOnlyMemory<byte> Artifact { get; }

    /// <summary>
    /// Gets the stored versions whose stage, tags, evaluation report or aliases change, each in its new state, in the order to
    /// apply them. No other field of a version ever changes after registration.
    /// </summary>
    public IReadOnlyList<ModelVersion> Updated { get; }

    /// <summary>Gets the aliases that change: each to the version it now points at, or to <see langword="null"/> when removed.</summary>
    public IReadOnlyDictionary<string, int?> Aliases { get; }

    /// <summary>Gets the transitions to append to the history, numbered on from the stored history's length.</summary>
    public IReadOnlyList<StageTransition> Transitions { get; }
}
