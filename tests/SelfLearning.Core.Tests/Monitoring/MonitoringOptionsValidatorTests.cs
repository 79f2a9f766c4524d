using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

public class MonitoringOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        new MonitoringOptionsValidator().Validate(null, new MonitoringOptions()).Succeeded.Should().BeTrue();
    }

    [Theory]
    [InlineData(nameof(MonitoringOptions.WindowSize))]
    [InlineData(nameof(MonitoringOptions.PsiMajorThreshold))]
    [InlineData(nameof(MonitoringOptions.KsSignificanceLevel))]
    [InlineData(nameof(MonitoringOptions.RollbackMargin))]
    [InlineData(nameof(MonitoringOptions.RollbackSignificanceLevel))]
    [InlineData(nameof(MonitoringOptions.MaximumChampionAge))]
    [InlineData(nameof(MonitoringOptions.PageHinkleyAlpha))]
    [InlineData(nameof(MonitoringOptions.AdwinDelta))]
    public void Validate_BadSetting_FailsWithAMessageNamingIt(string setting)
    {
        var options = new MonitoringOptions();
        switch (setting)
        {
            case nameof(MonitoringOptions.WindowSize): options.WindowSize = 5; options.DriftMinimumSample = 5; break;
            case nameof(MonitoringOptions.PsiMajorThreshold): options.PsiMajorThreshold = 0.05; break;
            case nameof(MonitoringOptions.KsSignificanceLevel): options.KsSignificanceLevel = double.NaN; break;
            case nameof(MonitoringOptions.RollbackMargin): options.RollbackMargin = -0.01; break;
            case nameof(MonitoringOptions.RollbackSignificanceLevel): options.RollbackSignificanceLevel = 0.6; break;
            case nameof(MonitoringOptions.MaximumChampionAge): options.MaximumChampionAge = TimeSpan.Zero; break;
            case nameof(MonitoringOptions.PageHinkleyAlpha): options.PageHinkleyAlpha = 0.0; break;
            default: options.AdwinDelta = 1.0; break;
        }

        var result = new MonitoringOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should().StartWith($"MonitoringOptions.{setting} ");
    }
}
