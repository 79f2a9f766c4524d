using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Training;

namespace SelfLearning.Tests.Hosting;

public sealed class SelfLearningOptionsValidatorTests
{
    [Fact]
    public async Task Start_NoCaseSource_FailsNamingTheMissingSource()
    {
        using var host = HostingTestHost.Build(b => b.AddModel("triage", _ => { }), withCases: false);

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle(f => f.Contains("no case source is registered", StringComparison.Ordinal) && f.Contains("triage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_UnknownTrainerType_FailsNamingTheSettingAndTheKnownTypes()
    {
        using var host = HostingTestHost.Build(b => b.AddModel("triage", m => m.TrainerType = "gradient-boosting"));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should()
            .Contain("SelfLearning:Models:triage:TrainerType is 'gradient-boosting'").And.Contain("'calibration'");
    }

    [Fact]
    public async Task Start_RampThatDoesNotIncrease_FailsNamingTheStep()
    {
        using var host = HostingTestHost.Build(b => b.AddModel("triage", m => m.RampShares = [0.05, 0.25, 0.25]));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should()
            .Contain("SelfLearning:Models:triage:RampShares:2 is 0.25").And.Contain("does not increase");
    }

    [Fact]
    public async Task Start_GateThresholdOutsideItsRange_FailsNamingTheSettingAndValue()
    {
        using var host = HostingTestHost.Build(b => b.AddModel("triage", m => m.Gate.MinimumRelativeEceImprovement = 1.5));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should().Contain("SelfLearning:Models:triage:Gate:MinimumRelativeEceImprovement is '1.5'");
    }

    [Fact]
    public async Task Start_ShareAboveHalf_FailsNamingTheStep()
    {
        using var host = HostingTestHost.Build(b => b.AddModel("triage", m => m.RampShares = [0.6]));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should().Contain("SelfLearning:Models:triage:RampShares:0 is 0.6").And.Contain("(0, 0.5]");
    }

    [Fact]
    public async Task Start_NegativeCycleInterval_FailsNamingTheSetting()
    {
        using var host = HostingTestHost.Build(b => b.Configure(o => o.CycleInterval = TimeSpan.FromMinutes(-1)).AddModel("triage", _ => { }));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should().Contain("SelfLearning:CycleInterval must be positive");
    }

    [Fact]
    public async Task Start_ZeroDataStaleAfter_FailsNamingTheSetting()
    {
        using var host = HostingTestHost.Build(b => b.AddModel("triage", m => m.DataStaleAfter = TimeSpan.Zero));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should().Contain("SelfLearning:Models:triage:DataStaleAfter must be positive, but is 00:00:00");
    }

    [Fact]
    public async Task Start_ThresholdBelowTheGateHoldout_FailsNamingBothSettings()
    {
        using var host = HostingTestHost.Build(b => b.AddModel("triage", m =>
        {
            m.NewCasesThreshold = 100;
            m.Gate.MinimumHoldoutSize = 300;
        }));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should()
            .Contain("SelfLearning:Models:triage:NewCasesThreshold is 100").And.Contain("SelfLearning:Models:triage:Gate:MinimumHoldoutSize (300)");
    }

    [Fact]
    public async Task Start_CaseSourceWithoutPseudonymizationKey_FailsNamingTheSetting()
    {
        using var host = HostingTestHost.Build(
            b => b.Configure(o => o.RunInBackground = false).AddCaseSource(new InMemoryCaseSource()).AddModel("triage", _ => { }),
            withCases: false);

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should()
            .StartWith("SelfLearning:Anonymizer:PseudonymizationKey").And.Contain("is required").And.Contain("ConfigureAnonymizer");
    }

    [Fact]
    public async Task Start_PseudonymizationKeyTooShort_FailsNamingTheSettingAndTheLength()
    {
        using var host = HostingTestHost.Build(
            b => b.Configure(o => o.RunInBackground = false)
                .AddCaseSource(new InMemoryCaseSource())
                .ConfigureAnonymizer(o => o.PseudonymizationKey = Convert.ToBase64String(new byte[8]))
                .AddModel("triage", _ => { }),
            withCases: false);

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should()
            .StartWith("SelfLearning:Anonymizer:PseudonymizationKey").And.Contain("decodes to 8 bytes");
    }

    [Fact]
    public async Task Start_ValidConfiguration_Starts()
    {
        using var host = HostingTestHost.Build(b => b.Configure(o => o.RunInBackground = false).AddModel("triage", _ => { }));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().BeEmpty();
    }

    [Fact]
    public async Task Start_CaseSplitNotSummingToOne_FailsNamingTheCasesSettings()
    {
        using var host = HostingTestHost.Build(b => b.ConfigureCases(o => o.TestFraction = 0.5).AddModel("triage", _ => { }));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should()
            .StartWith("SelfLearning:Cases:").And.Contain("'options.TrainFraction' + 'options.ValidationFraction' + 'options.TestFraction' must be 1");
    }

    [Fact]
    public async Task Start_CaseReviewerCertaintyAboveOne_FailsNamingIt()
    {
        using var host = HostingTestHost.Build(b => b.ConfigureCases(o => o.MinReviewerCertainty = 1.5).AddModel("triage", _ => { }));

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().NotBeEmpty().And.OnlyContain(f => f.Contains(nameof(CaseCollectorOptions.MinReviewerCertainty), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ExperimentAlphaOutOfRange_FailsNamingIt()
    {
        using var host = HostWithModel<ExperimentDecisionOptions>(o => o.Alpha = 0.9);

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should().Contain(nameof(ExperimentDecisionOptions.Alpha)).And.Contain("0.5");
    }

    [Fact]
    public async Task Start_ExperimentStoreWithoutPendingCapacity_FailsNamingIt()
    {
        using var host = HostWithModel<ExperimentStoreOptions>(o => o.MaximumPendingPredictions = 0);

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should().Contain(nameof(ExperimentStoreOptions.MaximumPendingPredictions));
    }

    [Fact]
    public async Task Start_TrainingHeartbeatNotShorterThanLease_FailsNamingBoth()
    {
        using var host = HostWithModel<TrainingEngineOptions>(o => o.HeartbeatInterval = o.LeaseDuration);

        var failures = await HostingTestHost.StartupFailuresAsync(host);

        failures.Should().ContainSingle().Which.Should()
            .StartWith($"{nameof(TrainingEngineOptions)}: ").And.Contain(nameof(TrainingEngineOptions.HeartbeatInterval)).And.Contain(nameof(TrainingEngineOptions.LeaseDuration));
    }

    private static IHost HostWithModel<TOptions>(Action<TOptions> configure)
        where TOptions : class =>
        HostingTestHost.Build(b => b.AddModel("triage", _ => { }).Services.Configure(configure));
}
