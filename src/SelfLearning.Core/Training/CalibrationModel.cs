using SelfLearning.Calibration;

namespace SelfLearning.Training;

/// <summary>A calibrator as a predictor: the loaded form of a <see cref="CalibratorSerializer"/> artifact.</summary>
internal sealed class CalibrationModel : ICalibrationPredictor
{
    private readonly ICalibrator _calibrator;

    public CalibrationModel(ICalibrator calibrator) => _calibrator = calibrator;

    public string Format => CalibrationTrainer.ArtifactFormat;

    public int FeatureCount => 1;

    public CalibrationMethod Method => _calibrator.Method;

    public double Calibrate(double score) => _calibrator.Calibrate(score);

    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination) => _calibrator.Calibrate(scores, destination);

    /// <summary>Reads a <see cref="CalibrationTrainer.ArtifactFormat"/> artifact.</summary>
    public static CalibrationModel Load(TrainingArtifact artifact)
    {
        if (!string.Equals(artifact.Format, CalibrationTrainer.ArtifactFormat, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Expected an artifact of format '{CalibrationTrainer.ArtifactFormat}' but got '{artifact.Format}'.", nameof(artifact));
        }

        string json;
        try
        {
            json = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(artifact.Content.Span);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            throw new ArgumentException($"The '{artifact.Format}' artifact is not UTF-8 text: {ex.Message}", nameof(artifact), ex);
        }

        try
        {
            return new CalibrationModel(CalibratorSerializer.Deserialize(json));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The '{artifact.Format}' artifact is not a valid calibrator: {ex.Message}", nameof(artifact), ex);
        }
    }
}
