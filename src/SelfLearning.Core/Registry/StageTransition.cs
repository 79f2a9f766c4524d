namespace SelfLearning.Registry;

/// <summary>One entry of a model's audit history: a version changed stage.</summary>
/// <param name="Name">The model name.</param>
/// <param name="Sequence">The position in the model's history: 1, 2, 3…, in commit order.</param>
/// <param name="Revision">The model revision the change committed as; the transitions of one operation share it.</param>
/// <param name="Version">The version whose stage changed.</param>
/// <param name="From">The stage before, or <see langword="null"/> when the version was registered.</param>
/// <param name="To">The stage after.</param>
/// <param name="Operation">The operation that made the change.</param>
/// <param name="At">When, from the registry's <see cref="TimeProvider"/>.</param>
/// <param name="Actor">Who made the change.</param>
/// <param name="Reason">Why, if the actor said.</param>
public sealed record StageTransition(
    string Name,
    long Sequence,
    long Revision,
    int Version,
    ModelStage? From,
    ModelStage To,
    RegistryOperation Operation,
    DateTimeOffset At,
    string Actor,
    string? Reason);
