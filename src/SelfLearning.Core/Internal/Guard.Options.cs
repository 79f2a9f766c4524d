using System.Globalization;
using System.Reflection;

namespace SelfLearning.Internal;

/// <summary>Checks shared by the options validators.</summary>
internal static partial class Guard
{
    /// <summary>
    /// Describes every public enum-typed property of <paramref name="options"/> (nullable ones when set) whose value is
    /// not a named member of its enum, or, for a <see cref="FlagsAttribute"/> enum, holds a bit no member defines:
    /// <c>{path}:{Property} is 9, which is not a defined CalibrationScoreSource.</c>
    /// </summary>
    /// <param name="options">The options object.</param>
    /// <param name="path">The configuration path that prefixes each property name.</param>
    /// <returns>One message per undefined value; empty when all are defined.</returns>
    public static IEnumerable<string> UndefinedEnumOptions(object options, string path)
    {
        foreach (PropertyInfo property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (!type.IsEnum || !property.CanRead || property.GetIndexParameters().Length > 0 || property.GetValue(options) is not Enum value)
            {
                continue;
            }

            if (!IsDefinedEnumValue(type, value))
            {
                yield return string.Create(
                    CultureInfo.InvariantCulture,
                    $"{path}:{property.Name} is {value:D}, which is not a defined {type.Name} (defined: {string.Join(", ", Enum.GetNames(type))}).");
            }
        }
    }

    /// <summary>Whether <paramref name="value"/> is a named member, or, for a flags enum, a combination of defined bits.</summary>
    private static bool IsDefinedEnumValue(Type type, Enum value)
    {
        if (Enum.IsDefined(type, value))
        {
            return true;
        }

        if (type.GetCustomAttribute<FlagsAttribute>() is null)
        {
            return false;
        }

        ulong all = 0;
        foreach (Enum member in Enum.GetValues(type))
        {
            all |= Bits(member);
        }

        return (Bits(value) & ~all) == 0;
    }

    // The value's bits; a negative value of a signed enum keeps its two's-complement bits.
    private static ulong Bits(Enum value) => Enum.GetUnderlyingType(value.GetType()) == typeof(ulong)
        ? Convert.ToUInt64(value, CultureInfo.InvariantCulture)
        : unchecked((ulong)Convert.ToInt64(value, CultureInfo.InvariantCulture));
}
