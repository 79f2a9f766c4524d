namespace SelfLearning.Experiments;

/// <summary>
/// Makes a model version the active champion, atomically. The decision engine calls it to promote a
/// winning challenger; <see cref="RegistryChampionActivator"/> does it through the model registry's atomic
/// activation, and a host may provide its own.
/// </summary>
internal interface IChampionActivator
{
    /// <summary>
    /// Activates <see cref="ChampionPromotion.ChallengerVersion"/>, replacing the active version in one step,
    /// provided <see cref="ChampionPromotion.ChampionVersion"/> still serves.
    /// </summary>
    /// <param name="promotion">What to promote, over which champion, and why.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes once the version is active.</returns>
    /// <exception cref="InvalidOperationException">The champion changed since the experiment started (a concurrency conflict); nothing was activated.</exception>
    ValueTask ActivateAsync(ChampionPromotion promotion, CancellationToken cancellationToken = default);
}
