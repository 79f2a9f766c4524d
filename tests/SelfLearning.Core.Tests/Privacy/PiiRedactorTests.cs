using SelfLearning.Privacy;

namespace SelfLearning.Tests.Privacy;

public sealed class PiiRedactorTests
{
    [Fact]
    public void Redact_MixedText_TypedPlaceholders()
    {
        var redactor = new PiiRedactor(new PiiDetector(new PiiDetectorOptions { Names = ["Jane Doe"] }));
        string redacted = redactor.Redact("Jane  Doe, jane@x.org, 078-05-1123, card 4111-1111-1111-1111, on 2021-05-21.", out var spans);

        redacted.Should().Be("<PERSON>, <EMAIL_ADDRESS>, <US_SSN>, card <CREDIT_CARD>, on <DATE_TIME>.");
        spans.Select(s => s.EntityType).Should().Equal("PERSON", "EMAIL_ADDRESS", "US_SSN", "CREDIT_CARD", "DATE_TIME");
    }

    [Fact]
    public void Redact_NothingFound_SameInstance()
    {
        const string text = "nothing personal here";
        new PiiRedactor(new PiiDetector()).Redact(text).Should().BeSameAs(text);
    }

    [Fact]
    public void Anonymize_ClinicalNoteWithEveryEntity_NoPlantedValueSurvives()
    {
        // One planted value per built-in entity, plus the two recall gaps of issue 12 (an IP-host URL
        // and a published sample SSN called an SSN); the free text that reaches a dataset (and so any
        // store) must hold none of them.
        string[] planted =
        [
            "jane.doe@example.com", "(415) 555-0132", "078-05-1123", "4111-1111-1111-1111", "192.168.10.4",
            "2024-03-14", "https://portal.clinic.org/patients/123", "GB82 WEST 1234 5698 7654 32", "00:1A:2B:3C:4D:5E",
            "16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ", "911-70-1234", "H12234567", "A12803456", "401 023 2137", "945456787654",
            "http://10.1.2.3:8080/emr", "078-05-1120",
        ];
        string note =
            $"Seen {planted[5]}; mail {planted[0]}, call {planted[1]}, SSN {planted[2]}, card {planted[3]}, host {planted[4]}, " +
            $"chart {planted[6]}, IBAN {planted[7]}, MAC {planted[8]}, wallet {planted[9]}, ITIN {planted[10]}, " +
            $"driver license {planted[11]}, passport {planted[12]}, NHS number {planted[13]}, account {planted[14]}, " +
            $"images at {planted[15]} and old SSN {planted[16]} on the scanned card.";
        var c = SelfLearning.Tests.Cases.CaseTestData.Case("note") with { FreeText = note };

        string kept = SelfLearning.Tests.Cases.CaseTestData.Anonymizer().Anonymize(c, 0.9, SelfLearning.Cases.DatasetSplitter.Default).FreeText!;

        kept.Should().NotBeNull().And.Contain("wallet <CRYPTO>").And.Contain("images at <URL> and");
        foreach (string value in planted)
        {
            kept.Should().NotContain(value);
        }

        new PiiDetector().Detect(kept).Should().BeEmpty();
    }
}
