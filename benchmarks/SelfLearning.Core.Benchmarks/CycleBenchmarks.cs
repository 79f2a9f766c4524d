using System.Globalization;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Calibration;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Sqlite.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Benchmarks;

/// <summary>
/// One cycle of the loop on 1,000,000 validated cases. <see cref="CycleFromDataset"/> is issue 7's target chain
/// (at most 2 s): from a collected <see cref="DatasetSnapshot"/> (prepared once in setup by the loop's real
/// <see cref="CaseCollector"/>), the training data, the cross-validated calibrator (<see cref="CalibrationTrainer"/>,
/// 5 folds) on the training split, candidate and champion scored on the same ~300,000 held-out cases, the quality gate
/// (normal-approximation intervals, McNemar), the training job record and the registration with its verdict in SQLite.
/// <see cref="WholeCycle"/> adds what comes before the dataset: counting and streaming the cases from an
/// <see cref="ICaseSource"/> and collecting them (filters, de-duplication, HMAC pseudonymisation, quality scores,
/// 50/20/30 splits by pseudonymised id). The baseline is the cross-validated calibration alone on the same number
/// of training cases.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class CycleBenchmarks : IDisposable
{
    private const string Model = "triage";
    private const int Cases = 1_000_000;
    private readonly FeedbackCase[] _cases = new FeedbackCase[Cases];
    private readonly double[] _scores = new double[Cases / 2];
    private readonly bool[] _outcomes = new bool[Cases / 2];
    private ServiceProvider _services = null!;
    private ISelfLearningLoop _loop = null!;
    private SelfLearningLoop _cycles = null!;
    private CaseCollectionResult _collected = null!;
    private string _directory = null!;

    /// <summary>Draws the cases (overconfident host, seeded) and makes version 1 the champion, so every measured cycle is gated against it.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var random = new Random(7);
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < Cases; i++)
        {
            double score = 0.5 + (0.5 * random.NextDouble());
            bool right = random.NextDouble() < 0.2 + (0.6 * score);
            if (i < _scores.Length)
            {
                (_scores[i], _outcomes[i]) = (score, right);
            }

            _cases[i] = new FeedbackCase
            {
                Id = "case-" + i.ToString(CultureInfo.InvariantCulture),
                ModelName = Model,
                ModelVersion = "host-1",
                PredictedLabel = "urgent",
                Input = new CaseInput { RawScore = Math.Log(score / (1.0 - score)) },
                PredictedConfidence = score,
                ValidatedLabel = right ? "urgent" : "routine",
                Status = ValidationStatus.Validated,
                ReviewerCertainty = 1.0,
                CreatedAt = start.AddSeconds(i),
                ValidatedAt = start.AddSeconds(i),
            };
        }

        _directory = Path.Combine(Path.GetTempPath(), "selflearning-cycle-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var services = new ServiceCollection();
        services.AddSelfLearning(o => o.RunInBackground = false)
            .AddCaseSource(new ReplayingSource(_cases))
            .ConfigureAnonymizer(o => o.PseudonymizationKey = Convert.ToBase64String(new byte[32]))
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

        _cycles = _services.GetRequiredService<SelfLearningLoop>();
        _collected = await _services.GetRequiredService<CaseSourceDataSource>().CollectAsync(null, CancellationToken.None);
        if (_collected.Snapshot?.Manifest.CaseCount != Cases)
        {
            throw new InvalidOperationException($"Setup expected {Cases} collected cases, got {_collected.Snapshot?.Manifest.CaseCount}.");
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

    /// <summary>The floor: cross-validated calibration on 500,000 cases (the size of the cycle's training split).</summary>
    [Benchmark(Baseline = true)]
    public ICalibrator CrossValidatedCalibration() => CalibratorSelector.Select(_scores, _outcomes).Calibrator;

    /// <summary>
    /// Issue 7's target: dataset → training data → CV calibration → evaluation of candidate and champion → gate → job
    /// record → registration in SQLite. The candidate equals the champion, so the gate rejects it and every iteration
    /// registers a rejected version.
    /// </summary>
    [Benchmark]
    public async Task<SelfLearningCycleOutcome> CycleFromDataset()
    {
        var result = await _cycles.CycleFromDatasetAsync(Model, _collected);
        return result.Outcome == SelfLearningCycleOutcome.CandidateRejected && result.Version is not null
            ? result.Outcome
            : throw new InvalidOperationException($"Expected a registered and rejected candidate, got {result.Outcome}: {result.Message} {result.Verdict?.ToJson()}");
    }

    /// <summary>
    /// The whole cycle: case source, collection, calibration, evaluation, gate, job record, registration in SQLite.
    /// The candidate equals the champion, so the gate rejects it (no ECE improvement) and every iteration is a full cycle.
    /// </summary>
    [Benchmark]
    public async Task<SelfLearningCycleOutcome> WholeCycle()
    {
        var result = await _loop.RunCycleAsync(Model);
        return result.Outcome == SelfLearningCycleOutcome.CandidateRejected
            ? result.Outcome
            : throw new InvalidOperationException($"Expected a gated and rejected candidate, got {result.Outcome}: {result.Message} {result.Verdict?.ToJson()}");
    }

    /// <summary>A host's case source that serves the same million validated cases to every collection, whatever the watermark, so each iteration trains on all of them.</summary>
    private sealed class ReplayingSource(FeedbackCase[] cases) : ICaseSource
    {
        public async IAsyncEnumerable<FeedbackCase> ReadValidatedAfterAsync(CaseWatermark after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var feedbackCase in cases)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return feedbackCase;
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }

        public ValueTask<long> CountValidatedAfterAsync(CaseWatermark after, CancellationToken cancellationToken = default) => ValueTask.FromResult((long)cases.Length);
    }
}
