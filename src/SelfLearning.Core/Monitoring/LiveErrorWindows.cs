using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SelfLearning.Monitoring;

/// <summary>
/// Live absolute errors of regression versions, per model and version: the last <see cref="MonitoringOptions.WindowSize"/>
/// values, for the champion watch to compare with the version's held-out MAE.
/// </summary>
internal sealed class LiveErrorWindows(IOptions<MonitoringOptions> options)
{
    private readonly ConcurrentDictionary<(string Model, int Version), Window> _windows = new();

    public void Record(string model, int version, double absoluteError) =>
        _windows.GetOrAdd((model, version), _ => new Window(options.Value.WindowSize)).Add(absoluteError);

    /// <summary>The count, mean and sample variance of the window, or <see langword="null"/> when nothing was recorded.</summary>
    public (int Count, double Mean, double Variance)? Snapshot(string model, int version) =>
        _windows.TryGetValue((model, version), out var window) ? window.Snapshot() : null;

    public void Remove(string model, int version) => _windows.TryRemove((model, version), out _);

    private sealed class Window(int capacity)
    {
        private readonly double[] _values = new double[capacity];
        private readonly Lock _lock = new();
        private int _count;
        private int _next;

        public void Add(double value)
        {
            lock (_lock)
            {
                _values[_next] = value;
                _next = (_next + 1) % _values.Length;
                _count = Math.Min(_count + 1, _values.Length);
            }
        }

        public (int Count, double Mean, double Variance) Snapshot()
        {
            lock (_lock)
            {
                double mean = 0.0, m2 = 0.0;
                for (int i = 0; i < _count; i++)
                {
                    double delta = _values[i] - mean;
                    mean += delta / (i + 1);
                    m2 += delta * (_values[i] - mean);
                }

                return (_count, mean, _count > 1 ? m2 / (_count - 1) : 0.0);
            }
        }
    }
}
