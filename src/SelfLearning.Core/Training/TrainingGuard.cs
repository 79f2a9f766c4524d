using System.Runtime.CompilerServices;

namespace SelfLearning.Training;

/// <summary>Argument checks only the training area needs.</summary>
internal static class TrainingGuard
{
    public static TimeSpan Positive(TimeSpan value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a positive duration, but is {value}.");
        }

        return value;
    }

    public static TimeSpan NonNegative(TimeSpan value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must not be negative, but is {value}.");
        }

        return value;
    }

    /// <summary>Throws unless the context's data is of <paramref name="kind"/>, naming the trainer.</summary>
    public static void DataKind(TrainingContext context, TrainingTableKind kind, string modelType)
    {
        if (context.Data.Kind != kind)
        {
            throw new ArgumentException(
                $"Trainer '{modelType}' needs {kind} data but was given {context.Data.Kind} data.", nameof(context));
        }
    }
}
