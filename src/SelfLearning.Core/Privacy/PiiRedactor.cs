using System.Text;
using SelfLearning.Internal;

namespace SelfLearning.Privacy;

/// <summary>
/// Replaces the personal data <see cref="PiiDetector"/> finds with typed placeholders such as
/// <c>&lt;EMAIL_ADDRESS&gt;</c>, so the text keeps its shape but not the data. Thread-safe.
/// </summary>
public sealed class PiiRedactor
{
    private readonly PiiDetector detector;

    /// <summary>Initializes a new instance of the <see cref="PiiRedactor"/> class.</summary>
    /// <param name="detector">What finds the personal data.</param>
    public PiiRedactor(PiiDetector detector)
    {
        this.detector = Guard.NotNull(detector);
    }

    /// <summary>Gets the placeholder written in place of an entity of type <paramref name="entityType"/>.</summary>
    /// <param name="entityType">The entity type.</param>
    /// <returns>The placeholder, e.g. <c>&lt;US_SSN&gt;</c>.</returns>
    public static string Placeholder(string entityType) => $"<{Guard.NotNullOrWhiteSpace(entityType)}>";

    /// <summary>Returns <paramref name="text"/> with every span found replaced by its placeholder.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The redacted text; the same instance when nothing was found.</returns>
    /// <exception cref="System.Text.RegularExpressions.RegexMatchTimeoutException">The text could not be checked in time.</exception>
    public string Redact(string text) => Redact(text, out _);

    /// <summary>Returns <paramref name="text"/> with every span found replaced by its placeholder.</summary>
    /// <param name="text">The text.</param>
    /// <param name="spans">The spans replaced, in the original text's positions.</param>
    /// <returns>The redacted text; the same instance when nothing was found.</returns>
    /// <exception cref="System.Text.RegularExpressions.RegexMatchTimeoutException">The text could not be checked in time.</exception>
    public string Redact(string text, out IReadOnlyList<PiiSpan> spans)
    {
        spans = detector.Detect(Guard.NotNull(text));
        if (spans.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        int position = 0;
        foreach (PiiSpan span in spans)
        {
            builder.Append(text, position, span.Start - position).Append('<').Append(span.EntityType).Append('>');
            position = span.End;
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }
}
