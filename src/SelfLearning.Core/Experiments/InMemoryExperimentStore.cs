namespace SelfLearning.Experiments;

/// <summary>
/// An <see cref="IExperimentStore"/> in process memory: for tests, samples and single-process hosts that accept losing their
/// tallies on restart. The rules are <see cref="ExperimentStore"/>'s; <see cref="InMemoryExperimentStorage"/> only stores.
/// </summary>
/// <remarks>
/// Memory stays bounded. Kept predictions expire after <see cref="ExperimentStoreOptions.PendingPredictionTimeToLive"/>,
/// and at most <see cref="ExperimentStoreOptions.MaximumPendingPredictions"/> are kept: beyond it the oldest is evicted
/// (and counted). Exposed units are remembered as 128-bit keyed fingerprints up to
/// <see cref="ExperimentStoreOptions.MaximumTrackedUnitsPerExperiment"/> per experiment, and forgotten when the experiment
/// is saved concluded; <see cref="ExperimentStore.DeleteExperimentAsync"/> removes an experiment with all its state.
/// </remarks>
internal sealed class InMemoryExperimentStore : ExperimentStore
{
    private readonly InMemoryExperimentStorage _storage;

    public InMemoryExperimentStore(TimeProvider? timeProvider = null, ExperimentStoreOptions? options = null)
        : this(new InMemoryExperimentStorage(options ??= new ExperimentStoreOptions()), timeProvider, options)
    {
    }

    private InMemoryExperimentStore(InMemoryExperimentStorage storage, TimeProvider? timeProvider, ExperimentStoreOptions options)
        : base(storage, timeProvider, options)
    {
        _storage = storage;
    }

    /// <summary>Gets how many kept predictions were evicted by <see cref="ExperimentStoreOptions.MaximumPendingPredictions"/> before they expired.</summary>
    internal long EvictedPredictions => _storage.EvictedPredictions;

    /// <summary>Gets the number of predictions kept and not yet expired (or swept), for tests of the memory bound.</summary>
    internal int PendingCount => _storage.PendingCount;

    /// <summary>Gets how many unit fingerprints an experiment holds, for tests of the memory bound.</summary>
    internal int TrackedUnitCount(string experimentKey) => _storage.TrackedUnitCount(experimentKey);
}
