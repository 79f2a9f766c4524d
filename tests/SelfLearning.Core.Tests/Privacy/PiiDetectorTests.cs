using System.Text.RegularExpressions;
using SelfLearning.Privacy;

namespace SelfLearning.Tests.Privacy;

public sealed class PiiDetectorTests
{
    private const string PresidioFile = "presidio-pii-cases.json";
    private static readonly IReadOnlyList<PiiCase> PresidioCases = PiiTestData.Load(PresidioFile);
    private static readonly PiiDetector Detector = new();
    private static readonly PiiRedactor Redactor = new(Detector);
    private static readonly Dictionary<string, PiiDetector> Recognizers = PiiEntityTypes.BuiltIn.ToDictionary(
        e => e,
        e => new PiiDetector(new PiiDetectorOptions { Entities = [e] }),
        StringComparer.Ordinal);

    public static IEnumerable<object[]> PresidioCaseIndexes() => PiiTestData.AsTheoryData(PresidioFile);

    public static IEnumerable<object[]> PresidioPositiveCaseIndexes() =>
        PiiTestData.AsTheoryData(PresidioFile).Where(row => (string)row[2] == "positive");

    [Fact]
    public void PresidioCases_CoverEveryBuiltInEntity()
    {
        // The whole shared suite (/work/shared/peer-suites/presidio-pii-cases.json, Presidio at 0aa9f8e4):
        // 280 cases over fifteen entities, every one of them a built-in entity here.
        PresidioCases.Should().HaveCount(280);
        PresidioCases.Select(c => c.Entity).Distinct().Should().BeEquivalentTo(PiiEntityTypes.BuiltIn);
    }

    [Theory]
    [MemberData(nameof(PresidioCaseIndexes))]
    public void Detect_PresidioRecognizerCase_FindsExactlyTheExpectedSpans(int index, string entity, string kind)
    {
        // Presidio's tests run one recognizer at a time (so 912803456 is a US_PASSPORT case and
        // 911701234 a US_ITIN case, though both fit either): the same here, one entity per detector.
        PiiCase c = PresidioCases[index];
        var found = Recognizers[entity].Detect(c.Text)
            .Select(s => (s.EntityType, s.Start, s.End))
            .ToArray();

        found.Should().Equal(c.ExpectedSpans.Select(s => (entity, s.Start, s.End)), $"{kind} case '{c.Text}'");
    }

    [Theory]
    [MemberData(nameof(PresidioPositiveCaseIndexes))]
    public void Redact_PresidioPositiveCase_EveryExpectedSpanIsInsideARedactedSpan(int index, string entity, string kind)
    {
        // With every entity on, overlapping recognizers resolve to one span, whose type may differ
        // (a nine-digit number is one of SSN, ITIN or passport); what must hold is that nothing expected leaks.
        PiiCase c = PresidioCases[index];
        Redactor.Redact(c.Text, out var spans);
        c.ExpectedSpans.Should().NotBeEmpty();

        foreach (var (start, end) in c.ExpectedSpans)
        {
            spans.Should().Contain(s => s.Start <= start && s.End >= end, $"{entity} {kind} case '{c.Text}' must not leak [{start}, {end})");
        }
    }

    [Theory]
    [InlineData("Images at http://10.1.2.3:8080/emr today", "Images at <URL> today")]
    [InlineData("PACS: https://192.168.1.20/patients/123?study=9.", "PACS: <URL>.")]
    [InlineData("see ftp://scan@10.0.0.7:21/scans/ for the film", "see <URL> for the film")]
    [InlineData("Visit http://[2001:db8::1]:8443/emr/chart", "Visit <URL>")]
    [InlineData("portal http://10.1.2.3", "portal <URL>")]
    [InlineData("viewer 10.1.2.3:8080/emr/chart?id=7.", "viewer <URL>.")]
    [InlineData("(see 192.168.0.12/results/2024)", "(see <URL>)")]
    public void Redact_UrlWhoseHostIsAnIpAddress_RedactsTheWholeUrl(string text, string expected)
    {
        Redactor.Redact(text, out var spans).Should().Be(expected);
        spans.Should().ContainSingle().Which.EntityType.Should().Be(PiiEntityTypes.Url);
    }

    [Theory]
    [InlineData("router 192.0.2.1/24", "router <IP_ADDRESS>/24")]
    [InlineData("subnet 10.0.0.0/8, gateway 10.0.0.1:8080.", "subnet <IP_ADDRESS>/8, gateway <IP_ADDRESS>:8080.")]
    public void Redact_IpWithPrefixLengthOrPortOnly_StaysAnAddress(string text, string expected)
    {
        Redactor.Redact(text).Should().Be(expected);
    }

    [Theory]
    [InlineData("http://10.1.2/emr")]
    [InlineData("http://300.1.2.3/emr")]
    [InlineData("http://10.1.2.3:99999999/emr")]
    public void Detect_SchemeWithNonAddressNumericHost_IsNotAUrl(string text)
    {
        Detector.Detect(text).Should().NotContain(s => s.EntityType == PiiEntityTypes.Url);
    }

    [Theory]
    [InlineData("SSN: 078-05-1120", "SSN: <US_SSN>")]
    [InlineData("social security no. 123-45-6789 on file", "social security no. <US_SSN> on file")]
    [InlineData("ss# 219 09 9999", "ss# <US_SSN>")]
    [InlineData("Patient SSN 078051120.", "Patient SSN <US_SSN>.")]
    [InlineData("000-00-0000 (SSN, as given)", "<US_SSN> (SSN, as given)")]
    public void Redact_SsnShapedNumberWithACueWord_RedactedEvenWhenNeverIssued(string text, string expected)
    {
        Redactor.Redact(text, out var spans).Should().Be(expected);
        spans.Should().ContainSingle().Which.Score.Should().BeLessThan(
            Detector.Detect("SSN: 078-05-1123").Single().Score, "a number that was never issued is reported with a lower score");
    }

    [Theory]
    [InlineData("ref 078-05-1120 in the manual")]
    [InlineData("Processed 123-45-6789 items")]
    [InlineData("the SSN field was left blank on the intake form; order 078-05-1120 shipped")]
    public void Detect_PublishedSampleWithoutANearbyCue_IsNotAnSsn(string text)
    {
        Detector.Detect(text).Should().NotContain(s => s.EntityType == PiiEntityTypes.UsSsn);
    }

    [Theory]
    [InlineData("passport A12803456 expires soon", "A12803456", PiiEntityTypes.UsPassport)]
    [InlineData("driver license H12234567 (CA)", "H12234567", PiiEntityTypes.UsDriverLicense)]
    [InlineData("bank account 945456787654 at routing desk", "945456787654", PiiEntityTypes.UsBankNumber)]
    [InlineData("NHS number 221 395 1837", "221 395 1837", PiiEntityTypes.UkNhs)]
    [InlineData("Taxpayer ITIN 911701234", "911701234", PiiEntityTypes.UsItin)]
    [InlineData("wallet bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", PiiEntityTypes.Crypto)]
    public void Detect_WeakNumberWithACueWord_ReportedAsTheCuedEntity(string text, string value, string entity)
    {
        var span = Detector.Detect(text).Should().ContainSingle().Subject;

        span.EntityType.Should().Be(entity);
        text[span.Start..span.End].Should().Be(value);
    }

    [Theory]
    [InlineData("passport A12803456", "A12803456", PiiEntityTypes.UsPassport)]
    [InlineData("bank account 945456787654", "945456787654", PiiEntityTypes.UsBankNumber)]
    [InlineData("NHS number 221 395 1837", "221 395 1837", PiiEntityTypes.UkNhs)]
    [InlineData("ITIN 911-70-1234", "911-70-1234", PiiEntityTypes.UsItin)]
    public void Detect_CueWord_RaisesTheScore(string text, string value, string entity)
    {
        double cued = Recognizers[entity].Detect(text).Single().Score;
        double bare = Recognizers[entity].Detect(value).Single().Score;

        cued.Should().BeGreaterThan(bare);
    }

    [Theory]
    [InlineData("wallet 16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyY")]
    [InlineData("wallet bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp")]
    [InlineData("NHS 401 023 2138")]
    [InlineData("ITIN 911-89-1234")]
    public void Detect_FailedChecksumOrRange_NotReportedAsThatEntity(string text)
    {
        var found = Detector.Detect(text).Select(s => s.EntityType);

        found.Should().NotContain([PiiEntityTypes.Crypto, PiiEntityTypes.UkNhs, PiiEntityTypes.UsItin]);
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
