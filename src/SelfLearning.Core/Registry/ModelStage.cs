namespace SelfLearning.Registry;

/// <summary>The lifecycle stage of a <see cref="ModelVersion"/>.</summary>
/// <remarks>
/// A model has at most one <see cref="Champion"/> at any instant; only
/// <see cref="IModelRegistry.ActivateAsync"/>, <see cref="IModelRegistry.DeactivateAsync"/> and
/// <see cref="IModelRegistry.RollBackAsync"/> move a version into or out of that stage.
/// </remarks>
public enum ModelStage
{
    /// <summary>Registered and not yet judged. Every version starts here.</summary>
    Candidate = 0,

    /// <summary>Serving a share of traffic beside the champion (canary).</summary>
    Challenger = 1,

    /// <summary>Serving production. At most one version per model.</summary>
    Champion = 2,

    /// <summary>Retired: served before, or set aside without a verdict against it.</summary>
    Archived = 3,

    /// <summary>Judged worse (by a gate, a canary or a roll back); never a roll back target.</summary>
    Rejected = 4,
}
