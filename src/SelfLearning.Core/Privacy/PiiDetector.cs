using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SelfLearning.Internal;

namespace SelfLearning.Privacy;

/// <summary>
/// Finds personal data in text and returns typed spans (entity names as Microsoft Presidio spells them).
/// Thread-safe; build one and share it.
/// </summary>
/// <remarks>
/// Each recognizer finds candidates with a source-generated regular expression and keeps only those
/// that pass its check (Luhn for cards, mod 97 for IBANs, mod 11 for NHS numbers, Base58Check and
/// bech32 for Bitcoin addresses, issuable SSNs, calendar ranges for dates, a real IPv6 parse). Weak
/// patterns (a driver's licence, passport or bank account number is just a run of digits) are reported
/// with a low score that a cue word nearby ("passport", "account") raises. Where spans overlap, the
/// longer one wins, then the one with the higher score, so a card number is not also reported as a
/// phone number inside it. Every pattern has a match timeout: a
/// <see cref="RegexMatchTimeoutException"/> from <see cref="Detect"/> means the text could not be
/// checked, and callers that must not leak (the case anonymizer) then drop the whole text.
/// </remarks>
public sealed class PiiDetector
{
    private const double ChecksumScore = 1.0;
    private const double EmailScore = 1.0;
    private const double IpScore = 0.95;
    private const double MacScore = 0.9;
    private const double SsnScore = 0.85;
    private const double BareSsnScore = 0.5;
    private const double CuedSsnShapeScore = 0.4;
    private const double ItinScore = 0.5;
    private const double BareItinScore = 0.3;
    private const double PartlySeparatedItinScore = 0.1;
    private const double NhsScore = 0.5;
    private const double LetterDriverLicenseScore = 0.3;
    private const double DigitDriverLicenseScore = 0.01;
    private const double LetterPassportScore = 0.1;
    private const double DigitPassportScore = 0.05;
    private const double BankNumberScore = 0.03;
    private const double UrlScore = 0.85;
    private const double PhoneScore = 0.75;
    private const double NationalPhoneScore = 0.6;
    private const double DateScore = 0.6;
    private const double PersonScore = 0.9;
    private const int MinPhoneDigits = 8;
    private const int MaxPhoneDigits = 15;

    // The fewest digits each pattern's shortest match holds (see PiiPatterns).
    private const int MinNorthAmericanPhoneDigits = 10;
    private const int MinNationalPhoneDigits = 8;
    private const int MinSsnDigits = 9;
    private const int MinCardDigits = 13;
    private const int MinItinDigits = 9;
    private const int MinNhsDigits = 10;
    private const int MinLettersAndDigitsDigits = 4;
    private const int MinBitcoinAddressLength = 14;

    private readonly FrozenSet<string> entities;
    private readonly (string EntityType, Regex Regex, double Score)[] customPatterns;
    private readonly Regex? names;

    /// <summary>Initializes a new instance of the <see cref="PiiDetector"/> class.</summary>
    /// <param name="options">What to look for; <see langword="null"/> for every built-in entity.</param>
    /// <exception cref="ArgumentException">An unknown entity type, an invalid pattern, or a blank name.</exception>
    public PiiDetector(PiiDetectorOptions? options = null)
    {
        options ??= new PiiDetectorOptions();
        Guard.NotNull(options.Entities, "options.Entities");
        Guard.NotNull(options.CustomPatterns, "options.CustomPatterns");
        Guard.NotNull(options.Names, "options.Names");
        Guard.Positive(options.CustomPatternTimeout.TotalMilliseconds, "options.CustomPatternTimeout");

        foreach (string entity in options.Entities)
        {
            if (!PiiEntityTypes.BuiltIn.Contains(entity))
            {
                throw new ArgumentException(
                    $"'options.Entities' holds '{entity}', which is not a built-in entity type; use one of {string.Join(", ", PiiEntityTypes.BuiltIn)} or add a custom pattern.",
                    nameof(options));
            }
        }

        entities = options.Entities.ToFrozenSet(StringComparer.Ordinal);
        customPatterns = [.. options.CustomPatterns.Select((p, i) => CompilePattern(p, i, options.CustomPatternTimeout))];
        names = CompileNames(options.Names, options.CustomPatternTimeout);
    }

    /// <summary>Finds the personal data in <paramref name="text"/>.</summary>
    /// <param name="text">The text to scan.</param>
    /// <returns>Non-overlapping spans ordered by start.</returns>
    /// <exception cref="RegexMatchTimeoutException">A pattern ran past its timeout; the text could not be checked.</exception>
    public IReadOnlyList<PiiSpan> Detect(string text)
    {
        Guard.NotNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        // Cheap pre-checks: each pattern needs something (an '@', enough digits, a '.' between digits,
        // a month name) that most short texts lack, and then it need not run at all.
        var has = PiiPreChecks.Of(text);
        bool digits = has.HasDigit;
        bool colon = has.HasColon;

        var candidates = new List<PiiSpan>();
        if (has.HasAt && entities.Contains(PiiEntityTypes.EmailAddress))
        {
            AddAll(candidates, text, PiiPatterns.Email(), PiiEntityTypes.EmailAddress, EmailScore);
        }

        if (digits && entities.Contains(PiiEntityTypes.PhoneNumber))
        {
            AddPhones(candidates, text, has);
        }

        if (has.Digits >= MinSsnDigits && entities.Contains(PiiEntityTypes.UsSsn))
        {
            foreach (ValueMatch m in PiiPatterns.UsSsn().EnumerateMatches(text))
            {
                ReadOnlySpan<char> value = text.AsSpan(m.Index, m.Length);
                bool cued = PiiContext.HasCue(text, m.Index, m.Length, PiiContext.SsnCues);
                if (PiiValidators.IsPossibleSsn(value))
                {
                    double score = cued || value.IndexOfAnyExceptInRange('0', '9') >= 0 ? SsnScore : BareSsnScore;
                    candidates.Add(new PiiSpan(PiiEntityTypes.UsSsn, m.Index, m.Length, score));
                }
                else if (cued)
                {
                    // A miss is a leak: a number never issued, or a published sample, is still
                    // redacted when the text calls it an SSN, with a lower score.
                    candidates.Add(new PiiSpan(PiiEntityTypes.UsSsn, m.Index, m.Length, CuedSsnShapeScore));
                }
            }
        }

        if (has.Digits >= MinCardDigits && entities.Contains(PiiEntityTypes.CreditCard))
        {
            foreach (ValueMatch m in PiiPatterns.CreditCard().EnumerateMatches(text))
            {
                if (PiiValidators.PassesLuhn(text.AsSpan(m.Index, m.Length)))
                {
                    candidates.Add(new PiiSpan(PiiEntityTypes.CreditCard, m.Index, m.Length, ChecksumScore));
                }
            }
        }

        AddWeakNumbers(candidates, text, has);

        if (has.AlphanumericRunWithDigit >= MinBitcoinAddressLength && entities.Contains(PiiEntityTypes.Crypto))
        {
            foreach (ValueMatch m in PiiPatterns.BitcoinAddress().EnumerateMatches(text))
            {
                if (BitcoinAddress.IsValid(text.AsSpan(m.Index, m.Length)))
                {
                    candidates.Add(new PiiSpan(PiiEntityTypes.Crypto, m.Index, m.Length, ChecksumScore));
                }
            }
        }

        if (entities.Contains(PiiEntityTypes.IpAddress))
        {
            if (has.DigitDotDigit)
            {
                AddAll(candidates, text, PiiPatterns.IPv4(), PiiEntityTypes.IpAddress, IpScore);
            }

            if (colon)
            {
                foreach (ValueMatch m in PiiPatterns.IPv6Candidate().EnumerateMatches(text))
                {
                    int length = PiiValidators.MatchIPv6(text.AsSpan(m.Index, m.Length));
                    if (length > 0)
                    {
                        candidates.Add(new PiiSpan(PiiEntityTypes.IpAddress, m.Index, length, IpScore));
                    }
                }
            }
        }

        if (entities.Contains(PiiEntityTypes.DateTime))
        {
            AddDates(candidates, text, has);
        }

        if (entities.Contains(PiiEntityTypes.Url))
        {
            AddUrls(candidates, text, has);
        }

        if (has.UpperUpperDigitDigit && entities.Contains(PiiEntityTypes.IbanCode))
        {
            foreach (ValueMatch m in PiiPatterns.Iban().EnumerateMatches(text))
            {
                int length = PiiValidators.MatchIban(text.AsSpan(m.Index, m.Length));
                if (length > 0)
                {
                    candidates.Add(new PiiSpan(PiiEntityTypes.IbanCode, m.Index, length, ChecksumScore));
                }
            }
        }

        if (has.MacSeparators && entities.Contains(PiiEntityTypes.MacAddress))
        {
            foreach (ValueMatch m in PiiPatterns.MacAddress().EnumerateMatches(text))
            {
                if (PiiValidators.IsAssignableMac(text.AsSpan(m.Index, m.Length)))
                {
                    candidates.Add(new PiiSpan(PiiEntityTypes.MacAddress, m.Index, m.Length, MacScore));
                }
            }
        }

        foreach (var (entityType, regex, score) in customPatterns)
        {
            AddAll(candidates, text, regex, entityType, score);
        }

        if (names is not null)
        {
            AddAll(candidates, text, names, PiiEntityTypes.Person, PersonScore);
        }

        return ResolveOverlaps(candidates);
    }

    /// <summary>Whether <paramref name="text"/> holds any personal data this detector finds.</summary>
    /// <param name="text">The text to scan.</param>
    /// <returns><see langword="true"/> when at least one span is found.</returns>
    public bool ContainsPii(string text) => Detect(text).Count > 0;

    private static void AddAll(List<PiiSpan> candidates, string text, Regex regex, string entityType, double score)
    {
        foreach (ValueMatch m in regex.EnumerateMatches(text))
        {
            if (m.Length > 0)
            {
                candidates.Add(new PiiSpan(entityType, m.Index, m.Length, score));
            }
        }
    }

    private void AddWeakNumbers(List<PiiSpan> candidates, string text, PiiPreChecks has)
    {
        // ITINs and NHS numbers end in four digits in a row.
        if (has.Digits >= MinItinDigits && has.DigitRun >= MinLettersAndDigitsDigits && entities.Contains(PiiEntityTypes.UsItin))
        {
            foreach (ValueMatch m in PiiPatterns.UsItin().EnumerateMatches(text))
            {
                int separators = m.Length - PiiValidators.CountDigits(text.AsSpan(m.Index, m.Length));
                double score = separators switch { 0 => BareItinScore, 1 => PartlySeparatedItinScore, _ => ItinScore };
                candidates.Add(new PiiSpan(PiiEntityTypes.UsItin, m.Index, m.Length, PiiContext.Score(score, text, m.Index, m.Length, PiiContext.ItinCues)));
            }
        }

        if (has.Digits >= MinNhsDigits && has.DigitRun >= MinLettersAndDigitsDigits && entities.Contains(PiiEntityTypes.UkNhs))
        {
            foreach (ValueMatch m in PiiPatterns.UkNhs().EnumerateMatches(text))
            {
                if (PiiValidators.PassesNhsCheck(text.AsSpan(m.Index, m.Length)))
                {
                    candidates.Add(new PiiSpan(PiiEntityTypes.UkNhs, m.Index, m.Length, PiiContext.Score(NhsScore, text, m.Index, m.Length, PiiContext.NhsCues)));
                }
            }
        }

        if (has.DigitRun < MinLettersAndDigitsDigits)
        {
            return;
        }

        bool licenses = entities.Contains(PiiEntityTypes.UsDriverLicense);
        bool passports = entities.Contains(PiiEntityTypes.UsPassport);
        bool banks = entities.Contains(PiiEntityTypes.UsBankNumber);
        if (!(licenses || passports || banks))
        {
            return;
        }

        // One pattern finds all three shapes; each entity whose shape fits is a candidate, and the
        // overlap resolution keeps the best scored (a cue word decides between them).
        foreach (ValueMatch m in PiiPatterns.LettersAndDigits().EnumerateMatches(text))
        {
            ReadOnlySpan<char> value = text.AsSpan(m.Index, m.Length);
            int letters = value.IndexOfAnyInRange('0', '9');
            int digits = value.Length - letters;
            if (licenses && (letters > 0 ? digits <= 13 : digits is >= 7 and <= 14))
            {
                double score = letters > 0 ? LetterDriverLicenseScore : DigitDriverLicenseScore;
                candidates.Add(new PiiSpan(PiiEntityTypes.UsDriverLicense, m.Index, m.Length, PiiContext.Score(score, text, m.Index, m.Length, PiiContext.DriverLicenseCues)));
            }

            if (passports && ((letters == 0 && digits == 9) || (letters == 1 && digits == 8)))
            {
                double score = letters > 0 ? LetterPassportScore : DigitPassportScore;
                candidates.Add(new PiiSpan(PiiEntityTypes.UsPassport, m.Index, m.Length, PiiContext.Score(score, text, m.Index, m.Length, PiiContext.PassportCues)));
            }

            if (banks && letters == 0 && digits >= 8)
            {
                candidates.Add(new PiiSpan(PiiEntityTypes.UsBankNumber, m.Index, m.Length, PiiContext.Score(BankNumberScore, text, m.Index, m.Length, PiiContext.BankCues)));
            }
        }
    }

    private static void AddPhones(List<PiiSpan> candidates, string text, PiiPreChecks has)
    {
        if (has.Digits >= MinNorthAmericanPhoneDigits)
        {
            AddAll(candidates, text, PiiPatterns.NorthAmericanPhone(), PiiEntityTypes.PhoneNumber, PhoneScore);
        }

        if (has.HasPlus)
        {
            AddInternationalPhones(candidates, text);
        }

        if (has.Digits >= MinNationalPhoneDigits)
        {
            AddNationalPhones(candidates, text);
        }
    }

    private static void AddInternationalPhones(List<PiiSpan> candidates, string text)
    {
        foreach (ValueMatch m in PiiPatterns.InternationalPhone().EnumerateMatches(text))
        {
            int digits = PiiValidators.CountDigits(text.AsSpan(m.Index, m.Length));
            if (digits is >= MinPhoneDigits and <= MaxPhoneDigits)
            {
                candidates.Add(new PiiSpan(PiiEntityTypes.PhoneNumber, m.Index, m.Length, PhoneScore));
            }
        }
    }

    private static void AddNationalPhones(List<PiiSpan> candidates, string text)
    {
        foreach (ValueMatch m in PiiPatterns.NationalPhone().EnumerateMatches(text))
        {
            int digits = PiiValidators.CountDigits(text.AsSpan(m.Index, m.Length));
            if (digits is >= 9 and <= 14)
            {
                candidates.Add(new PiiSpan(PiiEntityTypes.PhoneNumber, m.Index, m.Length, NationalPhoneScore));
            }
        }
    }

    private static void AddDates(List<PiiSpan> candidates, string text, PiiPreChecks has)
    {
        if (!has.HasDigit)
        {
            return;
        }

        if (has.HasHyphen)
        {
            AddAll(candidates, text, PiiPatterns.IsoDate(), PiiEntityTypes.DateTime, DateScore);
        }

        if (has.MayHaveMonthName)
        {
            AddAll(candidates, text, PiiPatterns.DayMonthNameDate(), PiiEntityTypes.DateTime, DateScore);
            AddAll(candidates, text, PiiPatterns.MonthNameDate(), PiiEntityTypes.DateTime, DateScore);
        }

        if (has.HasColon || has.MayHaveMeridiem)
        {
            AddAll(candidates, text, PiiPatterns.TimeOfDay(), PiiEntityTypes.DateTime, DateScore);
        }

        if (has.DigitDotDigit || has.DigitSlashDigit || has.HasHyphen)
        {
            AddNumericDates(candidates, text, has);
        }
    }

    private static void AddNumericDates(List<PiiSpan> candidates, string text, PiiPreChecks has)
    {
        foreach (Match m in PiiPatterns.NumericDate().Matches(text))
        {
            if (PiiValidators.IsDayAndMonth(PiiValidators.ParseSmall(m.Groups["a"].ValueSpan), PiiValidators.ParseSmall(m.Groups["b"].ValueSpan)))
            {
                candidates.Add(new PiiSpan(PiiEntityTypes.DateTime, m.Index, m.Length, DateScore));
            }
        }

        if (!has.DigitDotDigit && !has.DigitSlashDigit)
        {
            return;
        }

        foreach (Match m in PiiPatterns.YearFirstDate().Matches(text))
        {
            int month = PiiValidators.ParseSmall(m.Groups["m"].ValueSpan);
            int day = PiiValidators.ParseSmall(m.Groups["d"].ValueSpan);
            if (month is >= 1 and <= 12 && day is >= 1 and <= 31)
            {
                candidates.Add(new PiiSpan(PiiEntityTypes.DateTime, m.Index, m.Length, DateScore));
            }
        }

        if (!has.DigitSlashDigit)
        {
            return;
        }

        foreach (Match m in PiiPatterns.MonthYearDate().Matches(text))
        {
            if (PiiValidators.ParseSmall(m.Groups["m"].ValueSpan) is >= 1 and <= 12)
            {
                candidates.Add(new PiiSpan(PiiEntityTypes.DateTime, m.Index, m.Length, DateScore));
            }
        }
    }

    private static void AddUrls(List<PiiSpan> candidates, string text, PiiPreChecks has)
    {
        // A URL with a scheme may have no dot at all (http://[2001:db8::1]/); one without needs a domain.
        if (has.HasScheme)
        {
            foreach (ValueMatch m in PiiPatterns.UrlWithScheme().EnumerateMatches(text))
            {
                AddUrl(candidates, text, m.Index, PiiValidators.MatchUrl(text.AsSpan(m.Index, m.Length), hasScheme: true));
            }
        }

        if (has.DigitDotDigit && has.HasSlash)
        {
            foreach (ValueMatch m in PiiPatterns.BareIpUrl().EnumerateMatches(text))
            {
                AddUrl(candidates, text, m.Index, PiiValidators.TrimUrlEnd(text.AsSpan(m.Index, m.Length)));
            }
        }

        if (!has.DotLetters)
        {
            return;
        }

        foreach (ValueMatch m in PiiPatterns.BareDomain().EnumerateMatches(text))
        {
            AddUrl(candidates, text, m.Index, PiiValidators.MatchUrl(text.AsSpan(m.Index, m.Length), hasScheme: false));
        }
    }

    private static void AddUrl(List<PiiSpan> candidates, string text, int start, int length)
    {
        if (length == 0)
        {
            return;
        }

        // A quoted URL is reported with its quotes, as Presidio's URL recognizer does.
        int end = start + length;
        if (start > 0 && end < text.Length && text[start - 1] is '"' or '\'' && text[end] == text[start - 1])
        {
            start--;
            length += 2;
        }

        candidates.Add(new PiiSpan(PiiEntityTypes.Url, start, length, UrlScore));
    }

    private static List<PiiSpan> ResolveOverlaps(List<PiiSpan> candidates)
    {
        // Longest first (a span inside a longer one, such as the user@host of a URL, is part of it),
        // then the highest score, then the earliest: greedy keep what does not overlap.
        candidates.Sort(static (x, y) =>
        {
            int c = y.Length.CompareTo(x.Length);
            if (c == 0)
            {
                c = y.Score.CompareTo(x.Score);
            }

            if (c == 0)
            {
                c = x.Start.CompareTo(y.Start);
            }

            // Two entity types on the same span with the same score: a fixed order, so the result never depends on the sort.
            return c != 0 ? c : string.CompareOrdinal(x.EntityType, y.EntityType);
        });

        var kept = new List<PiiSpan>(candidates.Count);
        foreach (PiiSpan candidate in candidates)
        {
            int index = kept.BinarySearch(candidate, StartComparer.Instance);
            int insertAt = index >= 0 ? index : ~index;
            bool overlapsPrevious = insertAt > 0 && kept[insertAt - 1].Overlaps(candidate);
            bool overlapsNext = insertAt < kept.Count && kept[insertAt].Overlaps(candidate);
            if (!overlapsPrevious && !overlapsNext)
            {
                kept.Insert(insertAt, candidate);
            }
        }

        return kept;
    }

    private static (string EntityType, Regex Regex, double Score) CompilePattern(PiiPatternDefinition? pattern, int index, TimeSpan timeout)
    {
        string name = $"options.CustomPatterns[{index}]";
        if (pattern is null)
        {
            throw new ArgumentNullException(name);
        }

        Guard.NotNullOrWhiteSpace(pattern.EntityType, $"{name}.EntityType");
        Guard.NotNullOrWhiteSpace(pattern.Pattern, $"{name}.Pattern");
        Guard.InOpenRange(pattern.Score, 0.0, 1.0 + double.Epsilon, $"{name}.Score");
        RegexOptions options = RegexOptions.CultureInvariant | (pattern.IgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        try
        {
            // Linear-time matching where the pattern allows it; a timeout guards the rest.
            return (pattern.EntityType, CompileSafely(pattern.Pattern, options, timeout), pattern.Score);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{name}.Pattern' is not a valid regular expression: {e.Message}", $"{name}.Pattern", e);
        }
    }

    private static Regex CompileSafely(string pattern, RegexOptions options, TimeSpan timeout)
    {
        try
        {
            return new Regex(pattern, options | RegexOptions.NonBacktracking, timeout);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, options, timeout);
        }
    }

    private static Regex? CompileNames(IList<string> names, TimeSpan timeout)
    {
        if (names.Count == 0)
        {
            return null;
        }

        var pattern = new StringBuilder(@"\b(?:");
        for (int i = 0; i < names.Count; i++)
        {
            string name = Guard.NotNullOrWhiteSpace(names[i], string.Create(CultureInfo.InvariantCulture, $"options.Names[{i}]"));
            if (i > 0)
            {
                pattern.Append('|');
            }

            pattern.Append(Regex.Escape(name.Trim()).Replace(@"\ ", @"\s+", StringComparison.Ordinal));
        }

        pattern.Append(@")\b");
        return new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, timeout);
    }

    private sealed class StartComparer : IComparer<PiiSpan>
    {
        public static readonly StartComparer Instance = new();

        public int Compare(PiiSpan x, PiiSpan y) => x.Start.CompareTo(y.Start);
    }
}
