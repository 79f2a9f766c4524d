namespace SelfLearning.Calibration;

/// <summary>The outcome of <see cref="CalibratorSelector.Select"/>.</summary>
public sealed class CalibratorSelection
{
    internal CalibratorSelection(ICalibrator calibrator, CalibrationMethodScores[] scores, int folds, int seed)
    {
        Calibrator = calibrator;
        Scores = scores;
        Folds = folds;
        Seed = seed;
    }

    /// <summary>Gets the chosen method.</summary>
    public CalibrationMethod Chosen => Calibrator.Method;

    /// <summary>Gets the chosen method refitted on all the data.</summary>
    public ICalibrator Calibrator { get; }

    /// <summary>Gets every candidate's fold scores, in candidate order.</summary>
    public IReadOnlyList<CalibrationMethodScores> Scores { get; }

    /// <summary>Gets the number of folds used.</summary>
    public int Folds { get; }

    /// <summary>Gets the seed of the fold assignment.</summary>
    public int Seed { get; }
}
