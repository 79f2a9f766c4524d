namespace SelfLearning.Monitoring;

/// <summary>Counts the validated cases that arrived since the last training (wired to the case statistics).</summary>
internal interface INewCaseCountProvider
{
    /// <summary>Counts the validated cases since the last training's watermark.</summary>
    ValueTask<long> CountNewCasesAsync(CancellationToken cancellationToken);
}
