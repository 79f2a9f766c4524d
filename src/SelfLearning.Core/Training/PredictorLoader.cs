using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>Turns a built-in trainer's artifact back into a predictor, by its format name.</summary>
internal static class PredictorLoader
{
    /// <summary>Whether <paramref name="format"/> is a built-in artifact format.</summary>
    /// <param name="format">The format name.</param>
    /// <returns><see langword="true"/> when <see cref="Load"/> can load it.</returns>
    public static bool CanLoad(string format) => format is LogisticRegressionModel.ArtifactFormat
        or RidgeRegressionModel.ArtifactFormat or KMeansModel.ArtifactFormat or CalibrationTrainer.ArtifactFormat;

    /// <summary>Loads the predictor an artifact holds.</summary>
    /// <param name="artifact">The artifact.</param>
    /// <returns>
    /// An <see cref="IClassificationPredictor"/>, <see cref="IRegressionPredictor"/>, <see cref="IClusteringPredictor"/>
    /// or <see cref="ICalibrationPredictor"/>.
    /// </returns>
    /// <exception cref="ArgumentException">The format is not a built-in one, or the content is malformed.</exception>
    public static IPredictor Load(TrainingArtifact artifact)
    {
        Guard.NotNull(artifact);
        return artifact.Format switch
        {
            LogisticRegressionModel.ArtifactFormat => LogisticRegressionModel.Load(artifact),
            RidgeRegressionModel.ArtifactFormat => RidgeRegressionModel.Load(artifact),
            KMeansModel.ArtifactFormat => KMeansModel.Load(artifact),
            CalibrationTrainer.ArtifactFormat => CalibrationModel.Load(artifact),
            _ => throw new ArgumentException($"No built-in predictor reads artifact format '{artifact.Format}'.", nameof(artifact)),
        };
    }
}
