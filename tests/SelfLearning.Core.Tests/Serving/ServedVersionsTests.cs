using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Registry;
using SelfLearning.Serving;
using SelfLearning.Tests.Hosting;

namespace SelfLearning.Tests.Serving;

/// <summary>What a host serves follows the registry, also when the change did not come through the loop.</summary>
public sealed class ServedVersionsTests
{
    [Fact]
    public async Task Predict_ChampionActivatedOnTheRegistryDirectly_ServedWithoutACycle()
    {
        using IHost host = await ServingTestHost.StartWithFirstChampionAsync("served-versions-test");
        var serving = host.Services.GetRequiredService<IPredictionService>();
        var registry = host.Services.GetRequiredService<IModelRegistry>();
        serving.Predict(LoopScenario.Model, "patient-1", score: 0.9).ModelVersion.Should().Be(1);

        // An operator registers a copy of the champion and activates it on the registry, outside the loop; no cycle runs.
        ModelVersion first = await registry.GetAsync(LoopScenario.Model, 1);
        ReadOnlyMemory<byte> artifact = await registry.OpenArtifactAsync(LoopScenario.Model, 1);
        ModelVersion second = await registry.RegisterAsync(
            new ModelRegistration { Name = LoopScenario.Model, CreatedBy = "operator", Lineage = first.Lineage, Parameters = first.Parameters },
            artifact);
        await registry.ActivateAsync(LoopScenario.Model, second.Version, new RegistryChange("operator", "manual promotion"));

        // The refresh runs in the background: wait for it on a deadline, without sleeping.
        var waited = Stopwatch.StartNew();
        while (serving.Predict(LoopScenario.Model, "patient-1", score: 0.9).ModelVersion != second.Version)
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a champion change on the registry is served without waiting for a cycle");
            await Task.Yield();
        }

        // And back: a rollback on the registry is followed too.
        await registry.RollBackAsync(LoopScenario.Model, new RegistryChange("operator", "back to 1"));
        waited.Restart();
        while (serving.Predict(LoopScenario.Model, "patient-1", score: 0.9).ModelVersion != 1)
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a rollback on the registry is served without waiting for a cycle");
            await Task.Yield();
        }

        await host.StopAsync();
    }
}
