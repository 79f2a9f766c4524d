using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Hosting;

public sealed class SelfLearningConfigurationExtensionsTests
{
    private const string AppSettings = """
        {
          "SelfLearning": {
            "CycleInterval": "00:30:00",
            "RunInBackground": false,
            "Models": {
              "triage": {
                "TrainerType": "calibration",
                "MinimumCases": 1000,
                "NewCasesThreshold": 350,
                "ScoreSource": "RawScore",
                "RampShares": [ 0.1, 0.3 ],
                "MinimumStepDuration": "12:00:00",
                "Gate": { "Alpha": 0.01, "MinimumHoldoutSize": 300 },
                "Parameters": { "folds": "4" },
                "Schedule": { "Every": "06:00:00" }
              },
              "referral": { "TrainerType": "logistic-regression" }
            },
            "Anonymizer": { "PseudonymizationKey": "AAECAwQFBgcICQoLDA0ODw==", "DroppedAttributes": [ "name" ], "RestrictedZipPrefixes": [ "036" ] },
            "Cases": { "MinReviewerCertainty": 0.9, "TrainFraction": 0.6, "ValidationFraction": 0.2, "TestFraction": 0.2 },
            "Monitoring": { "MinimumNewCases": 40 },
            "Experiments": { "Alpha": 0.01 }
          }
        }
        """;

    [Fact]
    public void AddSelfLearning_AppSettingsJson_BindsEveryOptionAtItsPath()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(AppSettings)))
            .Build();
        using ServiceProvider provider = Build(configuration.GetSection("SelfLearning"));

        var loop = provider.GetRequiredService<IOptions<SelfLearningOptions>>().Value;
        loop.CycleInterval.Should().Be(TimeSpan.FromMinutes(30));
        loop.RunInBackground.Should().BeFalse();
        loop.Models.Should().BeEquivalentTo(["referral", "triage"]);

        var models = provider.GetRequiredService<IOptionsMonitor<SelfLearningModelOptions>>();
        SelfLearningModelOptions triage = models.Get("triage");
        triage.MinimumCases.Should().Be(1000);
        triage.NewCasesThreshold.Should().Be(350);
        triage.ScoreSource.Should().Be(SelfLearning.Training.CalibrationScoreSource.RawScore);
        triage.RampShares.Should().Equal([0.1, 0.3], "a list in configuration replaces the default 5% → 25% → 50%");
        triage.MinimumStepDuration.Should().Be(TimeSpan.FromHours(12));
        triage.Gate.Alpha.Should().Be(0.01);
        triage.Gate.MinimumHoldoutSize.Should().Be(300);
        triage.Parameters.GetInt32("folds", 0).Should().Be(4);
        triage.Schedule.Should().NotBeNull();
        triage.Schedule!.NextAfter(DateTimeOffset.UnixEpoch.AddHours(1)).Should().Be(DateTimeOffset.UnixEpoch.AddHours(6));
        models.Get("referral").TrainerType.Should().Be("logistic-regression");
        models.Get("referral").MinimumCases.Should().Be(new SelfLearningModelOptions().MinimumCases, "an unset key keeps its default");

        var anonymizer = provider.GetRequiredService<IOptions<CaseAnonymizerOptions>>().Value;
        anonymizer.PseudonymizationKey.Should().Be("AAECAwQFBgcICQoLDA0ODw==");
        anonymizer.DroppedAttributes.Should().Equal(["name"]);
        anonymizer.RestrictedZipPrefixes.Should().Equal(["036"]);
        var cases = provider.GetRequiredService<IOptions<CaseCollectorOptions>>().Value;
        (cases.MinReviewerCertainty, cases.TrainFraction, cases.ValidationFraction, cases.TestFraction).Should().Be((0.9, 0.6, 0.2, 0.2));
        provider.GetRequiredService<IOptions<MonitoringOptions>>().Value.MinimumNewCases.Should().Be(40);
        provider.GetRequiredService<IOptions<ExperimentDecisionOptions>>().Value.Alpha.Should().Be(0.01);
    }

    [Fact]
    public void BindConfiguration_InMemoryValues_CodeConfigurationAddedLaterWins()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SelfLearning:Models:triage:MinimumCases"] = "700",
            ["SelfLearning:Models:triage:NewCasesThreshold"] = "300",
        }).Build();
        var services = new ServiceCollection();
        services.AddSelfLearning().BindConfiguration(configuration.GetSection("SelfLearning"))
            .AddModel("triage", m => m.NewCasesThreshold = 900);
        using ServiceProvider provider = services.BuildServiceProvider();

        SelfLearningModelOptions triage = provider.GetRequiredService<IOptionsMonitor<SelfLearningModelOptions>>().Get("triage");
        triage.MinimumCases.Should().Be(700);
        triage.NewCasesThreshold.Should().Be(900);
    }

    [Theory]
    [InlineData("SelfLearning:Models:triage:MinimumCase", "5", "SelfLearning:Models:triage:MinimumCase is not a setting")]
    [InlineData("SelfLearning:CycleIntervall", "01:00:00", "SelfLearning:CycleIntervall is not a setting")]
    [InlineData("SelfLearning:Models:triage:MinimumCases", "many", "SelfLearning:Models:triage:MinimumCases")]
    [InlineData("SelfLearning:Models:triage:Schedule:Daily", "25:00", "SelfLearning:Models:triage:Schedule:Daily is '25:00'")]
    public void AddSelfLearning_WrongKeyOrValue_FailsNamingThePath(string key, string value, string message)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value, ["SelfLearning:Models:triage:Schedule:TimeZone"] = "UTC" })
            .Build();

        var act = () => new ServiceCollection().AddSelfLearning(configuration.GetSection("SelfLearning"));

        act.Should().Throw<InvalidOperationException>().Where(e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void AddSelfLearning_BadValueInConfiguration_ValidationNamesTheConfigurationPath()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SelfLearning:Models:triage:RampShares:0"] = "0.25",
            ["SelfLearning:Models:triage:RampShares:1"] = "0.25",
        }).Build();
        using ServiceProvider provider = Build(configuration.GetSection("SelfLearning"));

        var act = () => provider.GetRequiredService<IOptionsMonitor<SelfLearningModelOptions>>().Get("triage");

        act.Should().Throw<OptionsValidationException>().Where(e => e.Message.Contains("SelfLearning:Models:triage:RampShares:1 is 0.25", StringComparison.Ordinal));
    }

    [Fact]
    public void AddSelfLearning_NullConfiguration_ThrowsNamingTheArgument()
    {
        var act = () => new ServiceCollection().AddSelfLearning((IConfiguration)null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("configuration");
    }

    private static ServiceProvider Build(IConfiguration section)
    {
        var services = new ServiceCollection();
        services.AddSelfLearning(section).AddCaseSource(new InMemoryCaseSource());
        return services.BuildServiceProvider();
    }
}
