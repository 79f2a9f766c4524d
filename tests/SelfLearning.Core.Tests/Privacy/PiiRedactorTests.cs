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
}
