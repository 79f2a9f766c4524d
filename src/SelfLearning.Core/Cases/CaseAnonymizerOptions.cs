using System.ComponentModel.DataAnnotations;
using SelfLearning.Privacy;

namespace SelfLearning.Cases;

/// <summary>Options for <see cref="CaseAnonymizer"/>.</summary>
public sealed class CaseAnonymizerOptions
{
    /// <summary>
    /// Gets or sets the secret key for pseudonymising ids (Base64, at least 16 bytes; 32 recommended).
    /// Keep it in a secret store: whoever holds it can recompute pseudonyms from guessed ids.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: there is no built-in key, and an anonymizer without one cannot be built.</value>
    [Required]
    public string? PseudonymizationKey { get; set; }

    /// <summary>Gets or sets the attributes that identify a person (patient number, account id): replaced by their pseudonym.</summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> IdentifyingAttributes { get; set; } = [];

    /// <summary>Gets or sets the attributes holding dates related to the person: reduced to the year.</summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> DateAttributes { get; set; } = [];

    /// <summary>Gets or sets the attributes holding an age in years: ages over 89 become "90+".</summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> AgeAttributes { get; set; } = [];

    /// <summary>Gets or sets the attributes holding a US ZIP code: cut to three digits ("000" for small areas).</summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> ZipCodeAttributes { get; set; } = [];

    /// <summary>Gets or sets the attributes never to keep (names, street addresses, photographs' paths).</summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> DroppedAttributes { get; set; } = [];

    /// <summary>Gets or sets the three-digit ZIP prefixes replaced by "000".</summary>
    /// <value>The default value is <see cref="SafeHarborGeneralizer.RestrictedZipPrefixes2000Census"/>.</value>
    public IList<string> RestrictedZipPrefixes { get; set; } = [.. SafeHarborGeneralizer.RestrictedZipPrefixes2000Census];

    /// <summary>Gets or sets what to do with free text.</summary>
    /// <value>The default value is <see cref="Cases.FreeTextHandling.Redact"/>.</value>
    public FreeTextHandling FreeTextHandling { get; set; } = FreeTextHandling.Redact;

    /// <summary>Gets or sets what the detector looks for in free text and in attributes not listed above.</summary>
    /// <value>The default value is every built-in entity, no custom patterns and no names.</value>
    public PiiDetectorOptions Detector { get; set; } = new();
}
