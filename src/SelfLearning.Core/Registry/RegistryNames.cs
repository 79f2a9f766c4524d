using System.Globalization;
using System.Runtime.CompilerServices;

namespace SelfLearning.Registry;

/// <summary>
/// The rules for names the registry stores: model names, aliases, tag, metric and parameter keys,
/// and actors. A valid name cannot escape a store's directory or table, whatever the store does with it.
/// </summary>
/// <remarks>
/// A name is 1 to <see cref="MaxNameLength"/> characters with no path separator, no <c>..</c>, no
/// character Windows forbids in file names (<c>&lt;&gt;:"|?*</c>), no control or invisible formatting
/// character (for example a right-to-left override), and no leading or trailing white space.
/// Names and text must also be well-formed UTF-16: an unpaired surrogate is refused, because a store
/// writing UTF-8 (SQLite) would turn it into U+FFFD, merging two different names into one and changing tags.
/// </remarks>
internal static class RegistryNames
{
    /// <summary>The longest model name, alias or key, in UTF-16 code units.</summary>
    public const int MaxNameLength = 128;

    /// <summary>The longest tag or parameter value, actor or reason, in UTF-16 code units.</summary>
    public const int MaxTextLength = 4096;

    private const string ForbiddenCharacters = "/\\<>:\"|?*";

    /// <summary>Checks a model name.</summary>
    /// <param name="name">The name to check.</param>
    /// <param name="paramName">The argument name reported in the exception.</param>
    /// <returns><paramref name="name"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> breaks a rule; the message says which.</exception>
    public static string ValidateModelName(string? name, [CallerArgumentExpression(nameof(name))] string? paramName = null)
        => ValidateName(name, "model name", paramName);

    /// <summary>Checks an alias: a valid name that is not a bare number, so it can never be mistaken for a version.</summary>
    /// <param name="alias">The alias to check.</param>
    /// <param name="paramName">The argument name reported in the exception.</param>
    /// <returns><paramref name="alias"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="alias"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="alias"/> breaks a rule; the message says which.</exception>
    public static string ValidateAlias(string? alias, [CallerArgumentExpression(nameof(alias))] string? paramName = null)
    {
        string valid = ValidateName(alias, "alias", paramName);
        if (long.TryParse(valid, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            throw new ArgumentException($"The alias '{valid}' is a number and could be mistaken for a version number.", paramName);
        }

        return valid;
    }

    /// <summary>Checks a tag, metric or parameter key.</summary>
    /// <param name="key">The key to check.</param>
    /// <param name="paramName">The argument name reported in the exception.</param>
    /// <returns><paramref name="key"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> breaks a rule; the message says which.</exception>
    public static string ValidateKey(string? key, [CallerArgumentExpression(nameof(key))] string? paramName = null)
        => ValidateName(key, "key", paramName);

    /// <summary>
    /// Checks free text (a tag value, an actor, a reason, lineage): at most <see cref="MaxTextLength"/> characters, no NUL,
    /// no unpaired UTF-16 surrogate.
    /// </summary>
    /// <param name="text">The text to check.</param>
    /// <param name="paramName">The argument name reported in the exception.</param>
    /// <returns><paramref name="text"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> is too long, or holds a NUL character or an unpaired surrogate.</exception>
    public static string ValidateText(string? text, [CallerArgumentExpression(nameof(text))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(text, paramName);
        if (text.Length > MaxTextLength)
        {
            throw new ArgumentException($"'{paramName}' is {text.Length} characters long; at most {MaxTextLength} are allowed.", paramName);
        }

        int nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            throw new ArgumentException($"'{paramName}' holds a NUL character at index {nul}.", paramName);
        }

        WellFormed(text, paramName);
        return text;
    }

    private static string ValidateName(string? value, string what, string? paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (value.Length == 0 || value.Length > MaxNameLength)
        {
            throw new ArgumentException(
                $"The {what} is {value.Length} characters long; it must have 1 to {MaxNameLength}.", paramName);
        }

        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            throw new ArgumentException($"The {what} '{value}' starts or ends with white space.", paramName);
        }

        if (value.Contains("..", StringComparison.Ordinal) || value == ".")
        {
            throw new ArgumentException($"The {what} '{value}' is or contains a relative path segment ('.' or '..').", paramName);
        }

        WellFormed(value, paramName);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsSurrogate(c))
            {
                // Paired (checked above): a character outside the Basic Multilingual Plane, such as an emoji.
                continue;
            }

            UnicodeCategory category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned)
            {
                throw new ArgumentException(
                    $"The {what} holds the control or invisible character U+{(int)c:X4} at index {i}.", paramName);
            }

            if (ForbiddenCharacters.Contains(c, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"The {what} '{value}' holds the path or reserved character '{c}' at index {i}.", paramName);
            }
        }

        return value;
    }

    /// <summary>Refuses a high surrogate not followed by a low one, or a low one not preceded by a high one; the same message for every check.</summary>
    private static void WellFormed(string value, string? paramName)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new ArgumentException(
                    $"'{paramName}' holds an unpaired UTF-16 surrogate U+{(int)c:X4} at index {i}; names, tags and lineage must be well-formed Unicode, since a store writing UTF-8 would replace it with U+FFFD.",
                    paramName);
            }
        }
    }
}
