namespace SelfLearning.Tests.Hosting;

public sealed class SelfLearningLoopTests
{
    [Fact]
    public async Task RunCycleAsync_OverSimulatedWeeks_CalibratesRejectsCanariesPromotesAndRollsBack()
    {
        using var scenario = new LoopScenario();
        await EndToEndScript.RunAsync(scenario, EndToEndScript.Restarts.None);
    }
}
