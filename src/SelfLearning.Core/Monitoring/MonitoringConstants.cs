namespace SelfLearning.Monitoring;

/// <summary>The defaults of <see cref="MonitoringOptions"/> and of the detectors' constructors, in one place.</summary>
internal static class MonitoringConstants
{
    public const int DefaultWindowSize = 1000;
    public const int MinimumWindowSize = 10;
    public const int MaximumWindowSize = 1_000_000;
    public const int DefaultCalibrationBins = 15;

    public const int DefaultPsiBins = 10;
    public const double DefaultPsiModerateThreshold = 0.1;
    public const double DefaultPsiMajorThreshold = 0.25;
    public const double DefaultKsSignificanceLevel = 0.01;
    public const int DefaultDriftMinimumSample = 100;

    public const double DefaultRollbackMargin = 0.02;
    public const double DefaultRollbackSignificanceLevel = 0.05;
    public const int DefaultRollbackMinimumLiveSample = 200;

    public const double DefaultEstimateConfidenceLevel = 0.95;

    public const long DefaultMinimumNewCases = 100;
    public static readonly TimeSpan DefaultMaximumChampionAge = TimeSpan.FromDays(30);

    // Page-Hinkley defaults are river's (river.drift.PageHinkley): δ = 0.005, λ = 50, α = 1 − 1e-4, 30 warm-up points.
    public const double DefaultPageHinkleyDelta = 0.005;
    public const double DefaultPageHinkleyThreshold = 50.0;
    public const double DefaultPageHinkleyAlpha = 1.0 - 1e-4;
    public const int DefaultPageHinkleyMinimumInstances = 30;

    // ADWIN defaults are Bifet and Gavaldà's and river's (river.drift.ADWIN): δ = 0.002, a cut check every 32
    // points, at most 5 buckets of each size, sub-windows of at least 5 points.
    public const double DefaultAdwinDelta = 0.002;
    public const int DefaultAdwinClock = 32;
    public const int DefaultAdwinMaxBucketsPerSize = 5;
    public const int DefaultAdwinMinimumSubWindow = 5;
}
