using System.Text.RegularExpressions;
using SelfLearning.Privacy;

namespace SelfLearning.Tests.Privacy;

public sealed class PiiDetectorTests
{
    private const string PresidioFile = "presidio-pii-cases.json";
    private static readonly IReadOnlyList<PiiCase> PresidioCases = PiiTestData.Load(PresidioFile);
    private static readonly PiiDetector Detector = new();

    public static IEnumerable<object[]> PresidioCaseIndexes() => PiiTestData.AsTheoryData(PresidioFile);

    [Theory]
    [MemberData(nameof(PresidioCaseIndexes))]
    public void Detect_PresidioRecognizerCase_FindsExactlyTheExpectedSpans(int index, string entity, string kind)
    {
        PiiCase c = PresidioCases[index];
        var found = Detector.Detect(c.Text)
            .Where(s => s.EntityType == entity)
            .Select(s => (s.Start, s.End))
            .ToArray();

        found.Should().Equal(c.ExpectedSpans, $"{kind} case '{c.Text}'");
    }
}

public sealed class PiiDetectorOptionsTests
{
    [Fact]
    public void Detect_CustomPatterns_FindHostIdentifiers()
    {
        var detector = new PiiDetector(new PiiDetectorOptions
        {
            CustomPatterns = [new PiiPatternDefinition { EntityType = "MEDICAL_RECORD_NUMBER", Pattern = @"\bMRN[-: ]?\d{6,10}\b", Score = 0.8 }],
        });

        var spans = detector.Detect("see mrn 12345678 and MRN-0000001");
        spans.Should().Equal(new PiiSpan("MEDICAL_RECORD_NUMBER", 4, 12, 0.8), new PiiSpan("MEDICAL_RECORD_NUMBER", 21, 11, 0.8));
    }

    [Fact]
    public void Detect_EntitiesSubset_FindsOnlyThose()
    {
        var detector = new PiiDetector(new PiiDetectorOptions { Entities = [PiiEntityTypes.EmailAddress] });
        detector.Detect("a@b.io 078-05-1123").Select(s => s.EntityType).Should().Equal(PiiEntityTypes.EmailAddress);
    }

    [Fact]
    public void Constructor_UnknownEntity_Throws()
    {
        var act = () => new PiiDetector(new PiiDetectorOptions { Entities = ["PASSPORT"] });
        act.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*PASSPORT*");
    }

    [Fact]
    public void Constructor_InvalidCustomPattern_NamesIt()
    {
        var act = () => new PiiDetector(new PiiDetectorOptions { CustomPatterns = [new PiiPatternDefinition { EntityType = "X", Pattern = "(" }] });
        act.Should().Throw<ArgumentException>().WithParameterName("options.CustomPatterns[0].Pattern");
    }

    [Fact]
    public void Anonymize_TenMegabyteFreeText_NeverKeepsUncheckedText()
    {
        // A scan of 10 MB may finish or hit a pattern's one-second timeout, depending on the machine;
        // either way the e-mail address must not survive: redacted, or the whole text removed.
        string text = string.Concat(Enumerable.Repeat("0123456789 ab:cd 1.2.3 may ", 400_000)) + " jane@example.com";
        var anonymizer = SelfLearning.Tests.Cases.CaseTestData.Anonymizer();
        var c = SelfLearning.Tests.Cases.CaseTestData.Case("big") with { FreeText = text };

        string? kept = anonymizer.Anonymize(c, 0.9, SelfLearning.Cases.DatasetSplitter.Default).FreeText;

        (kept is null || (kept.EndsWith("<EMAIL_ADDRESS>", StringComparison.Ordinal) && !kept.Contains("jane@", StringComparison.Ordinal)))
            .Should().BeTrue();
    }
}
