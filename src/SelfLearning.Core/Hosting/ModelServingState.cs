using System.Collections.Concurrent;

namespace SelfLearning.Hosting;

/// <summary>One model's serving snapshot and the live windows of the versions it served.</summary>
internal sealed class ModelServingState(string modelName, int windowSize)
{
    private readonly ConcurrentDictionary<int, LiveVersionWindow> _windows = new();
    private ServingSnapshot? _snapshot;

    public string ModelName { get; } = modelName;

    public ServingSnapshot? Snapshot => Volatile.Read(ref _snapshot);

    public void Publish(ServingSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);

    public LiveVersionWindow Window(int version) => _windows.GetOrAdd(version, _ => new LiveVersionWindow(windowSize));

    public LiveModelMetrics? Metrics(int version) => _windows.TryGetValue(version, out var window) ? window.Snapshot(ModelName, version) : null;
}
