using System.Buffers;
using System.Text;

namespace SelfLearning.Privacy;

/// <summary>
/// Cheap necessary conditions for the built-in patterns: a text that fails one cannot match that
/// pattern, so the pattern need not run. Each check is a strict consequence of its pattern in
/// <see cref="PiiPatterns"/>; none ever skips a pattern that could match.
/// </summary>
internal readonly struct PiiPreChecks
{
    private static readonly SearchValues<char> AsciiAlphanumerics =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private PiiPreChecks(string text)
    {
        ReadOnlySpan<char> s = text.AsSpan();
        int digits = 0;
        bool digitDotDigit = false;
        bool digitSlashDigit = false;
        bool macSeparators = false;
        bool dotLetters = false;
        bool upperUpperDigitDigit = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsAsciiDigit(c))
            {
                digits++;
                continue;
            }

            bool digitBefore = i > 0 && char.IsAsciiDigit(s[i - 1]);
            bool digitAfter = i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]);
            switch (c)
            {
                case '.':
                    digitDotDigit |= digitBefore && digitAfter;
                    dotLetters |= i + 2 < s.Length && char.IsAsciiLetter(s[i + 1]) && char.IsAsciiLetter(s[i + 2]);
                    macSeparators |= i + 5 < s.Length && s[i + 5] == '.';
                    break;
                case '/':
                    digitSlashDigit |= digitBefore && digitAfter;
                    break;
                case ':' or '-':
                    macSeparators |= i + 3 < s.Length && s[i + 3] == c;
                    break;
                default:
                    upperUpperDigitDigit |= i + 3 < s.Length && char.IsAsciiLetterUpper(c) && char.IsAsciiLetterUpper(s[i + 1]) &&
                        char.IsAsciiDigit(s[i + 2]) && char.IsAsciiDigit(s[i + 3]);
                    break;
            }
        }

        (DigitRun, AlphanumericRunWithDigit) = digits > 0 ? MeasureRuns(s) : (0, 0);
        HasDigit = digits > 0;
        HasAt = s.Contains('@');
        HasColon = s.Contains(':');
        HasDot = s.Contains('.');
        HasHyphen = s.Contains('-');
        HasSlash = s.Contains('/');
        HasPlus = s.Contains('+');
        HasScheme = s.IndexOf("://", StringComparison.Ordinal) >= 0;
        MacSeparators = macSeparators;
        DotLetters = dotLetters;

        // \d matches every Unicode digit and case-insensitive patterns match non-ASCII case equivalents,
        // so the checks that count digits or look for words hold only for an ASCII text; any other text runs those patterns.
        bool ascii = Ascii.IsValid(s);
        Digits = ascii ? digits : int.MaxValue;
        DigitDotDigit = !ascii || digitDotDigit;
        DigitSlashDigit = !ascii || digitSlashDigit;
        UpperUpperDigitDigit = !ascii || upperUpperDigitDigit;
        MayHaveMonthName = !ascii || ContainsMonthAbbreviation(s);
        MayHaveMeridiem = !ascii || s.IndexOfAny('m', 'M') >= 0;
    }

    /// <summary>Gets how many digits the text holds (<see cref="int.MaxValue"/> for a text that is not ASCII).</summary>
    public int Digits { get; }

    /// <summary>
    /// Gets the length of the longest run of ASCII letters and digits that holds a digit (a Bitcoin
    /// address is one such run: it starts with 1 or 3, or holds the 1 of "bc1"); exact for any text,
    /// since the pattern it gates matches ASCII characters only.
    /// </summary>
    public int AlphanumericRunWithDigit { get; }

    /// <summary>
    /// Gets the length of the longest run of consecutive ASCII digits (a licence, passport or account
    /// number has at least four in a row); exact for any text, since the patterns it gates match ASCII digits only.
    /// </summary>
    public int DigitRun { get; }

    /// <summary>Gets a value indicating whether the text holds an ASCII digit (every built-in pattern with digits needs one, as before these checks).</summary>
    public bool HasDigit { get; }

    /// <summary>Gets a value indicating whether the text holds an '@'.</summary>
    public bool HasAt { get; }

    /// <summary>Gets a value indicating whether the text holds a ':'.</summary>
    public bool HasColon { get; }

    /// <summary>Gets a value indicating whether the text holds a '.'.</summary>
    public bool HasDot { get; }

    /// <summary>Gets a value indicating whether the text holds a '-'.</summary>
    public bool HasHyphen { get; }

    /// <summary>Gets a value indicating whether the text holds a '/' (a URL's path).</summary>
    public bool HasSlash { get; }

    /// <summary>Gets a value indicating whether the text holds a '+' (international phone numbers start with one).</summary>
    public bool HasPlus { get; }

    /// <summary>Gets a value indicating whether the text holds "://" (URLs with a scheme).</summary>
    public bool HasScheme { get; }

    /// <summary>Gets a value indicating whether a '.' stands between two digits (IPv4 addresses, dotted dates).</summary>
    public bool DigitDotDigit { get; }

    /// <summary>Gets a value indicating whether a '/' stands between two digits (slashed dates).</summary>
    public bool DigitSlashDigit { get; }

    /// <summary>Gets a value indicating whether a ':' or '-' recurs three characters on, or a '.' five on (MAC address groups).</summary>
    public bool MacSeparators { get; }

    /// <summary>Gets a value indicating whether a '.' is followed by two ASCII letters (a domain's top level).</summary>
    public bool DotLetters { get; }

    /// <summary>Gets a value indicating whether two uppercase ASCII letters are followed by two digits (an IBAN's start).</summary>
    public bool UpperUpperDigitDigit { get; }

    /// <summary>Gets a value indicating whether the text may hold an English month name.</summary>
    public bool MayHaveMonthName { get; }

    /// <summary>Gets a value indicating whether the text may hold "am" or "pm".</summary>
    public bool MayHaveMeridiem { get; }

    /// <summary>Scans <paramref name="text"/> once for every pre-check.</summary>
    /// <param name="text">The text about to be scanned for personal data.</param>
    /// <returns>The checks.</returns>
    public static PiiPreChecks Of(string text) => new(text);

    // The longest run of ASCII digits, and the longest run of ASCII letters and digits around one;
    // only texts with a digit get here, and the vectorized searches jump from digit run to digit run.
    private static (int DigitRun, int AlphanumericRunWithDigit) MeasureRuns(ReadOnlySpan<char> s)
    {
        int longestDigits = 0;
        int longestAlphanumerics = 0;
        int tokenEnd = 0;
        int position = 0;
        while (position < s.Length)
        {
            int start = s[position..].IndexOfAnyInRange('0', '9');
            if (start < 0)
            {
                break;
            }

            start += position;
            int digitsEnd = s[start..].IndexOfAnyExceptInRange('0', '9');
            digitsEnd = digitsEnd < 0 ? s.Length : start + digitsEnd;
            longestDigits = Math.Max(longestDigits, digitsEnd - start);

            // Each run of letters and digits is measured once, however many digit runs it holds.
            if (start >= tokenEnd)
            {
                int runStart = s[..start].LastIndexOfAnyExcept(AsciiAlphanumerics) + 1;
                int runEnd = s[digitsEnd..].IndexOfAnyExcept(AsciiAlphanumerics);
                tokenEnd = runEnd < 0 ? s.Length : digitsEnd + runEnd;
                longestAlphanumerics = Math.Max(longestAlphanumerics, tokenEnd - runStart);
            }

            position = digitsEnd;
        }

        return (longestDigits, longestAlphanumerics);
    }

    private static bool ContainsMonthAbbreviation(ReadOnlySpan<char> s)
    {
        for (int i = 0; i + 3 <= s.Length; i++)
        {
            int a = s[i] | 0x20;
            if (a is not ('j' or 'f' or 'm' or 'a' or 's' or 'o' or 'n' or 'd'))
            {
                continue;
            }

            int b = s[i + 1] | 0x20;
            int c = s[i + 2] | 0x20;
            bool month = (a, b, c) switch
            {
                ('j', 'a', 'n') or ('f', 'e', 'b') or ('m', 'a', 'r') or ('a', 'p', 'r') or ('m', 'a', 'y') or ('j', 'u', 'n') => true,
                ('j', 'u', 'l') or ('a', 'u', 'g') or ('s', 'e', 'p') or ('o', 'c', 't') or ('n', 'o', 'v') or ('d', 'e', 'c') => true,
                _ => false,
            };
            if (month)
            {
                return true;
            }
        }

        return false;
    }
}
