namespace SelfLearning.Cases;

/// <summary>Receives the cases a collection run keeps, one at a time, so a run never holds them all.</summary>
internal interface ICollectedCaseSink
{
    /// <summary>Receives a kept case. Each case id arrives at most once per run.</summary>
    /// <param name="anonymizedCase">The kept case, anonymised.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>A task that completes when the case is stored.</returns>
    ValueTask AddAsync(AnonymizedCase anonymizedCase, CancellationToken cancellationToken);
}
