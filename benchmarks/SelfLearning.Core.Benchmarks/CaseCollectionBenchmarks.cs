using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using SelfLearning.Cases;

namespace SelfLearning.Benchmarks;

/// <summary>
/// Collecting 1M cases through the whole pipeline (checks, two-pass dedup, quality, pseudonymisation, redaction of a
/// short note, split), into a sink that only counts, so the figures are the collector's. <see cref="Collect"/> reads
/// cases held in memory (an <see cref="InMemoryCaseSource"/> over cases built once in setup): issue 12's target,
/// ≤ 0.55 s and ≤ 300 MB allocated, where the allocations are the collector's own. <see cref="CollectGenerated"/>
/// reads a source that builds every case on each read (≈ 383 MB per read of 1M, counted in its allocations), as the
/// figures before issue 12 did. Same session, <c>--job short --inProcess</c>, load 10–22 on the shared 2 cores:
/// <see cref="Collect"/> 385.5 MB → 277.2 MB allocated (6.5 s → 5.9 s, noise-dominated); details in benchmarks/README.md.
/// </summary>
[MemoryDiagnoser]
public class CaseCollectionBenchmarks
{
    private CaseCollector collector = null!;
    private CaseCollector generatedCollector = null!;

    /// <summary>Gets or sets the number of cases in the source.</summary>
    [Params(1_000_000)]
    public int Cases { get; set; }

    /// <summary>Builds the cases once, and a collector over them and one over a generating source.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var anonymizer = new CaseAnonymizer(new CaseAnonymizerOptions
        {
            PseudonymizationKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        });
        var clock = new FixedClock(GeneratedCaseSource.Start.AddDays(400));
        var inMemory = new InMemoryCaseSource(Enumerable.Range(0, Cases).Select(GeneratedCaseSource.Generate));
        collector = new CaseCollector(inMemory, anonymizer, qualityScorer: new CaseQualityScorer(timeProvider: clock), timeProvider: clock);
        generatedCollector = new CaseCollector(new GeneratedCaseSource(Cases), anonymizer, qualityScorer: new CaseQualityScorer(timeProvider: clock), timeProvider: clock);
    }

    /// <summary>Collects every in-memory case into a counting sink.</summary>
    /// <returns>The number of cases kept.</returns>
    [Benchmark(Baseline = true)]
    public async Task<long> Collect()
    {
        var sink = new CountingSink();
        var result = await collector.CollectAsync(CaseWatermark.Start, sink).ConfigureAwait(false);
        return result.Statistics.Accepted + sink.Count;
    }

    /// <summary>Collects every case of a source that builds each case as it is read.</summary>
    /// <returns>The number of cases kept.</returns>
    [Benchmark]
    public async Task<long> CollectGenerated()
    {
        var sink = new CountingSink();
        var result = await generatedCollector.CollectAsync(CaseWatermark.Start, sink).ConfigureAwait(false);
        return result.Statistics.Accepted + sink.Count;
    }

    /// <summary>Reports the process's peak working set and the largest GC heap, which BenchmarkDotNet prints in its log.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// CaseCollection Cases={Cases}: peak working set {process.PeakWorkingSet64 / (1024.0 * 1024.0):F1} MB, GC heap after last run {GC.GetGCMemoryInfo().HeapSizeBytes / (1024.0 * 1024.0):F1} MB"));
    }

    private sealed class CountingSink : ICollectedCaseSink
    {
        public long Count { get; private set; }

        public ValueTask AddAsync(AnonymizedCase anonymizedCase, CancellationToken cancellationToken)
        {
            Count++;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>
    /// Generates <c>count</c> cases on the fly, the same ones on every read: one in 50 is a second
    /// review of the case before it (same label, later), one in 200 has low reviewer certainty.
    /// </summary>
    private sealed class GeneratedCaseSource(int count) : ICaseSource
    {
        public static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly string[] Labels = ["flu", "cold", "covid", "allergy"];

        public async IAsyncEnumerable<FeedbackCase> ReadValidatedAfterAsync(CaseWatermark after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (int i = 0; i < count; i++)
            {
                FeedbackCase c = Generate(i);
                if (after.IsBefore(c.ValidatedAt!.Value, c.Id))
                {
                    yield return c;
                }
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }

        public ValueTask<long> CountValidatedAfterAsync(CaseWatermark after, CancellationToken cancellationToken = default) => ValueTask.FromResult((long)count);

        public static FeedbackCase Generate(int i)
        {
            ulong state = (ulong)i * 0x9E3779B97F4A7C15UL;
            ulong r = SplitMix(ref state);
            int id = i % 50 == 49 ? i - 1 : i;
            ulong idState = (ulong)id * 0x9E3779B97F4A7C15UL;
            string label = Labels[(int)(SplitMix(ref idState) % (ulong)Labels.Length)];
            double score = (r >> 11) * (1.0 / (1UL << 53));
            return new FeedbackCase
            {
                Id = "case-" + id.ToString(CultureInfo.InvariantCulture),
                ModelName = "triage",
                ModelVersion = "1.4.2",
                Input = new CaseInput { Features = [score, 1.0 - score, 0.5], RawScore = score },
                PredictedLabel = Labels[(int)(r % (ulong)Labels.Length)],
                PredictedConfidence = score,
                ValidatedLabel = label,
                Status = ValidationStatus.Validated,
                ReviewerId = "reviewer-" + (i % 37).ToString(CultureInfo.InvariantCulture),
                ReviewerCertainty = i % 200 == 7 ? 0.5 : 0.9,
                CreatedAt = Start.AddSeconds(i),
                ValidatedAt = Start.AddSeconds(i + 60),
                FreeText = i % 10 == 0 ? "Reviewed; call back on 415-555-0132." : null,
            };
        }

        private static ulong SplitMix(ref ulong state)
        {
            unchecked
            {
                state += 0x9E3779B97F4A7C15UL;
                ulong z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }
    }
}
