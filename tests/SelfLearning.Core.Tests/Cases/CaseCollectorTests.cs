using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SelfLearning.Cases;

namespace SelfLearning.Tests.Cases;

public sealed class CaseCollectorTests
{
    [Fact]
    public async Task CollectSnapshotAsync_ValidCases_KeepsEveryCaseWithPseudonymisedIds()
    {
        var source = new InMemoryCaseSource(CaseTestData.Many(50));
        var result = await CaseTestData.Collector(source).CollectSnapshotAsync(CaseWatermark.Start);

        result.Statistics.Read.Should().Be(50);
        result.Statistics.Accepted.Should().Be(50);
        result.Statistics.Rejections.Should().BeEmpty();
        result.Snapshot!.Cases.Should().HaveCount(50);
        result.Snapshot.Cases.Select(c => c.Id).Should().OnlyContain(id => id.Length == 32 && !id.StartsWith("case-", StringComparison.Ordinal));
        result.Snapshot.Cases.Select(c => c.Id).Should().BeInAscendingOrder(StringComparer.Ordinal);
        result.Statistics.AcceptedByLabel.Values.Sum().Should().Be(50);
        result.Snapshot.Manifest.LabelCounts.Sum(l => l.Value.Values.Sum()).Should().Be(50);
        result.Snapshot.Manifest.SplitCounts.Values.Sum().Should().Be(50);
    }

    [Fact]
    public async Task CollectSnapshotAsync_PseudonymOfCaseId_MatchesHmacSha256Reference()
    {
        var source = new InMemoryCaseSource([CaseTestData.Case("patient-42")]);
        var result = await CaseTestData.Collector(source).CollectSnapshotAsync(CaseWatermark.Start);

        // Python: hmac.new(bytes(range(1, 33)), b"case\x00patient-42", hashlib.sha256).hexdigest()[:32]
        result.Snapshot!.Cases.Single().Id.Should().Be("a65dc90367654ded54b739f4a055704e");
    }

    [Fact]
    public async Task CollectSnapshotAsync_ReviewerCertaintyBelowDefault_RejectedWithReason()
    {
        var source = new InMemoryCaseSource([CaseTestData.Case("a", certainty: 0.79), CaseTestData.Case("b", certainty: 0.8)]);
        var result = await CaseTestData.Collector(source).CollectSnapshotAsync(CaseWatermark.Start);

        result.Statistics.Accepted.Should().Be(1);
        result.Statistics.Rejections.Should().Equal(new Dictionary<CaseRejectionReason, long> { [CaseRejectionReason.LowReviewerCertainty] = 1 });
    }

    [Fact]
    public async Task CollectSnapshotAsync_ModelConfidenceFilterOn_WarnsAndRejectsLowConfidence()
    {
        using var provider = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        var low = CaseTestData.Case("low") with { PredictedConfidence = 0.4 };
        var source = new InMemoryCaseSource([low, CaseTestData.Case("high")]);
        var collector = CaseTestData.Collector(source, new CaseCollectorOptions { MinModelConfidence = 0.5 }, loggers);

        var result = await collector.CollectSnapshotAsync(CaseWatermark.Start);

        result.Statistics.Rejections.Should().ContainKey(CaseRejectionReason.LowModelConfidence).WhoseValue.Should().Be(1);
        provider.Lines.Should().Contain(l => l.Level == LogLevel.Warning && l.EventId.Id == 1002 && l.Message.Contains("biases calibration", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CollectSnapshotAsync_ModelConfidenceFilterOff_LogsNoWarning()
    {
        using var provider = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        var low = CaseTestData.Case("low") with { PredictedConfidence = 0.01 };
        var result = await CaseTestData.Collector(new InMemoryCaseSource([low]), loggers: loggers).CollectSnapshotAsync(CaseWatermark.Start);

        result.Statistics.Accepted.Should().Be(1);
        provider.Lines.Should().NotContain(l => l.EventId.Id == 1002);
    }

    [Fact]
    public async Task CollectSnapshotAsync_MalformedCases_EachCountedWithItsReasonAndRunGoesOn()
    {
        FeedbackCase good = CaseTestData.Case("good-1");
        FeedbackCase[] cases =
        [
            CaseTestData.Case("good-0"),
            good with { Id = "no-label", ValidatedLabel = null },
            good with { Id = "nan-confidence", PredictedConfidence = double.NaN },
            good with { Id = "certainty-high", ReviewerCertainty = 1.5 },
            good with { Id = "certainty-nan", ReviewerCertainty = double.NaN },
            good with { Id = "huge-text", FreeText = new string('x', 10 * 1024 * 1024) },
            good with { Id = " " },
            good with { Id = "pending", Status = ValidationStatus.Pending },
            good with { Id = "no-time", ValidatedAt = null },
            good with { Id = "no-input", Input = CaseInput.Empty },
            good with { Id = "no-prediction", PredictedLabel = null },
            good with { Id = "no-model", ModelVersion = "" },
            good with { Id = "many-attributes", Attributes = Enumerable.Range(0, 100).Select(i => ($"k{i}", "v")).ToAttributes() },
            good,
        ];
        var source = new InMemoryCaseSource(cases);

        var result = await CaseTestData.Collector(source).CollectSnapshotAsync(CaseWatermark.Start);

        result.Statistics.Accepted.Should().Be(2);
        result.Statistics.Read.Should().Be(cases.Length);
        result.Statistics.Rejections.Should().BeEquivalentTo(new Dictionary<CaseRejectionReason, long>
        {
            [CaseRejectionReason.MissingLabel] = 1,
            [CaseRejectionReason.InvalidConfidence] = 1,
            [CaseRejectionReason.InvalidCertainty] = 2,
            [CaseRejectionReason.FreeTextTooLong] = 1,
            [CaseRejectionReason.MissingId] = 1,
            [CaseRejectionReason.NotValidated] = 1,
            [CaseRejectionReason.MissingValidationTime] = 1,
            [CaseRejectionReason.MissingInput] = 1,
            [CaseRejectionReason.MissingPrediction] = 1,
            [CaseRejectionReason.MissingModel] = 1,
            [CaseRejectionReason.AttributesTooLarge] = 1,
        });
        result.Statistics.ByStatus.Should().BeEquivalentTo(new Dictionary<ValidationStatus, long>
        {
            [ValidationStatus.Validated] = cases.Length - 1,
            [ValidationStatus.Pending] = 1,
        });
    }

    [Fact]
    public async Task CollectSnapshotAsync_CaseReviewedAgainWithSameLabel_KeepsLatestReview()
    {
        var first = CaseTestData.Case("c1", "flu", CaseTestData.Now.AddDays(-5), reviewer: "rev-a", certainty: 0.85);
        var second = CaseTestData.Case("c1", "flu", CaseTestData.Now.AddDays(-2), reviewer: "rev-b", certainty: 0.99);
        var result = await CaseTestData.Collector(new InMemoryCaseSource([second, first])).CollectSnapshotAsync(CaseWatermark.Start);

        result.Statistics.Accepted.Should().Be(1);
        result.Statistics.Rejections.Should().Equal(new Dictionary<CaseRejectionReason, long> { [CaseRejectionReason.Superseded] = 1 });
        result.Snapshot!.Cases.Single().ReviewerCertainty.Should().Be(0.99);
    }

    [Fact]
    public async Task CollectSnapshotAsync_ReviewersDisagree_SendsCaseToReviewByDefault()
    {
        FeedbackCase[] cases =
        [
            CaseTestData.Case("c1", "flu", CaseTestData.Now.AddDays(-5), reviewer: "rev-a"),
            CaseTestData.Case("c1", "cold", CaseTestData.Now.AddDays(-2), reviewer: "rev-b"),
            CaseTestData.Case("c2"),
        ];
        var result = await CaseTestData.Collector(new InMemoryCaseSource(cases)).CollectSnapshotAsync(CaseWatermark.Start);

        result.Statistics.Accepted.Should().Be(1);
        result.Statistics.Rejections.Should().Equal(new Dictionary<CaseRejectionReason, long> { [CaseRejectionReason.ConflictingLabels] = 2 });
        result.Statistics.CasesNeedingReview.Should().Be(1);
        result.CasesNeedingReview.Should().Equal("c1");
    }

    [Fact]
    public async Task CollectSnapshotAsync_ReviewersDisagreeLatestWins_KeepsLatestWithLowerAgreement()
    {
        FeedbackCase[] cases =
        [
            CaseTestData.Case("c1", "flu", CaseTestData.Now.AddDays(-5), reviewer: "rev-a"),
            CaseTestData.Case("c1", "cold", CaseTestData.Now.AddDays(-3), reviewer: "rev-b"),
            CaseTestData.Case("c1", "cold", CaseTestData.Now.AddDays(-1), reviewer: "rev-c"),
            CaseTestData.Case("c2", "cold", CaseTestData.Now.AddDays(-1), reviewer: "rev-c"),
        ];
        var options = new CaseCollectorOptions { ConflictResolution = ConflictResolution.LatestWins };
        var result = await CaseTestData.Collector(new InMemoryCaseSource(cases), options).CollectSnapshotAsync(CaseWatermark.Start);

        result.Statistics.Accepted.Should().Be(2);
        result.Statistics.Rejections.Should().Equal(new Dictionary<CaseRejectionReason, long> { [CaseRejectionReason.Superseded] = 2 });
        var scorer = new CaseQualityScorer(timeProvider: new ManualClock(CaseTestData.Now));
        double expected = scorer.Score(cases[2], agreement: 2.0 / 3.0).Score;
        var kept = result.Snapshot!.Cases.Single(c => c.Id == CaseTestData.Anonymizer().PseudonymizeCaseId("c1"));
        kept.Label.Should().Be("cold");
        kept.QualityScore.Should().BeApproximately(expected, 1e-12).And.BeLessThan(scorer.Score(cases[3]).Score);
    }

    [Fact]
    public async Task CollectSnapshotAsync_SameReviewerChangesLabel_LatestKeptWithoutConflict()
    {
        FeedbackCase[] cases =
        [
            CaseTestData.Case("c1", "flu", CaseTestData.Now.AddDays(-5), reviewer: "rev-a"),
            CaseTestData.Case("c1", "cold", CaseTestData.Now.AddDays(-2), reviewer: "rev-a"),
        ];
        var result = await CaseTestData.Collector(new InMemoryCaseSource(cases)).CollectSnapshotAsync(CaseWatermark.Start);

        result.Snapshot!.Cases.Single().Label.Should().Be("cold");
        result.CasesNeedingReview.Should().BeEmpty();
    }

    [Fact]
    public async Task CollectSnapshotAsync_TwoReviewsAtSameInstantWithDifferentLabels_Conflict()
    {
        var at = CaseTestData.Now.AddDays(-1);
        FeedbackCase[] cases = [CaseTestData.Case("c1", "flu", at, reviewer: "rev-a"), CaseTestData.Case("c1", "cold", at, reviewer: "rev-a")];
        var options = new CaseCollectorOptions { ConflictResolution = ConflictResolution.LatestWins };
        var result = await CaseTestData.Collector(new InMemoryCaseSource(cases), options).CollectSnapshotAsync(CaseWatermark.Start);

        result.Statistics.Accepted.Should().Be(0);
        result.CasesNeedingReview.Should().Equal("c1");
    }

    [Fact]
    public async Task CollectSnapshotAsync_SameCasesInDifferentOrders_SameVersion()
    {
        var cases = CaseTestData.Many(300).ToList();
        cases.Add(CaseTestData.Case("case-000001", "covid", CaseTestData.Now.AddMinutes(-1), reviewer: "rev-9"));
        var versions = new HashSet<string>(StringComparer.Ordinal);
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var shuffled = cases.ToList();
            new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));
            var result = await CaseTestData.Collector(new InMemoryCaseSource(shuffled)).CollectSnapshotAsync(CaseWatermark.Start);
            versions.Add(result.Snapshot!.Version);
        }

        versions.Should().ContainSingle();
        versions.Single().Should().MatchRegex("^[0-9a-f]{64}$");
    }

    [Fact]
    public async Task CollectSnapshotAsync_Version_IsSha256OfJsonLinesExport()
    {
        var result = await CaseTestData.Collector(new InMemoryCaseSource(CaseTestData.Many(40))).CollectSnapshotAsync(CaseWatermark.Start);
        using var stream = new MemoryStream();
        await result.Snapshot!.WriteJsonLinesAsync(stream);

        Convert.ToHexString(SHA256.HashData(stream.ToArray())).ToLowerInvariant().Should().Be(result.Snapshot.Version);
    }

    [Fact]
    public async Task CollectSnapshotAsync_DatasetGrows_NoOldCaseChangesSplit()
    {
        var all = CaseTestData.Many(2_000).ToList();
        var small = await CaseTestData.Collector(new InMemoryCaseSource(all.Take(500))).CollectSnapshotAsync(CaseWatermark.Start);
        var large = await CaseTestData.Collector(new InMemoryCaseSource(all)).CollectSnapshotAsync(CaseWatermark.Start);

        var splitById = large.Snapshot!.Cases.ToDictionary(c => c.Id, c => c.Split);
        small.Snapshot!.Cases.Should().OnlyContain(c => splitById[c.Id] == c.Split);
        double trainShare = (double)large.Snapshot.Manifest.SplitCounts[DatasetSplit.Train] / 2_000;
        trainShare.Should().BeApproximately(0.5, 0.03);
        double testShare = (double)large.Snapshot.Manifest.SplitCounts[DatasetSplit.Test] / 2_000;
        testShare.Should().BeApproximately(0.3, 0.03);
    }

    [Fact]
    public async Task CollectSnapshotAsync_AfterWatermark_ReadsOnlyNewCasesIncludingTiesAtTheWatermarkTime()
    {
        var at = CaseTestData.Now.AddHours(-1);
        var source = new InMemoryCaseSource([CaseTestData.Case("a", validatedAt: at.AddHours(-1)), CaseTestData.Case("m", validatedAt: at)]);
        var collector = CaseTestData.Collector(source);
        var first = await collector.CollectSnapshotAsync(CaseWatermark.Start);
        first.Watermark.Should().Be(new CaseWatermark(at, "m"));

        source.Add(CaseTestData.Case("b", validatedAt: at));
        source.Add(CaseTestData.Case("z", validatedAt: at));
        source.Add(CaseTestData.Case("n", validatedAt: at.AddMinutes(1)));
        var second = await collector.CollectSnapshotAsync(first.Watermark);

        second.Statistics.Read.Should().Be(2, "'z' ties with the watermark time but sorts after 'm'; 'b' sorts before it");
        second.Watermark.Should().Be(new CaseWatermark(at.AddMinutes(1), "n"));
        collector.Statistics.Accepted.Should().Be(4);
    }

    [Fact]
    public async Task Statistics_TwoRunsAndMarkTrained_SumsRunsAndRestartsNewCaseCount()
    {
        var clock = new ManualClock(CaseTestData.Now);
        var source = new InMemoryCaseSource(CaseTestData.Many(10));
        var collector = CaseTestData.Collector(source, clock: clock);
        var first = await collector.CollectSnapshotAsync(CaseWatermark.Start);
        collector.MarkTrained();
        source.Add(CaseTestData.Case("late", "cold", CaseTestData.Now));
        source.Add(CaseTestData.Case("late-low", "cold", CaseTestData.Now, certainty: 0.1));
        clock.Now = CaseTestData.Now.AddMinutes(5);
        await collector.CollectSnapshotAsync(first.Watermark);

        var totals = collector.Statistics;
        totals.Read.Should().Be(12);
        totals.Accepted.Should().Be(11);
        totals.NewCasesSinceLastTraining.Should().Be(1);
        totals.Rejections.Should().Equal(new Dictionary<CaseRejectionReason, long> { [CaseRejectionReason.LowReviewerCertainty] = 1 });
        totals.LastCollectedAt.Should().Be(CaseTestData.Now.AddMinutes(5));
        totals.MeanQuality.Should().BeInRange(0.5, 1.0);
        totals.AcceptedByLabel["cold"].Should().Be(first.Statistics.AcceptedByLabel.GetValueOrDefault("cold") + 1);
    }

    [Fact]
    public async Task CollectAsync_JsonLinesSink_WritesEachKeptCaseOnce()
    {
        using var stream = new MemoryStream();
        var sink = new JsonLinesCaseSink(stream);
        var result = await CaseTestData.Collector(new InMemoryCaseSource(CaseTestData.Many(25))).CollectAsync(CaseWatermark.Start, sink);
        await sink.FlushAsync();
        stream.Position = 0;

        var read = await CaseJsonLines.ReadAsync(stream).ToListAsync();
        read.Should().HaveCount(25);
        sink.Count.Should().Be(25);
        result.Snapshot.Should().BeNull();
    }

    [Theory]
    [InlineData(nameof(CaseCollectorOptions.MinReviewerCertainty))]
    [InlineData(nameof(CaseCollectorOptions.MinModelConfidence))]
    [InlineData(nameof(CaseCollectorOptions.TestFraction))]
    [InlineData(nameof(CaseCollectorOptions.MaxAttributeLength))]
    public void Constructor_InvalidOption_NamesTheOption(string option)
    {
        var options = new CaseCollectorOptions();
        switch (option)
        {
            case nameof(CaseCollectorOptions.MinReviewerCertainty): options.MinReviewerCertainty = 1.5; break;
            case nameof(CaseCollectorOptions.MinModelConfidence): options.MinModelConfidence = double.NaN; break;
            case nameof(CaseCollectorOptions.TestFraction): options.TestFraction = 0.1; break;
            default: options.MaxAttributeLength = 0; break;
        }

        var act = () => CaseTestData.Collector(new InMemoryCaseSource(), options);
        act.Should().Throw<ArgumentException>().WithParameterName($"options.{option}");
    }

    [Fact]
    public void OptionsValidator_OutOfRange_Fails()
    {
        var result = new CaseCollectorOptionsValidator().Validate(null, new CaseCollectorOptions { MinReviewerCertainty = 2 });
        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(nameof(CaseCollectorOptions.MinReviewerCertainty));
    }
}
