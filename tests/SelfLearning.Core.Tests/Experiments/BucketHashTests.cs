using System.Text.Json;
using SelfLearning.Experiments;

namespace SelfLearning.Tests.Experiments;

public sealed class BucketHashTests
{
    public static IEnumerable<object[]> HashCases => ExperimentsReference.Cases(ExperimentsReference.GrowthBook, "hash");

    public static IEnumerable<object[]> RangeCases => ExperimentsReference.Cases(ExperimentsReference.GrowthBook, "getBucketRange");

    public static IEnumerable<object[]> ChooseCases => ExperimentsReference.Cases(ExperimentsReference.GrowthBook, "chooseVariation");

    public static IEnumerable<object[]> NamespaceCases => ExperimentsReference.Cases(ExperimentsReference.GrowthBook, "inNamespace");

    public static IEnumerable<object[]> NonAsciiCases => ExperimentsReference.Cases(ExperimentsReference.SciPy, "hash_non_ascii");

    [Theory]
    [MemberData(nameof(HashCases))]
    public void Hash_GrowthBookCase_MatchesExpected(int index)
    {
        JsonElement c = ExperimentsReference.GrowthBook.GetProperty("hash")[index];
        double? actual = BucketHash.Hash(c[0].GetString()!, c[1].GetString()!, c[2].GetInt32());
        if (c[3].ValueKind == JsonValueKind.Null)
        {
            actual.Should().BeNull();
        }
        else
        {
            actual.Should().Be(c[3].GetDouble());
        }
    }

    [Theory]
    [MemberData(nameof(NonAsciiCases))]
    public void Hash_NonAsciiHashesUtf16CodeUnitsLikeJavaScript_MatchesReference(int index)
    {
        JsonElement c = ExperimentsReference.SciPy.GetProperty("hash_non_ascii")[index];
        BucketHash.Hash(c[0].GetString()!, c[1].GetString()!, c[2].GetInt32()).Should().Be(c[3].GetDouble());
    }

    [Theory]
    [MemberData(nameof(RangeCases))]
    public void GetBucketRanges_GrowthBookCase_MatchesExpectedAfterRounding(int index)
    {
        JsonElement c = ExperimentsReference.GrowthBook.GetProperty("getBucketRange")[index];
        JsonElement args = c[1];
        double[] weights = args[2].ValueKind == JsonValueKind.Null ? [] : args[2].EnumerateArray().Select(w => w.GetDouble()).ToArray();

        BucketRange[] ranges = BucketHash.GetBucketRanges(args[0].GetInt32(), args[1].GetDouble(), weights);

        // GrowthBook's json.test.ts rounds both ends to 6 decimals before comparing.
        var expected = c[2].EnumerateArray().Select(r => (Math.Round(r[0].GetDouble(), 6), Math.Round(r[1].GetDouble(), 6))).ToArray();
        ranges.Select(r => (Math.Round(r.Start, 6), Math.Round(r.End, 6))).Should().Equal(expected, c[0].GetString());
    }

    [Theory]
    [MemberData(nameof(ChooseCases))]
    public void ChooseVariation_GrowthBookCase_MatchesExpected(int index)
    {
        JsonElement c = ExperimentsReference.GrowthBook.GetProperty("chooseVariation")[index];
        BucketRange[] ranges = c[2].EnumerateArray().Select(r => new BucketRange(r[0].GetDouble(), r[1].GetDouble())).ToArray();

        BucketHash.ChooseVariation(c[1].GetDouble(), ranges).Should().Be(c[3].GetInt32(), c[0].GetString());
    }

    [Theory]
    [MemberData(nameof(NamespaceCases))]
    public void InNamespace_GrowthBookCase_MatchesExpected(int index)
    {
        JsonElement c = ExperimentsReference.GrowthBook.GetProperty("inNamespace")[index];
        JsonElement ns = c[2];
        var experimentNamespace = new ExperimentNamespace(ns[0].GetString()!, ns[1].GetDouble(), ns[2].GetDouble());

        BucketHash.InNamespace(c[1].GetString()!, experimentNamespace).Should().Be(c[3].GetBoolean(), c[0].GetString());
    }

    [Fact]
    public void Hash_EveryCaseCount_IsRun()
    {
        // Guards against a silently shortened copy of the suite.
        JsonElement root = ExperimentsReference.GrowthBook;
        (root.GetProperty("hash").GetArrayLength(), root.GetProperty("getBucketRange").GetArrayLength(),
            root.GetProperty("chooseVariation").GetArrayLength(), root.GetProperty("inNamespace").GetArrayLength())
            .Should().Be((15, 13, 13, 16));
    }

    [Fact]
    public void Hash_SurrogatePair_HashesBothCodeUnitsNotTheCodePoint()
    {
        // "😀" is U+1F600, two UTF-16 code units; hashing the code point would give another bucket.
        BucketHash.Hash("seed", "\U0001F600", 1).Should().NotBe(BucketHash.Hash("seed", char.ConvertFromUtf32(0xF600), 1));
        BucketHash.Hash("seed", "\U0001F600", 1).Should().Be(BucketHash.Hash("seed", "\uD83D\uDE00", 1));
    }

    [Fact]
    public void Hash_Null_ThrowsNamingArgument()
    {
        FluentActions.Invoking(() => BucketHash.Hash(null!, "a", 2)).Should().Throw<ArgumentNullException>().WithParameterName("seed");
        FluentActions.Invoking(() => BucketHash.Hash("s", null!, 2)).Should().Throw<ArgumentNullException>().WithParameterName("value");
    }

    [Fact]
    public void GetBucketRanges_BadArguments_ThrowNamingArgument()
    {
        FluentActions.Invoking(() => BucketHash.GetBucketRanges(0, 1.0, [])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("variations");
        FluentActions.Invoking(() => BucketHash.GetBucketRanges(2, double.NaN, [])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("coverage");
        FluentActions.Invoking(() => BucketHash.GetBucketRanges(2, 1.0, [0.5, double.NaN])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("weights");
    }

    [Fact]
    public void Hash_Version2_IsUniformOverManyUnits()
    {
        // 20 equal bins over 100,000 units: chi-square with 19 degrees of freedom stays far below 50 (p ≈ 1e-4).
        var counts = new int[20];
        for (int i = 0; i < 100_000; i++)
        {
            counts[(int)(BucketHash.Hash("uniformity", "user-" + i, 2)!.Value * 20)]++;
        }

        double chiSquare = counts.Sum(c => Math.Pow(c - 5000.0, 2) / 5000.0);
        chiSquare.Should().BeLessThan(50.0);
    }
}
