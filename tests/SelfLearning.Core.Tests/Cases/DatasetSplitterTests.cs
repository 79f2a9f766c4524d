using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SelfLearning.Cases;

namespace SelfLearning.Tests.Cases;

public sealed class DatasetSplitterTests
{
    [Fact]
    public void Position_IsTopBitsOfSha256OfId()
    {
        ulong top = BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("case-1")));
        DatasetSplitter.Position("case-1").Should().Be((top >> 11) / 9007199254740992.0);
    }

    [Fact]
    public void Assign_ManyIds_SharesFollowFractions()
    {
        var splitter = new DatasetSplitter(0.7, 0.2, 0.1);
        var counts = Enumerable.Range(0, 20_000).GroupBy(i => splitter.Assign($"id-{i}")).ToDictionary(g => g.Key, g => g.Count());

        (counts[DatasetSplit.Train] / 20_000.0).Should().BeApproximately(0.7, 0.015);
        (counts[DatasetSplit.Validation] / 20_000.0).Should().BeApproximately(0.2, 0.015);
        (counts[DatasetSplit.Test] / 20_000.0).Should().BeApproximately(0.1, 0.015);
    }

    [Fact]
    public void Constructor_FractionsNotSummingToOne_Throws()
    {
        var act = () => new DatasetSplitter(0.8, 0.3, 0.0);
        act.Should().Throw<ArgumentException>().WithParameterName("testFraction");
    }

    [Fact]
    public void Constructor_NaNFraction_Throws()
    {
        var act = () => new DatasetSplitter(double.NaN, 0.2, 0.0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("trainFraction");
    }
}
