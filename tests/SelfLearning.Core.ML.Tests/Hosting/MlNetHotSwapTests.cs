using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Registry;

namespace SelfLearning.ML.Tests.Hosting;

/// <summary>
/// Predictions from many threads while the champion changes under them: each prediction comes whole from one version
/// (its label and calibrated probability are exactly that version's for that input), nothing throws, and no pooled
/// engine is ever in two threads' hands (the pool's lease check throws if one is).
/// </summary>
public sealed class MlNetHotSwapTests
{
    private const string Model = MlNetTestData.Model;
    private const int Threads = 16;
    private const int Swaps = 1_000;

    [Fact]
    public async Task Predict_From16ThreadsWhileTheChampionIsSwapped1000Times_EveryPredictionIsOneVersions()
    {
        var cases = new InMemoryCaseSource(MlNetTestData.Binary(2_000, seed: 1));
        using var host = MlNetLoopHost.Build(MlNetModelTypes.FastTreeBinary(), cases);
        var (loop, predictions) = await MlNetLoopHost.StartAsync(host);
        var registry = host.Services.GetRequiredService<IModelRegistry>();
        var first = await loop.RunCycleAsync(Model);
        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);

        // A second version, trained on noisier labels: registered whatever the gate says, activated by hand below.
        cases.AddRange(MlNetTestData.Binary(2_000, seed: 3, flip: 0.3));
        var second = await loop.RunCycleAsync(Model);
        second.Outcome.Should().BeOneOf([SelfLearningCycleOutcome.CandidateRejected, SelfLearningCycleOutcome.ChallengerStarted], second.Message);
        int[] versions = [first.Version!.Value, second.Version!.Value];

        var inputs = MlNetTestData.Binary(64, seed: 9).Select(c => c.Input).ToArray();
        // Each version's answers. A canary of the second version may be running, so a unit can be routed to it
        // whichever version is champion: an answer is filed under the version that actually served it.
        var expected = versions.ToDictionary(v => v, _ => new (string? Label, double Probability)?[inputs.Length]);
        foreach (int version in versions.Reverse())
        {
            await ActivateAsync(registry, loop, version);
            for (int i = 0; i < inputs.Length; i++)
            {
                for (int unit = 0; expected[version][i] is null; unit++)
                {
                    unit.Should().BeLessThan(100, "the champion serves most units");
                    var p = predictions.Predict(Model, $"ref-{i}-{unit}", inputs[i]);
                    expected[p.ModelVersion][i] ??= (p.Label, p.Probability);
                }
            }
        }

        expected[versions[0]].Should().NotEqual(expected[versions[1]], "the two versions must be told apart by their answers");
        long enginesBefore = EnginePool<MlNetRows.ProbabilityOutput>.TotalEnginesCreated;
        var failures = new ConcurrentQueue<string>();
        var served = new long[versions.Max() + 1];
        int stop = 0;
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                for (int k = 0; Volatile.Read(ref stop) == 0; k++)
                {
                    int i = (t + k) % inputs.Length;
                    try
                    {
                        var p = predictions.Predict(Model, "unit-" + t, inputs[i]);
                        if (!expected.TryGetValue(p.ModelVersion, out var answers) || answers[i] != (p.Label, p.Probability))
                        {
                            failures.Enqueue($"thread {t}: version {p.ModelVersion} answered ({p.Label}, {p.Probability}) for input {i}");
                        }

                        Interlocked.Increment(ref served[p.ModelVersion]);
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue($"thread {t}: {e.GetType().Name}: {e.Message}");
                    }
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();

        try
        {
            for (int swap = 0; swap < Swaps; swap++)
            {
                await ActivateAsync(registry, loop, versions[(swap + 1) % 2]);
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            await Task.WhenAll(workers);
        }

        failures.Should().BeEmpty();
        served[versions[0]].Should().BeGreaterThan(0);
        served[versions[1]].Should().BeGreaterThan(0);
        (EnginePool<MlNetRows.ProbabilityOutput>.TotalEnginesCreated - enginesBefore).Should().BeGreaterThan(0, "concurrent callers get engines of their own");
        (await registry.GetChampionAsync(Model))!.Version.Should().Be(versions[(Swaps % 2) == 0 ? 0 : 1]);
    }

    private static async Task ActivateAsync(IModelRegistry registry, ISelfLearningLoop loop, int version)
    {
        await registry.ActivateAsync(Model, version, new RegistryChange("hot-swap-test"));
        await loop.InitializeAsync();
    }
}
