namespace SelfLearning.Hosting;

/// <summary>Something the loop did or noticed, published through <see cref="ISelfLearningEvents"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="ModelName">The model.</param>
/// <param name="Version">The version concerned, if any.</param>
/// <param name="At">When, from the injected <see cref="TimeProvider"/>.</param>
/// <param name="Message">What happened, with its numbers.</param>
public sealed record SelfLearningEvent(SelfLearningEventKind Kind, string ModelName, int? Version, DateTimeOffset At, string Message);
