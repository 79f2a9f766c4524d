using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// The live-metrics windows of every (model, version), created on first use with the sizes of
/// <see cref="MonitoringOptions"/>. Thread-safe; each window has its own lock, so versions never contend.
/// </summary>
internal sealed class LiveMetrics
{
    private readonly ConcurrentDictionary<(string Model, int Version), LiveMetricsWindow> windows = new();
    private readonly Func<(string Model, int Version), LiveMetricsWindow> createWindow;

    /// <summary>Initializes a new instance of the <see cref="LiveMetrics"/> class.</summary>
    /// <param name="options">The monitoring options (validated here).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public LiveMetrics(IOptions<MonitoringOptions> options, TimeProvider? timeProvider = null)
    {
        MonitoringOptions settings = MonitoringOptionsValidator.Validated(options);
        TimeProvider clock = timeProvider ?? TimeProvider.System;
        int capacity = settings.WindowSize;
        TimeSpan? duration = settings.WindowDuration;
        int bins = settings.CalibrationBins;
        createWindow = key => new LiveMetricsWindow(key.Model, key.Version, capacity, duration, bins, clock);
    }

    /// <summary>Gets the window of a model version, creating it when it does not exist yet.</summary>
    /// <param name="model">The model's key.</param>
    /// <param name="version">The registry version number, or 0 for the baseline before the first champion.</param>
    /// <returns>The window; hosts on a hot path may keep it and record into it directly.</returns>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or <paramref name="version"/> is negative.</exception>
    public LiveMetricsWindow GetWindow(string model, int version)
    {
        Guard.NotNullOrWhiteSpace(model);
        Guard.VersionOrBaseline(version);
        return windows.GetOrAdd((model, version), createWindow);
    }

    /// <summary>Gets the window of a model version if one exists.</summary>
    /// <param name="model">The model's key.</param>
    /// <param name="version">The registry version number.</param>
    /// <param name="window">The window, when found.</param>
    /// <returns><see langword="true"/> when the version has a window.</returns>
    public bool TryGetWindow(string model, int version, [NotNullWhen(true)] out LiveMetricsWindow? window)
    {
        Guard.NotNull(model);
        return windows.TryGetValue((model, version), out window);
    }

    /// <summary>Records the outcome of a top-label prediction of a model version.</summary>
    /// <param name="model">The model's key.</param>
    /// <param name="version">The registry version number.</param>
    /// <param name="confidence">The calibrated confidence of the prediction, in [0, 1].</param>
    /// <param name="correct">Whether the prediction turned out correct.</param>
    /// <exception cref="ArgumentException">The model key is empty, the version is negative or the confidence is outside [0, 1].</exception>
    public void Record(string model, int version, double confidence, bool correct) =>
        GetWindow(model, version).Record(confidence, correct);

    /// <summary>Removes the window of a model version (e.g. once it is archived).</summary>
    /// <param name="model">The model's key.</param>
    /// <param name="version">The registry version number.</param>
    /// <returns><see langword="true"/> when a window was removed.</returns>
    public bool Remove(string model, int version)
    {
        Guard.NotNull(model);
        return windows.TryRemove((model, version), out _);
    }

    /// <summary>Takes a snapshot of every window, ordered by model then version.</summary>
    /// <returns>The snapshots.</returns>
    public IReadOnlyList<LiveMetricsSnapshot> Snapshots() =>
        [.. windows.Values
            .Select(window => window.Snapshot())
            .OrderBy(s => s.Model, StringComparer.Ordinal)
            .ThenBy(s => s.Version)];
}
