using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Serving;
using SelfLearning.Sqlite.Hosting;
using SelfLearning.Tests.Hosting;

namespace SelfLearning.Sqlite.Tests.Hosting;

/// <summary>A prediction that leaves the request as a JSON ticket and whose outcome arrives later, after a restart.</summary>
public sealed class PredictionTicketTests
{
    [Fact]
    public async Task RecordOutcomeAsync_TicketAfterARestartOnSqlite_IsCountedOnceInTheCanary()
    {
        using var directory = new TemporaryDirectory();
        string cases = directory.File("cases.db");
        using var scenario = new LoopScenario(
            b => b.UseSqlite(directory.File("loop.db")),
            new LoopScenario.CaseStore(() => new SqliteCaseSource(cases), (source, day) => ((SqliteCaseSource)source).AddRangeAsync(day)));
        await StartCanaryAsync(scenario);

        // Request 1: predict and hand the ticket out.
        Prediction served = PredictInCanary(scenario);
        string ticket = JsonSerializer.Serialize(served);
        MetricTally before = await BrierAsync(scenario, served);

        // The host stops; a new one opens the same database; request 2 brings the outcome with the ticket.
        await scenario.RestartAsync();
        Prediction restored = JsonSerializer.Deserialize<Prediction>(ticket);
        var service = scenario.Services.GetRequiredService<IPredictionService>();
        (await service.RecordOutcomeAsync(restored, correct: true)).Should().BeTrue();
        (await service.RecordOutcomeAsync(restored, correct: true)).Should().BeFalse("the same outcome delivered twice is counted once");

        // A retry after another restart is still recognised by the store.
        await scenario.RestartAsync();
        (await scenario.Services.GetRequiredService<IPredictionService>().RecordOutcomeAsync(restored, correct: true)).Should().BeFalse();

        MetricTally after = await BrierAsync(scenario, served);
        after.Count.Should().Be(before.Count + 1);
        double p = served.Probability;
        after.Sum.Should().BeApproximately(before.Sum + ((p - 1.0) * (p - 1.0)), 1e-9, "the one outcome's Brier term, (p - 1)² for a right host");
    }

    [Fact]
    public async Task RecordOutcomeAsync_TicketInMemory_IsCountedOnce()
    {
        using var scenario = new LoopScenario();
        await StartCanaryAsync(scenario);
        var service = scenario.Services.GetRequiredService<IPredictionService>();
        Prediction served = PredictInCanary(scenario);
        MetricTally before = await BrierAsync(scenario, served);

        Prediction restored = JsonSerializer.Deserialize<Prediction>(JsonSerializer.Serialize(served));
        (await service.RecordOutcomeAsync(restored, correct: false)).Should().BeTrue();
        (await service.RecordOutcomeAsync(served, correct: false)).Should().BeFalse();

        MetricTally after = await BrierAsync(scenario, served);
        after.Count.Should().Be(before.Count + 1);
        after.Sum.Should().BeApproximately(before.Sum + (served.Probability * served.Probability), 1e-9);
    }

    /// <summary>Days 1–4 of the end-to-end script: a first champion, a rejected candidate, then a drifted population starts a canary.</summary>
    private static async Task StartCanaryAsync(LoopScenario scenario)
    {
        await scenario.Loop.InitializeAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        (await scenario.CycleAsync()).Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion);
        await scenario.ServeDayAsync(LoopScenario.Population.Original);
        await scenario.CycleAsync();
        await scenario.ServeDayAsync(LoopScenario.Population.Drifted);
        var started = await scenario.CycleAsync();
        started.Outcome.Should().Be(SelfLearningCycleOutcome.ChallengerStarted, started.Message);
    }

    private static Prediction PredictInCanary(LoopScenario scenario)
    {
        var service = scenario.Services.GetRequiredService<IPredictionService>();
        for (int i = 0; i < 10_000; i++)
        {
            Prediction prediction = service.Predict(LoopScenario.Model, "ticket-" + i.ToString(CultureInfo.InvariantCulture), 0.9);
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
