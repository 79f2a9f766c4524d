namespace SelfLearning.Experiments;

/// <summary>
/// The storage port of <see cref="ExperimentStore"/>: what a store must do so that every rule of the experiment store
/// (which metric and value an outcome may have, how a label scores, a unit counted once, an outcome counted once per
/// prediction, prediction expiry, keyed unit fingerprints) comes from the core and is written once.
/// </summary>
/// <remarks>
/// <para>
/// A store holds, per experiment key: the experiment's saved state, the unit fingerprints it has exposed with a count per
/// arm, the tallies (a <see cref="MetricTally"/> per arm and metric, a <see cref="PairedTally"/> per metric), the kept
/// predictions with their expiry and the metrics already resolved for each, a count of expired predictions, and the
/// decisions in the order appended. It decides nothing: it stores what it is given, and makes each write below whole or
/// not at all.
/// </para>
/// <para>
/// The promises that matter, each of which must hold across every process that shares the storage: a unit fingerprint is
/// held and counted at most once per experiment; an outcome of a kept prediction is appended at most once per prediction
/// and metric; tallies are only ever added to, so concurrent appends lose nothing. Every member is called from many
/// threads at once.
/// </para>
/// <para>
/// Time is the caller's: a kept prediction is kept until the instant it expires, and every call that depends on expiry
/// gets the caller's <c>now</c>. A prediction with <c>expiresAt &lt;= now</c> is not kept any more: it is not read, no
/// outcome is appended for it, its id may be kept again, and, if no outcome at all was appended for it, it counts once
/// toward <see cref="ExperimentTallies.ExpiredPredictions"/>. The storage may forget expired predictions whenever it likes.
/// </para>
/// </remarks>
public interface IExperimentStorage
{
    /// <summary>Reads an experiment's saved state.</summary>
    /// <param name="experimentKey">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The experiment, or <see langword="null"/> when none is stored with that key.</returns>
    Task<Experiment?> ReadExperimentAsync(string experimentKey, CancellationToken cancellationToken);

    /// <summary>Lists every stored experiment, in any order (the store sorts them).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The experiments.</returns>
    Task<IReadOnlyList<Experiment>> ListExperimentsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Inserts or replaces an experiment's state, keeping everything recorded for it. With <paramref name="releaseUnits"/>,
    /// in the same atomic step, forgets the experiment's unit fingerprints (the exposure counts stay) and refuses every later
    /// unit until the experiment is deleted.
    /// </summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="releaseUnits">Whether to release the units (the experiment is concluded).</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    Task SaveExperimentAsync(Experiment experiment, bool releaseUnits, CancellationToken cancellationToken);

    /// <summary>Deletes an experiment with everything stored for it: units, tallies, kept predictions and decisions.</summary>
    /// <param name="experimentKey">The key.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    /// <returns><see langword="true"/> when an experiment with that key was stored.</returns>
    Task<bool> DeleteExperimentAsync(string experimentKey, CancellationToken cancellationToken);

    /// <summary>
    /// Returns the storage's own key for unit fingerprints, keeping <paramref name="candidate"/> as that key if it has none
    /// yet; every later call (from any process sharing the storage) returns the key kept first.
    /// </summary>
    /// <param name="candidate">A fresh random key (32 bytes) the storage keeps if it holds none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The kept key.</returns>
    Task<byte[]> GetOrAddUnitKeyAsync(byte[] candidate, CancellationToken cancellationToken);

    /// <summary>
    /// Holds a unit's fingerprint for an experiment and counts it in <paramref name="arm"/>, unless the fingerprint is
    /// already held or the experiment's units were released.
    /// </summary>
    /// <param name="experimentKey">The experiment key.</param>
    /// <param name="unitFingerprint">The unit's keyed fingerprint: 32 lowercase hex digits, never the unit id itself.</param>
    /// <param name="arm">The arm (a defined value).</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    /// <returns><see cref="ExperimentWriteResult.Written"/> when the unit was counted; otherwise why not.</returns>
    Task<ExperimentWriteResult> AppendExposureAsync(string experimentKey, string unitFingerprint, ExperimentArm arm, CancellationToken cancellationToken);

    /// <summary>
    /// Adds an outcome to the experiment's tallies. For an outcome of a kept prediction, in the same atomic step, marks the
    /// prediction resolved for the metric, and changes nothing if it already was or the prediction is not kept.
    /// </summary>
    /// <param name="outcome">The outcome, decided by the store's rules.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    /// <returns>
    /// <see cref="ExperimentWriteResult.Written"/> when added; <see cref="ExperimentWriteResult.Unchanged"/> when the
    /// prediction's outcome for the metric was already recorded; <see cref="ExperimentWriteResult.NotFound"/> when the
    /// experiment, or the prediction (unexpired at <see cref="ExperimentOutcome.RecordedAt"/>), is not stored.
    /// </returns>
    Task<ExperimentWriteResult> AppendOutcomeAsync(ExperimentOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Keeps a prediction until <paramref name="expiresAt"/>, unless a prediction with its id is kept at <paramref name="now"/>.</summary>
    /// <param name="prediction">The prediction.</param>
    /// <param name="expiresAt">When it stops being kept.</param>
    /// <param name="now">The caller's clock: predictions expired by now are no longer kept.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    /// <returns><see cref="ExperimentWriteResult.Written"/> when kept; otherwise why not.</returns>
    Task<ExperimentWriteResult> AddPredictionAsync(PredictionRecord prediction, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Resolves a kept prediction in one atomic step: reads it (unexpired at <paramref name="now"/>) with its experiment, asks
    /// <paramref name="decide"/> for its outcome, and appends that outcome as <see cref="AppendOutcomeAsync"/> does (once per
    /// prediction and metric). When <paramref name="decide"/> throws, nothing is written and the exception reaches the caller.
    /// </summary>
    /// <param name="predictionId">The prediction id.</param>
    /// <param name="now">The caller's clock.</param>
    /// <param name="decide">The store's rules: the outcome of the prediction, or an exception.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    /// <returns>
    /// <see cref="ExperimentWriteResult.Written"/> when appended; <see cref="ExperimentWriteResult.Unchanged"/> when the
    /// prediction's outcome for the metric was already recorded; <see cref="ExperimentWriteResult.NotFound"/> when no
    /// prediction with that id is kept.
    /// </returns>
    Task<ExperimentWriteResult> ResolvePredictionAsync(string predictionId, DateTimeOffset now, Func<StoredPrediction, ExperimentOutcome> decide, CancellationToken cancellationToken);

    /// <summary>Reads everything counted for an experiment, at one instant.</summary>
    /// <param name="experimentKey">The experiment key.</param>
    /// <param name="now">The caller's clock, for <see cref="ExperimentTallies.ExpiredPredictions"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tallies, or <see langword="null"/> when no experiment has that key.</returns>
    Task<ExperimentTallies?> ReadTalliesAsync(string experimentKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Appends a decision to its experiment's history.</summary>
    /// <param name="decision">The decision.</param>
    /// <param name="cancellationToken">Cancels before the write.</param>
    /// <returns><see cref="ExperimentWriteResult.Written"/>, or <see cref="ExperimentWriteResult.NotFound"/> when the experiment is not stored.</returns>
    Task<ExperimentWriteResult> AppendDecisionAsync(ExperimentDecision decision, CancellationToken cancellationToken);

    /// <summary>Reads an experiment's decisions in the order they were appended.</summary>
    /// <param name="experimentKey">The experiment key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The decisions, or <see langword="null"/> when no experiment has that key.</returns>
    Task<IReadOnlyList<ExperimentDecision>?> ReadDecisionsAsync(string experimentKey, CancellationToken cancellationToken);
}
