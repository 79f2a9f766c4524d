namespace SelfLearning.Monitoring;

/// <summary>Reads the champion (wired to the model registry).</summary>
internal interface IChampionInfoProvider
{
    /// <summary>Gets the active version, or <see langword="null"/> when no version is active.</summary>
    ValueTask<ChampionInfo?> GetChampionAsync(CancellationToken cancellationToken);
}
