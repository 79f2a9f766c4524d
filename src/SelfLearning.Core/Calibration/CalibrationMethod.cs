namespace SelfLearning.Calibration;

/// <summary>The calibration methods this library implements.</summary>
public enum CalibrationMethod
{
    /// <summary>Platt scaling: a sigmoid of the raw score (<see cref="PlattCalibrator"/>).</summary>
    Platt,

    /// <summary>Isotonic regression: a monotone piecewise-linear map (<see cref="IsotonicCalibrator"/>).</summary>
    Isotonic,

    /// <summary>Temperature scaling of logits (<see cref="TemperatureScaling"/>).</summary>
    Temperature,

    /// <summary>Histogram binning of probabilities (<see cref="HistogramBinningCalibrator"/>).</summary>
    HistogramBinning,

    /// <summary>Beta calibration of probabilities (<see cref="BetaCalibrator"/>).</summary>
    Beta,
}
