using SelfLearning.Hosting;
using SelfLearning.Monitoring;
using SelfLearning.Registry;
using SelfLearning.Training;

namespace SelfLearning.Tests.Training;

/// <summary>The loop's state per version is read from the typed lineage, and from the tags earlier releases wrote.</summary>
public sealed class TrainingWatermarksTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public void Of_TypedWatermark_IsTheRoundTripText()
    {
        var version = Version(new ModelLineage { TrainingWatermark = At }, new Dictionary<string, string>());

        TrainingWatermarks.Of(version).Should().Be("2026-03-04T05:06:07.0000000+00:00");
        TrainingWatermarks.Parse(TrainingWatermarks.Of(version)!).Should().Be(At);
    }

    [Fact]
    public void Of_VersionOfAnEarlierReleaseWithTagsOnly_ReadsTheTagsAndTheMetric()
    {
        var tags = new Dictionary<string, string>
        {
            [HostingConstants.WatermarkTag] = "2024-03-04T23:59:16.8000000+00:00",
            [HostingConstants.ReferenceScoresTag] = "0.5 0.75 0.9",
        };
        var version = Version(ModelLineage.None, tags);

        TrainingWatermarks.Of(version).Should().Be("2024-03-04T23:59:16.8000000+00:00");
        ReferenceScores.Of(version).Should().Equal(0.5, 0.75, 0.9);
        TrainingWatermarks.Of(Version(ModelLineage.None, new Dictionary<string, string>())).Should().BeNull();
        TrainingWatermarks.Of(null).Should().BeNull();
    }

    [Fact]
    public void ReferenceScoresOf_TypedReference_WinsOverATag()
    {
        var version = Version(
            new ModelLineage { ReferenceScores = [0.1, 0.2] },
            new Dictionary<string, string> { [HostingConstants.ReferenceScoresTag] = "0.5 0.75" });

        ReferenceScores.Of(version).Should().Equal(0.1, 0.2);
    }

    private static ModelVersion Version(ModelLineage lineage, IReadOnlyDictionary<string, string> tags) => new()
    {
        Name = "triage",
        Version = 1,
        Stage = ModelStage.Champion,
        Aliases = [],
        Metrics = new Dictionary<string, double>(),
        Parameters = new Dictionary<string, string>(),
        Tags = tags,
        Lineage = lineage,
        ArtifactSha256 = new string('0', 64),
        ArtifactSize = 1,
        CreatedAt = At,
        CreatedBy = "selflearning-loop",
    };
}
