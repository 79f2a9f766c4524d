using System.Runtime.CompilerServices;

namespace SelfLearning.Internal;

/// <summary>Argument checks used by the monitoring code.</summary>
internal static partial class Guard
{
    public static long Positive(long value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be positive, but is {value}.");
        }

        return value;
    }
}
