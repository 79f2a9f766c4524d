using Microsoft.Extensions.Logging;

namespace SelfLearning.Registry;

/// <summary>
/// An <see cref="IModelRegistry"/> held in process memory: for tests, samples and hosts that rebuild their
/// models at start. Nothing survives the process; use <c>SqliteModelRegistry</c> to persist.
/// </summary>
/// <remarks>
/// The rules are <see cref="ModelRegistry"/>'s; the store keeps all models in one immutable map replaced as a whole
/// on every commit (commits are serialized by a lock), so every read works on one consistent snapshot without the lock.
/// </remarks>
internal sealed class InMemoryModelRegistry : ModelRegistry
{
    private readonly InMemoryModelRegistryStore _store;

    /// <summary>Initializes an empty registry.</summary>
    /// <param name="timeProvider">The clock for creation and transition times; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    public InMemoryModelRegistry(TimeProvider? timeProvider = null, ILogger<InMemoryModelRegistry>? logger = null)
        : this(new InMemoryModelRegistryStore(), timeProvider, logger)
    {
    }

    private InMemoryModelRegistry(InMemoryModelRegistryStore store, TimeProvider? timeProvider, ILogger? logger)
        : base(store, timeProvider, logger)
    {
        _store = store;
    }

    /// <summary>
    /// Test hook: the array holding a version's stored artifact, so a test can flip a byte and check that
    /// <see cref="ModelRegistry.OpenArtifactAsync"/> refuses it.
    /// </summary>
    internal byte[] StoredArtifact(string name, int version) => _store.StoredArtifact(name, version);
}
