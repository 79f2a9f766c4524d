using System.Text.Json.Nodes;
using SelfLearning.Monitoring;
using SelfLearning.Statistics;
using SelfLearning.Tests.Statistics;

namespace SelfLearning.Tests.Monitoring;

public class AutoRollbackPolicyTests
{
    [Fact]
    public void ShortfallTest_ReferenceCases_MatchStatsmodelsTestProportions2Indep()
    {
        JsonNode reference = ReferenceFile.Load("monitoring.json");
        foreach (JsonNode? c in ReferenceFile.Cases(reference, "rollbackTests"))
        {
            long holdoutCorrect = c!["holdoutCorrect"]!.GetValue<long>();
            long holdoutTotal = c["holdoutTotal"]!.GetValue<long>();
            TestResult result = AutoRollbackPolicy.ShortfallTest(
                (double)holdoutCorrect / holdoutTotal,
                holdoutTotal,
                c["liveCorrect"]!.GetValue<long>(),
                c["liveTotal"]!.GetValue<long>(),
                ReferenceFile.Double(c["margin"]));

            double statistic = ReferenceFile.Double(c["statistic"]);
            result.Statistic.Should().BeApproximately(statistic, Math.Max(1e-6 * Math.Abs(statistic), 1e-12), c.ToJsonString());
            ReferenceFile.ShouldMatch(result.PValue, ReferenceFile.Double(c["pValue"]), c.ToJsonString());
        }
    }

    [Fact]
    public void Evaluate_SignificantShortfall_RollsBackWithTheNumbers()
    {
        var policy = new AutoRollbackPolicy(MonitoringTestOptions.Create());

        // statsmodels: z = −2.0341905108624343, p = 0.020966195461926292 < 0.05.
        RollbackDecision decision = policy.Evaluate(holdoutAccuracy: 0.9, holdoutCount: 1_000, liveCorrect: 850, liveTotal: 1_000);

        decision.ShouldRollBack.Should().BeTrue();
        decision.Reasons.Should().ContainSingle().Which.Kind.Should().Be(RollbackReasonKind.AccuracyRegression);
        decision.Reasons[0].Message.Should().Contain("0.8500").And.Contain("850/1000").And.Contain("0.9000");
        decision.ZStatistic.Should().BeApproximately(-2.0341905108624343, 1e-9);
        decision.PValue.Should().BeApproximately(0.020966195461926292, 1e-9);
        decision.LiveAccuracy.Should().Be(0.85);
        decision.HasEnoughLiveData.Should().BeTrue();
    }

    [Fact]
    public void Evaluate_SameShortfallOnASmallSample_IsNotSignificant()
    {
        var policy = new AutoRollbackPolicy(MonitoringTestOptions.Create());

        // statsmodels: 170/200 against 900/1000 gives p = 0.133.
        RollbackDecision decision = policy.Evaluate(0.9, 1_000, 170, 200);

        decision.ShouldRollBack.Should().BeFalse();
        decision.Reasons.Should().BeEmpty();
        decision.PValue.Should().BeApproximately(0.13301404885879442, 1e-9);
    }

    [Fact]
    public void Evaluate_PValueJustAboveAndBelowAlpha_DecidesAtTheBoundary()
    {
        // Search the live count whose p-value crosses α = 0.05 for a 10,000-case holdout at 0.9 and 4,000 live
        // outcomes; the decision must flip exactly there.
        var policy = new AutoRollbackPolicy(MonitoringTestOptions.Create());
        long crossing = Enumerable.Range(3_000, 1_000).First(k => policy.Evaluate(0.9, 10_000, k, 4_000).PValue >= 0.05);

        RollbackDecision below = policy.Evaluate(0.9, 10_000, crossing - 1, 4_000);
        RollbackDecision at = policy.Evaluate(0.9, 10_000, crossing, 4_000);

        below.PValue.Should().BeLessThan(0.05);
        below.ShouldRollBack.Should().BeTrue();
        at.ShouldRollBack.Should().BeFalse();
        ((double)crossing / 4_000).Should().BeInRange(0.86, 0.88, "the boundary sits below holdout − margin = 0.88");
    }

    [Fact]
    public void Evaluate_LiveExactlyAtHoldoutMinusMargin_DoesNotRollBack()
    {
        var policy = new AutoRollbackPolicy(MonitoringTestOptions.Create());

        RollbackDecision decision = policy.Evaluate(0.9, 1_000, 880, 1_000);

        decision.ShouldRollBack.Should().BeFalse();
        decision.PValue.Should().BeApproximately(0.5, 1e-9);
    }

    [Fact]
    public void Evaluate_BelowTheMinimumLiveSample_DoesNotTestAccuracy()
    {
        var policy = new AutoRollbackPolicy(MonitoringTestOptions.Create());

        RollbackDecision decision = policy.Evaluate(0.95, 1_000, 0, 199);

        decision.HasEnoughLiveData.Should().BeFalse();
        decision.ShouldRollBack.Should().BeFalse();
        decision.ZStatistic.Should().BeNull();
        policy.Evaluate(0.95, 1_000, 0, 200).ShouldRollBack.Should().BeTrue("200 live outcomes reach the default minimum");
    }

    [Fact]
    public void Evaluate_FailedGuardrail_RollsBackEvenWithoutEnoughLiveData()
    {
        var policy = new AutoRollbackPolicy(MonitoringTestOptions.Create());
        GuardrailResult[] guardrails = [new("recall-urgent", passed: false, "recall 0.71 < 0.80"), new("latency", passed: true, "p99 40 ms")];

        RollbackDecision decision = policy.Evaluate(0.9, 1_000, 10, 10, guardrails);

        decision.ShouldRollBack.Should().BeTrue();
        decision.Reasons.Should().ContainSingle().Which.Should().Be(
            new RollbackReason(RollbackReasonKind.GuardrailFailed, "Guardrail 'recall-urgent' failed: recall 0.71 < 0.80"));
    }

    [Fact]
    public void Evaluate_SeededLiveStreams_RollsBackRealRegressionsAndKeepsHealthyChampions()
    {
        // 200 seeded live samples of 2,000 outcomes against a 0.90 holdout of 2,000 cases: a champion truly at
        // 0.83 (7 points down) must almost always be rolled back; one truly at 0.90 almost never (α = 0.05).
        var policy = new AutoRollbackPolicy(MonitoringTestOptions.Create());
        var random = new Random(41);
        int RollbackCount(double trueAccuracy) => Enumerable.Range(0, 200).Count(_ =>
        {
            int correct = Enumerable.Range(0, 2_000).Count(_ => random.NextDouble() < trueAccuracy);
            return policy.Evaluate(0.9, 2_000, correct, 2_000).ShouldRollBack;
        });

        RollbackCount(0.83).Should().BeGreaterThanOrEqualTo(195);
        RollbackCount(0.90).Should().BeLessThanOrEqualTo(5);
    }

    [Fact]
    public void Evaluate_BadArguments_ThrowNamingTheArgument()
    {
        var policy = new AutoRollbackPolicy(MonitoringTestOptions.Create());

        FluentActions.Invoking(() => policy.Evaluate(1.2, 100, 1, 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("holdoutAccuracy");
        FluentActions.Invoking(() => policy.Evaluate(0.9, 0, 1, 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("holdoutCount");
        FluentActions.Invoking(() => policy.Evaluate(0.9, 100, 3, 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("liveCorrect");
        FluentActions.Invoking(() => policy.Evaluate(0.9, 100, -1, 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("liveCorrect");
    }
}
