using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Training;

namespace SelfLearning.Samples.Triage;

/// <summary>One simulated week of the referral model.</summary>
/// <param name="Week">The week, from 1.</param>
/// <param name="Outcome">The cycle's outcome at the end of the week.</param>
/// <param name="Champion">The champion version after the cycle (0: none).</param>
/// <param name="Served">Predictions served during the week (none before the first champion).</param>
/// <param name="Accuracy">The served predictions' accuracy against the true outcome (NaN when none were served).</param>
internal sealed record ReferralWeek(int Week, string Outcome, int Champion, int Served, double Accuracy);

/// <summary>
/// The second model of the sample, on features: a referral classifier (refer to a specialist or not) from four
/// patient features, trained by the built-in logistic regression and served, gated, canaried and watched by the same
/// loop. From week 5 a new guideline refers more patients with a raised HbA1c, so the first champion falls behind.
/// </summary>
internal static class ReferralSample
{
    public const string Model = "referral";
    public const int GuidelineWeek = 5;
    public const int PatientsPerWeek = 800;

    public static async Task<IReadOnlyList<ReferralWeek>> RunAsync(int weeks, int seed, TextWriter output, CancellationToken cancellationToken = default)
    {
        var clock = new SimulatedClock(ClinicTimeline.WeekStart(1));
        var referrals = new InMemoryCaseSource();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        // The README's "Models on features" example is this registration and the serving loop below.
        services.AddSelfLearning(o => o.RunInBackground = false)
            .AddCaseSource(referrals)                                   // reviewed cases with Input.Features and the label
            .ConfigureAnonymizer(o => o.PseudonymizationKey = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 7)).ToArray()))
            .AddModel(Model, m =>
            {
                m.TrainerType = LogisticRegressionTrainer.Key;          // a model type: trainer + loader under one key
                m.MinimumCases = 500;
                m.NewCasesThreshold = 500;
                m.RampShares = [0.25, 0.5];                             // canary steps
                m.MinimumSamplesPerArm = 100;
                m.MinimumStepDuration = TimeSpan.FromDays(1);
            });
        await using ServiceProvider provider = services.BuildServiceProvider();
        var loop = provider.GetRequiredService<ISelfLearningLoop>();
        var serving = provider.GetRequiredService<IPredictionService>();
        var registry = provider.GetRequiredService<IModelRegistry>();
        await loop.InitializeAsync(cancellationToken).ConfigureAwait(false);

        var random = new Random(seed);
        var rows = new List<ReferralWeek>();
        int champion = 0;
        output.WriteLine();
        output.WriteLine("Referral model (logistic regression on age, BMI, HbA1c, visits):");
        output.WriteLine("week | served | accuracy | cycle outcome        | champion");
        for (int week = 1; week <= weeks; week++)
        {
            int served = 0, right = 0;
            var reviewed = new List<FeedbackCase>(PatientsPerWeek);
            for (int i = 0; i < PatientsPerWeek; i++)
            {
                double[] features = [random.Next(18, 90), 18.0 + (20.0 * random.NextDouble()), 4.5 + (5.0 * random.NextDouble()), random.Next(0, 12)];
                string truth = random.NextDouble() < ReferralProbability(features, week >= GuidelineWeek) ? "refer" : "no-referral";
                string patient = string.Create(CultureInfo.InvariantCulture, $"patient-{week}-{i}");
                var input = new CaseInput { Features = ImmutableArray.Create(features) };
                if (champion > 0)
                {
                    Prediction prediction = serving.Predict(Model, patient, input);
                    await serving.RecordOutcomeAsync(prediction, truth, cancellationToken).ConfigureAwait(false);   // a retried outcome counts once
                    served++;
                    right += prediction.Label == truth ? 1 : 0;
                }

                reviewed.Add(new FeedbackCase
                {
                    Id = "referral-" + patient,
                    ModelName = Model,
                    ModelVersion = champion.ToString(CultureInfo.InvariantCulture),
                    PredictedLabel = truth,
                    PredictedConfidence = 0.9,
                    ValidatedLabel = truth,
                    Input = input,
                    Status = ValidationStatus.Validated,
                    ReviewerId = "gp-" + (i % 4).ToString(CultureInfo.InvariantCulture),
                    ReviewerCertainty = 0.95,
                    CreatedAt = clock.GetUtcNow(),
                    ValidatedAt = clock.GetUtcNow(),
                });
                clock.Advance(TimeSpan.FromDays(7) / PatientsPerWeek);
            }

            referrals.AddRange(reviewed);
            SelfLearningCycleResult result = await loop.RunCycleAsync(Model, cancellationToken).ConfigureAwait(false);
            champion = (await registry.GetChampionAsync(Model, cancellationToken).ConfigureAwait(false))?.Version ?? 0;
            var row = new ReferralWeek(week, result.Outcome.ToString(), champion, served, served == 0 ? double.NaN : (double)right / served);
            rows.Add(row);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Week,4} | {row.Served,6} | {(served == 0 ? "-" : row.Accuracy.ToString("P1", CultureInfo.InvariantCulture)),8} | {row.Outcome,-20} | {(champion == 0 ? "-" : champion.ToString(CultureInfo.InvariantCulture))}"));
        }

        return rows;
    }

    /// <summary>The true chance a patient needs referral; the new guideline weighs HbA1c above 6.5 % more.</summary>
    internal static double ReferralProbability(double[] x, bool newGuideline)
    {
        double hba1c = newGuideline ? 1.6 * (x[2] - 6.0) : 0.8 * (x[2] - 7.0);
        double margin = -0.5 + (0.03 * (x[0] - 50.0)) + (0.08 * (x[1] - 27.0)) + hba1c + (0.15 * (x[3] - 5.0));
        return 1.0 / (1.0 + Math.Exp(-margin));
    }
}
