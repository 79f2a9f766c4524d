using SelfLearning.Hosting;
using SelfLearning.Samples.Triage;

namespace SelfLearning.Samples.Tests;

public sealed class ReferralSampleTests
{
    [Fact]
    public async Task RunAsync_TenWeeks_TrainsServesAndPrintsEveryWeek()
    {
        var output = new StringWriter();

        var weeks = await ReferralSample.RunAsync(10, SampleOptions.DefaultSeed, output);

        weeks.Select(w => w.Week).Should().Equal(Enumerable.Range(1, 10));
        weeks[0].Outcome.Should().Be(nameof(SelfLearningCycleOutcome.FirstChampion));
        weeks[0].Served.Should().Be(0, "nothing is served before the first champion");
        weeks.Skip(1).Should().OnlyContain(w => w.Served == ReferralSample.PatientsPerWeek && w.Champion > 0);
        weeks.Where(w => w.Week is > 1 and < ReferralSample.GuidelineWeek).Should().OnlyContain(w => w.Accuracy > 0.6, "four features decide most referrals");
        weeks.Should().Contain(w => w.Week > ReferralSample.GuidelineWeek && w.Outcome == nameof(SelfLearningCycleOutcome.Promoted) && w.Champion > 1,
            "a version trained on the new guideline's cases wins its canary (the README states week 8 for the default seed)");
        string printed = output.ToString();
        printed.Should().Contain("Referral model");
        foreach (var week in weeks)
        {
            printed.Should().MatchRegex($@"(?m)^\s*{week.Week} \|.*\| {week.Outcome}\s*\|");
        }
    }
}
