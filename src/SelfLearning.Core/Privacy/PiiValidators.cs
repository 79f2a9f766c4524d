using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SelfLearning.Privacy;

/// <summary>
/// Checks a candidate match must pass to count: checksums (Luhn, ISO 7064 mod 97-10), the numbers
/// the US Social Security Administration never issues, calendar ranges, and known top-level domains.
/// </summary>
internal static class PiiValidators
{
    private static readonly System.Buffers.SearchValues<char> DigitsAndDots = System.Buffers.SearchValues.Create("0123456789.");

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    // ISO 13616 IBAN lengths by country (SWIFT IBAN registry).
    private static readonly FrozenDictionary<string, int> IbanLengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22,
        ["BH"] = 22, ["BI"] = 27, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24,
        ["DE"] = 22, ["DJ"] = 27, ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18,
        ["FK"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27,
        ["GT"] = 28, ["HN"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26,
        ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20,
        ["LU"] = 20, ["LV"] = 21, ["LY"] = 25, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MN"] = 20,
        ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NI"] = 28, ["NL"] = 18, ["NO"] = 15, ["OM"] = 23, ["PK"] = 24,
        ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["RU"] = 33, ["SA"] = 24,
        ["SC"] = 31, ["SD"] = 18, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["SO"] = 23, ["ST"] = 25,
        ["SV"] = 28, ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
        ["YE"] = 30,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Generic top-level domains accepted for a domain written without a scheme.
    private static readonly FrozenSet<string> GenericTopLevelDomains = FrozenSet.ToFrozenSet(
        [
            "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "mobi", "aero", "coop",
            "museum", "app", "dev", "xyz", "site", "online", "store", "tech", "shop", "blog", "cloud", "health",
            "care", "clinic", "hospital", "news", "life", "live", "email", "link", "club", "top", "page", "web",
            "agency", "company", "solutions", "services", "digital", "network", "systems", "group", "global",
        ],
        StringComparer.OrdinalIgnoreCase);

    private static readonly string[] FileExtensionLikeCodes = ["py", "md", "sh", "rs", "pl", "ps", "cc", "ml", "so", "mk", "ai", "ms", "cs", "am", "ax"];

    // ISO 3166-1 country codes used as top-level domains, without the ones that are far more often
    // file extensions (py, md, sh, rs, pl, ps, cc, ml, so, mk, ai, ms, cs, am, ax).
    private static readonly FrozenSet<string> CountryTopLevelDomains = FrozenSet.ToFrozenSet(
        ("ac ad ae af ag al ao aq ar as at au aw az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz ca cd cf " +
         "cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr ga gb " +
         "gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo " +
         "jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mm mn mo mp mq mr mt " +
         "mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pm pn pr pt pw qa re ro ru rw sa " +
         "sb sc sd se sg si sk sl sm sn sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug " +
         "uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw").Split(' ').Except(FileExtensionLikeCodes, StringComparer.Ordinal),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The Luhn (mod 10) check used by payment card numbers; separators are skipped.</summary>
    public static bool PassesLuhn(ReadOnlySpan<char> candidate)
    {
        int sum = 0;
        int digits = 0;
        for (int i = candidate.Length - 1; i >= 0; i--)
        {
            char c = candidate[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            int d = c - '0';
            if (digits % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            digits++;
        }

        return digits > 0 && sum % 10 == 0;
    }

    /// <summary>Counts the ASCII digits in <paramref name="candidate"/>.</summary>
    public static int CountDigits(ReadOnlySpan<char> candidate)
    {
        int count = 0;
        foreach (char c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Whether nine digits could be an issued SSN: not area 000, 666 or 9xx, not group 00, not
    /// serial 0000, not one digit repeated, and not a number published as an example.
    /// </summary>
    public static bool IsPossibleSsn(ReadOnlySpan<char> candidate)
    {
        Span<char> digits = stackalloc char[9];
        int n = 0;
        foreach (char c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == 9)
                {
                    return false;
                }

                digits[n++] = c;
            }
        }

        if (n != 9)
        {
            return false;
        }

        ReadOnlySpan<char> area = digits[..3];
        if (area.SequenceEqual("000") || area.SequenceEqual("666") || area[0] == '9')
        {
            return false;
        }

        if (digits.Slice(3, 2).SequenceEqual("00") || digits[5..].SequenceEqual("0000"))
        {
            return false;
        }

        if (digits.IndexOfAnyExcept(digits[0]) < 0)
        {
            return false;
        }

        // 123-45-6789 and the numbers printed on sample cards (Woolworth's 078-05-1120, the 1962 advert's 219-09-9999).
        return !digits.SequenceEqual("123456789") && !digits.SequenceEqual("078051120") && !digits.SequenceEqual("219099999");
    }

    /// <summary>
    /// The NHS number's mod-11 check: weights 10 down to 1 over the ten digits give a multiple of 11
    /// (which also rules out the check value 10), and one digit repeated ten times is refused.
    /// </summary>
    public static bool PassesNhsCheck(ReadOnlySpan<char> candidate)
    {
        int sum = 0;
        int n = 0;
        char first = '\0';
        bool repeated = true;
        foreach (char c in candidate)
        {
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            if (n == 10)
            {
                return false;
            }

            first = n == 0 ? c : first;
            repeated &= c == first;
            sum += (c - '0') * (10 - n);
            n++;
        }

        return n == 10 && !repeated && sum % 11 == 0;
    }

    /// <summary>
    /// Whether a candidate IBAN (spaces allowed) has its country's length and passes ISO 7064 mod 97-10.
    /// Returns the number of leading characters of <paramref name="candidate"/> that form the IBAN, which
    /// may be shorter than the candidate when the candidate ran into a following group of characters.
    /// </summary>
    public static int MatchIban(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length < 4 || !IbanLengths.TryGetValue(candidate[..2].ToString(), out int expected))
        {
            return 0;
        }

        // Find where the expected number of alphanumerics ends.
        int count = 0;
        int end = -1;
        for (int i = 0; i < candidate.Length; i++)
        {
            if (candidate[i] != ' ')
            {
                count++;
                if (count == expected)
                {
                    end = i + 1;
                    break;
                }
            }
        }

        if (end < 0 || (end < candidate.Length && candidate[end] != ' '))
        {
            return 0;
        }

        return PassesMod97(candidate[..end]) ? end : 0;
    }

    /// <summary>ISO 7064 mod 97-10 over an IBAN with its first four characters moved to the end.</summary>
    public static bool PassesMod97(ReadOnlySpan<char> iban)
    {
        Span<char> compact = stackalloc char[iban.Length];
        int n = 0;
        foreach (char c in iban)
        {
            if (c != ' ')
            {
                compact[n++] = c;
            }
        }

        compact = compact[..n];
        int remainder = 0;
        for (int k = 0; k < n; k++)
        {
            char c = compact[(k + 4) % n];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }

    /// <summary>Whether a MAC address is not the broadcast address or all zeros.</summary>
    public static bool IsAssignableMac(ReadOnlySpan<char> candidate)
    {
        bool allF = true;
        bool allZero = true;
        foreach (char c in candidate)
        {
            if (char.IsAsciiHexDigit(c))
            {
                allF &= c is 'f' or 'F';
                allZero &= c == '0';
            }
        }

        return !allF && !allZero;
    }

    /// <summary>Whether a candidate is an IPv6 address; returns its length after a trailing full stop is dropped.</summary>
    public static int MatchIPv6(ReadOnlySpan<char> candidate)
    {
        int length = candidate.Length;
        while (length > 0 && candidate[length - 1] == '.')
        {
            length--;
        }

        ReadOnlySpan<char> address = candidate[..length];
        int zone = address.IndexOf('%');
        ReadOnlySpan<char> withoutZone = zone >= 0 ? address[..zone] : address;
        return IPAddress.TryParse(withoutZone, out IPAddress? parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6
            ? length
            : 0;
    }

    /// <summary>Numeric day and month (either order) in calendar range.</summary>
    public static bool IsDayAndMonth(int first, int second) =>
        first >= 1 && second >= 1 && first <= 31 && second <= 31 && (first <= 12 || second <= 12);

    /// <summary>Parses a short run of ASCII digits.</summary>
    public static int ParseSmall(ReadOnlySpan<char> digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>
    /// How much of a URL candidate to keep: trailing punctuation is dropped, and the host must end
    /// in a top-level domain (any alphabetic one after a scheme; a known one without), or, after a
    /// scheme, be an IPv4 address or a bracketed IPv6 address.
    /// Returns 0 when the candidate is not a URL.
    /// </summary>
    public static int MatchUrl(ReadOnlySpan<char> candidate, bool hasScheme)
    {
        int length = TrimUrlEnd(candidate);
        ReadOnlySpan<char> url = candidate[..length];
        ReadOnlySpan<char> host = url;
        if (hasScheme)
        {
            host = host[(host.IndexOf("://", StringComparison.Ordinal) + 3)..];
            int at = host.IndexOfAny('/', '?', '#');
            host = at >= 0 ? host[..at] : host;
            int userInfo = host.LastIndexOf('@');
            host = userInfo >= 0 ? host[(userInfo + 1)..] : host;
            if (IsIpLiteralHost(host))
            {
                return length;
            }
        }
        else
        {
            int at = host.IndexOfAny('/', '?', '#');
            host = at >= 0 ? host[..at] : host;
        }

        int port = host.LastIndexOf(':');
        if (port >= 0)
        {
            host = host[..port];
        }

        int dot = host.LastIndexOf('.');
        if (dot <= 0 || dot == host.Length - 1)
        {
            return 0;
        }

        ReadOnlySpan<char> tld = host[(dot + 1)..];
        if (tld.Length < 2 || tld.ContainsAnyExcept(AsciiLetters))
        {
            return 0;
        }

        if (hasScheme)
        {
            return length;
        }

        string tldText = tld.ToString();
        return GenericTopLevelDomains.Contains(tldText) || CountryTopLevelDomains.Contains(tldText) ? length : 0;
    }

    /// <summary>
    /// The length of a URL candidate without the punctuation that ends the sentence around it
    /// (a closing parenthesis stays when the URL opened one).
    /// </summary>
    public static int TrimUrlEnd(ReadOnlySpan<char> candidate)
    {
        int length = candidate.Length;
        while (length > 0 && candidate[length - 1] is '.' or ',' or ';' or ':' or '!' or '?' or ')')
        {
            if (candidate[length - 1] == ')' && candidate[..length].Count('(') >= candidate[..length].Count(')'))
            {
                break;
            }

            length--;
        }

        return length;
    }

    // An IPv4 address or a bracketed IPv6 address, with an optional port.
    private static bool IsIpLiteralHost(ReadOnlySpan<char> host)
    {
        if (host.StartsWith('['))
        {
            int close = host.IndexOf(']');
            return close > 1 && IsPortOrNothing(host[(close + 1)..]) && MatchIPv6(host[1..close]) == close - 1;
        }

        int port = host.IndexOf(':');
        ReadOnlySpan<char> address = port >= 0 ? host[..port] : host;
        return (port < 0 || IsPortOrNothing(host[port..])) && address.Count('.') == 3 && !address.ContainsAnyExcept(DigitsAndDots) &&
            IPAddress.TryParse(address, out IPAddress? parsed) && parsed.AddressFamily == AddressFamily.InterNetwork;
    }

    private static bool IsPortOrNothing(ReadOnlySpan<char> rest) =>
        rest.IsEmpty || (rest[0] == ':' && rest.Length is >= 2 and <= 6 && !rest[1..].ContainsAnyExceptInRange('0', '9'));
}
