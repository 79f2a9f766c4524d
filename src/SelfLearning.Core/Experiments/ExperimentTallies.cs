using SelfLearning.Internal;

namespace SelfLearning.Experiments;

/// <summary>A snapshot of everything counted for one experiment: exposed units per arm and the outcomes per metric.</summary>
public sealed class ExperimentTallies
{
    private readonly IReadOnlyDictionary<string, MetricTally> _champion;
    private readonly IReadOnlyDictionary<string, MetricTally> _challenger;
    private readonly IReadOnlyDictionary<string, PairedTally> _paired;

    /// <summary>Creates a snapshot (stores build these).</summary>
    /// <param name="experimentKey">The experiment key.</param>
    /// <param name="championExposures">Distinct units exposed in the champion arm.</param>
    /// <param name="challengerExposures">Distinct units exposed in the challenger arm.</param>
    /// <param name="champion">The champion arm's tallies by metric name.</param>
    /// <param name="challenger">The challenger arm's tallies by metric name.</param>
    /// <param name="paired">Shadow-mode paired tallies by metric name.</param>
    /// <param name="expiredPredictions">Kept predictions that expired before any outcome arrived for them.</param>
    /// <exception cref="ArgumentException">The key is empty or a count is negative.</exception>
    public ExperimentTallies(
        string experimentKey,
        long championExposures,
        long challengerExposures,
        IReadOnlyDictionary<string, MetricTally> champion,
        IReadOnlyDictionary<string, MetricTally> challenger,
        IReadOnlyDictionary<string, PairedTally> paired,
        long expiredPredictions = 0)
    {
        ExperimentKey = Guard.NotNullOrWhiteSpace(experimentKey);
        ChampionExposures = Guard.NonNegative(championExposures);
        ChallengerExposures = Guard.NonNegative(challengerExposures);
        _champion = Guard.NotNull(champion);
        _challenger = Guard.NotNull(challenger);
        _paired = Guard.NotNull(paired);
        ExpiredPredictions = Guard.NonNegative(expiredPredictions);
    }

    /// <summary>Gets the experiment key.</summary>
    public string ExperimentKey { get; }

    /// <summary>Gets the number of distinct units exposed in the champion arm.</summary>
    public long ChampionExposures { get; }

    /// <summary>Gets the number of distinct units exposed in the challenger arm.</summary>
    public long ChallengerExposures { get; }

    /// <summary>
    /// Gets the number of kept predictions that expired (see <see cref="ExperimentStoreOptions.PendingPredictionTimeToLive"/>)
    /// before any outcome arrived: a high or arm-skewed count means labels are lost, and the tallies may be biased.
    /// </summary>
    public long ExpiredPredictions { get; }

    /// <summary>The outcomes of <paramref name="metric"/> in <paramref name="arm"/>, empty when none were recorded.</summary>
    /// <param name="metric">The metric name.</param>
    /// <param name="arm">The arm.</param>
    /// <returns>The tally.</returns>
    public MetricTally Get(string metric, ExperimentArm arm)
    {
        Guard.NotNull(metric);
        Guard.Defined(arm);
        IReadOnlyDictionary<string, MetricTally> tallies = arm == ExperimentArm.Challenger ? _challenger : _champion;
        return tallies.TryGetValue(metric, out MetricTally tally) ? tally : default;
    }

    /// <summary>The shadow-mode pairs of <paramref name="metric"/>, empty when none were recorded.</summary>
    /// <param name="metric">The metric name.</param>
    /// <returns>The paired tally.</returns>
    public PairedTally GetPaired(string metric)
    {
        Guard.NotNull(metric);
        return _paired.TryGetValue(metric, out PairedTally tally) ? tally : default;
    }
}
