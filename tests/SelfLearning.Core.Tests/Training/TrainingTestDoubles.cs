using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Options;
using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

/// <summary>A trainer whose behaviour each test scripts.</summary>
internal sealed class ScriptedTrainer(string modelType, Func<TrainingContext, CancellationToken, Task<TrainingResult>> train) : ITrainer
{
    public string ModelType { get; } = modelType;

    public SelfLearning.Training.TaskKind TaskKind => SelfLearning.Training.TaskKind.ScoreCalibration;

    public Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken) => train(context, cancellationToken);
}

/// <summary>Hands every job the same small calibration data.</summary>
internal sealed class FixedDataProvider(TrainingData data) : ITrainingDataProvider
{
    public int Calls;

    public static FixedDataProvider Small { get; } = new(new TrainingData(
        TrainingTable.ForCalibration([0.1, 0.9, 0.4, 0.7], [false, true, false, true]),
        TrainingTable.ForCalibration([0.2, 0.8], [false, true])));

    public ValueTask<TrainingData> GetDataAsync(TrainingJob job, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        return ValueTask.FromResult(data);
    }
}

/// <summary>Hands every job the small data and records the order in which jobs asked for it (= the order they started).</summary>
internal sealed class RecordingDataProvider : ITrainingDataProvider
{
    private readonly object _lock = new();
    private readonly List<TrainingJob> _started = [];

    public IReadOnlyList<TrainingJob> Started
    {
        get
        {
            lock (_lock)
            {
                return [.. _started];
            }
        }
    }

    public async ValueTask<TrainingData> GetDataAsync(TrainingJob job, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _started.Add(job);
        }

        return await FixedDataProvider.Small.GetDataAsync(job, cancellationToken);
    }
}

/// <summary>A trainer that records, with Interlocked, how many jobs run at once overall and per model (read from parameter "model").</summary>
internal sealed class ConcurrencyProbeTrainer : ITrainer
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StrongBox<int>> _perModel = new();
    private int _running;
    private int _maxRunning;
    private int _maxPerModel;
    private int _completed;

    public string ModelType => "probe";

    public SelfLearning.Training.TaskKind TaskKind => SelfLearning.Training.TaskKind.ScoreCalibration;

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int MaxPerModel => Volatile.Read(ref _maxPerModel);

    public int Completed => Volatile.Read(ref _completed);

    public async Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
    {
        var box = _perModel.GetOrAdd(context.Parameters.GetString("model", "?"), _ => new StrongBox<int>());
        int mine = Interlocked.Increment(ref box.Value);
        int all = Interlocked.Increment(ref _running);
        Max(ref _maxPerModel, mine);
        Max(ref _maxRunning, all);
        await Task.Yield();
        Thread.SpinWait(2000);
        Interlocked.Decrement(ref _running);
        Interlocked.Decrement(ref box.Value);
        Interlocked.Increment(ref _completed);
        return TrainingTestData.Result();
    }

    private static void Max(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

/// <summary>A case counter the test sets.</summary>
internal sealed class SettableCaseCounter : ITrainingCaseCounter
{
    public long Total { get; set; }

    public Func<DateTimeOffset?, long> Since { get; set; } = _ => 0;

    public ValueTask<long> CountValidatedCasesAsync(string modelKey, DateTimeOffset? validatedAfter, CancellationToken cancellationToken) =>
        ValueTask.FromResult(validatedAfter is null ? Total : Since(validatedAfter));
}

internal static class TrainingTestData
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static TrainingResult Result(string text = "model") => new(
        new TrainingArtifact("test+text", Encoding.UTF8.GetBytes(text)),
        new Dictionary<string, double> { ["score"] = 1.0 },
        TrainingParameters.Empty);

    public static TrainingJobEngine Engine(
        ITrainingJobStore store, TimeProvider time, TrainingEngineOptions? options = null, params ITrainer[] trainers) =>
        new(store, trainers, FixedDataProvider.Small, Options.Create(options ?? new TrainingEngineOptions()), time);

    public static TrainingJobEngine Engine(
        ITrainingJobStore store, TimeProvider time, ITrainingDataProvider data, TrainingEngineOptions? options, params ITrainer[] trainers) =>
        new(store, trainers, data, Options.Create(options ?? new TrainingEngineOptions()), time);

    /// <summary>Waits (without sleeping) for a condition on a job, failing the test after a generous real-time limit.</summary>
    public static Task<TrainingJob> WaitFor(this TrainingJobEngine engine, string jobId, Func<TrainingJob, bool> condition) =>
        engine.WaitForAsync(jobId, condition, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
}
