using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>What a trainer returns: the artifact, its metrics on the validation split, and the parameters it used.</summary>
public sealed class TrainingResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="artifact">The trained model.</param>
    /// <param name="validationMetrics">Metrics measured on the validation split (and solver diagnostics such as convergence).</param>
    /// <param name="parameters">The parameters used, defaults included, so the run can be repeated exactly.</param>
    public TrainingResult(TrainingArtifact artifact, IReadOnlyDictionary<string, double> validationMetrics, TrainingParameters parameters)
    {
        Artifact = Guard.NotNull(artifact);
        Guard.NotNull(validationMetrics);
        foreach (var pair in validationMetrics)
        {
            if (!double.IsFinite(pair.Value))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(validationMetrics), pair.Value, $"Metric '{pair.Key}' must be finite, but is {pair.Value}.");
            }
        }

        ValidationMetrics = TrainingMetrics.Freeze(validationMetrics);
        Parameters = Guard.NotNull(parameters);
    }

    /// <summary>Gets the trained model.</summary>
    public TrainingArtifact Artifact { get; }

    /// <summary>Gets the validation metrics, sorted by name.</summary>
    public IReadOnlyDictionary<string, double> ValidationMetrics { get; }

    /// <summary>Gets the parameters used.</summary>
    public TrainingParameters Parameters { get; }
}
