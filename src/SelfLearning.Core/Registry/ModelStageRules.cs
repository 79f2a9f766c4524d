namespace SelfLearning.Registry;

/// <summary>Which stage changes <see cref="IModelRegistry.SetStageAsync"/> may make.</summary>
/// <remarks>
/// The champion slot is guarded: no version enters or leaves <see cref="ModelStage.Champion"/> through
/// <see cref="IModelRegistry.SetStageAsync"/>; use activate, deactivate or roll back, which keep exactly
/// one champion at every instant. Any other stage may move to any other non-champion stage.
/// </remarks>
internal static class ModelStageRules
{
    /// <summary>Whether <see cref="IModelRegistry.SetStageAsync"/> may move a version from one stage to another.</summary>
    /// <param name="from">The current stage.</param>
    /// <param name="to">The requested stage.</param>
    /// <returns><see langword="true"/> when allowed (including staying in the same non-champion stage).</returns>
    public static bool CanSetStage(ModelStage from, ModelStage to)
        => IsDefined(from) && IsDefined(to) && from != ModelStage.Champion && to != ModelStage.Champion;

    /// <summary>Throws unless <see cref="CanSetStage"/> allows the change.</summary>
    /// <param name="version">The version to move.</param>
    /// <param name="to">The requested stage.</param>
    /// <exception cref="ArgumentNullException"><paramref name="version"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="to"/> is not a defined stage.</exception>
    /// <exception cref="InvalidOperationException">The change would enter or leave the champion slot.</exception>
    public static void EnsureCanSetStage(ModelVersion version, ModelStage to)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!IsDefined(to))
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"'{to}' is not a model stage.");
        }

        if (!CanSetStage(version.Stage, to))
        {
            throw new InvalidOperationException(
                $"Model '{version.Name}' version {version.Version} cannot move from {version.Stage} to {to} by a stage change; "
                + "use activate, deactivate or roll back to change the champion.");
        }
    }

    private static bool IsDefined(ModelStage stage) => stage is >= ModelStage.Candidate and <= ModelStage.Rejected;
}
