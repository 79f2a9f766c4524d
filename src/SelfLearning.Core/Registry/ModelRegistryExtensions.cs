namespace SelfLearning.Registry;

/// <summary>Questions answered the same way on top of any <see cref="IModelRegistry"/>.</summary>
internal static class ModelRegistryExtensions
{
    /// <summary>Lists a model's versions, ordered by version number.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="name">The model name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The versions.</returns>
    public static async Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(
        this IModelRegistry registry, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var model = await registry.GetModelAsync(name, cancellationToken).ConfigureAwait(false);
        return model.Versions;
    }

    /// <summary>Compares the recorded metrics of two versions of one model.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="name">The model name.</param>
    /// <param name="baselineVersion">The version compared against (usually the champion).</param>
    /// <param name="candidateVersion">The version being judged.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The comparison.</returns>
    public static async Task<MetricComparison> CompareMetricsAsync(
        this IModelRegistry registry, string name, int baselineVersion, int candidateVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var model = await registry.GetModelAsync(name, cancellationToken).ConfigureAwait(false);
        return MetricComparison.Create(
            Find(model, baselineVersion, nameof(baselineVersion)),
            Find(model, candidateVersion, nameof(candidateVersion)));
    }

    /// <summary>Finds which version was champion at an instant, from the transition history.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="name">The model name.</param>
    /// <param name="at">The instant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version that was champion then, or <see langword="null"/> when none was.</returns>
    public static async Task<ModelVersion?> GetChampionAtAsync(
        this IModelRegistry registry, string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var history = await registry.GetHistoryAsync(name, cancellationToken).ConfigureAwait(false);
        int? version = ModelHistory.ChampionAt(history, at);
        return version is int v ? await registry.GetAsync(name, v, cancellationToken).ConfigureAwait(false) : null;
    }

    private static ModelVersion Find(RegisteredModel model, int version, string paramName)
    {
        foreach (var candidate in model.Versions)
        {
            if (candidate.Version == version)
            {
                return candidate;
            }
        }

        throw new KeyNotFoundException($"Model '{model.Name}' has no version {version} (argument '{paramName}').");
    }
}
