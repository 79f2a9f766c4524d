using SelfLearning.Calibration;

namespace SelfLearning.Training;

/// <summary>
/// A confidence calibrator loaded back from a <see cref="CalibrationTrainer"/> artifact. Its one input is the host
/// model's score (so <see cref="IPredictor.FeatureCount"/> is 1), and <see cref="ICalibrator.Calibrate(double)"/>
/// gives the calibrated probability that the host's prediction is right.
/// </summary>
public interface ICalibrationPredictor : IPredictor, ICalibrator
{
}
