using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>
/// The loop's data from the host's <see cref="ICaseSource"/>: a <see cref="CaseCollector"/> run after the model's
/// watermark (filters, de-duplication, anonymisation, quality scores, deterministic splits by case id), kept to the
/// model's cases, adapted with <see cref="SnapshotTrainingData"/>; the snapshot's test split is the holdout.
/// </summary>
/// <remarks>
/// The watermark the loop stores in the registry is only the validation instant of the newest case read, never
/// the host's case id: the next collection starts after every case validated at or before that instant. A case
/// the host backdates to exactly that instant after the collection ran is therefore not read.
/// </remarks>
internal sealed class CaseSourceDataSource
{
    /// <summary>Sorts after every real case id (U+FFFF is a Unicode noncharacter), so a watermark built on it skips its whole instant.</summary>
    private static readonly string AfterEveryId = new(char.MaxValue, 8);

    private readonly ICaseSource? _source;
    private readonly Lazy<CaseCollector> _collector;
    private readonly IOptionsMonitor<SelfLearningModelOptions> _modelOptions;

    public CaseSourceDataSource(
        IEnumerable<ICaseSource> sources,
        IOptions<CaseCollectorOptions> collectorOptions,
        IOptions<CaseAnonymizerOptions> anonymizerOptions,
        IOptionsMonitor<SelfLearningModelOptions> modelOptions,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        _source = sources.LastOrDefault();
        _modelOptions = modelOptions;
        _collector = new(() => new CaseCollector(
            Source,
            new CaseAnonymizer(anonymizerOptions.Value, loggerFactory.CreateLogger<CaseAnonymizer>()),
            collectorOptions.Value,
            null,
            loggerFactory.CreateLogger<CaseCollector>(),
            timeProvider));
    }

    private ICaseSource Source => _source
        ?? throw new InvalidOperationException("No case source is registered; add one with AddCaseSource(...).");

    /// <summary>Counts the cases validated after <paramref name="watermark"/>.</summary>
    public ValueTask<long> CountNewCasesAsync(string? watermark, CancellationToken cancellationToken) =>
        Source.CountValidatedAfterAsync(Parse(watermark), cancellationToken);

    /// <summary>Collects the cases validated after <paramref name="watermark"/> into a snapshot (the collection half of a cycle).</summary>
    public async ValueTask<CaseCollectionResult> CollectAsync(string? watermark, CancellationToken cancellationToken) =>
        await _collector.Value.CollectSnapshotAsync(Parse(watermark), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Freezes the cases of <paramref name="modelName"/> in a collected snapshot into a dataset for its model type's
    /// task, with a deterministic holdout (the snapshot's test split) in the same form.
    /// </summary>
    public CycleDataset Freeze(string modelName, TaskKind task, DatasetSnapshot all, CaseWatermark watermark)
    {
        DatasetSnapshot snapshot = all.Cases.All(c => string.Equals(c.ModelName, modelName, StringComparison.Ordinal))
            ? all
            : DatasetSnapshot.Create(all.Cases.Where(c => string.Equals(c.ModelName, modelName, StringComparison.Ordinal)), all.Manifest.Provenance, _collector.Value.Splitter);
        CalibrationScoreSource score = _modelOptions.Get(modelName).ScoreSource;
        if (!snapshot.InSplit(DatasetSplit.Test).Any())
        {
            throw new InvalidOperationException(
                $"The dataset of model '{modelName}' has no test split to judge candidates on; set CaseCollectorOptions.TestFraction above 0 (ConfigureCases).");
        }

        TrainingData data = SnapshotTrainingData.For(task, snapshot, score);
        TrainingTable holdout = SnapshotTrainingData.Holdout(task, snapshot, score, data.Training.FeatureCount);
        return new CycleDataset(data, holdout, snapshot.Version, Format(watermark));
    }

    /// <summary>The stored watermark: the validation instant alone, so no host identifier reaches the registry.</summary>
    internal static string Format(CaseWatermark watermark) => watermark.ValidatedAt.ToString("O", CultureInfo.InvariantCulture);

    private static CaseWatermark Parse(string? watermark) => watermark is null
        ? CaseWatermark.Start
        : new CaseWatermark(DateTimeOffset.Parse(watermark, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), AfterEveryId);
}
