using SelfLearning.Hosting;
using SelfLearning.Samples.MLNet;

namespace SelfLearning.ML.Tests.Samples;

public sealed class NoShowSampleTests
{
    [Fact]
    public async Task RunAsync_TenWeeks_PrintsTheFirstChampionARefusalAPromotionAndARollBack()
    {
        using var output = new StringWriter();

        var rows = await NoShowSample.RunAsync(output);

        string table = output.ToString();
        table.Should().Contain("PROMOTED").And.Contain("ROLLED BACK");
        rows.Should().HaveCount(NoShowSample.Weeks);
        rows[0].Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion);
        rows.Single(r => r.Week == NoShowSample.DemoWeakTrainerWeek).Outcome.Should().Be(SelfLearningCycleOutcome.CandidateRejected);
        var promoted = rows.Single(r => r.Outcome == SelfLearningCycleOutcome.Promoted);
        promoted.Week.Should().BeGreaterThan(Clinic.ShiftWeek, "the promotion follows the population shift and a canary");
        rows.Should().Contain(r => r.Outcome == SelfLearningCycleOutcome.ChallengerStarted && r.Week < promoted.Week);
        var rolledBack = rows.Single(r => r.Week == Clinic.BrokenFeedWeek);
        rolledBack.Outcome.Should().Be(SelfLearningCycleOutcome.RolledBack);
        rolledBack.LiveAccuracy.Should().BeLessThan(rows.Single(r => r.Week == Clinic.BrokenFeedWeek - 1).LiveAccuracy!.Value - 0.05,
            "the broken feed makes the live champion visibly worse");
    }
}
