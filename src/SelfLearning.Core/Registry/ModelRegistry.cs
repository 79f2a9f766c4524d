using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Internal;

namespace SelfLearning.Registry;

/// <summary>
/// The <see cref="IModelRegistry"/>: every rule of the registry, written once, over an <see cref="IModelRegistryStore"/>
/// that only stores. <see cref="InMemoryModelRegistry"/> and <c>SqliteModelRegistry</c> are this class over their stores;
/// a host keeps its registry in its own database by implementing the store and passing it here.
/// </summary>
/// <remarks>
/// <para>
/// Reads go straight to the store. A write reads the model's state, applies the rules to decide a
/// <see cref="ModelRegistryCommit"/>, and asks the store to commit it at the revision it read. A write that names
/// <see cref="RegistryChange.ExpectedRevision"/> fails with <see cref="RegistryConcurrencyException"/> if another writer
/// committed first; one that does not is decided again on the new state, so it always applies to the latest state.
/// A write that changes nothing commits nothing. <see cref="Changed"/> is raised and the transitions logged after the commit.
/// </para>
/// </remarks>
public partial class ModelRegistry : IModelRegistry
{
    private readonly IModelRegistryStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a registry over a store.</summary>
    /// <param name="store">Where the models are kept.</param>
    /// <param name="timeProvider">The clock for creation and transition times; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    public ModelRegistry(IModelRegistryStore store, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _store = Guard.NotNull(store);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public event EventHandler<ModelRegistryChangedEventArgs>? Changed;

    /// <summary>
    /// Raises <see cref="Changed"/> for a change another process committed to the same storage (a registry on a shared
    /// database learns of it from the database), so this process's subscribers — its served models, an
    /// <see cref="ActiveModelProvider{TPredictor}"/> — follow it as they follow this registry's own writes.
    /// </summary>
    /// <param name="name">The model changed.</param>
    /// <param name="revision">The model's revision after the change.</param>
    /// <param name="kind">What changed.</param>
    protected void OnChangedElsewhere(string name, long revision, ModelChangeKind kind)
    {
        RegistryNames.ValidateModelName(name);
        Guard.Defined(kind);
        RaiseChanged(name, revision, kind);
    }

    /// <inheritdoc />
    public Task<ModelVersion> GetAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        Guard.Positive(version);
        cancellationToken.ThrowIfCancellationRequested();
        return ExistingVersionAsync(name, version, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetByAliasAsync(string name, string aliasName, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        RegistryNames.ValidateAlias(aliasName);
        cancellationToken.ThrowIfCancellationRequested();
        var found = await _store.ReadVersionByAliasAsync(name, aliasName, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            await ExistingModelAsync(name, cancellationToken).ConfigureAwait(false);
            throw new KeyNotFoundException($"Model '{name}' has no alias '{aliasName}'.");
        }

        return found;
    }

    /// <inheritdoc />
    public Task<ModelVersion?> GetChampionAsync(string name, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        cancellationToken.ThrowIfCancellationRequested();

        // Hosts that poll the champion often read a store that answers at once: no state machine for that case.
        var read = _store.ReadModelAsync(name, cancellationToken);
        return read.IsCompletedSuccessfully ? Task.FromResult(read.Result?.Champion) : ChampionAsync(read);

        static async Task<ModelVersion?> ChampionAsync(Task<StoredModel?> read) => (await read.ConfigureAwait(false))?.Champion;
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> GetModelAsync(string name, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        cancellationToken.ThrowIfCancellationRequested();
        while (true)
        {
            // Page by page; a page read at another revision means a write came between pages: read again from the start.
            var first = await _store.ReadVersionsAsync(name, 1, RegistryConstants.StorePageSize, cancellationToken).ConfigureAwait(false)
                ?? throw NoModel(name);
            if (first.Versions.Count < RegistryConstants.StorePageSize)
            {
                return first;
            }

            var versions = new List<ModelVersion>(first.Versions);
            RegisteredModel? page = first;
            while (page is not null && page.Revision == first.Revision && page.Versions.Count == RegistryConstants.StorePageSize)
            {
                page = await _store.ReadVersionsAsync(name, versions.Count + 1, RegistryConstants.StorePageSize, cancellationToken).ConfigureAwait(false);
                if (page is not null && page.Revision == first.Revision)
                {
                    versions.AddRange(page.Versions);
                }
            }

            if (page is not null && page.Revision == first.Revision)
            {
                return first with { Versions = versions };
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var names = await _store.ListModelsAsync(cancellationToken).ConfigureAwait(false);

        // Ordinal (UTF-16) order, whatever order the store keeps (SQLite's BINARY collation compares UTF-8 bytes).
        return [.. names.Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<ReadOnlyMemory<byte>> OpenArtifactAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        Guard.Positive(version);
        cancellationToken.ThrowIfCancellationRequested();
        var metadata = await ExistingVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
        byte[] content = await _store.ReadArtifactAsync(name, version, cancellationToken).ConfigureAwait(false) ?? [];
        try
        {
            ArtifactHash.Verify(metadata, content);
        }
        catch (ArtifactIntegrityException)
        {
            RegistryLog.ArtifactRefused(_logger, name, version);
            throw;
        }

        return content;
    }

    /// <inheritdoc />
    public async Task<ModelVersionsPage> GetVersionsPageAsync(string name, int? newestVersion = null, int maxCount = IModelRegistry.DefaultVersionsPageSize, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        ModelVersionsPageRules.Validate(newestVersion, maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        while (true)
        {
            // The model's row (count, champion) and one range of versions; read again if a write came in between.
            StoredModel model = await ExistingModelAsync(name, cancellationToken).ConfigureAwait(false);
            int newest = Math.Min(newestVersion ?? model.VersionCount, model.VersionCount);
            int oldest = Math.Max(1, newest - maxCount + 1);
            RegisteredModel? range = newest < 1
                ? new RegisteredModel { Name = name, Revision = model.Revision, Versions = [] }
                : await _store.ReadVersionsAsync(name, oldest, newest - oldest + 1, cancellationToken).ConfigureAwait(false);
            if (range is not null && range.Revision == model.Revision)
            {
                return new ModelVersionsPage
                {
                    Name = name,
                    Revision = model.Revision,
                    VersionCount = model.VersionCount,
                    Champion = model.Champion,
                    Versions = [.. range.Versions.OrderByDescending(v => v.Version)],
                };
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StageTransition>> GetHistoryPageAsync(string name, long? newestSequence = null, int maxCount = IModelRegistry.DefaultVersionsPageSize, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        ModelVersionsPageRules.ValidateHistory(newestSequence, maxCount);
        cancellationToken.ThrowIfCancellationRequested();

        // History is only appended: the model's row gives its length, and one range of sequences is the page.
        StoredModel model = await ExistingModelAsync(name, cancellationToken).ConfigureAwait(false);
        long newest = Math.Min(newestSequence ?? model.HistoryLength, model.HistoryLength);
        long oldest = Math.Max(1, newest - maxCount + 1);
        if (newest < 1)
        {
            return [];
        }

        IReadOnlyList<StageTransition> range = await _store.ReadHistoryAsync(name, oldest, (int)(newest - oldest + 1), cancellationToken).ConfigureAwait(false);
        return [.. range.OrderByDescending(t => t.Sequence)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StageTransition>> GetHistoryAsync(string name, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        cancellationToken.ThrowIfCancellationRequested();
        return await ReadHistoryAsync(name, long.MaxValue, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the history up to <paramref name="length"/> transitions, page by page (history is only appended, so pages always agree).</summary>
    private async Task<IReadOnlyList<StageTransition>> ReadHistoryAsync(string name, long length, CancellationToken cancellationToken)
    {
        var first = await _store.ReadHistoryAsync(name, 1, RegistryConstants.StorePageSize, cancellationToken).ConfigureAwait(false);
        if (first.Count < RegistryConstants.StorePageSize || first.Count >= length)
        {
            return first.Count > length ? [.. first.Take((int)length)] : first;
        }

        var history = new List<StageTransition>(first);
        IReadOnlyList<StageTransition> page = first;
        while (page.Count == RegistryConstants.StorePageSize && history.Count < length)
        {
            page = await _store.ReadHistoryAsync(name, history.Count + 1, RegistryConstants.StorePageSize, cancellationToken).ConfigureAwait(false);
            history.AddRange(page);
        }

        return history.Count > length ? history.GetRange(0, (int)length) : history;
    }

    private async Task<StoredModel> ExistingModelAsync(string name, CancellationToken cancellationToken)
        => await _store.ReadModelAsync(name, cancellationToken).ConfigureAwait(false) ?? throw NoModel(name);

    private async Task<ModelVersion> ExistingVersionAsync(string name, int version, CancellationToken cancellationToken)
    {
        var found = await _store.ReadVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            await ExistingModelAsync(name, cancellationToken).ConfigureAwait(false);
            throw NoVersion(name, version);
        }

        return found;
    }

    private static KeyNotFoundException NoModel(string name) => new($"No model named '{name}' is registered.");

    private static KeyNotFoundException NoVersion(string name, int version) => new($"Model '{name}' has no version {version}.");
}
