using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Calibration;
using SelfLearning.Hosting;
using SelfLearning.Sqlite.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Benchmarks;

/// <summary>
/// One whole cycle of the loop on 1,000,000 validated cases: freeze the dataset (70% train / 30% holdout),
/// cross-validate and fit the calibrator (<see cref="CalibrationTrainer"/>, 5 folds), score candidate and champion
/// on the same 300,000 held-out cases, run the quality gate (paired bootstrap, McNemar) and register the version
/// with its verdict in SQLite. The baseline is the cross-validated calibration alone on the same training split.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class CycleBenchmarks : IDisposable
{
    private const string Model = "triage";
    private const int Cases = 1_000_000;
    private readonly double[] _scores = new double[Cases];
    private readonly bool[] _outcomes = new bool[Cases];
    private ServiceProvider _services = null!;
    private ISelfLearningLoop _loop = null!;
    private string _directory = null!;

    /// <summary>Draws the cases (overconfident host, seeded) and makes version 1 the champion, so every measured cycle is gated against it.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var random = new Random(7);
        for (int i = 0; i < Cases; i++)
        {
            _scores[i] = 0.5 + (0.5 * random.NextDouble());
            _outcomes[i] = random.NextDouble() < 0.2 + (0.6 * _scores[i]);
        }

        _directory = Path.Combine(Path.GetTempPath(), "selflearning-cycle-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var services = new ServiceCollection();
        services.AddSingleton<ICycleDataSource>(new ArraySource(_scores, _outcomes));
        services.AddSelfLearning(o => o.RunInBackground = false)
            .AddTrainer<CalibrationTrainer>()
            .AddModel(Model, m => m.TrainerType = CalibrationTrainer.Key)
            .UseSqlite(Path.Combine(_directory, "loop.db"));
        _services = services.BuildServiceProvider();
        _loop = _services.GetRequiredService<ISelfLearningLoop>();
        await _loop.InitializeAsync();
        var first = await _loop.RunCycleAsync(Model);
        if (first.Outcome != SelfLearningCycleOutcome.FirstChampion)
        {
            throw new InvalidOperationException($"Setup expected a first champion, got {first.Outcome}: {first.Message}");
        }
    }

    /// <summary>Deletes the database.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The floor: cross-validated calibration on the 700,000 training cases.</summary>
    [Benchmark(Baseline = true)]
    public ICalibrator CrossValidatedCalibration()
    {
        var train = ArraySource.Split(_scores, _outcomes, holdout: false);
        return CalibratorSelector.Select(train.Scores, train.Outcomes).Calibrator;
    }

    /// <summary>
    /// The whole cycle: dataset, calibration, evaluation, gate, registration in SQLite. The candidate equals the
    /// champion, so the gate rejects it (no ECE improvement) and every iteration is a full training cycle.
    /// </summary>
    [Benchmark]
    public async Task<SelfLearningCycleOutcome> WholeCycle()
    {
        var result = await _loop.RunCycleAsync(Model);
        return result.Outcome == SelfLearningCycleOutcome.CandidateRejected
            ? result.Outcome
            : throw new InvalidOperationException($"Expected a gated and rejected candidate, got {result.Outcome}: {result.Message}");
    }

    /// <summary>Serves 1,000,000 cases from arrays; every 10th case in 3 is held out.</summary>
    private sealed class ArraySource(double[] scores, bool[] outcomes) : ICycleDataSource
    {
        public static (double[] Scores, bool[] Outcomes) Split(double[] scores, bool[] outcomes, bool holdout)
        {
            var s = new List<double>(scores.Length);
            var o = new List<bool>(scores.Length);
            for (int i = 0; i < scores.Length; i++)
            {
                if ((i % 10 < 3) == holdout)
                {
                    s.Add(scores[i]);
                    o.Add(outcomes[i]);
                }
            }

            return ([.. s], [.. o]);
        }

        public ValueTask<long> CountNewCasesAsync(string modelName, string? watermark, CancellationToken cancellationToken) => ValueTask.FromResult((long)scores.Length);

        public ValueTask<CycleDataset> LoadAsync(string modelName, string? watermark, CancellationToken cancellationToken)
        {
            var train = Split(scores, outcomes, holdout: false);
            var holdout = Split(scores, outcomes, holdout: true);
            var data = new TrainingData(
                TrainingTable.ForCalibration(train.Scores, train.Outcomes),
                TrainingTable.ForCalibration(holdout.Scores, holdout.Outcomes));
            return ValueTask.FromResult(new CycleDataset(data, holdout.Scores, holdout.Outcomes, "benchmark-1m", "1000000"));
        }
    }
}
