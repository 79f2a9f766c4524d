using System.Collections.Concurrent;
using SelfLearning.Internal;

namespace SelfLearning.Monitoring;

/// <summary>
/// The drift monitors of the running models, by name; the default <see cref="IDriftStatusProvider"/>.
/// Thread-safe: monitors may be added and removed while health checks read.
/// </summary>
public sealed class DriftMonitorSet : IDriftStatusProvider
{
    private readonly ConcurrentDictionary<string, ScoreDriftMonitor> distributions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ErrorStreamMonitor> errorStreams = new(StringComparer.Ordinal);

    /// <summary>Adds or replaces a distribution monitor under its <see cref="ScoreDriftMonitor.Name"/>.</summary>
    /// <param name="monitor">The monitor.</param>
    public void Set(ScoreDriftMonitor monitor)
    {
        Guard.NotNull(monitor);
        distributions[monitor.Name] = monitor;
    }

    /// <summary>Adds or replaces an error-stream monitor under its <see cref="ErrorStreamMonitor.Name"/>.</summary>
    /// <param name="monitor">The monitor.</param>
    public void Set(ErrorStreamMonitor monitor)
    {
        Guard.NotNull(monitor);
        errorStreams[monitor.Name] = monitor;
    }

    /// <summary>Removes the monitors of both kinds registered under a name.</summary>
    /// <param name="name">The monitors' name.</param>
    /// <returns><see langword="true"/> when a monitor was removed.</returns>
    public bool Remove(string name)
    {
        Guard.NotNull(name);
        bool removedDistribution = distributions.TryRemove(name, out _);
        bool removedStream = errorStreams.TryRemove(name, out _);
        return removedDistribution || removedStream;
    }

    /// <inheritdoc/>
    public IReadOnlyList<DriftReport> GetDistributionReports() =>
        [.. distributions.Values
            .Select(monitor => monitor.LastReport)
            .OfType<DriftReport>()
            .OrderBy(report => report.Monitor, StringComparer.Ordinal)];

    /// <inheritdoc/>
    public IReadOnlyList<ErrorStreamStatus> GetErrorStreams() =>
        [.. errorStreams.Values
            .Select(monitor => monitor.GetStatus())
            .OrderBy(status => status.Monitor, StringComparer.Ordinal)];
}
