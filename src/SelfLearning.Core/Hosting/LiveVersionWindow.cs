using SelfLearning.Evaluation;

namespace SelfLearning.Hosting;

/// <summary>The most recent outcomes of one served version: a fixed-size ring of (probability, outcome), thread-safe.</summary>
internal sealed class LiveVersionWindow(int capacity)
{
    private readonly double[] _probabilities = new double[capacity];
    private readonly bool[] _outcomes = new bool[capacity];
    private readonly object _lock = new();
    private int _next;
    private int _count;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void Add(double probability, bool outcome)
    {
        lock (_lock)
        {
            _probabilities[_next] = probability;
            _outcomes[_next] = outcome;
            _next = (_next + 1) % _probabilities.Length;
            _count = Math.Min(_count + 1, _probabilities.Length);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _next = 0;
            _count = 0;
        }
    }

    public LiveModelMetrics? Snapshot(string modelName, int version)
    {
        double[] p;
        bool[] y;
        lock (_lock)
        {
            if (_count == 0)
            {
                return null;
            }

            p = _probabilities.AsSpan(0, _count).ToArray();
            y = _outcomes.AsSpan(0, _count).ToArray();
        }

        int correct = 0;
        double confidence = 0.0;
        for (int i = 0; i < p.Length; i++)
        {
            correct += (p[i] >= ModelComparison.DefaultThreshold) == y[i] ? 1 : 0;
            confidence += Math.Max(p[i], 1.0 - p[i]);
        }

        return new LiveModelMetrics(
            modelName,
            version,
            p.Length,
            (double)correct / p.Length,
            CalibrationMetrics.BinnedError(p, y, CalibrationMetrics.DefaultBins, BinningStrategy.EqualWidth, maximum: false, nameof(p)),
            CalibrationMetrics.BrierScore(p, y),
            confidence / p.Length);
    }
}
