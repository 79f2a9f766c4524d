using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Hosting;

namespace SelfLearning.Training;

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
        IOptions<SelfLearningOptions> loopOptions,
        IOptionsMonitor<SelfLearningModelOptions> modelOptions,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        _source = sources.LastOrDefault();
        _modelOptions = modelOptions;
        _collector = new(() => new CaseCollector(
            Source,
            new CaseAnonymizer(anonymizerOptions.Value, loggerFactory.CreateLogger<CaseAnonymizer>()),
            WithModelRequirements(collectorOptions.Value, loopOptions.Value.Models, modelOptions),
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
        if (snapshot.Cases.IsEmpty)
        {
            throw new InvalidOperationException(
                $"The collection found no usable new case of model '{modelName}' after {Format(watermark)}; every case read was of another model or rejected (see the collector's rejection counts).");
        }

        if (!snapshot.InSplit(DatasetSplit.Test).Any())
        {
            throw new InvalidOperationException(
                $"The dataset of model '{modelName}' has no test split to judge candidates on; set CaseCollectorOptions.TestFraction above 0 (ConfigureCases).");
        }

        TrainingData data = SnapshotTrainingData.For(task, snapshot, score);
        TrainingTable holdout = SnapshotTrainingData.Holdout(task, snapshot, score, data.Training.FeatureCount);
        return new CycleDataset(modelName, data, holdout, snapshot.Version, Format(watermark));
    }

    /// <summary>
    /// What the trainer of a model needs from a case's input, so the collector rejects a case it could not use (with a
    /// counted reason) instead of the case failing every training: a calibrator on the host's confidence needs no input
    /// (the confidence is <see cref="FeedbackCase.PredictedConfidence"/>), on raw scores a finite raw score; the built-in
    /// feature models need features; a host's own trainer at least one input part. Every number present must be finite.
    /// With <see cref="CalibrationScoreSource.RawScore"/> the holdout is scored on raw scores too, so any trainer then needs one.
    /// </summary>
    internal static CaseInputRequirements InputRequirements(SelfLearningModelOptions options)
    {
        CaseInputRequirements byTrainer = options.TrainerType switch
        {
            CalibrationTrainer.Key => CaseInputRequirements.None,
            LogisticRegressionTrainer.Key or RidgeRegressionTrainer.Key or KMeansTrainer.Key => CaseInputRequirements.Features(),
            _ => CaseInputRequirements.AnyPart,
        };
        return options.ScoreSource == CalibrationScoreSource.RawScore ? byTrainer.WithParts(CaseInputParts.RawScore) : byTrainer;
    }

    /// <summary>The stored watermark: the validation instant alone, so no host identifier reaches the registry.</summary>
    internal static string Format(CaseWatermark watermark) => watermark.ValidatedAt.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The host's collector options with each model's input requirements, unless the host set them itself.</summary>
    private static CaseCollectorOptions WithModelRequirements(CaseCollectorOptions configured, IEnumerable<string> models, IOptionsMonitor<SelfLearningModelOptions> modelOptions)
    {
        foreach (string model in models)
        {
            configured.ModelInputRequirements.TryAdd(model, InputRequirements(modelOptions.Get(model)));
        }

        return configured;
    }

    private static CaseWatermark Parse(string? watermark) => watermark is null
        ? CaseWatermark.Start
        : new CaseWatermark(DateTimeOffset.Parse(watermark, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), AfterEveryId);
}
