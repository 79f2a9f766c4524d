using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Serving;
using SelfLearning.Training;

namespace SelfLearning.ML.Tests.Hosting;

/// <summary>A real generic host running the loop for one model of an ML.NET model type, cycles driven by the test.</summary>
internal static class MlNetLoopHost
{
    public static IHost Build(
        MlNetTrainer type, ICaseSource cases, TimeProvider? clock = null, Action<ISelfLearningBuilder>? stores = null, TrainingParameters? parameters = null,
        Action<CaseAnonymizerOptions>? anonymizer = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(clock ?? new FakeTimeProvider(MlNetTestData.Start.AddDays(1)));
        var selfLearning = builder.Services.AddSelfLearning()
            .Configure(o => o.RunInBackground = false)
            .AddCaseSource(cases)
            .ConfigureAnonymizer(o =>
            {
                o.PseudonymizationKey = MlNetTestData.PseudonymizationKey;
                anonymizer?.Invoke(o);
            })
            .AddMlNetModelType(type)
            .AddModel(MlNetTestData.Model, m =>
            {
                m.TrainerType = type.ModelType;
                m.Parameters = parameters ?? TrainingParameters.Empty;
            });
        stores?.Invoke(selfLearning);
        return builder.Build();
    }

    public static async Task<(ISelfLearningLoop Loop, IPredictionService Predictions)> StartAsync(IHost host)
    {
        await host.StartAsync();
        return (host.Services.GetRequiredService<ISelfLearningLoop>(), host.Services.GetRequiredService<IPredictionService>());
    }
}
