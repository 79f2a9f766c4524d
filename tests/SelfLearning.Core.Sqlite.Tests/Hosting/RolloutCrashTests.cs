using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SelfLearning.Cases;
using SelfLearning.Experiments;
using SelfLearning.Hosting;
using SelfLearning.Registry;
using Child = SelfLearning.Sqlite.CrashWriter.RolloutChild;

namespace SelfLearning.Sqlite.Tests.Hosting;

/// <summary>
/// Register + stage + canary are one step of the loop: a child process running the loop on SQLite is killed (SIGKILL)
/// right after the registry committed a candidate that passed the gate, before its stage change and its canary. The
/// next start finds the candidate and resumes its rollout.
/// </summary>
public sealed class RolloutCrashTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Loop_KilledBetweenRegistrationAndCanary_ResumesTheCanaryAtTheNextStart()
    {
        string database = _directory.File("loop.db");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using (var child = StartChild(database))
        {
            string? line;
            while ((line = await child.StandardOutput.ReadLineAsync(timeout.Token)) is not null && line != "registered")
            {
            }

            line.Should().Be("registered", "the child must reach the second registration; its errors: " + await ReadErrorsIfExitedAsync(child));
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(timeout.Token);
        }

        SqliteConnection.ClearAllPools();
        var cases = new InMemoryCaseSource(Child.Feedback(1_500, 1, drifted: false, new DateTimeOffset(2024, 3, 4, 0, 0, 0, TimeSpan.Zero)));
        await using var services = Child.Services(database, cases);
        var registry = services.GetRequiredService<IModelRegistry>();
        var experiments = services.GetRequiredService<IExperimentStore>();
        (await registry.GetAsync(Child.Model, 1)).Stage.Should().Be(ModelStage.Champion);
        (await registry.GetAsync(Child.Model, 2)).Stage.Should().Be(ModelStage.Candidate, "the child died after the registration committed");
        (await experiments.ListExperimentsAsync()).Should().BeEmpty();

        await services.GetRequiredService<ISelfLearningLoop>().InitializeAsync(timeout.Token);

        (await registry.GetAsync(Child.Model, 2)).Stage.Should().Be(ModelStage.Challenger);
        var canary = (await experiments.ListExperimentsAsync()).Should().ContainSingle().Subject;
        canary.Status.Should().Be(ExperimentStatus.Running);
        (canary.Definition.ChampionVersion, canary.Definition.ChallengerVersion).Should().Be((1, 2));
        (await registry.GetHistoryAsync(Child.Model)).Last(t => t.Version == 2).Reason.Should().Contain("resumed after a restart");
        (await registry.GetChampionAsync(Child.Model))!.Version.Should().Be(1, "the champion serves on while the resumed canary runs");
    }

    private static async Task<string> ReadErrorsIfExitedAsync(Process child) =>
        child.HasExited ? await child.StandardError.ReadToEndAsync() : "(still running)";

    private static Process StartChild(string database) => CrashWriterProcess.Start("rollout", database);
}
