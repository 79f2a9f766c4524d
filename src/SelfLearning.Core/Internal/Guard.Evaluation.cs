using System.Runtime.CompilerServices;

namespace SelfLearning.Internal;

/// <summary>Argument checks used by the statistics and evaluation code.</summary>
internal static partial class Guard
{
    /// <summary>Every count must be zero or more.</summary>
    public static void AllNonNegative(ReadOnlySpan<long> values, [CallerArgumentExpression(nameof(values))] string? name = null)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < 0)
            {
                throw new ArgumentOutOfRangeException(
                    name,
                    values[i],
                    $"'{name}' must hold non-negative counts, but element {i} is {values[i]}.");
            }
        }
    }

    /// <summary>A count of successes must not exceed its count of trials.</summary>
    public static long AtMost(long value, long max, string maxName, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' is {value}, more than '{maxName}' ({max}).");
        }

        return value;
    }

    /// <summary>A span must hold at least <paramref name="minimum"/> elements.</summary>
    public static void MinimumLength<T>(ReadOnlySpan<T> values, int minimum, [CallerArgumentExpression(nameof(values))] string? name = null)
    {
        if (values.Length < minimum)
        {
            throw new ArgumentException($"'{name}' has {values.Length} elements but needs at least {minimum}.", name);
        }
    }
}
