namespace SelfLearning.Monitoring;

/// <summary>The verdict of <see cref="AutoRollbackPolicy"/> with every number that led to it.</summary>
/// <param name="ShouldRollBack">Whether to roll back: some reason applies.</param>
/// <param name="Reasons">Every reason that applies; empty when the champion stays.</param>
/// <param name="HoldoutAccuracy">The champion's pre-promotion holdout accuracy.</param>
/// <param name="HoldoutCount">The number of holdout cases behind it.</param>
/// <param name="LiveCorrect">Live outcomes predicted correctly.</param>
/// <param name="LiveTotal">Live outcomes.</param>
/// <param name="Margin">The tolerated drop (e.g. 0.02).</param>
/// <param name="SignificanceLevel">The test's α.</param>
/// <param name="HasEnoughLiveData">Whether <paramref name="LiveTotal"/> reached the minimum for the accuracy test.</param>
/// <param name="ZStatistic">The test statistic, or <see langword="null"/> without enough live data.</param>
/// <param name="PValue">The one-sided p-value, or <see langword="null"/> without enough live data.</param>
internal sealed record RollbackDecision(
    bool ShouldRollBack,
    IReadOnlyList<RollbackReason> Reasons,
    double HoldoutAccuracy,
    long HoldoutCount,
    long LiveCorrect,
    long LiveTotal,
    double Margin,
    double SignificanceLevel,
    bool HasEnoughLiveData,
    double? ZStatistic,
    double? PValue)
{
    /// <summary>Gets the live accuracy, or <see langword="null"/> before any live outcome.</summary>
    public double? LiveAccuracy => LiveTotal == 0 ? null : (double)LiveCorrect / LiveTotal;
}
