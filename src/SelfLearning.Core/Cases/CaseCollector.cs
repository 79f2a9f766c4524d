using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Internal;

namespace SelfLearning.Cases;

/// <summary>
/// Collects the host's validated feedback cases into anonymised, quality-scored, deduplicated
/// datasets. Thread-safe; runs may overlap, and <see cref="Statistics"/> sums them.
/// </summary>
/// <remarks>
/// <para>
/// A run reads the source twice after the watermark, streaming. The first read checks every case
/// and keeps, per case id, only a compact state (a 128-bit keyed hash of the id, the time, label and
/// reviewer of its latest review, and how many reviews agreed), never the cases themselves. The
/// second read keeps, for each id, its latest review — unless reviewers disagreed, in which case
/// the id is reported as needing review (the default) — scores its quality, anonymizes it and
/// hands it to the sink. Memory therefore grows with the number of distinct ids (tens of bytes
/// each), not with the cases' size. The per-id table is kept, emptied, for the next run (up to 4M ids), so a
/// run allocates little beyond the kept cases themselves.
/// </para>
/// <para>
/// Every case read is counted once: kept, or rejected with its first reason
/// (<see cref="CaseRejectionReason"/>). No malformed case stops a run.
/// </para>
/// </remarks>
internal sealed partial class CaseCollector
{
    private const long MaxPresizedIds = 16_000_000;

    /// <summary>The most ids whose per-run table (about 64 bytes an id) a collector keeps between runs: 4M, about 256 MB.</summary>
    private const int MaxSpareIds = 4_000_000;
    private readonly ICaseSource source;
    private readonly CaseAnonymizer anonymizer;
    private readonly CaseQualityScorer scorer;
    private readonly CaseCollectorOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly object totalsGate = new();
    private readonly IReadOnlyDictionary<string, string> filters;
    private readonly SipHash128 idHash = NewIdHash();
    private Totals totals = new();
    private IdTable<IdState>? spareStates;

    /// <summary>Initializes a new instance of the <see cref="CaseCollector"/> class.</summary>
    /// <param name="source">Where the host's cases come from.</param>
    /// <param name="anonymizer">What strips personal data from kept cases.</param>
    /// <param name="options">Filters and splits; <see langword="null"/> for the defaults.</param>
    /// <param name="qualityScorer">What scores cases; <see langword="null"/> for the default weights and threshold.</param>
    /// <param name="logger">Where runs are reported (counts only, never case data).</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentException">An option is out of range or the split fractions do not sum to 1.</exception>
    public CaseCollector(
        ICaseSource source,
        CaseAnonymizer anonymizer,
        CaseCollectorOptions? options = null,
        CaseQualityScorer? qualityScorer = null,
        ILogger<CaseCollector>? logger = null,
        TimeProvider? timeProvider = null)
    {
        this.source = Guard.NotNull(source);
        this.anonymizer = Guard.NotNull(anonymizer);
        this.options = Validate(options ?? new CaseCollectorOptions());
        this.timeProvider = timeProvider ?? TimeProvider.System;
        scorer = qualityScorer ?? new CaseQualityScorer(timeProvider: this.timeProvider);
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        Splitter = new DatasetSplitter(this.options.TrainFraction, this.options.ValidationFraction, this.options.TestFraction);
        filters = DescribeFilters(this.options, scorer, Splitter);
    }

    /// <summary>Gets what assigns kept cases to splits.</summary>
    public DatasetSplitter Splitter { get; }

    /// <summary>Gets the counts of every run so far, and the cases kept since the last training; for health checks.</summary>
    public CaseCollectionStatistics Statistics
    {
        get
        {
            lock (totalsGate)
            {
                return totals.ToStatistics();
            }
        }
    }

    /// <summary>Records that a training has started on the cases collected so far: <see cref="CaseCollectionStatistics.NewCasesSinceLastTraining"/> restarts at zero.</summary>
    public void MarkTrained()
    {
        lock (totalsGate)
        {
            totals.NewSinceTraining = 0;
        }
    }

    /// <summary>Collects the cases validated after <paramref name="after"/> into <paramref name="sink"/>, streaming.</summary>
    /// <param name="after">The watermark of the last case already collected; <see cref="CaseWatermark.Start"/> for all.</param>
    /// <param name="sink">Receives each kept case once.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>What the run read, kept and rejected, and the watermark to start after next time.</returns>
    public async Task<CaseCollectionResult> CollectAsync(CaseWatermark after, ICollectedCaseSink sink, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(sink);
        var run = await RunAsync(after, sink, cancellationToken).ConfigureAwait(false);
        return run.ToResult(after, snapshot: null);
    }

    /// <summary>Collects the cases validated after <paramref name="after"/> into an immutable, versioned dataset.</summary>
    /// <param name="after">The watermark of the last case already collected; <see cref="CaseWatermark.Start"/> for all.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The run's result, with <see cref="CaseCollectionResult.Snapshot"/> set.</returns>
    /// <remarks>The dataset is held in memory; to stream a large collection to storage, use <see cref="CollectAsync"/> with a sink such as <see cref="JsonLinesCaseSink"/>.</remarks>
    public async Task<CaseCollectionResult> CollectSnapshotAsync(CaseWatermark after, CancellationToken cancellationToken = default)
    {
        var builder = new SnapshotSink();
        var run = await RunAsync(after, builder, cancellationToken).ConfigureAwait(false);
        var provenance = new DatasetProvenance
        {
            After = PseudonymizeWatermark(after),
            Watermark = PseudonymizeWatermark(run.HighWatermark),
            EarliestValidatedAt = run.EarliestKept,
            LatestValidatedAt = run.LatestKept,
            Filters = filters,
            Anonymization = anonymizer.Settings,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        return run.ToResult(after, DatasetSnapshot.Create(builder.Cases, provenance, Splitter, splitsAssigned: true));
    }

    /// <summary>Throws when a setting is out of range or the split fractions do not sum to 1, naming the setting.</summary>
    internal static CaseCollectorOptions Validate(CaseCollectorOptions options)
    {
        Guard.Probability(options.MinReviewerCertainty, "options.MinReviewerCertainty");
        if (options.MinModelConfidence is double minConfidence)
        {
            Guard.Probability(minConfidence, "options.MinModelConfidence");
        }

        Guard.Defined(options.ConflictResolution, "options.ConflictResolution");
        Guard.InRange(options.MaxFreeTextLength, 0, int.MaxValue, "options.MaxFreeTextLength");
        Guard.Positive(options.MaxAttributeLength, "options.MaxAttributeLength");
        Guard.InRange(options.MaxAttributes, 0, int.MaxValue, "options.MaxAttributes");
        if (options.MaxClockSkew < TimeSpan.Zero || options.MaxClockSkew > CaseCollectorConstants.MaxMaxClockSkew)
        {
            throw new ArgumentOutOfRangeException(
                "options.MaxClockSkew",
                options.MaxClockSkew,
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'options.MaxClockSkew' is {options.MaxClockSkew}; it must be between zero and {CaseCollectorConstants.MaxMaxClockSkew}."));
        }

        Guard.NotNull(options.InputRequirements, "options.InputRequirements");
        foreach (var (model, requirements) in Guard.NotNull(options.ModelInputRequirements, "options.ModelInputRequirements"))
        {
            if (requirements is null)
            {
                throw new ArgumentException($"'options.ModelInputRequirements' holds null for model '{model}'.", "options.ModelInputRequirements");
            }
        }

        Guard.Probability(options.TrainFraction, "options.TrainFraction");
        Guard.Probability(options.ValidationFraction, "options.ValidationFraction");
        Guard.Probability(options.TestFraction, "options.TestFraction");
        double splitSum = options.TrainFraction + options.ValidationFraction + options.TestFraction;
        if (Math.Abs(splitSum - 1.0) > 1e-9)
        {
            throw new ArgumentException(
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'options.TrainFraction' + 'options.ValidationFraction' + 'options.TestFraction' must be 1, but is {splitSum:R}."),
                "options.TestFraction");
        }

        // Copy, so a host changing its options object later does not change a running collector.
        var copy = new CaseCollectorOptions
        {
            MinReviewerCertainty = options.MinReviewerCertainty,
            MinModelConfidence = options.MinModelConfidence,
            ConflictResolution = options.ConflictResolution,
            MaxFreeTextLength = options.MaxFreeTextLength,
            MaxAttributeLength = options.MaxAttributeLength,
            MaxAttributes = options.MaxAttributes,
            TrainFraction = options.TrainFraction,
            ValidationFraction = options.ValidationFraction,
            TestFraction = options.TestFraction,
            MaxClockSkew = options.MaxClockSkew,
            InputRequirements = options.InputRequirements,
        };
        foreach (var (model, requirements) in options.ModelInputRequirements)
        {
            copy.ModelInputRequirements.Add(model, requirements);
        }

        return copy;
    }

    private static Dictionary<string, string> DescribeFilters(CaseCollectorOptions options, CaseQualityScorer scorer, DatasetSplitter splitter)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["status"] = nameof(ValidationStatus.Validated),
            ["minReviewerCertainty"] = options.MinReviewerCertainty.ToString("R", invariant),
            ["minModelConfidence"] = options.MinModelConfidence?.ToString("R", invariant) ?? "off",
            ["conflictResolution"] = options.ConflictResolution.ToString(),
            ["maxFreeTextLength"] = options.MaxFreeTextLength.ToString(invariant),
            ["maxAttributeLength"] = options.MaxAttributeLength.ToString(invariant),
            ["maxAttributes"] = options.MaxAttributes.ToString(invariant),
            ["maxClockSkew"] = options.MaxClockSkew.ToString("c", invariant),
            ["input"] = DescribeInputRequirements(options),
            ["quality"] = scorer.Settings,
            ["split"] = string.Create(invariant, $"train {splitter.TrainFraction:R}, validation {splitter.ValidationFraction:R}, test {splitter.TestFraction:R} by SHA-256 of the pseudonymised id"),
        };
    }

    private static string DescribeInputRequirements(CaseCollectorOptions options)
    {
        if (options.ModelInputRequirements.Count == 0)
        {
            return options.InputRequirements.ToString();
        }

        var models = options.ModelInputRequirements
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + ": " + p.Value.ToString());
        return "default: " + options.InputRequirements.ToString() + "; " + string.Join("; ", models);
    }

    private static SipHash128 NewIdHash()
    {
        Span<byte> key = stackalloc byte[16];
        RandomNumberGenerator.Fill(key);
        return new SipHash128(key);
    }

    /// <summary>
    /// The per-id table for a run: the one the last run left, cleared, when it is there (runs may overlap, so each takes
    /// it or a new one), sized from the source's count so a large run does not rehash as it grows.
    /// </summary>
    private IdTable<IdState> RentStates(int expectedIds)
    {
        IdTable<IdState>? states = Interlocked.Exchange(ref spareStates, null);
        if (states is null)
        {
            return new IdTable<IdState>(expectedIds);
        }

        states.EnsureCapacity(expectedIds);
        return states;
    }

    /// <summary>
    /// Keeps a run's per-id table, emptied, for the next run, so a collector that runs every cycle does not allocate and drop
    /// a large table each time; a table of more than <see cref="MaxSpareIds"/> ids is left to the garbage collector.
    /// </summary>
    private void ReturnStates(IdTable<IdState> states)
    {
        if (states.Count > MaxSpareIds)
        {
            return;
        }

        states.Clear();
        Volatile.Write(ref spareStates, states);
    }

    private CaseWatermark PseudonymizeWatermark(CaseWatermark watermark) =>
        watermark.CaseId.Length == 0 ? watermark : watermark with { CaseId = anonymizer.PseudonymizeCaseId(watermark.CaseId) };

    private async Task<Run> RunAsync(CaseWatermark after, ICollectedCaseSink sink, CancellationToken cancellationToken)
    {
        long started = timeProvider.GetTimestamp();
        if (options.MinModelConfidence is double minConfidence)
        {
            CasesLog.ModelConfidenceFilterOn(logger, minConfidence);
        }

        long waiting = await source.CountValidatedAfterAsync(after, cancellationToken).ConfigureAwait(false);
        CasesLog.CollectionStarted(logger, waiting);

        // Size the per-id state once from the source's count, so a large run does not rehash as it grows.
        // One horizon per run: a case validated after the collector's now plus the skew allowance is rejected, so the
        // watermark (the newest kept case) can never pass it.
        var run = new Run(after, RentStates((int)Math.Clamp(waiting, 0, MaxPresizedIds)), timeProvider.GetUtcNow() + options.MaxClockSkew);
        // Each pass looks its cases' ids up a batch at a time: the batch's table reads are started together, so their
        // cache misses overlap instead of following one another.
        var ids = new IdBatch();
        await foreach (FeedbackCase feedbackCase in source.ReadValidatedAfterAsync(after, cancellationToken).ConfigureAwait(false))
        {
            if (FirstPass(run, feedbackCase) && ids.Add(feedbackCase, IdKey(feedbackCase.Id)))
            {
                RememberBatch(run, ids);
            }
        }

        RememberBatch(run, ids);

        var kept = new KeptBatch();
        await foreach (FeedbackCase feedbackCase in source.ReadValidatedAfterAsync(after, cancellationToken).ConfigureAwait(false))
        {
            if (SecondPassCheck(run, feedbackCase) is { } key && ids.Add(feedbackCase!, key))
            {
                await DecideBatchAsync(run, ids, kept, sink, cancellationToken).ConfigureAwait(false);
            }
        }

        await DecideBatchAsync(run, ids, kept, sink, cancellationToken).ConfigureAwait(false);
        await AnonymizeAndKeepAsync(run, kept, sink, cancellationToken).ConfigureAwait(false);

        run.Finish(timeProvider.GetUtcNow());
        ReturnStates(run.States);
        lock (totalsGate)
        {
            totals.Add(run);
        }

        Report(run, timeProvider.GetElapsedTime(started));
        return run;
    }

    private void Report(Run run, TimeSpan elapsed)
    {
        for (int i = 0; i < run.Rejections.Length; i++)
        {
            if (run.Rejections[i] > 0)
            {
                CasesLog.CasesRejected(logger, run.Rejections[i], (CaseRejectionReason)i);
            }
        }

        if (run.NeedingReview.Count > 0)
        {
            CasesLog.ConflictingLabels(logger, run.NeedingReview.Count);
        }

        long changed = run.Rejections[(int)CaseRejectionReason.ChangedDuringCollection];
        if (changed > 0)
        {
            CasesLog.SourceChangedDuringCollection(logger, changed);
        }

        CasesLog.CollectionFinished(logger, (long)elapsed.TotalMilliseconds, run.Read, run.Accepted, run.Read - run.Accepted, run.NeedingReview.Count);
        Debug.Assert(run.Rejections.Sum() + run.Accepted == run.Read, "every case read is counted once");
    }
}
