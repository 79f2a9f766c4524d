// A host plugs its own trainer and its own case source into the self-learning loop through the builder.
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SelfLearning.Calibration;
using SelfLearning.Cases;
using SelfLearning.Evaluation;
using SelfLearning.Hosting;
using SelfLearning.Serving;
using SelfLearning.Training;

var source = new ReviewLog(seed: 7, count: 3_000);
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Services.AddSelfLearning(o => o.RunInBackground = false)
    .AddCaseSource(source)                          // where the loop reads reviewed cases
    .AddTrainer(new NaiveBayesTrainer())            // how it trains a candidate
    .ConfigureAnonymizer(o => o.PseudonymizationKey = Convert.ToBase64String("custom-trainer-sample-public-key"u8))
    .AddModel("triage", m => (m.TrainerType, m.MinimumCases) = (NaiveBayesTrainer.Key, 1_000));
using var host = builder.Build();
await host.StartAsync();

var result = await host.Services.GetRequiredService<ISelfLearningLoop>().RunCycleAsync("triage");
Console.WriteLine($"{result.Outcome}: {result.Message}");
var service = host.Services.GetRequiredService<IPredictionService>();
foreach (double confidence in new[] { 0.6, 0.8, 0.95, 0.99 })
{
    var prediction = service.Predict("triage", "patient-1", confidence);
    Console.WriteLine($"host says {confidence:F2} -> calibrated by v{prediction.ModelVersion}: {prediction.Probability:F3} (truth {0.2 + (0.6 * confidence):F3})");
}

await host.StopAsync();
return result.Outcome == SelfLearningCycleOutcome.FirstChampion ? 0 : 1;

/// <summary>The host's own model: Gaussian naive Bayes on the host's confidence (right vs wrong, pooled variance),
/// fitted in closed form. Its posterior is a sigmoid of the score, so it ships in the loop's Platt artifact format.</summary>
internal sealed class NaiveBayesTrainer : ITrainer
{
    public const string Key = "naive-bayes";

    public string ModelType => Key;

    /// <inheritdoc />
    public SelfLearning.Training.TaskKind TaskKind => SelfLearning.Training.TaskKind.ScoreCalibration;

    public Task<TrainingResult> TrainAsync(TrainingContext context, CancellationToken cancellationToken)
    {
        ReadOnlySpan<double> s = context.Data.Training.Scores;
        ReadOnlySpan<bool> right = context.Data.Training.Outcomes;
        double n1 = 0, sum1 = 0, sum0 = 0, squares = 0;
        for (int i = 0; i < s.Length; i++) { if (right[i]) { n1++; sum1 += s[i]; } else { sum0 += s[i]; } }
        double n0 = s.Length - n1, mean1 = sum1 / n1, mean0 = sum0 / n0;
        for (int i = 0; i < s.Length; i++) { double d = s[i] - (right[i] ? mean1 : mean0); squares += d * d; }
        double variance = squares / (s.Length - 2);
        // log P(right|s)/P(wrong|s) = -(a·s + b) with the Platt convention p = 1 / (1 + exp(a·s + b)).
        double a = -(mean1 - mean0) / variance, b = ((mean1 * mean1) - (mean0 * mean0)) / (2 * variance) - Math.Log(n1 / n0);
        var model = PlattCalibrator.FromParameters(a, b);
        string json = CalibratorSerializer.Serialize(model);
        var validation = context.Data.Validation;
        var p = new double[validation.RowCount];
        model.Calibrate(validation.Scores, p);
        var metrics = new Dictionary<string, double> { [TrainingMetrics.BrierScore] = CalibrationMetrics.BrierScore(p, validation.Outcomes) };
        return Task.FromResult(new TrainingResult(new TrainingArtifact(CalibrationTrainer.ArtifactFormat, System.Text.Encoding.UTF8.GetBytes(json)), metrics, context.Parameters));
    }
}

/// <summary>The host's own store of reviewed cases (here in memory, seeded): an over-confident host, right with P = 0.2 + 0.6·confidence.</summary>
internal sealed class ReviewLog(int seed, int count) : ICaseSource
{
    private readonly FeedbackCase[] _cases = [.. Enumerable.Range(0, count).Select(i => Case(new Random(seed + i), i))];

    public async IAsyncEnumerable<FeedbackCase> ReadValidatedAfterAsync(CaseWatermark after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var c in _cases.Where(c => after.IsBefore(c.ValidatedAt!.Value, c.Id)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return await ValueTask.FromResult(c);
        }
    }

    public ValueTask<long> CountValidatedAfterAsync(CaseWatermark after, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult((long)_cases.Count(c => after.IsBefore(c.ValidatedAt!.Value, c.Id)));

    private static FeedbackCase Case(Random random, int i)
    {
        double confidence = 0.5 + (0.5 * random.NextDouble());
        bool right = random.NextDouble() < 0.2 + (0.6 * confidence);
        var at = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i);
        return new FeedbackCase
        {
            Id = $"case-{i:D5}", ModelName = "triage", ModelVersion = "host", Input = new CaseInput { RawScore = confidence }, PredictedLabel = "urgent", PredictedConfidence = confidence,
            ValidatedLabel = right ? "urgent" : "routine", Status = ValidationStatus.Validated, ReviewerId = "nurse-1", ReviewerCertainty = 1.0, CreatedAt = at, ValidatedAt = at,
        };
    }
}
