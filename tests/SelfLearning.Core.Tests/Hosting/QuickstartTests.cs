using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Tests.Hosting;

/// <summary>The README's quickstart, compiled and run: a real host, one model, a case source, a calibration trainer and a serving call.</summary>
public sealed class QuickstartTests
{
    [Fact]
    public async Task Quickstart_HostWithCasesAndCalibrationTrainer_ServesACalibratedChampion()
    {
        var cases = new InMemoryCaseSource();
        cases.AddRange(HostFeedback.Overconfident(1_500, 11, TimeProvider.System.GetUtcNow().AddHours(-24)));

        Prediction prediction = await RunQuickstartAsync(cases, async host =>
        {
            // The background service's first round (at start) trains, gates and activates version 1.
            var service = host.Services.GetServices<IHostedService>().OfType<SelfLearningBackgroundService>().Single();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await service.WaitForRoundsAsync(1, timeout.Token);

            // A second cycle finds nothing new after the first one's watermark.
            var again = await host.Services.GetRequiredService<ISelfLearningLoop>().RunCycleAsync("triage");
            again.Outcome.Should().Be(SelfLearningCycleOutcome.Idle, again.Message);
        });

        prediction.ModelVersion.Should().Be(1);
        prediction.Probability.Should().BeInRange(0.70, 0.82, "the host's 0.93 is right 0.2 + 0.6 × 0.93 = 76% of the time");
    }

    private static async Task<Prediction> RunQuickstartAsync(InMemoryCaseSource cases, Func<IHost, Task> afterStart)
    {
        // quickstart:start
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSelfLearning()
            .AddCaseSource(cases)                           // your validated feedback: implement ICaseSource over your store
            .AddTrainer<CalibrationTrainer>()               // cross-validated Platt / isotonic / beta / histogram calibrator
            .ConfigureAnonymizer(o => o.PseudonymizationKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            .AddModel("triage", m =>
            {
                m.TrainerType = CalibrationTrainer.Key;
                m.MinimumCases = 1_000;                     // first calibrator after 1,000 validated cases
                m.Gate.MinimumRelativeEceImprovement = 0.05; // the candidate must lower ECE by 5%
                m.RampShares = [0.05, 0.25, 0.5];           // canary steps for later versions
            });
        using var host = builder.Build();
        await host.StartAsync();
        await afterStart(host);

        var serving = host.Services.GetRequiredService<IPredictionService>();
        Prediction prediction = serving.Predict("triage", unitId: "patient-42", score: 0.93);
        await serving.RecordOutcomeAsync(prediction, correct: true); // now, or when the label arrives
        await host.StopAsync();
        // quickstart:end
        return prediction;
    }
}
