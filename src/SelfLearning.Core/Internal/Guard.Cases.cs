using System.Runtime.CompilerServices;

namespace SelfLearning.Internal;

/// <summary>Guards used by <c>SelfLearning.Cases</c> and <c>SelfLearning.Privacy</c>.</summary>
internal static partial class Guard
{
    /// <summary>The value must be a named member of its enum.</summary>
    public static TEnum Defined<TEnum>(TEnum value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' is {value}, which is not a defined {typeof(TEnum).Name}.");
        }

        return value;
    }
}
