using SelfLearning.Cases;

namespace SelfLearning.Tests.Cases;

public sealed class DatasetSnapshotTests
{
    private static AnonymizedCase Case(string id, string label = "flu", double quality = 0.9) => new()
    {
        Id = id,
        Split = DatasetSplitter.Default.Assign(id),
        ModelName = "m",
        ModelVersion = "1",
        PredictedLabel = "flu",
        Label = label,
        QualityScore = quality,
        Input = new CaseInput { RawScore = 0.5 },
    };

    [Fact]
    public void Create_DuplicateIds_ThrowsNamingTheId()
    {
        var act = () => DatasetSnapshot.Create([Case("a"), Case("b"), Case("a")], new DatasetProvenance());
        act.Should().Throw<ArgumentException>().WithParameterName("cases").WithMessage("*'a'*");
    }

    [Fact]
    public async Task Version_ManyCases_IsTheSha256OfTheJsonLinesTheSnapshotWrites()
    {
        // 3,000 cases make about a megabyte of JSON Lines, so the version is hashed in many chunks.
        var snapshot = DatasetSnapshot.Create(
            Enumerable.Range(0, 3_000).Select(i => Case("case-" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), i % 3 == 0 ? "cold" : "flu")),
            new DatasetProvenance());
        using var lines = new MemoryStream();
        await snapshot.WriteJsonLinesAsync(lines);

        lines.Length.Should().BeGreaterThan(256 * 1024);
        snapshot.Version.Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(lines.ToArray())));
    }

    [Fact]
    public void Create_SplitNotFromRule_Throws()
    {
        var c = Case("a");
        var act = () => DatasetSnapshot.Create([c with { Split = c.Split == DatasetSplit.Train ? DatasetSplit.Test : DatasetSplit.Train }], new DatasetProvenance());
        act.Should().Throw<ArgumentException>().WithParameterName("cases");
    }

    [Fact]
    public void Create_ContentChanges_VersionChanges()
    {
        var original = DatasetSnapshot.Create([Case("a"), Case("b")], new DatasetProvenance());
        var relabelled = DatasetSnapshot.Create([Case("a"), Case("b", "cold")], new DatasetProvenance());
        var reordered = DatasetSnapshot.Create([Case("b"), Case("a")], new DatasetProvenance { CreatedAt = DateTimeOffset.UnixEpoch });
        var requalified = DatasetSnapshot.Create([Case("a"), Case("b", quality: 0.9000000000000001)], new DatasetProvenance());

        relabelled.Version.Should().NotBe(original.Version);
        requalified.Version.Should().NotBe(original.Version, "round-trip doubles tell 0.9 from its neighbour");
        reordered.Version.Should().Be(original.Version, "order and provenance are not content");
    }

    [Fact]
    public void Create_Counts_PerLabelAndSplit()
    {
        var cases = Enumerable.Range(0, 100).Select(i => Case($"c{i}", i % 3 == 0 ? "cold" : "flu")).ToList();
        var snapshot = DatasetSnapshot.Create(cases, new DatasetProvenance());

        snapshot.Manifest.CaseCount.Should().Be(100);
        snapshot.Manifest.LabelCounts["cold"].Values.Sum().Should().Be(34);
        snapshot.Manifest.LabelCounts["flu"].Values.Sum().Should().Be(66);
        snapshot.Manifest.SplitCounts[DatasetSplit.Train].Should().Be(cases.Count(c => c.Split == DatasetSplit.Train));
        snapshot.InSplit(DatasetSplit.Validation).Should().OnlyContain(c => c.Split == DatasetSplit.Validation);
    }
}
