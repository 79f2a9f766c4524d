using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using SelfLearning.Cases;
using SelfLearning.Sqlite;

namespace SelfLearning.Benchmarks;

/// <summary>
/// Streaming 100k cases out of a <see cref="SqliteCaseSource"/> (a keyset scan of the watermark index, one row at a
/// time), reading only the second half after a watermark, and counting. The database is written once per run in
/// the temp directory; the allocation column shows what each read costs per case, the working set stays flat.
/// </summary>
[MemoryDiagnoser]
public class SqliteCaseSourceBenchmarks
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Labels = ["flu", "cold", "covid", "allergy"];

    private string directory = null!;
    private SqliteCaseSource source = null!;
    private CaseWatermark midpoint;

    /// <summary>Gets or sets the number of cases stored.</summary>
    [Params(100_000)]
    public int Cases { get; set; }

    /// <summary>Writes the cases in one batch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        directory = Path.Combine(Path.GetTempPath(), "selflearning-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        source = new SqliteCaseSource(Path.Combine(directory, "cases.db"));
        source.AddRangeAsync(Enumerable.Range(0, Cases).Select(Case)).AsTask().GetAwaiter().GetResult();
        FeedbackCase middle = Case(Cases / 2);
        midpoint = new CaseWatermark(middle.ValidatedAt!.Value, middle.Id);
    }

    /// <summary>Deletes the database.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Streams every case.</summary>
    /// <returns>A checksum of what was read.</returns>
    [Benchmark(Baseline = true)]
    public Task<double> ReadAll() => ReadAfter(CaseWatermark.Start);

    /// <summary>Streams the cases after the middle one, as an incremental collection does.</summary>
    /// <returns>A checksum of what was read.</returns>
    [Benchmark]
    public Task<double> ReadSecondHalf() => ReadAfter(midpoint);

    /// <summary>Counts every case.</summary>
    /// <returns>The count.</returns>
    [Benchmark]
    public async Task<long> CountAll() => await source.CountValidatedAfterAsync(CaseWatermark.Start).ConfigureAwait(false);

    private static FeedbackCase Case(int i)
    {
        double score = ((i * 7919) % 1000) / 1000.0;
        return new FeedbackCase
        {
            Id = "case-" + i.ToString(CultureInfo.InvariantCulture),
            ModelName = "triage",
            ModelVersion = "1.4.2",
            Input = new CaseInput { Features = [score, 1.0 - score, 0.5], RawScore = score },
            PredictedLabel = Labels[i % Labels.Length],
            PredictedConfidence = score,
            ValidatedLabel = Labels[(i / 3) % Labels.Length],
            Status = ValidationStatus.Validated,
            ReviewerId = "reviewer-" + (i % 37).ToString(CultureInfo.InvariantCulture),
            ReviewerCertainty = 0.9,
            CreatedAt = Start.AddSeconds(i),
            ValidatedAt = Start.AddSeconds(i + 60),
            FreeText = i % 10 == 0 ? "Reviewed with the on-call clinician." : null,
        };
    }

    private async Task<double> ReadAfter(CaseWatermark after)
    {
        double checksum = 0;
        await foreach (FeedbackCase feedbackCase in source.ReadValidatedAfterAsync(after).ConfigureAwait(false))
        {
            checksum += feedbackCase.PredictedConfidence + feedbackCase.Input.Features.Length;
        }

        return checksum;
    }
}
