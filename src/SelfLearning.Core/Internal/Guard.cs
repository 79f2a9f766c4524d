using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace SelfLearning.Internal;

/// <summary>
/// Argument checks shared by the whole library. Every message names the argument and, where there
/// is one, the offending value or index, so a caller can find the bad input without a debugger.
/// </summary>
internal static partial class Guard
{
    public static T NotNull<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class
    {
        if (value is null)
        {
            throw new ArgumentNullException(name);
        }

        return value;
    }

    public static string NotNullOrWhiteSpace([NotNull] string? value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value is null)
        {
            throw new ArgumentNullException(name);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"'{name}' must not be empty or white space.", name);
        }

        return value;
    }

    public static void NotEmpty<T>(ReadOnlySpan<T> values, [CallerArgumentExpression(nameof(values))] string? name = null)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException($"'{name}' must not be empty.", name);
        }
    }

    public static void SameLength<T, TOther>(
        ReadOnlySpan<T> first,
        ReadOnlySpan<TOther> second,
        [CallerArgumentExpression(nameof(first))] string? firstName = null,
        [CallerArgumentExpression(nameof(second))] string? secondName = null)
    {
        if (first.Length != second.Length)
        {
            throw new ArgumentException(
                $"'{secondName}' has {second.Length} elements but '{firstName}' has {first.Length}; they must have the same length.",
                secondName);
        }
    }

    /// <summary>Every value must be a finite number (no NaN, no infinity).</summary>
    public static void AllFinite(ReadOnlySpan<double> values, [CallerArgumentExpression(nameof(values))] string? name = null)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentOutOfRangeException(
                    name,
                    values[i],
                    $"'{name}' must hold finite numbers, but element {i} is {Format(values[i])}.");
            }
        }
    }

    /// <summary>Every value must be a probability in [0, 1] (NaN is rejected).</summary>
    public static void AllProbabilities(ReadOnlySpan<double> values, [CallerArgumentExpression(nameof(values))] string? name = null)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!(v >= 0.0 && v <= 1.0))
            {
                throw new ArgumentOutOfRangeException(
                    name,
                    v,
                    $"'{name}' must hold probabilities in [0, 1], but element {i} is {Format(v)}.");
            }
        }
    }

    /// <summary>Every weight must be finite and non-negative.</summary>
    public static void AllNonNegativeFinite(ReadOnlySpan<double> values, [CallerArgumentExpression(nameof(values))] string? name = null)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!(v >= 0.0) || double.IsPositiveInfinity(v))
            {
                throw new ArgumentOutOfRangeException(
                    name,
                    v,
                    $"'{name}' must hold finite non-negative numbers, but element {i} is {Format(v)}.");
            }
        }
    }

    public static double Finite(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a finite number, but is {Format(value)}.");
        }

        return value;
    }

    public static double Probability(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= 0.0 && value <= 1.0))
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a probability in [0, 1], but is {Format(value)}.");
        }

        return value;
    }

    /// <summary>The value must lie in [min, max]; NaN is rejected.</summary>
    public static double InRange(double value, double min, double max, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentOutOfRangeException(
                name,
                value,
                $"'{name}' must be in [{Format(min)}, {Format(max)}], but is {Format(value)}.");
        }

        return value;
    }

    /// <summary>The value must lie in the open interval (min, max); NaN is rejected.</summary>
    public static double InOpenRange(double value, double min, double max, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value > min && value < max))
        {
            throw new ArgumentOutOfRangeException(
                name,
                value,
                $"'{name}' must be in ({Format(min)}, {Format(max)}), but is {Format(value)}.");
        }

        return value;
    }

    public static double Positive(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value > 0.0) || double.IsPositiveInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a finite positive number, but is {Format(value)}.");
        }

        return value;
    }

    public static double NonNegative(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= 0.0) || double.IsPositiveInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a finite non-negative number, but is {Format(value)}.");
        }

        return value;
    }

    /// <summary>A registry version number, or 0 for the baseline served before the first champion.</summary>
    public static int VersionOrBaseline(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a registry version number, or 0 for the baseline before the first champion, but is {value}.");
        }

        return value;
    }

    public static int Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be positive, but is {value}.");
        }

        return value;
    }

    public static long NonNegative(long value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must not be negative, but is {value}.");
        }

        return value;
    }

    public static int InRange(int value, int min, int max, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be in [{min}, {max}], but is {value}.");
        }

        return value;
    }

    /// <summary>Both classes must be present among the labels.</summary>
    public static void BothClasses(ReadOnlySpan<bool> labels, [CallerArgumentExpression(nameof(labels))] string? name = null)
    {
        bool anyTrue = labels.Contains(true);
        bool anyFalse = labels.Contains(false);
        if (!anyTrue || !anyFalse)
        {
            throw new ArgumentException(
                $"'{name}' holds only {(anyTrue ? "positive" : "negative")} labels; both classes are needed.",
                name);
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
