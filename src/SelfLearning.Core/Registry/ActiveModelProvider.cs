using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Internal;

namespace SelfLearning.Registry;

/// <summary>
/// Serves a model's champion to a host's request path: <see cref="Current"/> is one volatile read of an
/// immutable snapshot, lock-free and allocation-free, and a new champion replaces it in one reference swap.
/// </summary>
/// <remarks>
/// <para>
/// The provider loads the champion's verified artifact with the host's loader and publishes the result.
/// It reloads when the registry raises <see cref="IModelRegistry.Changed"/> for a champion change (with the
/// built-in registries, before the activating call returns) and, for stores shared between processes,
/// every <see cref="ActiveModelProviderOptions.PollInterval"/> on the injected <see cref="TimeProvider"/>.
/// Call <see cref="RefreshAsync"/> once at start to load the first champion.
/// </para>
/// <para>
/// A failed reload (a loader exception, a tampered artifact) is logged and the previous predictor keeps
/// serving. Replaced predictors are not disposed: requests in flight may still be using them.
/// </para>
/// </remarks>
/// <typeparam name="TPredictor">What the host's loader builds from an artifact.</typeparam>
public sealed class ActiveModelProvider<TPredictor> : IDisposable
{
    private readonly IModelRegistry _registry;
    private readonly Func<ModelVersion, ReadOnlyMemory<byte>, TPredictor> _loader;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly ITimer? _pollTimer;
    private ActiveModel<TPredictor>? _current;
    private int _backgroundRefreshQueued;
    private int _disposed;

    /// <summary>Initializes a provider for one model; nothing is loaded until a refresh.</summary>
    /// <param name="registry">The registry holding the model.</param>
    /// <param name="modelName">The model to serve.</param>
    /// <param name="loader">Builds a predictor from a version and its verified artifact bytes.</param>
    /// <param name="options">The options; defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock driving the polling timer; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    public ActiveModelProvider(
        IModelRegistry registry,
        string modelName,
        Func<ModelVersion, ReadOnlyMemory<byte>, TPredictor> loader,
        ActiveModelProviderOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<ActiveModelProvider<TPredictor>>? logger = null)
    {
        _registry = Guard.NotNull(registry);
        ModelName = RegistryNames.ValidateModelName(modelName);
        _loader = Guard.NotNull(loader);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        TimeSpan interval = (options ?? new ActiveModelProviderOptions()).PollInterval;
        if (interval != Timeout.InfiniteTimeSpan && interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), interval, $"The poll interval must be positive or Timeout.InfiniteTimeSpan, but is {interval}.");
        }

        _registry.Changed += OnRegistryChanged;
        if (interval != Timeout.InfiniteTimeSpan)
        {
            _pollTimer = (timeProvider ?? TimeProvider.System).CreateTimer(_ => QueueRefresh(), null, interval, interval);
        }
    }

    /// <summary>Raised after the provider starts serving a different champion (or none). Handler exceptions are logged.</summary>
    public event EventHandler<ActiveModelChangedEventArgs<TPredictor>>? Changed;

    /// <summary>Gets the model this provider serves.</summary>
    public string ModelName { get; }

    /// <summary>Gets the champion being served, or <see langword="null"/> before the first load or when the model has none.</summary>
    public ActiveModel<TPredictor>? Current => Volatile.Read(ref _current);

    /// <summary>Gets the champion being served, if there is one.</summary>
    /// <param name="model">The champion, when this returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when a champion is loaded.</returns>
    public bool TryGetCurrent([NotNullWhen(true)] out ActiveModel<TPredictor>? model)
    {
        model = Volatile.Read(ref _current);
        return model is not null;
    }

    /// <summary>
    /// Reads the champion from the registry now and, if it differs from the one served, loads and publishes it.
    /// Refreshes run one at a time, so the last to run publishes the latest committed champion.
    /// </summary>
    /// <param name="cancellationToken">Cancels the refresh.</param>
    /// <returns>What is served after the refresh.</returns>
    /// <exception cref="ArtifactIntegrityException">The champion's artifact is corrupt; the previous predictor keeps serving.</exception>
    public async Task<ActiveModel<TPredictor>?> RefreshAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RefreshUnderGateAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Stops listening to the registry and stops polling. What is served stays readable.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _registry.Changed -= OnRegistryChanged;
        _pollTimer?.Dispose();
    }

    private async Task<ActiveModel<TPredictor>?> RefreshUnderGateAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        var champion = await _registry.GetChampionAsync(ModelName, cancellationToken).ConfigureAwait(false);
        if (champion is null)
        {
            if (current is not null)
            {
                Publish(current, null);
            }

            return null;
        }

        if (current is not null
            && current.Version.Version == champion.Version
            && string.Equals(current.Version.ArtifactSha256, champion.ArtifactSha256, StringComparison.Ordinal))
        {
            return current;
        }

        var artifact = await _registry.OpenArtifactAsync(ModelName, champion.Version, cancellationToken).ConfigureAwait(false);
        var next = new ActiveModel<TPredictor>(champion, _loader(champion, artifact));
        Publish(current, next);
        return next;
    }

    private void Publish(ActiveModel<TPredictor>? previous, ActiveModel<TPredictor>? next)
    {
        Volatile.Write(ref _current, next);
        RegistryLog.ActiveModelSwapped(_logger, ModelName, next?.Version.Version, previous?.Version.Version);
        var handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        var args = new ActiveModelChangedEventArgs<TPredictor>(previous, next);
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<ActiveModelChangedEventArgs<TPredictor>>>())
        {
            try
            {
                handler(this, args);
            }
#pragma warning disable CA1031 // The swap has happened; one failing subscriber must not hide it from the others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                RegistryLog.ActiveModelHandlerFailed(_logger, e, ModelName);
            }
        }
    }

    private void OnRegistryChanged(object? sender, ModelRegistryChangedEventArgs e)
    {
        if (e.Kind == ModelChangeKind.ChampionChanged && string.Equals(e.Name, ModelName, StringComparison.Ordinal))
        {
            QueueRefresh();
        }
    }

    /// <summary>
    /// Starts a background refresh unless one is already queued and has not read the registry yet (that one
    /// will see the change too). With a free gate and a synchronous registry it completes before returning.
    /// </summary>
    private void QueueRefresh()
    {
        if (Volatile.Read(ref _disposed) != 0 || Interlocked.Exchange(ref _backgroundRefreshQueued, 1) != 0)
        {
            return;
        }

        _ = BackgroundRefreshAsync();
    }

    private async Task BackgroundRefreshAsync()
    {
        try
        {
            await _refreshGate.WaitAsync().ConfigureAwait(false);
            try
            {
                Volatile.Write(ref _backgroundRefreshQueued, 0);
                await RefreshUnderGateAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _refreshGate.Release();
            }
        }
#pragma warning disable CA1031 // A background reload must never crash the host; the old predictor keeps serving.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _backgroundRefreshQueued, 0);
            RegistryLog.ActiveModelRefreshFailed(_logger, e, ModelName, Volatile.Read(ref _current)?.Version.Version);
        }
    }
}
