using System.Text;
using Microsoft.Extensions.Logging;
using SelfLearning.Cases;
using SelfLearning.Privacy;

namespace SelfLearning.Tests.Cases;

/// <summary>No personal data from free text or identifying attributes reaches a dataset, an export or a log line.</summary>
public sealed class CasePrivacyTests
{
    private static readonly string[] Planted =
    [
        "jane.doe@example.com", "(415) 555-0132", "+44 20 7946 0958", "078-05-1123", "4111 1111 1111 1111", "192.168.1.20",
        "2001:db8::8a2e:370:7334", "03/15/1962", "March 3, 2021", "https://patient.portal.org/jane", "DE89370400440532013000",
        "00:1A:2B:3C:4D:5E", "Jane Doe", "MRN-0012345678", "ACCT 99887766", "1962-03-15", "93", "03601", "12 Elm Street",
        "patient-7700", "dr.house", "dr.wilson",
    ];

    private static PiiDetectorOptions DetectorOptions() => new()
    {
        Names = ["Jane Doe", "Jane", "Doe"],
        CustomPatterns =
        [
            new PiiPatternDefinition { EntityType = "MEDICAL_RECORD_NUMBER", Pattern = @"\bMRN-\d{6,12}\b" },
            new PiiPatternDefinition { EntityType = "ACCOUNT_NUMBER", Pattern = @"\bACCT\s?\d{6,10}\b" },
        ],
    };

    [Fact]
    public async Task CollectAndExport_CasesFullOfPii_NoPiiInSnapshotExportsOrLogs()
    {
        using var provider = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        string freeText =
            "Jane Doe (MRN-0012345678, DOB 03/15/1962) emailed jane.doe@example.com and called (415) 555-0132 or +44 20 7946 0958. " +
            "SSN 078-05-1123, card 4111 1111 1111 1111, IBAN DE89370400440532013000, ACCT 99887766. Logged in from 192.168.1.20 " +
            "and 2001:db8::8a2e:370:7334 on device 00:1A:2B:3C:4D:5E; seen March 3, 2021; portal https://patient.portal.org/jane.";
        var cases = Enumerable.Range(0, 30).Select(i => CaseTestData.Case($"patient-77{i:D2}", reviewer: "dr.house") with
        {
            FreeText = freeText,
            Attributes = new[]
            {
                ("patientId", "MRN-0012345678"), ("dob", "1962-03-15"), ("age", "93"), ("zip", "03601"),
                ("address", "12 Elm Street"), ("note", "call Jane at (415) 555-0132"),
            }.ToAttributes(),
        }).ToList();
        cases.Add(cases[0] with { ValidatedLabel = "cold", ReviewerId = "dr.wilson", ValidatedAt = cases[0].ValidatedAt!.Value.AddHours(1) });

        var anonymizer = new CaseAnonymizer(
            new CaseAnonymizerOptions
            {
                PseudonymizationKey = CaseTestData.Key,
                IdentifyingAttributes = ["patientId"],
                DateAttributes = ["dob"],
                AgeAttributes = ["age"],
                ZipCodeAttributes = ["zip"],
                DroppedAttributes = ["address"],
                Detector = DetectorOptions(),
            },
            loggers.CreateLogger<CaseAnonymizer>());
        var clock = new ManualClock(CaseTestData.Now);
        var collector = new CaseCollector(new InMemoryCaseSource(cases), anonymizer, null, new CaseQualityScorer(timeProvider: clock), loggers.CreateLogger<CaseCollector>(), clock);

        var result = await collector.CollectSnapshotAsync(CaseWatermark.Start);
        var snapshot = result.Snapshot!;
        string jsonLines = await Export(snapshot.WriteJsonLinesAsync);
        string csv = await Export(snapshot.WriteCsvAsync);
        string[] logLines = [.. provider.Lines.Select(l => l.Message)];
        string manifest = string.Join("\n", snapshot.Manifest.Provenance.Filters.Concat(snapshot.Manifest.Provenance.Anonymization).Select(p => $"{p.Key}={p.Value}")) +
            snapshot.Manifest.Provenance.Watermark.CaseId;

        result.Statistics.Accepted.Should().Be(29);
        result.CasesNeedingReview.Should().Equal("patient-7700");
        logLines.Should().NotBeEmpty();
        var detector = new PiiDetector(DetectorOptions());
        var scanned = new List<string>(snapshot.Cases.SelectMany(c => c.Attributes.Values.Append(c.FreeText ?? string.Empty)));
        scanned.AddRange([jsonLines, csv]);
        scanned.AddRange(logLines);
        foreach (string text in scanned)
        {
            detector.Detect(text).Should().BeEmpty($"no personal data may remain in: {text}");
        }

        foreach (string output in new[] { jsonLines, csv, manifest, string.Join("\n", logLines) })
        {
            foreach (string pii in Planted.Where(p => p != "93"))
            {
                output.Should().NotContain(pii);
            }
        }

        var first = snapshot.Cases.First(c => c.Attributes.Count > 0);
        first.Attributes.Should().ContainKey("dob").WhoseValue.Should().Be("1962");
        first.Attributes["age"].Should().Be("90+");
        first.Attributes["zip"].Should().Be("000", "036 is a restricted three-digit ZIP area");
        first.Attributes.Should().NotContainKey("address");
        first.Attributes["patientId"].Should().MatchRegex("^[0-9a-f]{32}$");
        first.Attributes["note"].Should().Be("call <PERSON> at <PHONE_NUMBER>");
        first.FreeText.Should().Contain("<EMAIL_ADDRESS>").And.Contain("<US_SSN>").And.Contain("<MEDICAL_RECORD_NUMBER>").And.Contain("<IBAN_CODE>");
    }

    private static async Task<string> Export(Func<Stream, CancellationToken, Task> write)
    {
        using var stream = new MemoryStream();
        await write(stream, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
