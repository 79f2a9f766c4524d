using System.ComponentModel.DataAnnotations;

namespace SelfLearning.Experiments;

/// <summary>Limits of an <see cref="IExperimentStore"/>: how long predictions wait for their outcome and how many units are tracked.</summary>
public sealed class ExperimentStoreOptions
{
    /// <summary>
    /// Gets or sets how long a kept prediction waits for its label or delayed outcome. After that it is
    /// forgotten: a late outcome for it is refused (<see langword="false"/>), and, if no outcome at all
    /// arrived for it, it is counted in <see cref="ExperimentTallies.ExpiredPredictions"/>.
    /// </summary>
    /// <value>The default value is 30 days.</value>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan PendingPredictionTimeToLive { get; set; } = ExperimentsConstants.DefaultPendingPredictionTimeToLive;

    /// <summary>
    /// Gets or sets the most distinct units the in-memory store remembers per experiment (as 128-bit
    /// keyed fingerprints, about 32 bytes each). Once an experiment has this many, units not seen before are
    /// no longer counted, so the exposure counts become those of the first units to arrive; arrival order
    /// does not depend on the arm, so the sample ratio check stays valid on them. The SQLite and
    /// PostgreSQL stores keep every unit in the database and ignore this limit.
    /// </summary>
    /// <value>The default value is 1,000,000.</value>
    [Range(1, int.MaxValue)]
    public int MaximumTrackedUnitsPerExperiment { get; set; } = ExperimentsConstants.DefaultMaximumTrackedUnits;

    /// <summary>
    /// Gets or sets the most predictions the in-memory store keeps waiting for their outcome, over all experiments
    /// (about 300 bytes each). When full, keeping a new one forgets the oldest first; one forgotten before any outcome
    /// arrived is counted in <see cref="ExperimentTallies.ExpiredPredictions"/> and in the store's eviction count. The
    /// SQLite and PostgreSQL stores keep pending predictions in the database and ignore this limit.
    /// </summary>
    /// <value>The default value is 1,000,000.</value>
    [Range(1, int.MaxValue)]
    public int MaximumPendingPredictions { get; set; } = ExperimentsConstants.DefaultMaximumPendingPredictions;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ValidationException">A limit is out of range; the message names it.</exception>
    internal void Validate() => Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
}
