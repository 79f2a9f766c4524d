using System.Text.RegularExpressions;
using SelfLearning.Privacy;

namespace SelfLearning.Tests.Privacy;

/// <summary>
/// The pre-checks may only skip a pattern that cannot match: over every text of both corpora (and
/// variants that move the entity inside longer text), whenever a pattern matches, its pre-check holds.
/// </summary>
public sealed class PiiPreChecksTests
{
    private static readonly (string Name, Regex Pattern, Func<PiiPreChecks, bool> Check)[] Gates =
    [
        ("Email", PiiPatterns.Email(), h => h.HasAt),
        ("NorthAmericanPhone", PiiPatterns.NorthAmericanPhone(), h => h.Digits >= 10),
        ("InternationalPhone", PiiPatterns.InternationalPhone(), h => h.HasPlus && h.HasDigit),
        ("NationalPhone", PiiPatterns.NationalPhone(), h => h.Digits >= 8),
        ("UsSsn", PiiPatterns.UsSsn(), h => h.Digits >= 9),
        ("CreditCard", PiiPatterns.CreditCard(), h => h.Digits >= 13),
        ("IPv4", PiiPatterns.IPv4(), h => h.DigitDotDigit),
        ("IPv6Candidate", PiiPatterns.IPv6Candidate(), h => h.HasColon),
        ("MacAddress", PiiPatterns.MacAddress(), h => h.MacSeparators),
        ("Iban", PiiPatterns.Iban(), h => h.UpperUpperDigitDigit),
        ("UrlWithScheme", PiiPatterns.UrlWithScheme(), h => h.HasScheme),
        ("BareDomain", PiiPatterns.BareDomain(), h => h.DotLetters),
        ("BareIpUrl", PiiPatterns.BareIpUrl(), h => h.DigitDotDigit && h.HasSlash),
        ("IsoDate", PiiPatterns.IsoDate(), h => h.HasHyphen && h.HasDigit),
        ("NumericDate", PiiPatterns.NumericDate(), h => (h.DigitDotDigit || h.DigitSlashDigit || h.HasHyphen) && h.HasDigit),
        ("YearFirstDate", PiiPatterns.YearFirstDate(), h => h.DigitDotDigit || h.DigitSlashDigit),
        ("MonthYearDate", PiiPatterns.MonthYearDate(), h => h.DigitSlashDigit),
        ("DayMonthNameDate", PiiPatterns.DayMonthNameDate(), h => h.MayHaveMonthName && h.HasDigit),
        ("MonthNameDate", PiiPatterns.MonthNameDate(), h => h.MayHaveMonthName && h.HasDigit),
        ("TimeOfDay", PiiPatterns.TimeOfDay(), h => (h.HasColon || h.MayHaveMeridiem) && h.HasDigit),
        ("LettersAndDigits", PiiPatterns.LettersAndDigits(), h => h.DigitRun >= 4),
        ("UsItin", PiiPatterns.UsItin(), h => h.Digits >= 9 && h.DigitRun >= 4),
        ("UkNhs", PiiPatterns.UkNhs(), h => h.Digits >= 10 && h.DigitRun >= 4),
        ("BitcoinAddress", PiiPatterns.BitcoinAddress(), h => h.AlphanumericRunWithDigit >= 14),
    ];

    [Fact]
    public void Of_EveryCorpusTextAPatternMatches_PassesThatPatternsCheck()
    {
        var texts = PiiTestData.Load("pii-corpus.json").Concat(PiiTestData.Load("presidio-pii-cases.json"))
            .Select(c => c.Text)
            .SelectMany(t => new[] { t, $"Note: {t}.", $"({t})", t.ToUpperInvariant(), t.ToLowerInvariant() })
            .ToList();
        var matched = new HashSet<string>(StringComparer.Ordinal);
        var wronglySkipped = new List<string>();

        foreach (string text in texts)
        {
            PiiPreChecks has = PiiPreChecks.Of(text);
            foreach (var (name, pattern, check) in Gates)
            {
                if (pattern.IsMatch(text))
                {
                    matched.Add(name);
                    if (!check(has))
                    {
                        wronglySkipped.Add($"{name}: '{text}'");
                    }
                }
            }
        }

        wronglySkipped.Should().BeEmpty();
        matched.Should().BeEquivalentTo(Gates.Select(g => g.Name), "every gate must be exercised by some matching text");
    }

    [Theory]
    [InlineData("Reviewed; call back on 415-555-0132.")]
    [InlineData("no personal data here")]
    public void Of_PlainAsciiText_SkipsWhatCannotMatch(string text)
    {
        PiiPreChecks has = PiiPreChecks.Of(text);

        has.MayHaveMonthName.Should().BeFalse();
        has.MayHaveMeridiem.Should().BeFalse();
        has.DotLetters.Should().BeFalse();
        has.UpperUpperDigitDigit.Should().BeFalse();
        has.Digits.Should().BeLessThan(13);
    }

    [Fact]
    public void Of_NonAsciiText_RunsEveryDigitAndWordPattern()
    {
        // Arabic-Indic digits are \d to the patterns, so only an ASCII text may be judged by its ASCII digits.
        PiiPreChecks has = PiiPreChecks.Of("رقم ٤١٥٥٥٥٠١٣٢ x");

        has.Digits.Should().Be(int.MaxValue);
        has.DigitDotDigit.Should().BeTrue();
        has.DigitSlashDigit.Should().BeTrue();
        has.UpperUpperDigitDigit.Should().BeTrue();
        has.MayHaveMonthName.Should().BeTrue();
        has.MayHaveMeridiem.Should().BeTrue();
    }

    [Theory]
    [InlineData("seen on 3 March", true)]
    [InlineData("SEP 2024", true)]
    [InlineData("call back at noon", false)]
    public void Of_MonthNames_AreRecognisedInAnyCase(string text, bool expected)
    {
        PiiPreChecks.Of(text).MayHaveMonthName.Should().Be(expected);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("ab12", 4)]
    [InlineData("wallet: 16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ.", 34)]
    [InlineData("pharmacokinetics a1-bc_d2ef", 4)]
    [InlineData("x ünïcode1 12", 5)]
    [InlineData("pharmacokinetics", 0)]
    [InlineData("a1b22c333 d4444e55", 9)]
    public void Of_AlphanumericRunWithDigit_IsTheLongestRunOfAsciiLettersAndDigitsHoldingADigit(string text, int expected)
    {
        PiiPreChecks.Of(text).AlphanumericRunWithDigit.Should().Be(expected);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("BP 120/80", 3)]
    [InlineData("A12803456", 8)]
    [InlineData("12a3456 7", 4)]
    [InlineData("a1b22c333d4444e55", 4)]
    [InlineData("٤١٥٥٥٥٠١٣٢ 12", 2)]
    public void Of_DigitRun_IsTheLongestRunOfAsciiDigits(string text, int expected)
    {
        PiiPreChecks.Of(text).DigitRun.Should().Be(expected);
    }
}
