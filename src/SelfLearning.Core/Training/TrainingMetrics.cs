using System.Collections.Immutable;

namespace SelfLearning.Training;

/// <summary>Helpers for the name → value metric maps trainers report.</summary>
public static class TrainingMetrics
{
    /// <summary>Gets an empty metric map.</summary>
    public static IReadOnlyDictionary<string, double> Empty { get; } =
        ImmutableSortedDictionary.Create<string, double>(StringComparer.Ordinal);

    /// <summary>The metric name for a classifier's validation log loss.</summary>
    public const string LogLoss = "log_loss";

    /// <summary>The metric name for a classifier's validation accuracy.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>The metric name for a regressor's validation root mean squared error.</summary>
    public const string RootMeanSquaredError = "rmse";

    /// <summary>The metric name for a regressor's validation mean absolute error.</summary>
    public const string MeanAbsoluteError = "mae";

    /// <summary>The metric name for a regressor's validation coefficient of determination.</summary>
    public const string RSquared = "r2";

    /// <summary>The metric name for a clustering's validation silhouette score.</summary>
    public const string Silhouette = "silhouette";

    /// <summary>The metric name for a clustering's inertia (sum of squared distances to the nearest center).</summary>
    public const string Inertia = "inertia";

    /// <summary>The metric name for the Brier score of calibrated probabilities.</summary>
    public const string BrierScore = "brier";

    /// <summary>The metric name for the expected calibration error of calibrated probabilities (15 equal-width bins).</summary>
    public const string ExpectedCalibrationError = "ece";

    /// <summary>The metric name for the number of solver iterations used.</summary>
    public const string Iterations = "iterations";

    /// <summary>The metric name for whether the solver converged (1) or stopped at its limit (0).</summary>
    public const string Converged = "converged";

    /// <summary>Copies <paramref name="metrics"/> into an immutable map sorted by name.</summary>
    /// <param name="metrics">The metrics.</param>
    /// <returns>The sorted, immutable copy.</returns>
    public static IReadOnlyDictionary<string, double> Freeze(IEnumerable<KeyValuePair<string, double>> metrics) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, metrics);
}
