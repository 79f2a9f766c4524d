namespace SelfLearning.Monitoring;

/// <summary>Counts the validated cases that arrived since the last training (wired to the case statistics).</summary>
internal interface INewCaseCountProvider
{
    /// <summary>Counts the validated cases since the last training's watermark, with how long ago that training was.</summary>
    ValueTask<NewCaseCount> CountNewCasesAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The new validated cases since a model's last training, and whether that training is recent: within the time the
/// model allows without new data (<c>DataStaleAfter</c>), few new cases are expected, not a sign of starved data.
/// </summary>
/// <param name="NewCases">Validated cases since the last training.</param>
/// <param name="LastTrainedAt">When the last training's version was registered; <see langword="null"/> before the first.</param>
/// <param name="RecentlyTrained">Whether <paramref name="LastTrainedAt"/> is within the model's allowance.</param>
internal readonly record struct NewCaseCount(long NewCases, DateTimeOffset? LastTrainedAt = null, bool RecentlyTrained = false)
{
    public static implicit operator NewCaseCount(long newCases) => new(newCases);
}
