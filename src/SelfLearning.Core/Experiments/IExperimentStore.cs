namespace SelfLearning.Experiments;

/// <summary>
/// Where experiments, their exposures and outcomes, pending predictions and decisions are kept.
/// Every method is safe to call from many threads at once.
/// </summary>
public interface IExperimentStore
{
    /// <summary>
    /// Saves (inserts or replaces) an experiment's state. Saving it concluded (any status but
    /// <see cref="ExperimentStatus.Running"/>) releases its per-unit state: the exposure counts are kept and frozen, and
    /// the units themselves are forgotten.
    /// </summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when saved.</returns>
    ValueTask SaveExperimentAsync(Experiment experiment, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an experiment with everything kept for it: its units, tallies, pending predictions and decisions. A host
    /// removes concluded experiments it no longer needs this way, so their state does not accumulate.
    /// </summary>
    /// <param name="experimentKey">The key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when there was an experiment with that key.</returns>
    ValueTask<bool> DeleteExperimentAsync(string experimentKey, CancellationToken cancellationToken = default);

    /// <summary>Finds an experiment by key.</summary>
    /// <param name="experimentKey">The key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The experiment, or <see langword="null"/> when there is none with that key.</returns>
    ValueTask<Experiment?> FindExperimentAsync(string experimentKey, CancellationToken cancellationToken = default);

    /// <summary>Lists every experiment, in key order.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The experiments.</returns>
    ValueTask<IReadOnlyList<Experiment>> ListExperimentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Counts a unit as exposed in an arm; a unit is counted once per experiment however often it is exposed.</summary>
    /// <param name="experimentKey">The experiment key.</param>
    /// <param name="unitId">The unit.</param>
    /// <param name="arm">The arm the router put it in.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when this is the unit's first exposure; always <see langword="false"/> once the experiment is concluded.</returns>
    /// <exception cref="KeyNotFoundException">No experiment has that key.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="arm"/> is not a defined <see cref="ExperimentArm"/>.</exception>
    ValueTask<bool> RecordExposureAsync(string experimentKey, string unitId, ExperimentArm arm, CancellationToken cancellationToken = default);

    /// <summary>Records an outcome known now.</summary>
    /// <param name="experimentKey">The experiment key.</param>
    /// <param name="arm">The arm that served the unit.</param>
    /// <param name="metric">The metric name (the primary metric or a guardrail).</param>
    /// <param name="value">The value: 0 or 1 for a success rate.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when recorded.</returns>
    /// <exception cref="KeyNotFoundException">No experiment has that key.</exception>
    /// <exception cref="ArgumentException">The metric is not the experiment's, the value does not fit it, or <paramref name="arm"/> is undefined.</exception>
    ValueTask RecordOutcomeAsync(string experimentKey, ExperimentArm arm, string metric, double value, CancellationToken cancellationToken = default);

    /// <summary>Records a shadow-mode pair: both models' outcomes on the same request.</summary>
    /// <param name="experimentKey">The experiment key.</param>
    /// <param name="metric">The metric name.</param>
    /// <param name="championValue">The champion's outcome.</param>
    /// <param name="challengerValue">The challenger's outcome on the same request.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when recorded.</returns>
    /// <exception cref="KeyNotFoundException">No experiment has that key.</exception>
    /// <exception cref="ArgumentException">The metric is not the experiment's, or a value does not fit it.</exception>
    ValueTask RecordPairedOutcomeAsync(string experimentKey, string metric, double championValue, double challengerValue, CancellationToken cancellationToken = default);

    /// <summary>Keeps a prediction whose outcome will arrive later.</summary>
    /// <param name="prediction">The prediction.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when kept.</returns>
    /// <exception cref="KeyNotFoundException">No experiment has the prediction's key.</exception>
    /// <exception cref="ArgumentException">A prediction with the same id is already kept.</exception>
    ValueTask RecordPredictionAsync(PredictionRecord prediction, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resolves a kept prediction with its true label: a success (1) when the served output equals the
    /// label, else 0, counted for the serving arm (and, in shadow mode, paired with the challenger's output).
    /// </summary>
    /// <param name="predictionId">The prediction id.</param>
    /// <param name="metric">A success-rate metric of the experiment.</param>
    /// <param name="actualLabel">The true label.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="false"/> when the prediction is unknown or this metric was already resolved for it.</returns>
    /// <exception cref="InvalidOperationException">The prediction was kept without its output.</exception>
    ValueTask<bool> RecordLabelAsync(string predictionId, string metric, string actualLabel, CancellationToken cancellationToken = default);

    /// <summary>Resolves a kept (live-mode) prediction with an outcome value that arrived later.</summary>
    /// <param name="predictionId">The prediction id.</param>
    /// <param name="metric">The metric name.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="false"/> when the prediction is unknown or this metric was already resolved for it.</returns>
    ValueTask<bool> RecordDelayedOutcomeAsync(string predictionId, string metric, double value, CancellationToken cancellationToken = default);

    /// <summary>Reads everything counted for an experiment.</summary>
    /// <param name="experimentKey">The experiment key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The tallies (empty when nothing was recorded yet).</returns>
    /// <exception cref="KeyNotFoundException">No experiment has that key.</exception>
    ValueTask<ExperimentTallies> GetTalliesAsync(string experimentKey, CancellationToken cancellationToken = default);

    /// <summary>Appends a decision to the experiment's history.</summary>
    /// <param name="decision">The decision.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when recorded.</returns>
    ValueTask RecordDecisionAsync(ExperimentDecision decision, CancellationToken cancellationToken = default);

    /// <summary>Reads an experiment's decisions, oldest first.</summary>
    /// <param name="experimentKey">The experiment key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The decisions.</returns>
    ValueTask<IReadOnlyList<ExperimentDecision>> GetDecisionsAsync(string experimentKey, CancellationToken cancellationToken = default);
}
