using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Registry;
using SelfLearning.Sqlite.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Sqlite.CrashWriter;

/// <summary>
/// The child process of the rollout crash test: a self-learning loop on a SQLite file makes a first champion from an
/// overconfident host's feedback, then the population drifts and the next cycle trains a recalibration that passes the
/// gate. Right after the registry commits that version — before its stage change and its canary — the child reports
/// <c>registered</c> on stdout and stops making progress, so the parent can kill it between the two writes.
/// </summary>
public static class RolloutChild
{
    /// <summary>The model the child's loop learns.</summary>
    public const string Model = "triage";

    /// <summary>The pseudonymisation key of the child and of the parent that reopens its database (a test key).</summary>
    public static readonly string PseudonymizationKey = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    private static readonly DateTimeOffset Start = new(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Runs the child until it is killed (or returns 1 when a cycle does not go as planned).</summary>
    public static async Task<int> RunAsync(string databasePath)
    {
        var cases = new InMemoryCaseSource(Feedback(1_500, seed: 1, drifted: false, Start));
        await using var services = Services(databasePath, cases);
        var loop = services.GetRequiredService<ISelfLearningLoop>();
        await loop.InitializeAsync();
        var first = await loop.RunCycleAsync(Model);
        if (first.Outcome != SelfLearningCycleOutcome.FirstChampion)
        {
            await Console.Error.WriteLineAsync($"expected a first champion, got {first.Outcome}: {first.Message}");
            return 1;
        }

        var registry = services.GetRequiredService<IModelRegistry>();
        var halted = new ManualResetEventSlim(false);
        registry.Changed += (_, e) =>
        {
            if (e.Kind == ModelChangeKind.Registered)
            {
                // Raised synchronously after the commit, inside RegisterAsync: the loop's next write never comes.
                Console.Out.WriteLine("registered");
                Console.Out.Flush();
                halted.Wait();
            }
        };
        cases.AddRange(Feedback(3_000, seed: 2, drifted: true, Start.AddDays(1)));
        var second = await loop.RunCycleAsync(Model);
        await Console.Error.WriteLineAsync($"the second cycle ended without being killed: {second.Outcome}: {second.Message}");
        return 1;
    }

    /// <summary>The loop's services on <paramref name="databasePath"/>, as the child and the parent both build them.</summary>
    public static ServiceProvider Services(string databasePath, ICaseSource cases)
    {
        var services = new ServiceCollection();
        services.AddSelfLearning(o => o.RunInBackground = false)
            .AddCaseSource(cases)
            .ConfigureAnonymizer(o => o.PseudonymizationKey = PseudonymizationKey)
            .AddModel(Model, m =>
            {
                m.TrainerType = CalibrationTrainer.Key;
                m.MinimumCases = 1_000;
                m.NewCasesThreshold = 2_000;
                m.Gate.BootstrapIterations = 200;
            })
            .UseSqlite(databasePath);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Reviewed cases of a host whose confidence s ~ U(0.5, 1) is right with probability 0.2 + 0.6 s, or after the drift
    /// min(0.98, 2 s − 0.5): one case a minute from <paramref name="from"/>.
    /// </summary>
    public static IEnumerable<FeedbackCase> Feedback(int count, int seed, bool drifted, DateTimeOffset from)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            double s = 0.5 + (0.5 * random.NextDouble());
            bool right = random.NextDouble() < (drifted ? Math.Min(0.98, (2.0 * s) - 0.5) : 0.2 + (0.6 * s));
            DateTimeOffset at = from.AddMinutes(i / 4.0);
            yield return new FeedbackCase
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"case-{seed}-{i}"),
                ModelName = Model,
                ModelVersion = "host-1",
                PredictedLabel = "urgent",
                PredictedConfidence = s,
                ValidatedLabel = right ? "urgent" : "routine",
                Status = ValidationStatus.Validated,
                ReviewerId = string.Create(CultureInfo.InvariantCulture, $"reviewer-{i % 5}"),
                ReviewerCertainty = 0.95,
                CreatedAt = at,
                ValidatedAt = at,
            };
        }
    }
}
