using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Serving;
using SelfLearning.Monitoring;
using SelfLearning.Registry;

namespace SelfLearning.Tests.Hosting;

public sealed class SelfLearningServiceCollectionExtensionsTests
{
    [Fact]
    public void AddSelfLearning_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();

        services.AddSelfLearning();
        services.AddSelfLearning();

        services.Count(d => d.ServiceType == typeof(IHostedService)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(ISelfLearningLoop)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IPredictionService)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IModelRegistry)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IValidateOptions<SelfLearningModelOptions>)).Should().Be(1);
    }

    [Fact]
    public void AddSelfLearning_HostRegisteredItsOwnRegistryAndClock_KeepsThem()
    {
        var services = new ServiceCollection();
        var registry = new InMemoryModelRegistry();
        var clock = new TestSupport.ManualTimeProvider();
        services.AddSingleton<IModelRegistry>(registry);
        services.AddSingleton<TimeProvider>(clock);

        services.AddSelfLearning();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IModelRegistry>().Should().BeSameAs(registry);
        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(clock);
    }

    [Fact]
    public void AddSelfLearning_NoClockRegistered_UsesTheSystemClock()
    {
        var services = new ServiceCollection();
        services.AddSelfLearning();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public void AddModel_WithServiceProvider_ConfiguresFromServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new CanaryRamp([0.1, 0.3], 50, TimeSpan.FromHours(6)));
        services.AddSelfLearning().AddCaseSource(new SelfLearning.Cases.InMemoryCaseSource()).AddTrainer(new CalibrationTestTrainer()).AddModel("triage", (sp, m) => m.RampShares = [.. sp.GetRequiredService<CanaryRamp>().Shares]);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptionsMonitor<SelfLearningModelOptions>>().Get("triage").RampShares.Should().Equal(0.1, 0.3);
        provider.GetRequiredService<IOptions<SelfLearningOptions>>().Value.Models.Should().Equal("triage");
    }

    [Fact]
    public void AddModel_InvalidName_ThrowsNamingTheArgument()
    {
        var builder = new ServiceCollection().AddSelfLearning();

        var act = () => builder.AddModel("a/b", _ => { });

        act.Should().Throw<ArgumentException>().WithParameterName("name");
    }

    [Fact]
    public void AddSelfLearning_ResolvesEventsAndMonitoringFromOneHub()
    {
        var services = new ServiceCollection();
        services.AddSelfLearning();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<ISelfLearningEvents>().Should().BeSameAs(provider.GetRequiredService<ISelfLearningEventPublisher>());
        provider.GetRequiredService<LiveMetrics>().Should().NotBeNull();
    }
}
