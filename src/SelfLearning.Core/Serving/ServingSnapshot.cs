using SelfLearning.Experiments;

namespace SelfLearning.Serving;

/// <summary>What one model serves at one instant: replaced as a whole, read with one volatile read.</summary>
/// <param name="Champion">The champion, or <see langword="null"/> before the first one (a score model then serves its uncalibrated score).</param>
/// <param name="Experiment">The running canary, if any.</param>
/// <param name="Challenger">The challenger, if a canary runs.</param>
internal sealed record ServingSnapshot(ServedModel? Champion, Experiment? Experiment, ServedModel? Challenger)
{
    /// <summary>Gets the champion's version, or 0 before the first champion.</summary>
    public int ChampionVersion => Champion?.Version ?? 0;
}
