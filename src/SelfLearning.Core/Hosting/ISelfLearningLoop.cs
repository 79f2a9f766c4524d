using SelfLearning.Monitoring;

namespace SelfLearning.Hosting;

/// <summary>
/// The self-learning loop for the configured models. The background service calls it on its schedule; tests and
/// hosts that drive the loop themselves call it directly.
/// </summary>
public interface ISelfLearningLoop
{
    /// <summary>Loads what every model serves (champion and running canary) from the stores. Idempotent; the background service calls it at start.</summary>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>A task that completes when every model can serve.</returns>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs one cycle for a model: decides a running canary (promote, ramp up, roll back); otherwise watches the
    /// champion and rolls it back on a significant regression; otherwise, when enough new cases arrived, collects
    /// them, trains a candidate, evaluates it and the champion on the same held-out cases, gates it, registers it
    /// with the verdict and starts its canary (or, for a model's first version, activates it).
    /// </summary>
    /// <param name="modelName">A model added with <c>AddModel</c>.</param>
    /// <param name="cancellationToken">Cancels the cycle.</param>
    /// <returns>What the cycle did.</returns>
    /// <exception cref="KeyNotFoundException">No model has that name.</exception>
    Task<SelfLearningCycleResult> RunCycleAsync(string modelName, CancellationToken cancellationToken = default);

    /// <summary>Gets a version's live metrics over its most recent validated outcomes.</summary>
    /// <remarks>
    /// Live windows are kept in memory and start empty after a restart. The automatic roll back does not depend on
    /// them surviving: it compares the champion's live accuracy since the start with the holdout accuracy and
    /// holdout size stored with the version in the registry when it passed the gate.
    /// </remarks>
    /// <param name="modelName">The model.</param>
    /// <param name="version">The version (0 for the uncalibrated baseline served before the first champion).</param>
    /// <returns>The metrics, or <see langword="null"/> when the version has no outcomes yet.</returns>
    LiveMetricsSnapshot? GetLiveMetrics(string modelName, int version);
}
