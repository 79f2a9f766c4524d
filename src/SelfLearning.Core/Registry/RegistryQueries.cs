using SelfLearning.Internal;

namespace SelfLearning.Registry;

/// <summary>The reads of an <see cref="IModelRegistry"/> the loop's stages share.</summary>
internal static class RegistryQueries
{
    /// <summary>Reads the newest registered version of a model (any stage), or <see langword="null"/> when the model has none.</summary>
    /// <remarks>One page of one version: the cost does not grow with the number of versions the model has.</remarks>
    public static async Task<ModelVersion?> LatestVersionAsync(this IModelRegistry registry, string modelName, CancellationToken cancellationToken)
    {
        Guard.NotNull(registry);
        try
        {
            ModelVersionsPage newest = await registry.GetVersionsPageAsync(modelName, null, 1, cancellationToken).ConfigureAwait(false);
            return newest.Versions is [var latest] ? latest : null;
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }
}
