namespace SelfLearning.Registry;

/// <summary>The kinds of write reported by <see cref="IModelRegistry.Changed"/>.</summary>
public enum ModelChangeKind
{
    /// <summary>A version was registered.</summary>
    Registered = 0,

    /// <summary>The champion changed: activated, deactivated or rolled back.</summary>
    ChampionChanged = 1,

    /// <summary>A version moved between non-champion stages.</summary>
    StageChanged = 2,

    /// <summary>An alias was set or removed.</summary>
    AliasChanged = 3,

    /// <summary>A tag or the evaluation report changed.</summary>
    MetadataChanged = 4,
}
