using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Sqlite.Hosting;
using SelfLearning.Tests.Hosting;
using SelfLearning.Tests.TestSupport;

namespace SelfLearning.Sqlite.Tests.Hosting;

/// <summary>
/// One feedback channel on SQLite: outcomes recorded with their reviewer become cases in the host's SQLite case store,
/// once per prediction id across retries and restarts, and the next cycle collects and trains on them.
/// </summary>
public sealed class FeedbackChannelTests
{
    private const string Model = "triage";
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunCycleAsync_OutcomesAppendedRetriedAndRetriedAfterARestart_TrainsOnEachCaseOnce()
    {
        using var directory = new TemporaryDirectory();
        var clock = new ManualTimeProvider(Start);
        var tickets = new List<(string Ticket, bool Right)>();
        var random = new Random(23);
        DateTimeOffset last = default;

        // The first host serves 1,500 predictions; each outcome arrives with its ticket and its reviewer, some twice.
        await using (ServiceProvider first = Build(directory, clock))
        {
            await first.GetRequiredService<ISelfLearningLoop>().InitializeAsync();
            var serving = first.GetRequiredService<IPredictionService>();
            for (int i = 0; i < 1_500; i++)
            {
                double score = 0.5 + (0.5 * random.NextDouble());
                bool right = random.NextDouble() < 0.2 + (0.6 * score);
                Prediction prediction = serving.Predict(Model, "patient-" + i.ToString(CultureInfo.InvariantCulture), score);
                string ticket = JsonSerializer.Serialize(prediction);
                tickets.Add((ticket, right));
                clock.Advance(TimeSpan.FromSeconds(1));
                last = clock.GetUtcNow();
                (await serving.RecordOutcomeAsync(JsonSerializer.Deserialize<Prediction>(ticket), right, Review(i))).Should().BeTrue();
                if (i % 10 == 0)
                {
                    (await serving.RecordOutcomeAsync(JsonSerializer.Deserialize<Prediction>(ticket), right, Review(i))).Should().BeFalse("a retry in the same host");
                }
            }
        }

        // A restart: a new host on the same files gets every outcome delivered again, an hour later.
        clock.Advance(TimeSpan.FromHours(1));
        await using ServiceProvider second = Build(directory, clock);
        await second.GetRequiredService<ISelfLearningLoop>().InitializeAsync();
        var restarted = second.GetRequiredService<IPredictionService>();
        for (int i = 0; i < tickets.Count; i++)
        {
            await restarted.RecordOutcomeAsync(JsonSerializer.Deserialize<Prediction>(tickets[i].Ticket), tickets[i].Right, Review(i));
        }

        var cases = second.GetRequiredService<ICaseSource>();
        (await cases.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(1_500, "each prediction's case is stored once");
        var result = await second.GetRequiredService<ISelfLearningLoop>().RunCycleAsync(Model);

        result.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, result.Message);
        ModelVersion champion = (await second.GetRequiredService<IModelRegistry>().GetChampionAsync(Model))!;
        champion.Lineage.TrainingWatermark.Should().Be(last, "the dataset ends at the last first-delivered outcome, not at a retry");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (FeedbackCase c in cases.ReadValidatedAfterAsync(CaseWatermark.Start))
        {
            ids.Add(c.Id).Should().BeTrue();
            c.ModelVersion.Should().Be("0", "the uncalibrated baseline served every prediction");
        }

        ids.Should().BeEquivalentTo(tickets.Select(t => JsonSerializer.Deserialize<Prediction>(t.Ticket).Id.ToString("N", CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task RecordOutcomeAsync_CanaryTicketAfterARestart_IsCountedOnceAndAppendedOnce()
    {
        using var directory = new TemporaryDirectory();
        string casesFile = directory.File("cases.db");
        using var scenario = new LoopScenario(
            b =>
            {
                b.UseSqlite(directory.File("loop.db"));
                b.Services.Configure<SelfLearningModelOptions>(LoopScenario.Model, m => m.AppendOutcomesAsCases = true);
            },
            new LoopScenario.CaseStore(() => new SqliteCaseSource(casesFile), (source, day) => ((SqliteCaseSource)source).AddRangeAsync(day)));
        await scenario.Loop.InitializeAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        (await scenario.CycleAsync()).Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion);
        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        await scenario.CycleAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Drifted);
        var started = await scenario.CycleAsync();
        started.Outcome.Should().Be(SelfLearningCycleOutcome.ChallengerStarted, started.Message);
        Prediction served = PredictInCanary(scenario);
        string ticket = JsonSerializer.Serialize(served);
        long casesBefore = await scenario.Cases.CountValidatedAfterAsync(CaseWatermark.Start);
        MetricTally before = await BrierAsync(scenario, served);

        await scenario.RestartAsync();
        Prediction restored = JsonSerializer.Deserialize<Prediction>(ticket);
        var review = new OutcomeReview { ReviewerId = "dr-web" };
        (await scenario.Services.GetRequiredService<IPredictionService>().RecordOutcomeAsync(restored, correct: true, review)).Should().BeTrue();
        (await scenario.Services.GetRequiredService<IPredictionService>().RecordOutcomeAsync(restored, correct: true, review)).Should().BeFalse();
        await scenario.RestartAsync();
        (await scenario.Services.GetRequiredService<IPredictionService>().RecordOutcomeAsync(restored, correct: true, review)).Should().BeFalse();

        (await BrierAsync(scenario, served)).Count.Should().Be(before.Count + 1);
        (await scenario.Cases.CountValidatedAfterAsync(CaseWatermark.Start)).Should().Be(casesBefore + 1);
        string id = served.Id.ToString("N", CultureInfo.InvariantCulture);
        int appended = 0;
        await foreach (FeedbackCase c in scenario.Cases.ReadValidatedAfterAsync(CaseWatermark.Start))
        {
            if (c.Id == id)
            {
                appended++;
                (c.ModelVersion, c.ReviewerId, c.ValidatedLabel).Should().Be((served.ModelVersion.ToString(CultureInfo.InvariantCulture), "dr-web", "right"));
            }
        }

        appended.Should().Be(1);
    }

    private static OutcomeReview Review(int i) => new() { ReviewerId = "reviewer-" + (i % 5).ToString(CultureInfo.InvariantCulture), ReviewerCertainty = 0.95 };

    private static ServiceProvider Build(TemporaryDirectory directory, ManualTimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSelfLearning(o => o.RunInBackground = false)
            .UseSqlite(directory.File("loop.db"))
            .AddCaseSource(new SqliteCaseSource(directory.File("cases.db"), clock))
            .ConfigureAnonymizer(o => o.PseudonymizationKey = LoopScenario.PseudonymizationKey)
            .AddModel(Model, m =>
            {
                m.MinimumCases = 1_000;
                m.AppendOutcomesAsCases = true;
            });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static Prediction PredictInCanary(LoopScenario scenario)
    {
        var service = scenario.Services.GetRequiredService<IPredictionService>();
        for (int i = 0; i < 10_000; i++)
        {
            Prediction prediction = service.Predict(LoopScenario.Model, "web-" + i.ToString(CultureInfo.InvariantCulture), 0.9);
            if (prediction.InExperiment)
            {
                return prediction;
            }
        }

        throw new InvalidOperationException("No unit of 10,000 was routed into the canary.");
    }

    private static async Task<MetricTally> BrierAsync(LoopScenario scenario, Prediction prediction) =>
        (await scenario.Services.GetRequiredService<IExperimentStore>().GetTalliesAsync(prediction.ExperimentKey!)).Get(HostingConstants.BrierMetric, prediction.Arm);
}
