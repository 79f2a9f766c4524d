namespace SelfLearning.Experiments;

/// <summary>
/// Shadow-mode outcomes of one metric, where champion and challenger were scored on the same
/// requests: both arms' tallies and the tally of the per-request differences (challenger − champion).
/// </summary>
/// <remarks>
/// For a success rate the differences are −1, 0 or 1, so the discordant pairs McNemar's test needs
/// follow from the sums: challenger-only successes <c>c = (ΣD² + ΣD) / 2</c> and champion-only
/// successes <c>b = (ΣD² − ΣD) / 2</c>.
/// </remarks>
/// <param name="Champion">The champion's outcomes.</param>
/// <param name="Challenger">The challenger's outcomes on the same requests.</param>
/// <param name="Difference">The differences challenger − champion.</param>
public readonly record struct PairedTally(MetricTally Champion, MetricTally Challenger, MetricTally Difference)
{
    /// <summary>Gets the number of pairs where only the champion succeeded (success rates).</summary>
    public long ChampionOnly => (long)Math.Round((Difference.SumOfSquares - Difference.Sum) / 2.0);

    /// <summary>Gets the number of pairs where only the challenger succeeded (success rates).</summary>
    public long ChallengerOnly => (long)Math.Round((Difference.SumOfSquares + Difference.Sum) / 2.0);

    /// <summary>The tally with one more pair.</summary>
    /// <param name="championValue">The champion's outcome.</param>
    /// <param name="challengerValue">The challenger's outcome on the same request.</param>
    /// <returns>The new tally.</returns>
    public PairedTally Add(double championValue, double challengerValue) =>
        new(Champion.Add(championValue), Challenger.Add(challengerValue), Difference.Add(challengerValue - championValue));
}
