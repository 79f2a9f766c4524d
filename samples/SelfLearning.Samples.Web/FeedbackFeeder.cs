using System.Collections.Immutable;
using System.Globalization;
using SelfLearning.Cases;
using SelfLearning.Sqlite;
using SelfLearning.Hosting;
using SelfLearning.Serving;

namespace SelfLearning.Samples.Web;

/// <summary>
/// SIMULATED feedback: an over-confident triage model and its reviewers. Every tick it predicts for a batch of simulated
/// patients through the host's <see cref="IPredictionService"/>, records whether each prediction was right, and stores
/// the reviewed case (with a patient id the collector pseudonymises) in the SQLite case store the loop learns from.
/// </summary>
internal sealed partial class FeedbackFeeder(
    IPredictionService predictions,
    SqliteCaseSource cases,
    TimeProvider time,
    IConfiguration configuration,
    ILogger<FeedbackFeeder> logger) : BackgroundService
{
    public const string Model = "triage";
    private const int BatchSize = 25;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var random = new Random(configuration.GetValue("Sample:Seed", 42));
        TimeSpan tick = TimeSpan.FromMilliseconds(configuration.GetValue("Sample:FeederTickMilliseconds", 500));
        using var timer = new PeriodicTimer(tick, time);
        long next = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                next = await FeedAsync(random, next, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed batch must not stop the feeder, and so the host.
                BatchFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "A simulated feedback batch failed.")]
    private static partial void BatchFailed(ILogger logger, Exception exception);

    private async Task<long> FeedAsync(Random random, long next, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        var batch = new List<FeedbackCase>(BatchSize);
        for (int i = 0; i < BatchSize; i++, next++)
        {
            string patient = "patient-" + random.Next(100_000).ToString(CultureInfo.InvariantCulture);
            // The host says 0.55..0.99, but is right only 0.5 + 0.6·(c − 0.5) of the time: over-confident.
            double confidence = 0.55 + (0.44 * random.NextDouble());
            bool right = random.NextDouble() < 0.5 + (0.6 * (confidence - 0.5));
            bool predictedUrgent = random.NextDouble() < 0.4;
            var prediction = predictions.Predict(Model, patient, confidence);
            await predictions.RecordOutcomeAsync(prediction, right, cancellationToken).ConfigureAwait(false);
            batch.Add(new FeedbackCase
            {
                Id = "case-" + now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "-" + next.ToString(CultureInfo.InvariantCulture),
                ModelName = Model,
                ModelVersion = prediction.ModelVersion.ToString(CultureInfo.InvariantCulture),
                Input = new CaseInput { RawScore = confidence },
                PredictedLabel = predictedUrgent ? "urgent" : "routine",
                PredictedConfidence = confidence,
                ValidatedLabel = predictedUrgent == right ? "urgent" : "routine",
                Status = ValidationStatus.Validated,
                ReviewerId = "reviewer-" + random.Next(12).ToString(CultureInfo.InvariantCulture),
                ReviewerCertainty = 0.95,
                CreatedAt = now,
                ValidatedAt = now,
                Attributes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
                {
                    ["patient_id"] = patient,
                }),
            });
        }

        await cases.AddRangeAsync(batch, cancellationToken).ConfigureAwait(false);
        return next;
    }
}
