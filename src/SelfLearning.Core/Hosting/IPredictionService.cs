namespace SelfLearning.Hosting;

/// <summary>
/// The serving side of the loop: calibrates the host model's score with the champion (or, for units in a canary,
/// the challenger) and records validated outcomes, which feed the canary's tallies and live monitoring.
/// </summary>
public interface IPredictionService
{
    /// <summary>
    /// Routes <paramref name="unitId"/> deterministically to champion or challenger and calibrates
    /// <paramref name="score"/>. Lock-free and allocation-free.
    /// </summary>
    /// <param name="modelName">A model added with <c>AddModel</c>.</param>
    /// <param name="unitId">The unit being served; the same unit stays on the same arm.</param>
    /// <param name="score">The host model's raw score (a confidence in [0, 1], or a margin for calibrators that take margins).</param>
    /// <returns>The calibrated prediction and its id.</returns>
    /// <exception cref="KeyNotFoundException">No model has that name.</exception>
    /// <exception cref="InvalidOperationException">The loop has not been initialised (the host has not started).</exception>
    Prediction Predict(string modelName, string unitId, double score);

    /// <summary>Records the validated outcome of a prediction, now or later.</summary>
    /// <param name="prediction">The prediction <see cref="Predict"/> returned.</param>
    /// <param name="correct">Whether the host's prediction turned out right.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the outcome is recorded.</returns>
    ValueTask RecordOutcomeAsync(Prediction prediction, bool correct, CancellationToken cancellationToken = default);
}
