using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SelfLearning.Internal;
using SelfLearning.Privacy;

namespace SelfLearning.Cases;

/// <summary>
/// Turns a <see cref="FeedbackCase"/> into an <see cref="AnonymizedCase"/>: the only way personal
/// data leaves <c>SelfLearning.Cases</c>. Thread-safe.
/// </summary>
/// <remarks>
/// Case and reviewer ids and identifying attributes are pseudonymised with the host's key; date, age
/// and ZIP attributes are generalised as Safe Harbor allows; dropped attributes are removed; every
/// other attribute and the free text go through <see cref="PiiRedactor"/>. A value the detector cannot
/// check in time is removed, never kept unchecked. Times are reduced to the year.
/// </remarks>
internal sealed class CaseAnonymizer
{
    /// <summary>The value written for an attribute that could not be generalised or checked.</summary>
    public const string RedactedValue = "<REDACTED>";

    private const string CasePurpose = "case";
    private const string ReviewerPurpose = "reviewer";
    private const string AttributePurposePrefix = "attribute:";

    // Hosts have few reviewers and each reviews many cases, so their pseudonyms are remembered rather
    // than recomputed per case; past this many the rest are computed each time, so memory stays bounded.
    private const int MaxRememberedReviewers = 4096;

    private readonly Pseudonymizer pseudonymizer;
    private readonly PiiRedactor redactor;
    private readonly FreeTextHandling freeTextHandling;
    private readonly FrozenSet<string> identifying;
    private readonly FrozenSet<string> dates;
    private readonly FrozenSet<string> ages;
    private readonly FrozenSet<string> zipCodes;
    private readonly FrozenSet<string> dropped;
    private readonly FrozenSet<string> restrictedZipPrefixes;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, string> reviewerPseudonyms = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="CaseAnonymizer"/> class.</summary>
    /// <param name="options">The key and what to do with each attribute.</param>
    /// <param name="logger">Where to report values that could not be checked; never receives the values.</param>
    /// <exception cref="ArgumentException">The pseudonymisation key is missing or invalid, or the detector options are invalid.</exception>
    public CaseAnonymizer(CaseAnonymizerOptions options, ILogger<CaseAnonymizer>? logger = null)
    {
        Guard.NotNull(options);
        pseudonymizer = Pseudonymizer.FromBase64(options.PseudonymizationKey, "options.PseudonymizationKey");
        redactor = new PiiRedactor(new PiiDetector(Guard.NotNull(options.Detector, "options.Detector")));
        freeTextHandling = Guard.Defined(options.FreeTextHandling, "options.FreeTextHandling");
        identifying = ToSet(options.IdentifyingAttributes, "options.IdentifyingAttributes");
        dates = ToSet(options.DateAttributes, "options.DateAttributes");
        ages = ToSet(options.AgeAttributes, "options.AgeAttributes");
        zipCodes = ToSet(options.ZipCodeAttributes, "options.ZipCodeAttributes");
        dropped = ToSet(options.DroppedAttributes, "options.DroppedAttributes");
        restrictedZipPrefixes = ToSet(options.RestrictedZipPrefixes, "options.RestrictedZipPrefixes");
        this.logger = logger ?? (ILogger)NullLogger.Instance;

        Settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pseudonymisation"] = "HMAC-SHA256, 128-bit pseudonyms",
            ["keyFingerprint"] = pseudonymizer.KeyFingerprint,
            ["freeText"] = freeTextHandling.ToString(),
            ["identifyingAttributes"] = Join(identifying),
            ["dateAttributes"] = Join(dates) + " (year only)",
            ["ageAttributes"] = Join(ages) + " (over 89 as 90+)",
            ["zipCodeAttributes"] = Join(zipCodes) + " (first three digits)",
            ["droppedAttributes"] = Join(dropped),
            ["restrictedZipPrefixes"] = Join(restrictedZipPrefixes),
            ["detectorEntities"] = string.Join(",", options.Detector.Entities) +
                (options.Detector.CustomPatterns.Count > 0 ? "," + string.Join(",", options.Detector.CustomPatterns.Select(p => p.EntityType)) : string.Empty) +
                (options.Detector.Names.Count > 0 ? "," + PiiEntityTypes.Person : string.Empty),
            ["timestamps"] = "year only",
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Gets the settings in force, for a dataset manifest; holds no secret.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Anonymizes a validated case.</summary>
    /// <param name="feedbackCase">The case; must have an id, a validated label and a validation time.</param>
    /// <param name="qualityScore">The case's quality score, in [0, 1].</param>
    /// <param name="splitter">What assigns the case's split from its pseudonymised id.</param>
    /// <returns>The anonymised case.</returns>
    public AnonymizedCase Anonymize(FeedbackCase feedbackCase, double qualityScore, DatasetSplitter splitter)
    {
        Guard.NotNull(feedbackCase);
        Guard.NotNull(splitter);
        Guard.Probability(qualityScore);
        string id = PseudonymizeCaseId(Guard.NotNullOrWhiteSpace(feedbackCase.Id, "feedbackCase.Id"));
        return Anonymize(feedbackCase, qualityScore, id, splitter.Assign(id));
    }

    /// <summary>
    /// Pseudonymises the ids of a batch of cases side by side, each exactly as <see cref="PseudonymizeCaseId"/> would,
    /// for <see cref="Anonymize(FeedbackCase, double, string, DatasetSplit)"/>.
    /// </summary>
    /// <param name="caseIds">The host's case ids.</param>
    /// <param name="pseudonyms">Receives the pseudonym of each id, at its index.</param>
    internal void PseudonymizeCaseIds(ReadOnlySpan<string> caseIds, Span<string> pseudonyms) =>
        pseudonymizer.Pseudonymize(caseIds, CasePurpose, pseudonyms);

    /// <summary>Anonymizes a validated case whose id was already pseudonymised and split (in a batch).</summary>
    /// <param name="feedbackCase">The case.</param>
    /// <param name="qualityScore">The case's quality score, in [0, 1].</param>
    /// <param name="id">The case id's pseudonym.</param>
    /// <param name="split">The split the pseudonym is assigned to.</param>
    /// <returns>The anonymised case.</returns>
    internal AnonymizedCase Anonymize(FeedbackCase feedbackCase, double qualityScore, string id, DatasetSplit split)
    {
        Guard.Probability(qualityScore);
        string label = Guard.NotNullOrWhiteSpace(feedbackCase.ValidatedLabel, "feedbackCase.ValidatedLabel");
        DateTimeOffset validatedAt = feedbackCase.ValidatedAt
            ?? throw new ArgumentException("'feedbackCase.ValidatedAt' is required to anonymize a case.", nameof(feedbackCase));

        return new AnonymizedCase
        {
            Id = id,
            ModelName = feedbackCase.ModelName,
            ModelVersion = feedbackCase.ModelVersion,
            Input = feedbackCase.Input,
            PredictedLabel = feedbackCase.PredictedLabel ?? string.Empty,
            PredictedConfidence = feedbackCase.PredictedConfidence,
            Label = label,
            ReviewerId = feedbackCase.ReviewerId is null ? null : PseudonymizeReviewer(feedbackCase.ReviewerId),
            ReviewerCertainty = feedbackCase.ReviewerCertainty,
            CreatedYear = feedbackCase.CreatedAt.UtcDateTime.Year,
            ValidatedYear = validatedAt.UtcDateTime.Year,
            QualityScore = qualityScore,
            Split = split,
            FreeText = AnonymizeFreeText(feedbackCase.FreeText),
            Attributes = AnonymizeAttributes(feedbackCase.Attributes),
        };
    }

    /// <summary>Returns the pseudonym a case id gets in datasets.</summary>
    /// <param name="caseId">The host's case id.</param>
    /// <returns>32 lowercase hex digits.</returns>
    public string PseudonymizeCaseId(string caseId) => pseudonymizer.Pseudonymize(Guard.NotNull(caseId), CasePurpose);

    private string PseudonymizeReviewer(string reviewerId)
    {
        if (reviewerPseudonyms.TryGetValue(reviewerId, out string? pseudonym))
        {
            return pseudonym;
        }

        pseudonym = pseudonymizer.Pseudonymize(reviewerId, ReviewerPurpose);
        if (reviewerPseudonyms.Count < MaxRememberedReviewers)
        {
            reviewerPseudonyms.TryAdd(reviewerId, pseudonym);
        }

        return pseudonym;
    }

    private static FrozenSet<string> ToSet(IList<string>? values, string name)
    {
        Guard.NotNull(values, name);
        for (int i = 0; i < values.Count; i++)
        {
            Guard.NotNullOrWhiteSpace(values[i], string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]"));
        }

        return values.ToFrozenSet(StringComparer.Ordinal);
    }

    private static string Join(FrozenSet<string> values) => string.Join(",", values.Order(StringComparer.Ordinal));

    private string? AnonymizeFreeText(string? text)
    {
        if (text is null || freeTextHandling == FreeTextHandling.Drop)
        {
            return null;
        }

        try
        {
            return redactor.Redact(text);
        }
        catch (RegexMatchTimeoutException)
        {
            CasesLog.PiiCheckTimedOut(logger, "free text");
            return null;
        }
    }

    /// <summary>
    /// Puts a host's raw attributes, as it passes them when serving, in the form the loop's datasets hold them: each of
    /// <paramref name="names"/> the host gives is pseudonymised, generalised or redacted exactly as
    /// <see cref="Anonymize(FeedbackCase, double, DatasetSplitter)"/> does; a dropped attribute, a missing one and a null value are left out.
    /// </summary>
    /// <param name="names">The attributes a model reads.</param>
    /// <param name="attributes">The host's raw attributes.</param>
    /// <returns>The anonymised values of <paramref name="names"/>, by name.</returns>
    internal Dictionary<string, string> AnonymizeForServing(IReadOnlyList<string> names, IReadOnlyDictionary<string, string> attributes)
    {
        var result = new Dictionary<string, string>(names.Count, StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i];
            if (!dropped.Contains(name) && attributes.TryGetValue(name, out string? value) && value is not null)
            {
                result[name] = AnonymizeAttribute(name, value);
            }
        }

        return result;
    }

    /// <summary>Whether <paramref name="name"/> is one of the attributes never kept.</summary>
    internal bool IsDropped(string name) => dropped.Contains(name);

    private ImmutableSortedDictionary<string, string> AnonymizeAttributes(ImmutableSortedDictionary<string, string> attributes)
    {
        if (attributes.IsEmpty)
        {
            return attributes;
        }

        var result = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in attributes)
        {
            if (dropped.Contains(key) || value is null)
            {
                continue;
            }

            result[key] = AnonymizeAttribute(key, value);
        }

        return result.ToImmutable();
    }

    private string AnonymizeAttribute(string key, string value)
    {
        if (identifying.Contains(key))
        {
            return pseudonymizer.Pseudonymize(value, AttributePurposePrefix + key);
        }

        if (dates.Contains(key))
        {
            return SafeHarborGeneralizer.GeneralizeDate(value) ?? RedactedValue;
        }

        if (ages.Contains(key))
        {
            return SafeHarborGeneralizer.GeneralizeAge(value) ?? RedactedValue;
        }

        if (zipCodes.Contains(key))
        {
            return SafeHarborGeneralizer.GeneralizeZipCode(value, restrictedZipPrefixes) ?? RedactedValue;
        }

        try
        {
            return redactor.Redact(value);
        }
        catch (RegexMatchTimeoutException)
        {
            CasesLog.PiiCheckTimedOut(logger, "attribute");
            return RedactedValue;
        }
    }
}
