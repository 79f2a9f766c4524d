namespace SelfLearning.Experiments;

/// <summary>
/// Makes a model version the active champion, atomically. The decision engine calls it to promote a
/// winning challenger; the host (or the Hosting layer, over <c>IModelRegistry</c>'s atomic activation)
/// provides it.
/// </summary>
public interface IChampionActivator
{
    /// <summary>Activates <paramref name="version"/> of <paramref name="modelName"/>, replacing the active version in one step.</summary>
    /// <param name="modelName">The model.</param>
    /// <param name="version">The version to activate.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes once the version is active.</returns>
    ValueTask ActivateAsync(string modelName, string version, CancellationToken cancellationToken = default);
}
