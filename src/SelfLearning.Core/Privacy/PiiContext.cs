namespace SelfLearning.Privacy;

/// <summary>
/// Cue words near a candidate that make a weak pattern (nine digits, a letter and digits) likely to be
/// the entity it looks like: "SSN 078-05-1120", "passport A12803456", "account 945456787654".
/// </summary>
/// <remarks>
/// The idea is Presidio's context enhancement (a match's score rises when a context word is near it);
/// the word lists and window are our own. A cue counts when it stands as a whole word (no ASCII letter
/// either side) within <see cref="CharactersBefore"/> characters before the candidate or
/// <see cref="CharactersAfter"/> after it, ignoring case.
/// </remarks>
internal static class PiiContext
{
    /// <summary>How far before a candidate a cue is looked for, in characters (about six words).</summary>
    public const int CharactersBefore = 40;

    /// <summary>How far after a candidate a cue is looked for, in characters (about two words).</summary>
    public const int CharactersAfter = 16;

    /// <summary>What a cue adds to a candidate's score (the sum is capped at 1).</summary>
    public const double CueBoost = 0.4;

    public static readonly string[] SsnCues = ["ssn", "ssns", "ssn#", "ss#", "ssid", "social security", "soc sec", "soc. sec."];

    public static readonly string[] ItinCues = ["itin", "itin#", "tin", "taxpayer", "tax id", "taxid", "tax"];

    public static readonly string[] DriverLicenseCues = ["driver", "drivers", "driving", "license", "licence", "licenses", "licences", "lic", "lic#", "dl#", "dln", "dmv", "permit"];

    public static readonly string[] PassportCues = ["passport", "passport#", "passports", "travel document", "travel doc"];

    public static readonly string[] BankCues = ["bank", "banking", "account", "account#", "acct", "acct#", "a/c", "checking", "savings", "debit", "deposit", "routing"];

    public static readonly string[] NhsCues = ["nhs", "nhs#", "national health service", "health service", "nhs no", "nhs number"];

    /// <summary>Whether one of <paramref name="cues"/> stands near the span [start, start + length) of <paramref name="text"/>.</summary>
    public static bool HasCue(string text, int start, int length, string[] cues)
    {
        int from = Math.Max(0, start - CharactersBefore);
        int end = start + length;
        int to = Math.Min(text.Length, end + CharactersAfter);
        foreach (string cue in cues)
        {
            if (Contains(text, from, start, cue) || Contains(text, end, to, cue))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The score of a candidate, raised by <see cref="CueBoost"/> when a cue stands near it.</summary>
    public static double Score(double score, string text, int start, int length, string[] cues) =>
        HasCue(text, start, length, cues) ? Math.Min(1.0, score + CueBoost) : score;

    private static bool Contains(string text, int from, int to, string cue)
    {
        int position = from;
        while (position < to)
        {
            int found = text.AsSpan(position, to - position).IndexOf(cue, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }

            int cueStart = position + found;
            int cueEnd = cueStart + cue.Length;
            if (cueEnd <= to && !IsLetterAt(text, cueStart - 1) && !IsLetterAt(text, cueEnd))
            {
                return true;
            }

            position = cueStart + 1;
        }

        return false;
    }

    private static bool IsLetterAt(string text, int index) => index >= 0 && index < text.Length && char.IsAsciiLetter(text[index]);
}
