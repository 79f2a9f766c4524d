using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.ML;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Training;

namespace SelfLearning.Samples.MLNet;

/// <summary>One simulated week: what the champion did live and what the loop decided.</summary>
internal sealed record WeekRow(int Week, string Population, int ChampionBefore, double? LiveAccuracy, SelfLearningCycleOutcome Outcome, string Action);

/// <summary>
/// An ML.NET FastTree no-show classifier retrained from reviewers' feedback week by week, on a simulated clock: the
/// first champion, a worse candidate refused by the gate (week 2 trains with a deliberately crippled tree, a
/// demonstration), a canary and promotion after the population shifts, and an automatic roll back when a broken
/// feature feed makes the live champion wrong.
/// </summary>
internal static class NoShowSample
{
    public const int Weeks = 10;
    public const int DemoWeakTrainerWeek = 2;

    public static async Task<IReadOnlyList<WeekRow>> RunAsync(TextWriter output, int seed = 42, CancellationToken cancellationToken = default)
    {
        var clock = new SimulatedClock(Clinic.WeekStart(1));
        var cases = new InMemoryCaseSource();
        bool weak = false;

        // --- Bring your ML.NET model: the pipeline, as a model type of the loop ---
        var trainer = new MlNetTrainer(
            "no-show-fasttree",
            TaskKind.BinaryClassification,
            (ml, p) => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfTrees = weak ? 1 : p.GetInt32("trees", 100),
                NumberOfLeaves = weak ? 2 : 16,
                MinimumExampleCountPerLeaf = 20,
                NumberOfThreads = 1, // single-threaded: the same data and seed give the same bytes
            }),
            defaults: TrainingParameters.Empty.With("trees", 100));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSelfLearning(o => o.RunInBackground = false)
            .AddCaseSource(cases)
            .ConfigureAnonymizer(o => o.PseudonymizationKey = Convert.ToBase64String("selflearning-sample-public-key!!"u8))
            .AddMlNetModelType(trainer)
            .AddModel(Clinic.Model, m =>
            {
                m.TrainerType = trainer.ModelType;
                m.MinimumCases = 1_000;
                m.NewCasesThreshold = 1_000;
                m.RampShares = [0.2, 0.5];
                m.MinimumSamplesPerArm = 100;
                m.MinimumStepDuration = TimeSpan.FromDays(1);
                m.Gate.BootstrapIterations = 200;
            });
        // --- end of snippet ---

        using IHost host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var loop = host.Services.GetRequiredService<ISelfLearningLoop>();
        var predictions = host.Services.GetRequiredService<IPredictionService>();
        var registry = host.Services.GetRequiredService<IModelRegistry>();

        var rows = new List<WeekRow>();
        output.WriteLine("Week  Population    Champion  Live accuracy  Action");
        output.WriteLine(new string('-', 78));
        for (int week = 1; week <= Weeks; week++)
        {
            int championBefore = (await registry.GetChampionAsync(Clinic.Model, cancellationToken).ConfigureAwait(false))?.Version ?? 0;
            int served = 0, right = 0;
            foreach (var (live, reviewed) in Clinic.Week(week, seed))
            {
                clock.AdvanceTo(reviewed.CreatedAt);
                if (championBefore > 0)
                {
                    // The clinic asks the live model, then the reviewer's verdict comes back as the outcome.
                    Prediction prediction = predictions.Predict(Clinic.Model, reviewed.Id, new CaseInput { Features = [.. live] });
                    await predictions.RecordOutcomeAsync(prediction, reviewed.ValidatedLabel!, cancellationToken).ConfigureAwait(false);
                    served++;
                    right += prediction.Label == reviewed.ValidatedLabel ? 1 : 0;
                }

                cases.Add(reviewed);
            }

            clock.AdvanceTo(Clinic.WeekStart(week + 1));
            weak = week == DemoWeakTrainerWeek;
            SelfLearningCycleResult result = await loop.RunCycleAsync(Clinic.Model, cancellationToken).ConfigureAwait(false);
            weak = false;
            int championAfter = (await registry.GetChampionAsync(Clinic.Model, cancellationToken).ConfigureAwait(false))?.Version ?? 0;
            var row = new WeekRow(
                week, Clinic.Population(week), championBefore, served == 0 ? null : (double)right / served, result.Outcome, Describe(result, championBefore, championAfter, week));
            rows.Add(row);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{row.Week,4}  {row.Population,-12}  {(row.ChampionBefore == 0 ? "—" : "v" + row.ChampionBefore),-8}  {(row.LiveAccuracy is double a ? a.ToString("P1", CultureInfo.InvariantCulture) : "—"),-13}  {row.Action}"));
        }

        output.WriteLine();
        output.WriteLine($"Week {DemoWeakTrainerWeek} trains a deliberately crippled tree (a demonstration of the gate); week {Clinic.BrokenFeedWeek} sends one feature in the wrong unit to the live model (a demonstration of the roll back).");
        await host.StopAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private static string Describe(SelfLearningCycleResult result, int before, int after, int week) => result.Outcome switch
    {
        SelfLearningCycleOutcome.FirstChampion => $"v{after} becomes the first champion",
        SelfLearningCycleOutcome.Promoted => $"PROMOTED v{after} (was v{before})",
        SelfLearningCycleOutcome.RolledBack => $"ROLLED BACK v{before} → " + (after == 0 ? "no champion" : "v" + after.ToString(CultureInfo.InvariantCulture)) + (week == Clinic.BrokenFeedWeek ? " (broken-feed demo)" : ""),
        SelfLearningCycleOutcome.CandidateRejected => $"v{result.Version} refused by the gate" + (week == DemoWeakTrainerWeek ? " (crippled-tree demo)" : ""),
        SelfLearningCycleOutcome.ChallengerStarted => $"v{result.Version} passed the gate; canary starts",
        SelfLearningCycleOutcome.ExperimentRampedUp => $"v{result.Version} canary gets more traffic",
        SelfLearningCycleOutcome.ExperimentContinued => $"v{result.Version} canary continues",
        SelfLearningCycleOutcome.ChallengerWithdrawn => $"v{result.Version} canary withdrawn",
        SelfLearningCycleOutcome.TrainingFailed => "training failed; champion keeps serving: " + result.Message,
        _ => "waiting for more feedback",
    };
}
