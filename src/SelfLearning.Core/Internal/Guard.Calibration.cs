using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SelfLearning.Internal;

/// <summary>Argument checks used by the calibrators' hot paths, where the check is inlined per element.</summary>
internal static partial class Guard
{
    /// <summary>The destination span must be exactly as long as the source span.</summary>
    public static void SameLengthDestination(
        int sourceLength,
        int destinationLength,
        string sourceName,
        [CallerArgumentExpression(nameof(destinationLength))] string? destinationName = null)
    {
        if (sourceLength != destinationLength)
        {
            destinationName = destinationName?.Replace(".Length", string.Empty, StringComparison.Ordinal);
            throw new ArgumentException(
                $"'{destinationName}' has {destinationLength} elements but '{sourceName}' has {sourceLength}; they must have the same length.",
                destinationName);
        }
    }

    /// <summary>Throws the exception <see cref="AllFinite"/> would throw for element <paramref name="index"/>.</summary>
    [DoesNotReturn]
    public static void ThrowNotFinite(double value, int index, string name) =>
        throw new ArgumentOutOfRangeException(name, value, $"'{name}' must hold finite numbers, but element {index} is {Format(value)}.");

    /// <summary>Throws the exception <see cref="AllProbabilities"/> would throw for element <paramref name="index"/>.</summary>
    [DoesNotReturn]
    public static void ThrowNotProbability(double value, int index, string name) =>
        throw new ArgumentOutOfRangeException(name, value, $"'{name}' must hold probabilities in [0, 1], but element {index} is {Format(value)}.");

    /// <summary>Every label must be a class index in [0, classCount).</summary>
    public static void AllClassIndices(ReadOnlySpan<int> labels, int classCount, [CallerArgumentExpression(nameof(labels))] string? name = null)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(
                    name,
                    labels[i],
                    $"'{name}' must hold class indices in [0, {classCount - 1}], but element {i} is {labels[i]}.");
            }
        }
    }
}
