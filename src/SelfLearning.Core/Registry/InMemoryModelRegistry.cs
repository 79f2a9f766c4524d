using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Internal;

namespace SelfLearning.Registry;

/// <summary>
/// An <see cref="IModelRegistry"/> held in process memory: for tests, samples and hosts that rebuild their
/// models at start. Nothing survives the process; use <c>SqliteModelRegistry</c> to persist.
/// </summary>
/// <remarks>
/// All models live in one immutable map replaced as a whole on every write (writes are serialized by a
/// lock), so every read works on one consistent snapshot without taking the lock.
/// </remarks>
public sealed partial class InMemoryModelRegistry : IModelRegistry
{
    private readonly object _writeLock = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private ImmutableDictionary<string, ModelState> _models = ImmutableDictionary.Create<string, ModelState>(StringComparer.Ordinal);

    /// <summary>Initializes an empty registry.</summary>
    /// <param name="timeProvider">The clock for creation and transition times; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    public InMemoryModelRegistry(TimeProvider? timeProvider = null, ILogger<InMemoryModelRegistry>? logger = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public event EventHandler<ModelRegistryChangedEventArgs>? Changed;

    /// <inheritdoc />
    public Task<ModelVersion> GetAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Existing(Snapshot(), name).Version(version));
    }

    /// <inheritdoc />
    public Task<ModelVersion> GetByAliasAsync(string name, string aliasName, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateAlias(aliasName);
        cancellationToken.ThrowIfCancellationRequested();
        var model = Existing(Snapshot(), name);
        if (!model.Aliases.TryGetValue(aliasName, out int version))
        {
            throw new KeyNotFoundException($"Model '{name}' has no alias '{aliasName}'.");
        }

        return Task.FromResult(model.Version(version));
    }

    /// <inheritdoc />
    public Task<ModelVersion?> GetChampionAsync(string name, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        cancellationToken.ThrowIfCancellationRequested();
        ModelVersion? champion = Snapshot().TryGetValue(name, out var model) && model.Champion is int version
            ? model.Version(version)
            : null;
        return Task.FromResult(champion);
    }

    /// <inheritdoc />
    public Task<RegisteredModel> GetModelAsync(string name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var model = Existing(Snapshot(), name);
        return Task.FromResult(new RegisteredModel { Name = model.Name, Revision = model.Revision, Versions = model.Versions });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<string> names = [.. Snapshot().Keys.Order(StringComparer.Ordinal)];
        return Task.FromResult(names);
    }

    /// <inheritdoc />
    public Task<ReadOnlyMemory<byte>> OpenArtifactAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var model = Existing(Snapshot(), name);
        var metadata = model.Version(version);
        byte[] stored = model.Artifacts[version - 1];
        try
        {
            ArtifactHash.Verify(metadata, stored);
        }
        catch (ArtifactIntegrityException)
        {
            RegistryLog.ArtifactRefused(_logger, name, version);
            throw;
        }

        // A copy, so no caller can alter the stored bytes through the returned memory's array.
        return Task.FromResult<ReadOnlyMemory<byte>>(stored.AsSpan().ToArray());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StageTransition>> GetHistoryAsync(string name, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<StageTransition> history = Snapshot().TryGetValue(name, out var model)
            ? model.History
            : ImmutableList<StageTransition>.Empty;
        return Task.FromResult(history);
    }

    /// <summary>
    /// Test hook: the array holding a version's stored artifact, so a test can flip a byte and check that
    /// <see cref="OpenArtifactAsync"/> refuses it.
    /// </summary>
    internal byte[] StoredArtifact(string name, int version)
    {
        var model = Existing(Snapshot(), name);
        model.Version(version);
        return model.Artifacts[version - 1];
    }

    private static ModelState Existing(ImmutableDictionary<string, ModelState> models, string name)
    {
        RegistryNames.ValidateModelName(name);
        return models.TryGetValue(name, out var model)
            ? model
            : throw new KeyNotFoundException($"No model named '{name}' is registered.");
    }

    private ImmutableDictionary<string, ModelState> Snapshot() => Volatile.Read(ref _models);

    private void RaiseChanged(string name, long revision, ModelChangeKind kind)
    {
        var handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        var args = new ModelRegistryChangedEventArgs(name, revision, kind);
        foreach (EventHandler<ModelRegistryChangedEventArgs> handler in handlers.GetInvocationList().Cast<EventHandler<ModelRegistryChangedEventArgs>>())
        {
            try
            {
                handler(this, args);
            }
#pragma warning disable CA1031 // The write has committed; a failing subscriber must not make it look failed.
            catch (Exception e)
#pragma warning restore CA1031
            {
                RegistryLog.ChangedHandlerFailed(_logger, e, name, revision);
            }
        }
    }

    private static void CheckVersionArgument(int version)
        => Guard.InRange(version, 1, int.MaxValue, nameof(version));
}
