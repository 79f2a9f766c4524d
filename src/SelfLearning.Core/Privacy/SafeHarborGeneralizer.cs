using System.Globalization;

namespace SelfLearning.Privacy;

/// <summary>
/// The generalisations HIPAA's Safe Harbor method allows in place of removal (45 CFR 164.514(b)(2)(i)(B), (C)):
/// dates reduced to the year, ages over 89 put in one "90+" category, ZIP codes cut to their first
/// three digits (or "000" where the three-digit area holds 20,000 people or fewer).
/// </summary>
public static class SafeHarborGeneralizer
{
    /// <summary>The category that replaces every age over 89.</summary>
    public const string NinetyOrOlder = "90+";

    /// <summary>The oldest age that may be kept as it is.</summary>
    public const int OldestKeptAge = 89;

    /// <summary>
    /// Gets the three-digit ZIP prefixes whose areas held 20,000 people or fewer in the 2000 Census, as
    /// listed in HHS's de-identification guidance; a host should refresh the list from current Census data.
    /// </summary>
    public static IReadOnlyList<string> RestrictedZipPrefixes2000Census { get; } =
    [
        "036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878", "879", "884", "890", "893",
    ];

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-M-d", "yyyy/MM/dd", "yyyy/M/d", "yyyy.MM.dd", "MM/dd/yyyy", "M/d/yyyy", "dd.MM.yyyy", "d.M.yyyy",
        "MM-dd-yyyy", "M-d-yyyy", "d MMMM yyyy", "d MMM yyyy", "MMMM d, yyyy", "MMM d, yyyy", "yyyy-MM", "yyyy",
    ];

    /// <summary>Reduces a date written as text to its year.</summary>
    /// <param name="value">The date: ISO 8601 with or without a time, or a common numeric or written form.</param>
    /// <returns>The four-digit year, or <see langword="null"/> when <paramref name="value"/> is not a recognisable date.</returns>
    public static string? GeneralizeDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string trimmed = value.Trim();
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed) ||
            DateTimeOffset.TryParseExact(trimmed, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsed))
        {
            return GeneralizeDate(parsed);
        }

        return null;
    }

    /// <summary>Reduces a date to its year (in UTC).</summary>
    /// <param name="value">The date.</param>
    /// <returns>The four-digit year.</returns>
    public static string GeneralizeDate(DateTimeOffset value) => value.UtcDateTime.Year.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Keeps an age up to 89 and puts every older age in the category "90+".</summary>
    /// <param name="age">The age in years.</param>
    /// <returns>The age, or <see cref="NinetyOrOlder"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="age"/> is negative.</exception>
    public static string GeneralizeAge(int age)
    {
        Internal.Guard.NonNegative(age);
        return age > OldestKeptAge ? NinetyOrOlder : age.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Generalises an age written as text (whole or fractional years).</summary>
    /// <param name="value">The age.</param>
    /// <returns>The whole age, <see cref="NinetyOrOlder"/>, or <see langword="null"/> when <paramref name="value"/> is not an age.</returns>
    public static string? GeneralizeAge(string? value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double years) || !(years >= 0) || years > 200)
        {
            return null;
        }

        return GeneralizeAge((int)Math.Floor(years));
    }

    /// <summary>Cuts a US ZIP code (ZIP or ZIP+4) to its first three digits, or "000" for a restricted prefix.</summary>
    /// <param name="value">The ZIP code.</param>
    /// <param name="restrictedPrefixes">Three-digit prefixes whose areas are too small to keep; <see langword="null"/> for <see cref="RestrictedZipPrefixes2000Census"/>.</param>
    /// <returns>Three digits, or <see langword="null"/> when <paramref name="value"/> is not a ZIP code.</returns>
    public static string? GeneralizeZipCode(string? value, IReadOnlyCollection<string>? restrictedPrefixes = null)
    {
        if (value is null)
        {
            return null;
        }

        ReadOnlySpan<char> zip = value.AsSpan().Trim();
        bool isZip = zip.Length == 5 || (zip.Length == 10 && zip[5] == '-');
        if (!isZip || zip[..5].ContainsAnyExceptInRange('0', '9') || (zip.Length == 10 && zip[6..].ContainsAnyExceptInRange('0', '9')))
        {
            return null;
        }

        string prefix = zip[..3].ToString();
        return (restrictedPrefixes ?? RestrictedZipPrefixes2000Census).Contains(prefix) ? "000" : prefix;
    }
}
