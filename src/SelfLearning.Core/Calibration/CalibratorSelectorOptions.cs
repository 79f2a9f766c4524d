namespace SelfLearning.Calibration;

/// <summary>Options for <see cref="CalibratorSelector"/>.</summary>
public sealed class CalibratorSelectorOptions
{
    /// <summary>Gets or sets the number of cross-validation folds, at least 2.</summary>
    /// <value>The default value is 5.</value>
    public int Folds { get; set; } = CalibrationConstants.DefaultFolds;

    /// <summary>Gets or sets the seed of the fold assignment; the same seed and data give the same folds.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>
    /// Gets or sets the methods to compare, in order of preference when scores tie exactly, or
    /// <see langword="null"/> for the default: Platt, isotonic, beta and histogram binning when every
    /// score is a probability in [0, 1], otherwise Platt, isotonic and temperature scaling.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IReadOnlyList<CalibrationMethod>? Candidates { get; set; }

    /// <summary>Gets or sets the number of bins for histogram binning, at least 1.</summary>
    /// <value>The default value is 10.</value>
    public int HistogramBins { get; set; } = CalibrationConstants.DefaultHistogramBins;
}
