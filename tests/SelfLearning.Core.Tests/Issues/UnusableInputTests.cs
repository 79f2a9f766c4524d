using SelfLearning.Cases;
using SelfLearning.Hosting;
using SelfLearning.Tests.Cases;
using SelfLearning.Training;

namespace SelfLearning.Tests.Issues;

/// <summary>
/// Issue 12, point 2: with <c>ScoreSource = RawScore</c> a case whose raw score was NaN, or missing while features were
/// present, passed collection; training then failed, the watermark did not move and the same case failed every later
/// cycle. Such a case is now rejected at collection with its own counted reason, and the cycle goes on without it.
/// </summary>
public sealed class UnusableInputTests
{
    private static readonly DateTimeOffset Now = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunCycleAsync_RawScoreSourceWithNaNAndMissingRawScores_TrainsOnTheRestAndCountsNothingTwice()
    {
        using var loop = new HostedLoop(Now, m => m.ScoreSource = CalibrationScoreSource.RawScore);
        var valid = HostedLoop.Valid(1_500, seed: 3, Now.AddMinutes(-10));
        loop.Source.AddRange(valid);
        loop.Source.Add(HostedLoop.Case("nan", 0.7, true, Now.AddMinutes(-5), input: new CaseInput { RawScore = double.NaN }));
        loop.Source.Add(HostedLoop.Case("features-only", 0.7, true, Now.AddMinutes(-4), input: new CaseInput { Features = [0.1, 0.2] }));

        var first = await loop.Loop.RunCycleAsync(HostedLoop.Model);

        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        (await loop.NewestVersionAsync()).HoldoutSize.Should().Be(HostedLoop.HeldOut(valid.Select(c => c.Id)));
    }

    [Fact]
    public async Task RunCycleAsync_ConfidenceSourceCasesWithoutInput_LearnsFromTheirConfidence()
    {
        // Issue 14: with the default ScoreSource = Confidence every case without Input was rejected as MissingInput.
        using var loop = new HostedLoop(Now);
        var valid = HostedLoop.Valid(1_000, seed: 4, Now.AddMinutes(-1), input: _ => CaseInput.Empty);
        loop.Source.AddRange(valid);

        var first = await loop.Loop.RunCycleAsync(HostedLoop.Model);

        first.Outcome.Should().Be(SelfLearningCycleOutcome.FirstChampion, first.Message);
        (await loop.NewestVersionAsync()).HoldoutSize.Should().Be(HostedLoop.HeldOut(valid.Select(c => c.Id)));
    }

    [Fact]
    public async Task CollectSnapshotAsync_RequirementsPerModel_EachRejectionCountedUnderItsReason()
    {
        var options = new CaseCollectorOptions();
        options.ModelInputRequirements["triage"] = CaseInputRequirements.Features(2).WithParts(CaseInputParts.RawScore);
        options.ModelInputRequirements["scores"] = CaseInputRequirements.None;
        var source = new InMemoryCaseSource(
        [
            CaseTestData.Case("ok"),
            CaseTestData.Case("nan-feature") with { Input = new CaseInput { Features = [double.NaN, 1.0], RawScore = 0.5 } },
            CaseTestData.Case("infinite-raw") with { Input = new CaseInput { Features = [0.0, 1.0], RawScore = double.PositiveInfinity } },
            CaseTestData.Case("no-raw") with { Input = new CaseInput { Features = [0.0, 1.0] } },
            CaseTestData.Case("three-features") with { Input = new CaseInput { Features = [0.0, 1.0, 2.0], RawScore = 0.5 } },
            CaseTestData.Case("other-model-no-input") with { ModelName = "scores", Input = CaseInput.Empty },
            CaseTestData.Case("unknown-model-no-input") with { ModelName = "elsewhere", Input = CaseInput.Empty },
        ]);

        var result = await CaseTestData.Collector(source, options).CollectSnapshotAsync(CaseWatermark.Start);

        result.Snapshot!.Cases.Select(c => c.ModelName).Should().BeEquivalentTo(["triage", "scores"]);
        result.Statistics.Rejections.Should().Equal(new Dictionary<CaseRejectionReason, long>
        {
            [CaseRejectionReason.NonFiniteInput] = 2,
            [CaseRejectionReason.MissingInput] = 2,
            [CaseRejectionReason.FeatureCountMismatch] = 1,
        });
        result.Snapshot.Manifest.Provenance.Filters["input"].Should().Be("default: anyPart; scores: none; triage: features(2)+rawScore");
    }

    [Fact]
    public async Task CollectSnapshotAsync_DefaultRequirements_RejectNaNEvenInPartsNobodyNeeds()
    {
        var source = new InMemoryCaseSource([CaseTestData.Case("nan") with { Input = new CaseInput { Features = [double.NaN], RawScore = 0.5 } }]);

        var result = await CaseTestData.Collector(source).CollectSnapshotAsync(CaseWatermark.Start);

        result.Statistics.Rejections.Should().Equal(new Dictionary<CaseRejectionReason, long> { [CaseRejectionReason.NonFiniteInput] = 1 });
    }

    [Fact]
    public void Constructor_NullRequirements_NamesTheOption()
    {
        var options = new CaseCollectorOptions { InputRequirements = null! };
        var perModel = new CaseCollectorOptions();
        perModel.ModelInputRequirements["triage"] = null!;

        var act = () => CaseTestData.Collector(new InMemoryCaseSource(), options);
        var actPerModel = () => CaseTestData.Collector(new InMemoryCaseSource(), perModel);

        act.Should().Throw<ArgumentNullException>().WithParameterName("options.InputRequirements");
        actPerModel.Should().Throw<ArgumentException>().WithParameterName("options.ModelInputRequirements").WithMessage("*'triage'*");
    }
}
