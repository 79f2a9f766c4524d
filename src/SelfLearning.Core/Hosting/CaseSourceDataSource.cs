using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Internal;
using SelfLearning.Training;

namespace SelfLearning.Hosting;

/// <summary>
/// The loop's data from the host's <see cref="ICaseSource"/>: a <see cref="CaseCollector"/> run after the model's
/// watermark (filters, de-duplication, anonymisation, quality scores, deterministic splits by case id), kept to the
/// model's cases, adapted with <see cref="SnapshotTrainingData"/>; the snapshot's test split is the holdout.
/// </summary>
internal sealed class CaseSourceDataSource(
    ICaseSource source,
    IOptions<CaseCollectorOptions> collectorOptions,
    IOptions<CaseAnonymizerOptions> anonymizerOptions,
    IOptionsMonitor<SelfLearningModelOptions> modelOptions,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : ICycleDataSource
{
    private readonly Lazy<CaseCollector> _collector = new(() => new CaseCollector(
        source,
        new CaseAnonymizer(anonymizerOptions.Value, loggerFactory.CreateLogger<CaseAnonymizer>()),
        collectorOptions.Value,
        null,
        loggerFactory.CreateLogger<CaseCollector>(),
        timeProvider));

    public ValueTask<long> CountNewCasesAsync(string modelName, string? watermark, CancellationToken cancellationToken) =>
        source.CountValidatedAfterAsync(Parse(watermark), cancellationToken);

    public async ValueTask<CycleDataset> LoadAsync(string modelName, string? watermark, CancellationToken cancellationToken)
    {
        CaseCollectionResult result = await _collector.Value.CollectSnapshotAsync(Parse(watermark), cancellationToken).ConfigureAwait(false);
        DatasetSnapshot all = result.Snapshot!;
        DatasetSnapshot snapshot = all.Cases.All(c => string.Equals(c.ModelName, modelName, StringComparison.Ordinal))
            ? all
            : DatasetSnapshot.Create(all.Cases.Where(c => string.Equals(c.ModelName, modelName, StringComparison.Ordinal)), all.Manifest.Provenance, _collector.Value.Splitter);
        CalibrationScoreSource score = modelOptions.Get(modelName).ScoreSource;
        TrainingData data = SnapshotTrainingData.ForCalibration(snapshot, score);
        var holdout = snapshot.InSplit(DatasetSplit.Test).ToArray();
        if (holdout.Length == 0)
        {
            throw new InvalidOperationException(
                $"The dataset of model '{modelName}' has no test split to judge candidates on; set CaseCollectorOptions.TestFraction above 0 (ConfigureCases).");
        }

        var scores = new double[holdout.Length];
        var outcomes = new bool[holdout.Length];
        for (int i = 0; i < holdout.Length; i++)
        {
            AnonymizedCase c = holdout[i];
            scores[i] = score == CalibrationScoreSource.Confidence
                ? c.PredictedConfidence
                : c.Input.RawScore ?? throw new InvalidOperationException($"Case '{c.Id}' has no raw score to calibrate.");
            outcomes[i] = string.Equals(c.PredictedLabel, c.Label, StringComparison.Ordinal);
        }

        return new CycleDataset(data, scores, outcomes, snapshot.Version, Format(result.Watermark));
    }

    private static string Format(CaseWatermark watermark) =>
        watermark.ValidatedAt.ToString("O", CultureInfo.InvariantCulture) + "|" + watermark.CaseId;

    private static CaseWatermark Parse(string? watermark)
    {
        if (watermark is null)
        {
            return CaseWatermark.Start;
        }

        int bar = watermark.IndexOf('|', StringComparison.Ordinal);
        Guard.InRange(bar, 1, watermark.Length - 1, nameof(watermark));
        return new CaseWatermark(DateTimeOffset.Parse(watermark.AsSpan(0, bar), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), watermark[(bar + 1)..]);
    }
}
