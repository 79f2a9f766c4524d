using SelfLearning.Internal;

namespace SelfLearning.Registry;

/// <summary>The reads of an <see cref="IModelRegistry"/> the loop's stages share.</summary>
internal static class RegistryQueries
{
    /// <summary>Reads the newest registered version of a model (any stage), or <see langword="null"/> when the model has none.</summary>
    public static async Task<ModelVersion?> LatestVersionAsync(this IModelRegistry registry, string modelName, CancellationToken cancellationToken) =>
        (await registry.VersionsAsync(modelName, cancellationToken).ConfigureAwait(false)) is [.., var latest] ? latest : null;

    /// <summary>Reads every registered version of a model, oldest first; none when the model is not registered.</summary>
    public static async Task<IReadOnlyList<ModelVersion>> VersionsAsync(this IModelRegistry registry, string modelName, CancellationToken cancellationToken)
    {
        Guard.NotNull(registry);
        var models = await registry.ListModelsAsync(cancellationToken).ConfigureAwait(false);
        return models.Contains(modelName, StringComparer.Ordinal)
            ? (await registry.GetModelAsync(modelName, cancellationToken).ConfigureAwait(false)).Versions
            : [];
    }
}
