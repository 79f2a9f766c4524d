using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Tests.TestSupport;

namespace SelfLearning.Tests.Hosting;

/// <summary>Builds real generic hosts for the DI, validation and background-service tests.</summary>
internal static class HostingTestHost
{
    public static IHost Build(Action<ISelfLearningBuilder> configure, ManualTimeProvider? clock = null, bool withCases = true, Action<IServiceCollection>? before = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(clock ?? new ManualTimeProvider());
        before?.Invoke(builder.Services);
        var selfLearning = builder.Services.AddSelfLearning().AddTrainer(new CalibrationTestTrainer());
        if (withCases)
        {
            selfLearning.AddCaseSource(new InMemoryCaseSource()).ConfigureAnonymizer(o => o.PseudonymizationKey = LoopScenario.PseudonymizationKey);
        }

        configure(selfLearning);
        return builder.Build();
    }

    /// <summary>Starts the host and returns every options validation message it failed with.</summary>
    public static async Task<IReadOnlyList<string>> StartupFailuresAsync(IHost host)
    {
        try
        {
            await host.StartAsync();
            await host.StopAsync();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e)
        {
            return [.. e.InnerExceptions.OfType<OptionsValidationException>().SelectMany(x => x.Failures)];
        }
    }
}
