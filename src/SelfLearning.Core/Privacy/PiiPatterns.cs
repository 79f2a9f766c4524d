using System.Text.RegularExpressions;

namespace SelfLearning.Privacy;

/// <summary>
/// The built-in recognizers' candidate patterns, source-generated, each with a match timeout.
/// Every pattern is only a candidate finder: checksums and ranges are checked in <see cref="PiiValidators"/>.
/// </summary>
/// <remarks>
/// Hand-written: no library served here detects personal data in .NET. The logic follows the ideas
/// of Microsoft Presidio's pattern recognizers (candidate regex, then validation) but the patterns
/// are our own. Boundaries are lookarounds rather than <c>\b</c> so that a number inside a longer
/// token (<c>is415-555-0132</c>) or the decimals of a number (<c>0.4111111111111111</c>) never match.
/// Quantifiers are bounded and groups are separated by mandatory delimiters, so backtracking stays linear.
/// </remarks>
internal static partial class PiiPatterns
{
    private const int TimeoutMilliseconds = 1000;
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
    private const RegexOptions IgnoreCaseOptions = Options | RegexOptions.IgnoreCase;

    // Not after a word character or a hyphen, nor in the decimals of a number.
    private const string NumberStart = @"(?<![\w+-]|\d[.,])";

    // Not before a word character or a hyphen, nor before more decimals.
    private const string NumberEnd = @"(?![\w-]|[.,]\d)";

    private const string DateStart = @"(?<![\w/.:-])";
    private const string DateEnd = @"(?![\w/:]|[.-]\d)";
    private const string Month = @"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

    [GeneratedRegex(
        @"(?<![A-Za-z0-9._%+~-])[A-Za-z0-9_%+~-][A-Za-z0-9_%+'~-]{0,63}(?:\.[A-Za-z0-9_%+'~-]{1,64}){0,8}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})(?![\w-]|\.[A-Za-z0-9])",
        Options,
        TimeoutMilliseconds)]
    internal static partial Regex Email();

    [GeneratedRegex(NumberStart + @"(?:\+?1[-. ]?)?(?:\(\s?[2-9]\d{2}\s?\)[-. ]?|[2-9]\d{2}[-. ]?)[2-9]\d{2}[-. ]?\d{4}" + NumberEnd, Options, TimeoutMilliseconds)]
    internal static partial Regex NorthAmericanPhone();

    [GeneratedRegex(@"(?<![\w+]|\d[.,])\+(?:\d{7,15}|[1-9]\d{0,2}(?:[-. ]?\(\d{1,4}\))?(?:[-. ]\d{1,12}){1,6})" + NumberEnd, Options, TimeoutMilliseconds)]
    internal static partial Regex InternationalPhone();

    [GeneratedRegex(NumberStart + @"(?:\d{1,3}-\d{3}-\d{3}-\d{4}|0\d{1,3}[- ]\d{3,4}[- ]?\d{3,4}|1[3-9]\d{9})" + NumberEnd, Options, TimeoutMilliseconds)]
    internal static partial Regex NationalPhone();

    [GeneratedRegex(NumberStart + @"(?:\d{3}(?<sep>[- .])\d{2}\k<sep>\d{4}|\d{3}-\d{6}|\d{5}-\d{4}|\d{9})" + NumberEnd, Options, TimeoutMilliseconds)]
    internal static partial Regex UsSsn();

    [GeneratedRegex(NumberStart + @"(?!1\d{12}(?!\d))(?:4\d{3}|5[0-5]\d{2}|2[2-7]\d{2}|6\d{3}|1\d{3}|3\d{3})(?:[- ]?\d{3,4}){2}[- ]?\d{3,5}" + NumberEnd, Options, TimeoutMilliseconds)]
    internal static partial Regex CreditCard();

    [GeneratedRegex(@"(?<![\w.]|\d[.,])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)", Options, TimeoutMilliseconds)]
    internal static partial Regex IPv4();

    // A candidate only: a run of hex digits, colons and dots with a colon among its first six
    // characters, optionally with a zone; System.Net.IPAddress decides whether it is an address.
    [GeneratedRegex(@"(?<![\w:.])(?=[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:.]{2,45}(?:%[0-9A-Za-z]{1,16})?(?![\w:]|\.\w)", Options, TimeoutMilliseconds)]
    internal static partial Regex IPv6Candidate();

    [GeneratedRegex(@"(?<![\w:-])(?:[0-9A-Fa-f]{2}(?<sep>[:-])[0-9A-Fa-f]{2}(?:\k<sep>[0-9A-Fa-f]{2}){4}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:-]|\.\w)", Options, TimeoutMilliseconds)]
    internal static partial Regex MacAddress();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:[A-Z]{2}\d{2}[A-Z0-9]{11,30}|[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Za-z0-9])", Options, TimeoutMilliseconds)]
    internal static partial Regex Iban();

    // The host may be a bracketed IPv6 literal (http://[2001:db8::1]:8080/), the one place a URL holds brackets.
    [GeneratedRegex(@"(?<![\w@.-])(?:https?|ftp)://(?:[^\s<>""'\[\]{}|\\^`/@]{1,256}@)?(?:\[[0-9A-Za-z:.%]{2,64}\])?[^\s<>""'\[\]{}|\\^`]{0,2048}", IgnoreCaseOptions, TimeoutMilliseconds)]
    internal static partial Regex UrlWithScheme();

    // An IPv4 address, an optional port and a path, without a scheme (10.1.2.3:8080/emr). A path of
    // one to three digits alone is a CIDR prefix length (192.0.2.0/24), which leaves the address an address.
    [GeneratedRegex(@"(?<![\w@./:-]|\d[.,])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?::[0-9]{1,5})?/(?![0-9]{1,3}(?:[\s<>""',.;)]|$))[^\s<>""']{1,2048}", Options, TimeoutMilliseconds)]
    internal static partial Regex BareIpUrl();

    [GeneratedRegex(@"(?<![\w@./-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,10}[A-Za-z]{2,24}(?![\w@-]|\.[A-Za-z0-9])(?::\d{2,5})?(?:/[^\s<>""']{0,2048})?", Options, TimeoutMilliseconds)]
    internal static partial Regex BareDomain();

    [GeneratedRegex(DateStart + @"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?" + DateEnd, Options, TimeoutMilliseconds)]
    internal static partial Regex IsoDate();

    [GeneratedRegex(DateStart + @"(?<a>\d{1,2})(?<sep>[/.-])(?<b>\d{1,2})\k<sep>(?<y>\d{4}|\d{2})" + DateEnd, Options, TimeoutMilliseconds)]
    internal static partial Regex NumericDate();

    [GeneratedRegex(DateStart + @"\d{4}(?<sep>[/.])(?<m>\d{1,2})\k<sep>(?<d>\d{1,2})" + DateEnd, Options, TimeoutMilliseconds)]
    internal static partial Regex YearFirstDate();

    [GeneratedRegex(DateStart + @"(?<m>\d{1,2})/(?:\d{4}|\d{2})" + DateEnd, Options, TimeoutMilliseconds)]
    internal static partial Regex MonthYearDate();

    [GeneratedRegex(DateStart + @"\d{1,2}(?:st|nd|rd|th)?(?:[- ]|\s+of\s+)" + Month + @"(?:(?:[- ]|,\s?)\d{4}|-\d{2})?" + DateEnd, IgnoreCaseOptions, TimeoutMilliseconds)]
    internal static partial Regex DayMonthNameDate();

    [GeneratedRegex(DateStart + Month + @"(?:[- ]\d{1,2}(?:st|nd|rd|th)?(?:,?\s\d{4})?|[- ]\d{4})" + DateEnd, IgnoreCaseOptions, TimeoutMilliseconds)]
    internal static partial Regex MonthNameDate();

    [GeneratedRegex(DateStart + @"(?:(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?[ap]\.?m\.?)?|(?:1[0-2]|0?[1-9])\s?[ap]\.?m\.?)(?![\w:]|[.-]\d)", IgnoreCaseOptions, TimeoutMilliseconds)]
    internal static partial Regex TimeOfDay();

    // The patterns below use [0-9], not \d, and explicit ASCII letter classes without IgnoreCase,
    // so they match ASCII only and the pre-checks' ASCII counts bound them for any text.

    // One to two capitals then digits, or digits alone: driver's licences, passports and bank
    // account numbers share this shape and are told apart by their lengths (see PiiDetector).
    [GeneratedRegex(NumberStart + @"[A-Z]{0,2}[0-9]{4,17}" + NumberEnd, Options, TimeoutMilliseconds)]
    internal static partial Regex LettersAndDigits();

    // 9xx, a group in 50-65, 70-88, 90-92 or 94-99, four digits; each separator optional.
    [GeneratedRegex(NumberStart + @"9[0-9]{2}[- ]?(?:5[0-9]|6[0-5]|7[0-9]|8[0-8]|9[0-24-9])[- ]?[0-9]{4}" + NumberEnd, Options, TimeoutMilliseconds)]
    internal static partial Regex UsItin();

    // Ten digits as 3-3-4, with spaces or hyphens or none.
    [GeneratedRegex(NumberStart + @"[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{4}" + NumberEnd, Options, TimeoutMilliseconds)]
    internal static partial Regex UkNhs();

    // Bitcoin: Base58 legacy (1…) and P2SH (3…) addresses, and bech32/bech32m SegWit addresses
    // (bc1…, all one case); whole tokens only, so a checksum failure cannot leave a shorter match.
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71})(?![A-Za-z0-9])", Options, TimeoutMilliseconds)]
    internal static partial Regex BitcoinAddress();
}
