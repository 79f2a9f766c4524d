using System.Collections.Immutable;
using System.Globalization;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Tests.TestSupport;
using SelfLearning.Training;
using Xunit;

namespace SelfLearning.Tests.Hosting;

/// <summary>
/// Models on features through the hosted loop: each built-in feature model type is trained from cases, gated against
/// its baseline on the held-out cases, served with typed predictions, and withdrawn by the champion watch when
/// production gets worse.
/// </summary>
public sealed class FeatureModelLoopTests
{
    private const string Model = "features";
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunCycleAsync_BinaryLogistic_ServesCalibratedLabelsAndWithdrawsAWrongChampion()
    {
        using var host = Host(LogisticRegressionTrainer.Key, Binary(2_000, seed: 1));
        var (loop, predictions) = await StartAsync(host);

        var first = await loop.RunCycleAsync(Model);

        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        first.Verdict!.Rules.Select(r => r.Rule).Should().Contain("primary-metric-better");
        int right = 0;
        var served = new List<Prediction>();
        foreach (var (features, label) in Binary(400, seed: 2).Select(c => (c.Input.Features, c.ValidatedLabel!)))
        {
            var prediction = predictions.Predict(Model, "unit-" + served.Count.ToString(CultureInfo.InvariantCulture), new CaseInput { Features = features });
            prediction.TaskKind.Should().Be(TaskKind.BinaryClassification);
            prediction.Label.Should().BeOneOf("yes", "no");
            prediction.Probability.Should().BeInRange(0.5, 1.0);
            prediction.ModelVersion.Should().Be(first.Version);
            right += prediction.Label == label ? 1 : 0;
            served.Add(prediction);
        }

        ((double)right / served.Count).Should().BeGreaterThan(0.7, "the features decide the label");

        // Production gets worse: every served label turns out wrong. A retried outcome is counted once.
        foreach (var prediction in served)
        {
            (await predictions.RecordOutcomeAsync(prediction, prediction.Label == "yes" ? "no" : "yes")).Should().BeTrue();
        }

        (await predictions.RecordOutcomeAsync(served[0], "no")).Should().BeFalse();
        var watched = await loop.RunCycleAsync(Model);

        watched.Outcome.Should().Be(SelfLearningCycleOutcome.RolledBack, watched.Message);
        (await Registry(host).GetChampionAsync(Model)).Should().BeNull();
    }

    [Fact]
    public async Task RunCycleAsync_MulticlassSoftmax_ServesOneOfTheClasses()
    {
        using var host = Host(SoftmaxRegressionTrainer.Key, Multiclass(2_000, seed: 3));
        var (loop, predictions) = await StartAsync(host);

        var first = await loop.RunCycleAsync(Model);

        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        int right = 0;
        var cases = Multiclass(300, seed: 4).ToList();
        foreach (var c in cases)
        {
            var prediction = predictions.Predict(Model, c.Id, c.Input);
            prediction.Label.Should().BeOneOf("a", "b", "c");
            prediction.Probability.Should().BeInRange(0.0, 1.0);
            right += prediction.Label == c.ValidatedLabel ? 1 : 0;
        }

        ((double)right / cases.Count).Should().BeGreaterThan(0.6, "three classes by the features, against a third by chance");
    }

    [Fact]
    public async Task RunCycleAsync_RidgeRegression_ServesConformalIntervalsAndWithdrawsOnLargeErrors()
    {
        using var host = Host(RidgeRegressionTrainer.Key, Regression(2_000, seed: 5));
        var (loop, predictions) = await StartAsync(host);

        var first = await loop.RunCycleAsync(Model);

        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        var cases = Regression(1_000, seed: 6).ToList();
        int covered = 0;
        var served = new List<(Prediction Prediction, double Actual)>();
        foreach (var c in cases)
        {
            var prediction = predictions.Predict(Model, c.Id, c.Input);
            double actual = double.Parse(c.ValidatedLabel!, CultureInfo.InvariantCulture);
            prediction.Lower.Should().BeLessThan(prediction.Value);
            prediction.Upper.Should().BeGreaterThan(prediction.Value);
            covered += actual >= prediction.Lower && actual <= prediction.Upper ? 1 : 0;
            served.Add((prediction, actual));
        }

        ((double)covered / cases.Count).Should().BeInRange(0.85, 0.95, "the split-conformal interval covers 90% of new cases");
        foreach (var (prediction, actual) in served.Take(300))
        {
            await predictions.RecordOutcomeAsync(prediction, actual + 5.0);
        }

        var watched = await loop.RunCycleAsync(Model);

        watched.Outcome.Should().Be(SelfLearningCycleOutcome.RolledBack, watched.Message);
        watched.Message.Should().Contain("Live MAE");
    }

    [Fact]
    public async Task RunCycleAsync_KMeans_AssignsClustersAndWithdrawsWhenTheSharesShift()
    {
        using var host = Host(KMeansTrainer.Key, Blobs(2_000, seed: 7), parameters: TrainingParameters.Empty.With("k", 3));
        var (loop, predictions) = await StartAsync(host);

        var first = await loop.RunCycleAsync(Model);

        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        var clusters = new HashSet<int>();
        foreach (var c in Blobs(300, seed: 8))
        {
            int cluster = predictions.Predict(Model, c.Id, c.Input).Cluster;
            cluster.Should().BeInRange(0, 2);
            clusters.Add(cluster);
        }

        clusters.Should().HaveCount(3);
        var quiet = await loop.RunCycleAsync(Model);
        quiet.Outcome.Should().NotBe(SelfLearningCycleOutcome.RolledBack, "the live shares match the held-out shares");

        // The population moves into one blob: the clustering no longer describes production.
        foreach (var c in Blobs(600, seed: 9).Where(c => c.ValidatedLabel == "0"))
        {
            predictions.Predict(Model, c.Id, c.Input);
        }

        var watched = await loop.RunCycleAsync(Model);

        watched.Outcome.Should().Be(SelfLearningCycleOutcome.RolledBack, watched.Message);
        watched.Message.Should().Contain("cluster shares");
    }

    [Fact]
    public async Task Predict_WrongFeatureCount_ThrowsNamingTheInput()
    {
        using var host = Host(LogisticRegressionTrainer.Key, Binary(2_000, seed: 1));
        var (loop, predictions) = await StartAsync(host);
        await loop.RunCycleAsync(Model);

        var act = () => predictions.Predict(Model, "u", new CaseInput { Features = [1.0, 2.0] });

        act.Should().Throw<ArgumentException>().WithParameterName("input").WithMessage("*takes 4 features*has 2*");
    }

    private static IHost Host(string modelType, IEnumerable<FeedbackCase> cases, TrainingParameters? parameters = null) => HostingTestHost.Build(
        b => b.Configure(o => o.RunInBackground = false)
            .AddCaseSource(new InMemoryCaseSource(cases))
            .ConfigureAnonymizer(o => o.PseudonymizationKey = LoopScenario.PseudonymizationKey)
            .AddModel(Model, m =>
            {
                m.TrainerType = modelType;
                m.Parameters = parameters ?? TrainingParameters.Empty;
            }),
        new ManualTimeProvider(Start.AddDays(1)),
        withCases: false);

    private static async Task<(ISelfLearningLoop Loop, IPredictionService Predictions)> StartAsync(IHost host)
    {
        await host.StartAsync();
        return (host.Services.GetRequiredService<ISelfLearningLoop>(), host.Services.GetRequiredService<IPredictionService>());
    }

    private static IModelRegistry Registry(IHost host) => host.Services.GetRequiredService<IModelRegistry>();

    private static IEnumerable<FeedbackCase> Binary(int count, int seed) => Generate(count, seed, (x, r) =>
        1.0 / (1.0 + Math.Exp(-((2.0 * x[0]) - (1.5 * x[1]) + x[2]))) > r.NextDouble() ? "yes" : "no");

    private static IEnumerable<FeedbackCase> Multiclass(int count, int seed) => Generate(count, seed, (x, r) =>
    {
        double[] scores = [(2.0 * x[0]) + Noise(r), (2.0 * x[1]) + Noise(r), (-x[0] - x[1]) + Noise(r)];
        int top = Array.IndexOf(scores, scores.Max());
        return ((char)('a' + top)).ToString();
    });

    private static IEnumerable<FeedbackCase> Regression(int count, int seed) => Generate(count, seed, (x, r) =>
        ((2.0 * x[0]) - x[1] + 0.5 + (0.3 * Noise(r))).ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Three well separated blobs; the label is the blob (unused by k-means, used by the test to pick one).</summary>
    private static IEnumerable<FeedbackCase> Blobs(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            int blob = i % 3;
            double[] x = [.. Enumerable.Range(0, 4).Select(j => (j == blob ? 6.0 : 0.0) + (0.5 * Noise(random)))];
            yield return Case(seed, i, x, blob.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static IEnumerable<FeedbackCase> Generate(int count, int seed, Func<double[], Random, string> label)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            double[] x = [Noise(random), Noise(random), Noise(random), Noise(random)];
            yield return Case(seed, i, x, label(x, random));
        }
    }

    private static FeedbackCase Case(int seed, int i, double[] x, string label) => new()
    {
        Id = string.Create(CultureInfo.InvariantCulture, $"case-{seed}-{i}"),
        ModelName = Model,
        ModelVersion = "host-1",
        PredictedLabel = label,
        PredictedConfidence = 0.9,
        ValidatedLabel = label,
        Input = new CaseInput { Features = ImmutableArray.Create(x) },
        Status = ValidationStatus.Validated,
        ReviewerId = "reviewer-" + (i % 5).ToString(CultureInfo.InvariantCulture),
        ReviewerCertainty = 0.95,
        CreatedAt = Start.AddSeconds(i),
        ValidatedAt = Start.AddSeconds(i),
    };

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Noise(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
