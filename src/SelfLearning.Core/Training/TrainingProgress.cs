using SelfLearning.Internal;

namespace SelfLearning.Training;

/// <summary>A progress report from a trainer: how far it is, what it is doing, and any interim metrics.</summary>
public sealed record TrainingProgress
{
    /// <summary>Creates a progress report.</summary>
    /// <param name="percent">How far the run is, in [0, 100].</param>
    /// <param name="stage">A short name for what the trainer is doing, e.g. <c>"fitting"</c>.</param>
    /// <param name="metrics">Interim metrics, e.g. the current loss; <see langword="null"/> for none.</param>
    public TrainingProgress(double percent, string stage, IReadOnlyDictionary<string, double>? metrics = null)
    {
        Percent = Guard.InRange(percent, 0.0, 100.0);
        Stage = Guard.NotNullOrWhiteSpace(stage);
        Metrics = metrics ?? TrainingMetrics.Empty;
    }

    /// <summary>Gets how far the run is, in [0, 100].</summary>
    public double Percent { get; }

    /// <summary>Gets what the trainer is doing.</summary>
    public string Stage { get; }

    /// <summary>Gets the interim metrics.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }
}
