using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SelfLearning.Cases;
using SelfLearning.Tests.Cases;

namespace SelfLearning.Tests.Issues;

/// <summary>
/// Issue 14: the README said 0.8/0.2, AddSelfLearning used 0.5/0.2/0.3 and a standalone collector had no test split.
/// One set of defaults now holds everywhere, with a held-out split.
/// </summary>
public sealed class CollectorSplitDefaultsTests
{
    [Fact]
    public void CaseCollectorOptions_Defaults_AreHalfTrainFifthValidationThreeTenthsTest()
    {
        var options = new CaseCollectorOptions();

        (options.TrainFraction, options.ValidationFraction, options.TestFraction).Should().Be((0.5, 0.2, 0.3));
    }

    [Fact]
    public void AddSelfLearning_CollectorOptions_SameDefaultsAsAStandaloneCollector()
    {
        var services = new ServiceCollection();
        services.AddSelfLearning();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<CaseCollectorOptions>>().Value;

        (options.TrainFraction, options.ValidationFraction, options.TestFraction).Should().Be((0.5, 0.2, 0.3));
        options.MaxClockSkew.Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task CollectSnapshotAsync_StandaloneDefaults_HoldOutATestSplit()
    {
        var source = new InMemoryCaseSource(CaseTestData.Many(2_000));

        var result = await CaseTestData.Collector(source).CollectSnapshotAsync(CaseWatermark.Start);

        int test = result.Snapshot!.InSplit(DatasetSplit.Test).Count();
        test.Should().BeInRange(540, 660, "30% of 2,000 cases are held out, give or take the hash's spread");
    }
}
