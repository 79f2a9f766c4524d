namespace SelfLearning.Experiments;

/// <summary>Defaults and fixed numbers of the Experiments area.</summary>
internal static class ExperimentsConstants
{
    /// <summary>GrowthBook accepts weights summing to 1 ± 0.01 and otherwise falls back to equal weights.</summary>
    public const double MinimumWeightSum = 0.99;

    /// <summary>Upper end of GrowthBook's accepted weight sum.</summary>
    public const double MaximumWeightSum = 1.01;

    /// <summary>GrowthBook seeds the namespace hash with "__" followed by the namespace id.</summary>
    public const string NamespaceSeedPrefix = "__";

    /// <summary>The challenger never gets more than half of the traffic: at 50% every unit is in the experiment.</summary>
    public const double MaximumChallengerShare = 0.5;

    /// <summary>Outcomes per arm needed at a ramp step before the next one.</summary>
    public const long DefaultMinimumSamplesPerArm = 1_000;

    /// <summary>GrowthBook's recommended hashing scheme (unbiased).</summary>
    public const int DefaultHashVersion = 2;

    /// <summary>The planned sample size per arm the sequential test is tuned for when none is given.</summary>
    public const long DefaultPlannedSampleSizePerArm = 10_000;

    /// <summary>Most distinct units the in-memory store tracks per experiment.</summary>
    public const int DefaultMaximumTrackedUnits = 1_000_000;

    /// <summary>Most pending predictions the in-memory store keeps over all experiments.</summary>
    public const int DefaultMaximumPendingPredictions = 1_000_000;

    /// <summary>The canary plan: 5% of traffic, then 25%, then 50%.</summary>
    public static readonly double[] DefaultRampShares = [0.05, 0.25, 0.5];

    /// <summary>Time at a ramp step before the next one.</summary>
    public static readonly TimeSpan DefaultMinimumStepDuration = TimeSpan.FromDays(1);

    /// <summary>How long a prediction waits for its outcome.</summary>
    public static readonly TimeSpan DefaultPendingPredictionTimeToLive = TimeSpan.FromDays(30);

    /// <summary>Longest an experiment runs before it is stopped as inconclusive.</summary>
    public static readonly TimeSpan DefaultMaximumDuration = TimeSpan.FromDays(28);
}
