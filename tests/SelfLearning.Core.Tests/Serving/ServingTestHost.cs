using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Tests.Hosting;

namespace SelfLearning.Tests.Serving;

/// <summary>A started host serving <see cref="LoopScenario.Model"/>, its first champion made by one cycle on 1,500 cases.</summary>
internal static class ServingTestHost
{
    public static async Task<IHost> StartWithFirstChampionAsync(string keySeed)
    {
        var cases = new InMemoryCaseSource();
        cases.AddRange(HostFeedback.Overconfident(1_500, 11, TimeProvider.System.GetUtcNow().AddHours(-24)));
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSelfLearning(o => o.RunInBackground = false)
            .AddCaseSource(cases)
            .ConfigureAnonymizer(o => o.PseudonymizationKey = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(keySeed))))
            .AddModel(LoopScenario.Model, m => m.MinimumCases = 1_000);
        IHost host = builder.Build();
        await host.StartAsync();
        (await host.Services.GetRequiredService<ISelfLearningLoop>().RunCycleAsync(LoopScenario.Model)).Outcome
            .Should().Be(SelfLearningCycleOutcome.FirstChampion);
        return host;
    }
}
