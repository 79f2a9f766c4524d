namespace SelfLearning.Cases;

/// <summary>The defaults of <see cref="CaseCollectorOptions"/>, one set for a standalone collector and the loop.</summary>
internal static class CaseCollectorConstants
{
    /// <summary>How far past the collector's clock a case may be validated: 5 minutes.</summary>
    public static readonly TimeSpan DefaultMaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The largest clock-skew allowance accepted: one day.</summary>
    public static readonly TimeSpan MaxMaxClockSkew = TimeSpan.FromDays(1);

    /// <summary>Half the cases train.</summary>
    public const double DefaultTrainFraction = 0.5;

    /// <summary>A fifth validate (calibration folds, early stopping).</summary>
    public const double DefaultValidationFraction = 0.2;

    /// <summary>Three tenths are held out: the loop judges candidate and champion on them.</summary>
    public const double DefaultTestFraction = 0.3;
}
