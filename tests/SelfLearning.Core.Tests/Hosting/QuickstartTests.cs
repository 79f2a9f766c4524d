using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Serving;
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

        var (cycle, prediction) = await RunQuickstartAsync(cases);

        // Whichever of the background service's first round and the explicit call ran first trained,
        // gated and activated version 1; the other found nothing new.
        cycle.Outcome.Should().BeOneOf([SelfLearningCycleOutcome.FirstChampion, SelfLearningCycleOutcome.Idle], cycle.Message);
        prediction.ModelVersion.Should().Be(1);
        prediction.Probability.Should().BeInRange(0.70, 0.82, "the host's 0.93 is right 0.2 + 0.6 × 0.93 = 76% of the time");
    }

    [Fact]
    public void Readme_QuickstartBlock_IsTheCodeThisTestRuns()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "SelfLearning.Core.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("The repository root was not found above the test's output.");
        }

        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string test = File.ReadAllText(Path.Combine(root, "tests", "SelfLearning.Core.Tests", "Hosting", "QuickstartTests.cs"));
        string Between(string text, string from, string to)
        {
            int a = text.IndexOf(from, StringComparison.Ordinal);
            int b = text.IndexOf(to, a + from.Length, StringComparison.Ordinal);
            a.Should().BeGreaterThanOrEqualTo(0, $"'{from}' must be there");
            b.Should().BeGreaterThan(a, $"'{to}' must follow '{from}'");
            return text[(a + from.Length)..b];
        }

        static string[] Lines(string block) =>
            [.. block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

        string[] inTest = Lines(Between(test, "// quickstart:" + "start", "// quickstart:" + "end"));
        string[] inReadme = Lines(Between(Between(readme, "## Quickstart", "\n## "), "```csharp", "```"));
        inReadme.Should().Equal(inTest, "the README shows exactly the quickstart this test compiles and runs");
    }

    private static async Task<(SelfLearningCycleResult Cycle, Prediction Prediction)> RunQuickstartAsync(InMemoryCaseSource cases)
    {
        // A fixed key: the pseudonyms, and so the train/validation split and the fitted calibrator, are the same every run.
        string pseudonymizationKey = Convert.ToBase64String(SHA256.HashData("quickstart-test-key"u8));

        // quickstart:start
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSelfLearning()                  // a background service runs each model's cycle every hour
            .AddCaseSource(cases)                           // your validated feedback: implement ICaseSource over your store
            .AddTrainer<CalibrationTrainer>()               // cross-validated Platt / isotonic / beta / histogram calibrator
            .ConfigureAnonymizer(o => o.PseudonymizationKey = pseudonymizationKey) // your secret, stable across restarts
            .AddModel("triage", m =>
            {
                m.TrainerType = CalibrationTrainer.Key;
                m.MinimumCases = 1_000;                     // first calibrator after 1,000 validated cases
                m.Gate.MinimumRelativeEceImprovement = 0.05; // the candidate must lower ECE by 5%
                m.RampShares = [0.05, 0.25, 0.5];           // canary steps for later versions
            });
        using var host = builder.Build();
        await host.StartAsync();

        // collect → train → gate → register → canary → promote or roll back; run one cycle now
        var loop = host.Services.GetRequiredService<ISelfLearningLoop>();
        SelfLearningCycleResult cycle = await loop.RunCycleAsync("triage");

        var serving = host.Services.GetRequiredService<IPredictionService>();
        Prediction prediction = serving.Predict("triage", unitId: "patient-42", score: 0.93);
        await serving.RecordOutcomeAsync(prediction, correct: true); // now, or when the label arrives
        await host.StopAsync();
        // quickstart:end
        return (cycle, prediction);
    }
}
