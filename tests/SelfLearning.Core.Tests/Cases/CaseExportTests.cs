using System.Collections.Immutable;
using System.Text;
using SelfLearning.Cases;

namespace SelfLearning.Tests.Cases;

public sealed class CaseExportTests
{
    private static AnonymizedCase Awkward(string id, string? freeText) => new()
    {
        Id = id,
        Split = DatasetSplitter.Default.Assign(id),
        ModelName = "triage, \"v2\"",
        ModelVersion = "1.0",
        PredictedLabel = "flu",
        PredictedConfidence = 0.1 + 0.2,
        Label = "cold\r\nor flu",
        ReviewerId = null,
        ReviewerCertainty = 1.0 / 3.0,
        CreatedYear = 2023,
        ValidatedYear = 2024,
        QualityScore = 0.7071067811865476,
        Input = new CaseInput
        {
            Features = [double.NaN, double.PositiveInfinity, -0.0, 1e-300, 123456789.123],
            RawScore = null,
            ClassScores = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, double>("a,b", 0.5), new("ü", double.NegativeInfinity)]),
        },
        FreeText = freeText,
        Attributes = new[] { ("k\"1", "v,\n2"), ("é", "<EMAIL_ADDRESS>") }.ToAttributes(),
    };

    private static readonly AnonymizedCase[] Cases =
    [
        Awkward("id-1", "said \"hi\", then\nleft"),
        Awkward("id-2", null),
        Awkward("id-3", string.Empty),
        Awkward("id-4", "   "),
    ];

    [Fact]
    public async Task CsvRoundTrip_AwkwardValues_ReadsBackEqualCases()
    {
        using var stream = new MemoryStream();
        await CaseCsv.WriteAsync(Cases, stream);
        stream.Position = 0;
        var read = await CaseCsv.ReadAsync(stream).ToListAsync();

        AssertSame(read);
    }

    [Fact]
    public async Task JsonLinesRoundTrip_AwkwardValues_ReadsBackEqualCases()
    {
        using var stream = new MemoryStream();
        await CaseJsonLines.WriteAsync(Cases, stream);
        stream.Position = 0;
        var read = await CaseJsonLines.ReadAsync(stream).ToListAsync();

        AssertSame(read);
    }

    [Fact]
    public async Task Csv_Rfc4180_HeaderCrLfAndQuotedFields()
    {
        using var stream = new MemoryStream();
        await CaseCsv.WriteAsync(Cases[..1], stream);
        string text = Encoding.UTF8.GetString(stream.ToArray());

        text.Should().StartWith(string.Join(",", CaseCsv.Columns) + "\r\n");
        text.Should().Contain("\"triage, \"\"v2\"\"\"").And.Contain("\"said \"\"hi\"\", then\nleft\"");
        text.Should().EndWith("\r\n");
        text.Should().Contain(",0.30000000000000004,");
    }

    [Fact]
    public async Task CsvRead_WrongHeader_ThrowsInvalidData()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("a,b\r\n1,2\r\n"));
        var act = async () => await CaseCsv.ReadAsync(stream).ToListAsync();
        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("*header*");
    }

    [Fact]
    public async Task JsonLinesRead_BadLine_ThrowsWithLineNumber()
    {
        using var stream = new MemoryStream();
        await CaseJsonLines.WriteAsync(Cases[..1], stream);
        stream.Write("{\"id\":1}\n"u8);
        stream.Position = 0;
        var act = async () => await CaseJsonLines.ReadAsync(stream).ToListAsync();
        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("Line 2*");
    }

    private static void AssertSame(List<AnonymizedCase> read)
    {
        read.Should().HaveCount(Cases.Length);
        for (int i = 0; i < Cases.Length; i++)
        {
            read[i].Should().BeEquivalentTo(Cases[i], o => o.ComparingByMembers<AnonymizedCase>().ComparingByMembers<CaseInput>());
            read[i].Input.Features.Select(BitConverter.DoubleToInt64Bits).Should().Equal(Cases[i].Input.Features.Select(BitConverter.DoubleToInt64Bits));
            read[i].FreeText.Should().Be(Cases[i].FreeText);
        }
    }
}
