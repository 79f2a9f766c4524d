using SelfLearning.Hosting;
using SelfLearning.Monitoring;

namespace SelfLearning.Tests.Monitoring;

public sealed class ReferenceScoresTests
{
    [Fact]
    public void Format_ManyScores_KeepsTheMidpointQuantilesAndRoundTripsThroughTheTag()
    {
        double[] scores = [.. Enumerable.Range(0, 1_000).Select(i => 1.0 - (i / 1_000.0) + 1e-17)];

        string tag = ReferenceScores.Format(scores);
        double[] reference = ReferenceScores.Parse(new Dictionary<string, string> { [HostingConstants.ReferenceScoresTag] = tag })!;

        tag.Length.Should().BeLessThanOrEqualTo(SelfLearning.Registry.RegistryNames.MaxTextLength);
        reference.Should().HaveCount(HostingConstants.ReferenceQuantiles).And.BeInAscendingOrder();
        double[] sorted = [.. scores.Order()];
        reference[0].Should().Be(sorted[(int)(0.5 * 1_000 / 128)]);
        reference[64].Should().Be(sorted[(int)(64.5 * 1_000 / 128)]);
        reference[^1].Should().Be(sorted[(int)(127.5 * 1_000 / 128)]);
    }

    [Fact]
    public void Parse_VersionWithoutTheTag_ReturnsNull() =>
        ReferenceScores.Parse(new Dictionary<string, string>()).Should().BeNull();
}
