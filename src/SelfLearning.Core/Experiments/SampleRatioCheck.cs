namespace SelfLearning.Experiments;

/// <summary>The sample ratio mismatch check: are the arms' unit counts consistent with the planned equal split?</summary>
/// <param name="ChampionUnits">Distinct units exposed in the champion arm.</param>
/// <param name="ChallengerUnits">Distinct units exposed in the challenger arm.</param>
/// <param name="ChiSquare">Pearson's χ² against equal shares (1 degree of freedom).</param>
/// <param name="PValue">Its p-value.</param>
/// <param name="IsMismatch">The p-value is below the threshold: the split is broken and the results cannot be trusted.</param>
public sealed record SampleRatioCheck(long ChampionUnits, long ChallengerUnits, double ChiSquare, double PValue, bool IsMismatch);
