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
